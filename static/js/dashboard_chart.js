// The supervisor dashboard's chart: open flags by rule over the last weeks. The figures come
// from the page (json_script, id "flag-chart-data"), which also shows them as a table.
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("flag-chart");
  const source = document.getElementById("flag-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.datasets.map((dataset) => ({ ...dataset, fill: false })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { title: { display: true, text: "Week ending" } },
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Open flags" } },
      },
    },
  });
});
