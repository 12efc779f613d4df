// The shared modal (opening, closing, focus, the contact form's drafts): static/js/contact_modal.js.

// Stacked tables on phones (static/css/casework.css, `.table-stack`): each cell is labelled
// with its column's header, written here once rather than repeated in every template's cells,
// so a column added to a table is labelled without touching its rows. Runs on every htmx swap
// too (the caseload reloads its table after a contact is recorded).
function labelStackedCells(root) {
  root.querySelectorAll("table.table-stack").forEach((table) => {
    const headers = Array.from(table.querySelectorAll("thead tr:first-child > th")).map((th) => {
      const summary = th.querySelector("summary");
      return (summary || th).textContent.replace(/[▲▼]/g, "").trim();
    });
    table.querySelectorAll("tbody > tr").forEach((row) => {
      Array.from(row.children).forEach((cell, index) => {
        if (headers[index] && cell.colSpan === 1) cell.dataset.label = headers[index];
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", () => labelStackedCells(document));
document.addEventListener("htmx:load", (event) => labelStackedCells(event.detail.elt.parentElement || document));

// Behaviour that templates ask for by attribute, so that no template carries inline script
// (a Content-Security-Policy forbids it; tests/test_no_inline_script.py keeps it so):
// data-autosubmit submits a filter form when its field changes; data-print prints the page.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof Element && field.matches("[data-autosubmit]") && field.form) {
    // submit(), as the inline handlers did: a full page load, not an htmx swap.
    field.form.submit();
  }
});
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
