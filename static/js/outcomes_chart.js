// Outcome charts (templates/outcomes/): a bar chart per canvas[data-chart], its figures read from
// the json_script element the attribute names; the page shows the same figures as a table.
// Loaded by the outcomes report and by the client page's outcomes card, which arrives by htmx
// after the page (htmx runs the card's script tags in order, Chart.js first).
(() => {
  function draw(root) {
    if (typeof Chart === "undefined") {
      return;
    }
    root.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      if (canvas.dataset.drawn) {
        return;
      }
      const source = document.getElementById(canvas.dataset.chart);
      if (!source) {
        return;
      }
      const data = JSON.parse(source.textContent);
      canvas.dataset.drawn = "1";
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [{ label: data.label, data: data.values }],
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          indexAxis: "y",
          plugins: { legend: { display: false } },
          scales: {
            x: { suggestedMin: data.min, suggestedMax: data.max, title: { display: true, text: data.axis } },
          },
        },
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => draw(document));
  } else {
    draw(document);
  }
  document.addEventListener("htmx:load", (event) => draw(event.detail.elt.parentElement || document));
})();
