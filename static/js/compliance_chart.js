// The compliance-rate report's chart: each standard's rate at each month end and on the date.
// The figures come from the page (json_script, id "compliance-chart-data"), which also shows
// them as a table beside it.
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("compliance-chart");
  const source = document.getElementById("compliance-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets: data.datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      spanGaps: true,
      interaction: { mode: "index", intersect: false },
      scales: {
        y: { min: 0, max: 100, title: { display: true, text: "Met (%)" } },
      },
    },
  });
});
