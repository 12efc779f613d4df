// The idle logoff warning (WCAG 2.2.1 Timing Adjustable). A session ends after
// SESSION_IDLE_MINUTES without a request (accounts/middleware.py); this many seconds before,
// the dialog of templates/accounts/_idle_warning.html offers to stay signed in. Its button
// renews the session (accounts:keep_alive) and the countdown restarts; so does any htmx
// request, from the seconds left that every response reports (X-Session-Idle-Seconds). When
// time runs out the page goes to the login page, not leaving a client's record on the screen.
// The deadline is shared with the user's other tabs (localStorage), so activity in one tab
// keeps the others from warning or leaving.
(() => {
  const STORAGE_KEY = "casework.idle.deadline";
  const HEADER = "X-Session-Idle-Seconds";
  let dialog = null;
  let deadline = 0;
  let timer = null;
  let returnFocus = null;

  function warningSeconds() {
    return Number(dialog.dataset.warningSeconds);
  }

  function show() {
    if (dialog.hidden) {
      returnFocus = document.activeElement;
      dialog.hidden = false;
      dialog.querySelector("#idle-warning-stay").focus();
    }
  }

  function hide() {
    if (!dialog.hidden) {
      dialog.hidden = true;
      if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
      returnFocus = null;
    }
  }

  function signOut() {
    const next = window.location.pathname + window.location.search;
    window.location.assign(`${dialog.dataset.loginUrl}?next=${encodeURIComponent(next)}`);
  }

  function tick() {
    const left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) {
      signOut();
      return;
    }
    if (left <= warningSeconds()) {
      const minutes = Math.floor(left / 60);
      const seconds = left % 60;
      dialog.querySelector(".idle-warning-countdown").textContent =
        minutes > 0 ? `${minutes} min ${String(seconds).padStart(2, "0")} s` : `${seconds} seconds`;
      show();
    } else {
      hide();
    }
    // Every second while the warning shows (its countdown), else once it is due.
    const untilWarning = deadline - warningSeconds() * 1000 - Date.now();
    timer = window.setTimeout(tick, untilWarning > 0 ? untilWarning : 1000);
  }

  function restart(secondsLeft, share = true) {
    if (!Number.isFinite(secondsLeft)) return;
    deadline = Date.now() + secondsLeft * 1000;
    if (share) {
      try {
        window.localStorage.setItem(STORAGE_KEY, String(deadline));
      } catch (error) {
        // Storage refused (private mode): this tab keeps its own countdown.
      }
    }
    window.clearTimeout(timer);
    tick();
  }

  async function stay() {
    const response = await fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": dialog.dataset.csrfToken },
      credentials: "same-origin",
    });
    if (!response.ok) {
      signOut();
      return;
    }
    const body = await response.json();
    restart(Number(body.seconds_left));
  }

  document.addEventListener("DOMContentLoaded", () => {
    dialog = document.getElementById("idle-warning");
    if (!dialog) return;
    dialog.querySelector("#idle-warning-stay").addEventListener("click", stay);
    // The dialog is modal: Tab stays on its one button, Escape is "stay" too.
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "Tab") {
        event.preventDefault();
        dialog.querySelector("#idle-warning-stay").focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        stay();
      }
    });
    document.addEventListener("htmx:afterRequest", (event) => {
      const xhr = event.detail.xhr;
      const left = xhr && xhr.getResponseHeader(HEADER);
      if (left !== null && left !== undefined && left !== "") restart(Number(left));
    });
    window.addEventListener("storage", (event) => {
      if (event.key === STORAGE_KEY && Number(event.newValue) > deadline) {
        restart((Number(event.newValue) - Date.now()) / 1000, false);
      }
    });
    restart(Number(dialog.dataset.secondsLeft));
  });
})();
