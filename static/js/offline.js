// Offline: the service worker, the offline notice, and the outbox. A cramp, a drink, a cramp-free night or an
// experiment's "Did it today" logged without a connection is kept on the phone (IndexedDB) and sent when the
// connection returns, even after the tab was closed. Each entry keeps the UUID its form was given (a "Did it today"
// its day), so sending it twice still saves it once.
(function () {
  "use strict";
  // Words through Django's JavaScript catalogue (its own script, loaded first); if it didn't load, English.
  const gettext = window.gettext || ((text) => text);
  const ngettext = window.ngettext || ((singular, plural, count) => (count === 1 ? singular : plural));
  const interpolate = window.interpolate || ((format, values) =>
    format.replace(/%\((\w+)\)s/g, (whole, name) => String(values[name])));
  const body = document.body;
  const user = body.dataset.user || "";
  const zone = body.dataset.zone || undefined;
  const STORE = "outbox";

  // The service worker ------------------------------------------------------------------------------------
  if ("serviceWorker" in navigator && window.isSecureContext && body.dataset.worker) {
    navigator.serviceWorker.register(body.dataset.worker, { scope: "/" }).catch(function () {});
    // Logged out (or logging in as someone else): forget the diary pages kept for reading offline.
    if (!user && location.pathname.startsWith("/accounts/")) {
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.active) { registration.active.postMessage("forget-pages"); }
      });
    }
  }

  function showNotice() {
    document.querySelectorAll("[data-offline-notice]").forEach(function (el) { el.hidden = navigator.onLine; });
  }
  window.addEventListener("offline", showNotice);
  window.addEventListener("online", function () { showNotice(); flush(); });
  showNotice();

  // The outbox (IndexedDB) -------------------------------------------------------------------------------------
  function withStore(mode, work) {
    return new Promise(function (resolve, reject) {
      const opening = indexedDB.open("cramp-diary", 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore(STORE, { keyPath: "uuid" }); };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        const db = opening.result;
        const transaction = db.transaction(STORE, mode);
        const request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(request && request.result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      };
    });
  }
  const outbox = {
    all: function () { return withStore("readonly", function (store) { return store.getAll(); }); },
    put: function (entry) { return withStore("readwrite", function (store) { return store.put(entry); }); },
    remove: function (uuid) { return withStore("readwrite", function (store) { return store.delete(uuid); }); },
  };
  function mine(entries) {
    return (entries || []).filter(function (entry) { return entry.user === user; })
      .sort(function (a, b) { return a.keptAt - b.keptAt; });
  }

  // The diary's local time now, as a datetime-local value, so an entry sent hours later keeps when it happened.
  function localNow() {
    let format;
    try {
      format = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    } catch (error) {
      format = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    }
    const part = {};
    format.formatToParts(new Date()).forEach(function (p) { part[p.type] = p.value; });
    return part.year + "-" + part.month + "-" + part.day + "T" + part.hour + ":" + part.minute;
  }

  function newUuid() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function csrfToken() {
    try { return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (error) { return ""; }
  }

  function say(text, failed) {
    const flashes = document.querySelector(".flashes");
    if (!flashes) { return; }
    const flash = document.createElement("p");
    flash.className = failed ? "flash flash-error" : "flash flash-success";
    flash.textContent = text;
    flashes.replaceChildren(flash);
  }

  // A one-tap detail of a cramp is kept under the cramp's UUID and the detail it sets, so a later tap on the same
  // detail replaces an earlier one, and it is sent after the cramp (the outbox sends in the order kept).
  // A tap that can count once a day ("Did it today") is kept under its own key and the day, so tapping again the
  // same day replaces it.
  function keyOf(form, data, submitter) {
    if (form.dataset.offlineKey) { return form.dataset.offlineKey + "/" + String(data.get("at")).slice(0, 10); }
    if (form.dataset.offline !== "detail") { return String(data.get("uuid")); }
    const cramp = form.dataset.cramp || "";
    const name = submitter ? submitter.name : "";
    return cramp + "/" + name + (name.startsWith("relief") ? "/" + submitter.value : "");
  }

  function keptSaying(entry) {
    // Translators: %(label)s is what was kept: "Cramp", "250 ml water", "No cramps last night".
    return interpolate(gettext("%(label)s kept on this phone. It will be sent when you're back online."),
      { label: entry.label }, true);
  }

  async function keep(form, submitter) {
    const data = submitter ? new FormData(form, submitter) : new FormData(form);
    data.delete("csrfmiddlewaretoken");
    const timed = form.dataset.offline !== "checkin" && form.dataset.offline !== "detail";
    if (timed && !data.get("at")) { data.set("at", localNow()); }
    const entry = {
      uuid: keyOf(form, data, submitter),
      user: user,
      kind: form.dataset.offline,
      label: form.dataset.offlineLabel || gettext("Entry"),
      url: form.action,
      fields: Array.from(data.entries()).filter(function (pair) { return typeof pair[1] === "string"; }),
      when: data.get("at") ? String(data.get("at")).replace("T", " ") : "",
      keptAt: Date.now(),
      problem: "",
    };
    try {
      await outbox.put(entry);
    } catch (error) {
      // Nothing is reset, so what the person entered is still on the screen to save later.
      say(gettext(
        "This phone couldn't keep the entry (its storage is off or full). Keep this page open and save again when you're back online."
      ), true);
      return;
    }
    if (entry.kind === "detail") {
      if (submitter) {
        submitter.closest(".chip-row").querySelectorAll("button").forEach(function (b) {
          if (!submitter.name.startsWith("relief")) { b.setAttribute("aria-pressed", "false"); }
        });
        submitter.setAttribute("aria-pressed", "true");
      }
      await render();
      return;
    }
    // A one-off tap's form gives way to words saying it was kept.
    if (form.dataset.offlineKept) {
      const kept = document.createElement("p");
      kept.className = "kept-offline";
      kept.setAttribute("role", "status");
      kept.textContent = form.dataset.offlineKept;
      form.replaceWith(kept);
      await render();
      say(keptSaying(entry));
      return;
    }
    // The form is ready for the next entry, which needs its own UUID.
    form.reset();
    if (form.elements.uuid) { form.elements.uuid.value = newUuid(); }
    const sheet = form.closest("details");
    if (sheet) { sheet.open = false; }
    if (entry.kind === "checkin") { form.closest("section").hidden = true; }
    await render();
    say(keptSaying(entry));
    if (entry.kind === "cramp") { showKeptCramp(entry.uuid); }
  }

  // A cramp kept offline gets the same one-tap rows as a saved one, sent after it.
  function showKeptCramp(uuid) {
    const template = document.getElementById("kept-cramp-card");
    const place = document.getElementById("today-body");
    if (!template || !place) { return; }
    place.querySelectorAll(".saved-card").forEach(function (card) { card.remove(); });
    const card = template.content.firstElementChild.cloneNode(true);
    const form = card.querySelector("form");
    form.action = form.getAttribute("action").replace("CRAMP-UUID", uuid);
    form.dataset.cramp = uuid;
    place.prepend(card);
    const heading = card.querySelector("h2");
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start" });
  }

  // Offline: keep the entry instead of sending it. Runs before htmx sees the submit (capture phase).
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-offline]");
    if (!form || !user || navigator.onLine || !window.indexedDB) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    keep(form, event.submitter);
  }, true);
  // "Online" but the request never arrived (a dead connection): keep it too; if it did arrive, the UUID makes
  // the later send harmless.
  document.addEventListener("htmx:sendError", function (event) {
    const form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-offline]");
    const config = event.detail.requestConfig || {};
    const submitter = config.triggeringEvent && config.triggeringEvent.submitter;
    if (form && user && window.indexedDB) { keep(form, submitter); }
    document.querySelectorAll("[data-offline-notice]").forEach(function (el) { el.hidden = false; });
  });

  // Sending ------------------------------------------------------------------------------------------------------
  async function send(entry) {
    const data = new URLSearchParams(entry.fields);
    data.set("csrfmiddlewaretoken", csrfToken());
    let response;
    try {
      response = await fetch(entry.url, {
        method: "POST", body: data, credentials: "same-origin", redirect: "manual",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
      });
    } catch (error) {
      return "stop";
    }
    if (response.ok) { return "sent"; }
    if (response.status === 400 || response.status === 404) {
      const answer = await response.json().catch(function () { return {}; });
      entry.problem = answer.message || gettext("It could not be saved.");
      await outbox.put(entry);
      return "refused";
    }
    return "stop"; // logged out, a stale form token or a server error: try again on the next page or reconnect
  }

  let flushing = false;
  async function flush() {
    if (flushing || !user || !navigator.onLine || !window.indexedDB) { return; }
    flushing = true;
    let sent = 0;
    try {
      const waiting = mine(await outbox.all()).filter(function (entry) { return !entry.problem; });
      for (const entry of waiting) {
        const outcome = await send(entry);
        if (outcome === "stop") { break; }
        if (outcome === "sent") { await outbox.remove(entry.uuid); sent += 1; }
      }
    } catch (error) {
      // IndexedDB unavailable (private browsing on some phones): nothing was kept, so nothing to send.
    } finally {
      flushing = false;
    }
    if (sent && document.getElementById("today-body") && window.htmx) {
      await window.htmx.ajax("GET", location.pathname, { target: "#today-body", swap: "outerHTML" });
    }
    await render();
    if (sent) {
      say(interpolate(ngettext("%(count)s entry sent from this phone.", "%(count)s entries sent from this phone.", sent),
        { count: sent }, true));
    }
  }

  // The "waiting to send" card on Today ---------------------------------------------------------------------------
  function shortWhen(when) {  // "08:13" today, "2026-11-20 03:05" on another day
    return when.slice(0, 10) === localNow().slice(0, 10) ? when.slice(11) : when;
  }

  async function render() {
    const card = document.querySelector("[data-pending]");
    if (!card || !window.indexedDB) { return; }
    let entries = [];
    try { entries = mine(await outbox.all()); } catch (error) { entries = []; }
    const list = card.querySelector("[data-pending-list]");
    list.replaceChildren();
    entries.forEach(function (entry) {
      const item = document.createElement("li");
      const what = document.createElement("strong");
      what.textContent = entry.label;
      item.append(what, entry.when ? " · " + shortWhen(entry.when) : "");
      const state = document.createElement("span");
      state.className = entry.problem ? "error" : "muted";
      state.textContent = entry.problem ? interpolate(gettext("Not saved: %(reason)s"), { reason: entry.problem }, true)
        : gettext("Waiting to send");
      item.append(" ", state);
      if (entry.problem) {
        const discard = document.createElement("button");
        discard.type = "button";
        discard.className = "small-btn";
        discard.dataset.discard = entry.uuid;
        discard.textContent = gettext("Remove");
        item.append(" ", discard);
      }
      list.append(item);
    });
    card.hidden = entries.length === 0;
  }
  document.addEventListener("click", function (event) {
    const discard = event.target.closest("[data-discard]");
    if (!discard) { return; }
    outbox.remove(discard.dataset.discard).then(render);
  });
  document.addEventListener("htmx:afterSwap", function () { render(); });

  // The service worker kept (or sent) a "No cramps" answered from a reminder: show the outbox as it is now, and Today's
  // body with the check-in.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data !== "outbox-changed") { return; }
      render().then(flush).then(function () {
        if (document.getElementById("today-body") && window.htmx && navigator.onLine) {
          window.htmx.ajax("GET", location.pathname, { target: "#today-body", swap: "outerHTML" });
        }
      });
    });
  }

  if (window.indexedDB && user) { render().then(flush); }
})();
