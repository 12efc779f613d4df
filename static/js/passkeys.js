// Passkeys (WebAuthn, accounts/passkeys.py): adding one on the account page
// (form[data-passkey-register]) and using one instead of the code at login
// (section[data-passkey-verify]). Each ceremony is two requests: the server's options, the
// browser's navigator.credentials call, the signed answer back. Options and answers travel as
// the WebAuthn JSON forms (Level 3 §5.1.8, §5.5): binary values as base64url strings, decoded
// here by hand rather than with PublicKeyCredential.parse*FromJSON, which older browsers lack.
// Where the browser has no WebAuthn, the forms stay hidden and the code is the way in.
(() => {
  // Too many failures (django-axes' answer, or ours before a ceremony starts): the code page,
  // loaded again, says so and ends the session.
  const LOCKED_OUT = 429;

  function bytes(base64url) {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function base64url(buffer) {
    const text = String.fromCharCode(...new Uint8Array(buffer));
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map((item) => ({ ...item, id: bytes(item.id) }));
  }

  function creationOptions(options) {
    const publicKey = options.publicKey;
    return {
      ...publicKey,
      challenge: bytes(publicKey.challenge),
      user: { ...publicKey.user, id: bytes(publicKey.user.id) },
      excludeCredentials: descriptors(publicKey.excludeCredentials),
    };
  }

  function requestOptions(options) {
    const publicKey = options.publicKey;
    return {
      ...publicKey,
      challenge: bytes(publicKey.challenge),
      allowCredentials: descriptors(publicKey.allowCredentials),
    };
  }

  // A credential in the WebAuthn JSON form (Level 3 §5.1.8): the fields both ceremonies
  // share, and those of the ceremony's own response.
  function credentialJSON(credential, response) {
    return {
      id: credential.id,
      rawId: base64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: base64url(credential.response.clientDataJSON), ...response },
    };
  }

  function registrationJSON(credential) {
    const response = credential.response;
    return credentialJSON(credential, {
      attestationObject: base64url(response.attestationObject),
      transports: response.getTransports ? response.getTransports() : [],
    });
  }

  function assertionJSON(credential) {
    const response = credential.response;
    return credentialJSON(credential, {
      authenticatorData: base64url(response.authenticatorData),
      signature: base64url(response.signature),
      userHandle: response.userHandle ? base64url(response.userHandle) : undefined,
    });
  }

  // POST JSON with the page's CSRF token; the answer's JSON, with its status.
  async function post(url, body) {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": token,
      },
      body: JSON.stringify(body || {}),
    });
    let data = {};
    try {
      data = await response.json();
    } catch {
      data = { detail: "The server did not answer as expected. Try again." };
    }
    return { ok: response.ok, status: response.status, data };
  }

  // The browser's own refusals: the person cancelled, or the authenticator said no.
  function browserMessage(error) {
    if (error && error.name === "NotAllowedError") {
      return "Cancelled, or the passkey was not allowed. Try again.";
    }
    if (error && error.name === "InvalidStateError") {
      return "This passkey is already registered.";
    }
    return "The browser could not use a passkey here.";
  }

  // One ceremony: options, the browser's call, the answer back; the status line says how it
  // went, and the button stays off while it runs.
  async function ceremony({ container, button, browserCall, answer: answerBody, complete }) {
    const status = container.querySelector("[data-passkey-status]");
    button.disabled = true;
    status.textContent = "Waiting for your passkey…";
    try {
      const options = await post(container.dataset.beginUrl);
      if (options.status === LOCKED_OUT) {
        window.location.reload();
        return;
      }
      if (!options.ok) {
        status.textContent = options.data.detail || "Try again.";
        return;
      }
      let credential;
      try {
        credential = await browserCall(options.data);
      } catch (error) {
        status.textContent = browserMessage(error);
        return;
      }
      const answer = await post(complete(), answerBody(credential));
      if (answer.status === LOCKED_OUT) {
        window.location.reload();
        return;
      }
      if (answer.ok && answer.data.redirect) {
        window.location.assign(answer.data.redirect);
        return;
      }
      status.textContent = answer.data.detail || "Try again.";
    } finally {
      button.disabled = false;
    }
  }

  function setUpRegistration(form) {
    const button = form.querySelector("button[type=submit]");
    form.hidden = false;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      ceremony({
        container: form,
        button,
        browserCall: (options) =>
          navigator.credentials.create({ publicKey: creationOptions(options) }),
        answer: (credential) => ({
          credential: registrationJSON(credential),
          name: form.querySelector("input[name=name]").value,
        }),
        complete: () => form.dataset.completeUrl,
      });
    });
  }

  function setUpVerification(section) {
    const button = section.querySelector("[data-passkey-button]");
    section.hidden = false;
    button.addEventListener("click", () => {
      const remember = document.querySelector("input[name=remember]");
      const next = document.querySelector("input[name=next]");
      ceremony({
        container: section,
        button,
        browserCall: (options) => navigator.credentials.get({ publicKey: requestOptions(options) }),
        answer: (credential) => ({
          credential: assertionJSON(credential),
          remember: Boolean(remember && remember.checked),
        }),
        complete: () => {
          const url = new URL(section.dataset.completeUrl, window.location.origin);
          if (next && next.value) url.searchParams.set("next", next.value);
          return url.pathname + url.search;
        },
      });
    });
  }

  function start() {
    if (!window.PublicKeyCredential || !navigator.credentials) return;
    document.querySelectorAll("form[data-passkey-register]").forEach(setUpRegistration);
    document.querySelectorAll("[data-passkey-verify]").forEach(setUpVerification);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
