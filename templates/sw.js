{% autoescape off %}// Cramp Diary's service worker. Its bytes change with the static files' version, so a new deployment installs
// a new worker, which fills new caches and removes the old ones.
"use strict";
const CONFIG = {{ config }};
// The language is in the caches' names too: pages kept in another language are dropped when it changes.
const SHELL = "shell-" + CONFIG.version + "-" + CONFIG.language;
const PAGES = "pages-" + CONFIG.version + "-" + CONFIG.language;
const WORDS = CONFIG.words;
const PAGE_LIMIT = 40;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll([...CONFIG.shell, CONFIG.catalog])).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== SHELL && name !== PAGES).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  // A logged-out page asks for the diary pages kept for offline reading to be forgotten.
  if (event.data === "forget-pages") { event.waitUntil(caches.delete(PAGES)); }
});

function keepable(request, response) {
  if (!response || response.status !== 200 || response.type !== "basic") { return false; }
  const path = new URL(request.url).pathname;
  if (CONFIG.never_cache.some((prefix) => path.startsWith(prefix))) { return false; }
  if (/no-store/.test(response.headers.get("Cache-Control") || "")) { return false; }
  return (response.headers.get("Content-Type") || "").startsWith("text/html");
}

async function trim(cache) {
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - PAGE_LIMIT)).map((key) => cache.delete(key)));
}

// Back and Forward ask the browser for its own copy of a page, however old (with or without this worker, Chrome
// showed Today as it first arrived, before the drinks added on it). Online, a page always comes from the server:
// the same request, told to skip the browser's copy. Its redirects go back to the browser to follow.
function fromServer(request) {
  return new Request(request.url, {
    method: "GET", headers: request.headers, credentials: "same-origin", redirect: "manual",
    cache: "no-cache", referrer: request.referrer, referrerPolicy: request.referrerPolicy,
  });
}

async function page(request) {
  try {
    const response = await fetch(fromServer(request));
    if (keepable(request, response)) {
      const cache = await caches.open(PAGES);
      await cache.delete(request);
      await cache.put(request, response.clone());
      trim(cache);
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request, { cacheName: PAGES });
    return kept || (await caches.match(CONFIG.offline, { cacheName: SHELL })) || Response.error();
  }
}

async function staticFile(request) {
  const kept = await caches.match(request);
  if (kept) { return kept; }
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL);
    cache.put(request, response.clone());
  }
  return response;
}

// The scripts' words (Django's JavaScript catalogue) change with a deployment's translations, not with the static
// files: online they come from the server, offline from the copy kept, so the offline page still has them.
async function catalog(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(SHELL);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    return (await caches.match(request, { cacheName: SHELL })) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(staticFile(request));
  } else if (url.pathname.startsWith(CONFIG.catalogs) && url.pathname.endsWith(".js")) {
    event.respondWith(catalog(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});
// Reminders (tracker/reminders/) -------------------------------------------------------------------------------
// Every push shows a notification (browsers take the permission back from silent ones). The morning one offers
// "No cramps" and "I had cramps"; a plain tap or "I had cramps" opens Today with the cramp sheet at 3 a.m. last night.
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = { body: event.data.text() }; }
  const options = {
    body: data.body || WORDS.open_diary,
    tag: data.tag || "reminder",
    icon: CONFIG.icon,
    badge: CONFIG.icon,
    data: data,
    actions: data.checkin ? [{ action: "no-cramps", title: WORDS.no_cramps }, { action: "cramps", title: WORDS.had_cramps }] : [],
  };
  event.waitUntil(self.registration.showNotification(data.title || WORDS.brand, options));
});

async function openDiary(path) {
  const url = new URL(path || "/", self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if ("focus" in client) {
      await client.focus();
      return client.navigate ? client.navigate(url) : client;
    }
  }
  return self.clients.openWindow(url);
}

// "No cramps" goes through the outbox, like a check-in made offline: kept in IndexedDB under its own UUID until
// the server has it (this worker sends it now; Today's page sends whatever is still waiting when it next opens).
function outboxPut(entry) {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open("cramp-diary", 1);
    opening.onupgradeneeded = () => { opening.result.createObjectStore("outbox", { keyPath: "uuid" }); };
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const transaction = db.transaction("outbox", "readwrite");
      if (entry.remove) { transaction.objectStore("outbox").delete(entry.uuid); } else { transaction.objectStore("outbox").put(entry); }
      transaction.oncomplete = () => { db.close(); resolve(); };
      transaction.onerror = () => { db.close(); reject(transaction.error); };
    };
  });
}

async function tellPages() {
  const windows = await self.clients.matchAll({ type: "window" });
  windows.forEach((client) => client.postMessage("outbox-changed"));
}

async function answerNoCramps(data) {
  const uuid = self.crypto.randomUUID();
  const entry = {
    uuid: uuid, user: data.user, kind: "checkin", label: WORDS.no_cramps_label, url: data.checkin.url,
    fields: [["uuid", uuid], ["night", data.night], ["token", data.checkin.token]],
    when: "", keptAt: Date.now(), problem: "",
  };
  await outboxPut(entry);
  let said = WORDS.kept;
  try {
    const response = await fetch(entry.url, {
      method: "POST", body: new URLSearchParams(entry.fields), credentials: "same-origin",
      headers: { "Accept": "application/json" },
    });
    const answer = await response.json().catch(() => ({}));
    if (response.ok) {
      await outboxPut({ uuid: uuid, remove: true });
      said = answer.message || WORDS.noted;
    } else if (response.status === 400 || response.status === 404) {
      entry.problem = answer.message || WORDS.not_saved_reason;
      await outboxPut(entry);
      said = WORDS.not_saved.replace("%(reason)s", entry.problem);
    }
  } catch (error) {
    // No connection: the entry waits in the outbox.
  }
  await tellPages();
  await self.registration.showNotification(WORDS.brand, { body: said, tag: data.tag, icon: CONFIG.icon, data: { url: "/" } });
}

self.addEventListener("notificationclick", (event) => {
  const data = event.notification.data || {};
  event.notification.close();
  // "I had cramps" opens the cramp form for that night (the reminder email's link too); a plain tap opens Today.
  let work;
  if (event.action === "no-cramps" && data.checkin) {
    work = answerNoCramps(data);
  } else if (event.action === "cramps" && data.cramps_url) {
    work = openDiary(data.cramps_url);
  } else {
    work = openDiary(data.url);
  }
  // A click the browser made can keep this worker alive until the work is done (an event made by a script can't).
  if (event.isTrusted) { event.waitUntil(work); }
});
{% endautoescape %}
