// The compliance-rate report's chart: each standard's rate at each month end. The trend arrives
// by htmx after the page (reports:compliance_trend) with its figures (json_script, id
// "compliance-chart-data"), which it also shows as a table beside the chart.
(() => {
  function draw() {
    const canvas = document.getElementById("compliance-chart");
    const source = document.getElementById("compliance-chart-data");
    if (!canvas || !source || canvas.dataset.drawn || typeof Chart === "undefined") {
      return;
    }
    canvas.dataset.drawn = "1";
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
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  document.addEventListener("htmx:load", draw);
})();
