// The shared modal (templates/base.html, #modal) and the contact form loaded into it
// (templates/workspace/_contact_form.html). htmx loads a form into #modal-content; the server
// closes the modal with the "closeModal" event (HX-Trigger) once the form has been saved, and
// the contact form's "contactRecorded" event carries the confirmation to announce.
//
// Focus: on the first field when the modal opens, on the first field in error after a failed
// save, and back on the button that opened the modal when it closes (Escape, Cancel or Save),
// found again by its hx-get if the page reloaded the table it was in.
//
// Drafts: while the contact form is open, what has been typed is posted to the form's
// data-draft-url every few seconds (workspace.views.contacts.contact_draft), and once more
// when the modal closes without saving.
(() => {
  const AUTOSAVE_MS = 5000;
  const FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";
  let opener = null;
  let openerUrl = null;
  let pendingFocusUrl = null;
  let autosaveTimer = null;
  let dirty = false;
  let saving = false;

  const modalElement = () => document.getElementById("modal");
  const modal = () => bootstrap.Modal.getOrCreateInstance(modalElement());
  const contactForm = () => document.querySelector("#modal-content form[data-draft-url]");

  function firstField(root) {
    const body = root.querySelector(".modal-body") || root;
    return body.querySelector(FIELDS);
  }

  function firstInvalid(root) {
    return root.querySelector("input.is-invalid, select.is-invalid, textarea.is-invalid");
  }

  function focusInModal() {
    const content = document.getElementById("modal-content");
    const target = firstInvalid(content) || firstField(content);
    if (target) target.focus();
  }

  // The dialog is named by the title of whatever form was loaded into it.
  function labelDialog(content) {
    const title = content.querySelector(".modal-title, h1, h2, h3");
    if (!title) return;
    if (!title.id) title.id = "modal-title";
    modalElement().setAttribute("aria-labelledby", title.id);
  }

  function openerByUrl(url) {
    if (!url) return null;
    return Array.from(document.querySelectorAll("[hx-get]")).find(
      (element) => element.getAttribute("hx-get") === url && !modalElement().contains(element),
    ) || null;
  }

  function returnFocus() {
    const target = opener && opener.isConnected ? opener : openerByUrl(openerUrl);
    if (target) target.focus();
  }

  // --- The rule for the chosen contact type, before Save -----------------------------------
  function showTypeRules(form) {
    const select = form.querySelector("select[name=contact_type]");
    const rules = form.querySelector("#contact-type-rules");
    if (!select || !rules) return;
    let chosen = null;
    rules.querySelectorAll("[data-rules-for]").forEach((block) => {
      const match = block.dataset.rulesFor === select.value;
      block.hidden = !match;
      if (match) chosen = block;
    });
    const note = form.querySelector("textarea[name=note]");
    if (note && chosen && chosen.dataset.noteRequired) {
      const required = chosen.dataset.noteRequired === "true";
      note.setAttribute("aria-required", String(required));
      // The same asterisk crispy draws beside the always-required fields' labels.
      const label = form.querySelector(`label[for="${note.id}"]`);
      let mark = label && label.querySelector(".asteriskField");
      if (label && required && !mark) {
        mark = document.createElement("span");
        mark.className = "asteriskField";
        mark.textContent = "*";
        label.append(mark);
      }
      if (mark && !required) mark.remove();
    }
    select.setAttribute("aria-describedby", [select.getAttribute("aria-describedby"), "contact-type-rules"]
      .filter(Boolean).join(" ").split(" ").filter((v, i, all) => all.indexOf(v) === i).join(" "));
  }

  // --- Drafts ----------------------------------------------------------------------------
  function saveDraft({ keepalive = false } = {}) {
    const form = contactForm();
    if (!form || !dirty || saving) return;
    saving = true;
    dirty = false;
    fetch(form.dataset.draftUrl, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      keepalive,
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response)))
      .then((data) => {
        const status = document.getElementById("draft-status");
        if (status) status.textContent = `Draft saved at ${data.saved_at}`;
      })
      .catch(() => { dirty = true; })
      .finally(() => { saving = false; });
  }

  function startAutosave() {
    stopAutosave();
    if (contactForm()) autosaveTimer = window.setInterval(saveDraft, AUTOSAVE_MS);
  }

  function stopAutosave() {
    if (autosaveTimer) window.clearInterval(autosaveTimer);
    autosaveTimer = null;
  }

  function discardDraft(button) {
    const form = contactForm();
    if (!form) return;
    const body = new URLSearchParams({ discard: "1" });
    body.set("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    fetch(form.dataset.draftUrl, { method: "POST", body, credentials: "same-origin" });
    const offer = button.closest("#draft-offer");
    if (offer) offer.remove();
    focusInModal();
  }

  // --- Events ----------------------------------------------------------------------------
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.target.id !== "modal-content") return;
    const element = event.detail.elt;
    if (!modalElement().contains(element)) {
      opener = element;
      openerUrl = element.getAttribute("hx-get");
    }
    if (element.matches("form[data-draft-url]")) {
      // Saving: what is typed goes with the save, not to a draft.
      stopAutosave();
      dirty = false;
    }
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target.id !== "modal-content") return;
    labelDialog(target);
    const form = contactForm();
    if (form) {
      showTypeRules(form);
      // A form back with errors still holds what was typed: keep it as the draft.
      dirty = Boolean(firstInvalid(form));
      startAutosave();
    }
    if (!modalElement().classList.contains("show")) modal().show();
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    // A form swapped into an open modal (refused save, restored draft): focus once htmx has
    // settled it (an opening modal is focused when Bootstrap has shown it).
    if (event.detail.target.id === "modal-content") {
      if (modalElement().classList.contains("show")) focusInModal();
      return;
    }
    if (!pendingFocusUrl) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    const target = openerByUrl(pendingFocusUrl);
    if (target) target.focus();
  });

  document.addEventListener("DOMContentLoaded", () => {
    const element = modalElement();
    if (!element) return;
    element.addEventListener("shown.bs.modal", focusInModal);
    element.addEventListener("hide.bs.modal", () => {
      saveDraft({ keepalive: true });
      stopAutosave();
    });
    element.addEventListener("hidden.bs.modal", () => {
      returnFocus();
      // The table the opener was in may be reloaded after the modal closed (contactRecorded).
      pendingFocusUrl = openerUrl;
      window.setTimeout(() => { pendingFocusUrl = null; }, 3000);
    });
  });

  document.addEventListener("input", (event) => {
    if (event.target.closest && event.target.closest("#modal-content form[data-draft-url]")) dirty = true;
  });
  document.addEventListener("change", (event) => {
    const form = event.target.closest && event.target.closest("#modal-content form[data-draft-url]");
    if (!form) return;
    dirty = true;
    if (event.target.name === "contact_type") showTypeRules(form);
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-draft-discard]");
    if (button) discardDraft(button);
  });

  document.addEventListener("closeModal", () => modal().hide());

  // The confirmation of what was saved, in the page's live region.
  document.addEventListener("contactRecorded", (event) => {
    const message = event.detail && event.detail.message;
    const announcer = document.getElementById("announcer");
    if (!message || !announcer) return;
    const alert = document.createElement("div");
    alert.className = "alert alert-success alert-dismissible shadow mb-0";
    alert.textContent = message;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("aria-label", "Dismiss");
    close.addEventListener("click", () => alert.remove());
    alert.append(close);
    announcer.replaceChildren(alert);
  });
})();
