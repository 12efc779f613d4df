// The shared modal: htmx loads a form into #modal-content; the server closes it by sending
// the "closeModal" event (HX-Trigger, clients.views.CONTACT_RECORDED_EVENT) once the form has
// been saved.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target.id === "modal-content") {
    bootstrap.Modal.getOrCreateInstance(document.getElementById("modal")).show();
  }
});
document.addEventListener("closeModal", () => {
  bootstrap.Modal.getOrCreateInstance(document.getElementById("modal")).hide();
});
