// The staff activity log's chart: contacts by type in each period, stacked. The figures come
// from the page (json_script, id "activity-chart-data"), which also shows them as a table.
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("activity-chart");
  const source = document.getElementById("activity-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: data.datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Contacts" } },
      },
    },
  });
});
