// The compliance-rate report's chart: each standard's rate at each month end. The page lists
// the twelve month ends in the table beside the chart; each row asks for its own figures
// (htmx, reports:compliance_trend) and arrives with them as numbers (data-points). The chart
// is drawn at once with a gap for each month end not yet judged and redrawn as rows arrive;
// the canvas's data-judged says how many have.
(() => {
  let chart = null;

  function rows() {
    return [...document.querySelectorAll("#compliance-trend-table tbody tr[data-month-end]")];
  }

  function datasets(standards, months) {
    const points = months.map((row) => (row.dataset.points ? JSON.parse(row.dataset.points) : null));
    return standards.map((label, i) => ({
      label,
      data: points.map((rates) => (rates ? rates[i] : null)),
    }));
  }

  function draw() {
    const canvas = document.getElementById("compliance-chart");
    const source = document.getElementById("compliance-chart-standards");
    if (!canvas || !source || typeof Chart === "undefined") {
      return;
    }
    const months = rows();
    const data = datasets(JSON.parse(source.textContent), months);
    if (chart && chart.canvas === canvas) {
      data.forEach((dataset, i) => {
        chart.data.datasets[i].data = dataset.data;
      });
      chart.update();
    } else {
      chart = new Chart(canvas, {
        type: "line",
        data: { labels: months.map((row) => row.dataset.monthEnd), datasets: data },
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
      canvas.dataset.drawn = "1";
    }
    canvas.dataset.judged = String(months.filter((row) => row.dataset.points).length);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  document.addEventListener("htmx:load", draw);
})();
