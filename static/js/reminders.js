// More -> Reminders: subscribe this phone to Web Push. The permission is asked from the person's tap (iPhones
// require that, and other browsers ignore asks that come from nowhere). The subscription goes to the server whole.
(function () {
  "use strict";
  // Words through Django's JavaScript catalogue (loaded before this script); English if it did not load.
  const gettext = window.gettext || ((s) => s);
  const card = document.querySelector("[data-push-card]");
  if (!card) { return; }
  const status = card.querySelector("[data-push-status]");

  function show(selector, visible) {
    card.querySelectorAll(selector).forEach(function (el) { el.hidden = !visible; });
  }
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  function keyBytes(base64url) {
    const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4);
    return Uint8Array.from(atob(padded), function (c) { return c.charCodeAt(0); });
  }

  // iPadOS Safari says it is a Mac; its touch screen gives it away.
  const ios = /iPhone|iPad|iPod/.test(navigator.userAgent) || (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1);
  if (ios) { show("[data-ios-note]", true); }
  const able = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window && window.isSecureContext;
  if (!able) { show("[data-push-unsupported]", !ios); return; }

  async function send(subscription) {
    const response = await fetch(card.dataset.addUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(subscription.toJSON ? subscription.toJSON() : subscription),
    });
    const answer = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      const refused = new Error(answer.message || gettext("The diary could not save this phone. Try again in a few minutes."));
      refused.fromDiary = true;
      throw refused;
    }
    return answer;
  }

  // What went wrong, in words a person can act on. The browser's own messages ("Registration failed - permission
  // denied") name its machinery, not what to do.
  function inWords(error) {
    if (error && error.fromDiary) {
      return gettext("This phone could not be set up for reminders.") + " " + error.message;
    }
    const name = error && error.name;
    if (name === "NotAllowedError") {
      return gettext(
        "This phone did not let the diary show notifications, so nothing was set up. In the browser's settings for this site, allow notifications, then tap the button again. Or choose “By email” below.");
    }
    if (name === "TypeError" || name === "NetworkError") {
      return gettext(
        "The diary could not be reached, so nothing was set up. Check that you are online, then tap the button again.");
    }
    return gettext(
      "This phone's notification service did not answer, so nothing was set up. Try again in a few minutes, or choose “By email” below.");
  }

  function ready() {
    return navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription().then(function (subscription) {
        return { registration: registration, subscription: subscription };
      });
    });
  }

  function offer() {
    const denied = Notification.permission === "denied";
    show("[data-push-denied]", denied);
    show("[data-push-subscribe]", !denied);
    show("[data-push-subscribe-help]", !denied && Notification.permission !== "granted");
  }

  ready().then(function (found) {
    if (found.subscription && Notification.permission === "granted") {
      show("[data-push-on]", true);
      send(found.subscription).catch(function () {});  // keeps the server's list in step with this phone
    } else {
      offer();
    }
  });

  card.addEventListener("click", async function (event) {
    const button = event.target.closest("[data-push-subscribe]");
    if (!button) { return; }
    button.disabled = true;
    status.textContent = gettext("Asking your phone…");
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        status.textContent = "";
        show("[data-push-denied]", permission === "denied");
        status.textContent = permission === "denied" ? "" : gettext("Nothing changed: the phone was not allowed to show reminders.");
        button.disabled = false;
        return;
      }
      const found = await ready();
      const subscription = found.subscription || await found.registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(card.dataset.publicKey),
      });
      await send(subscription);
      status.textContent = gettext("Done: this phone will get your reminders.");
      location.reload();
    } catch (error) {
      status.textContent = inWords(error);
      button.disabled = false;
    }
  });
})();
