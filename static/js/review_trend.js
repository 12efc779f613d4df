// The record-review trend: score per month per case manager or team. The figures come from
// the page (json_script, id "trend-chart-data"), which also shows them as a table.
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("trend-chart");
  const source = document.getElementById("trend-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.datasets.map((dataset) => ({ ...dataset, fill: false, spanGaps: true })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { title: { display: true, text: "Month" } },
        y: { min: 0, max: 100, title: { display: true, text: "Score (%)" } },
      },
    },
  });
});
