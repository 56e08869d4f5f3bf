{% autoescape off %}// Cramp Diary's service worker. Its bytes change with the static files' version, so a new deployment installs
// a new worker, which fills new caches and removes the old ones.
"use strict";
const CONFIG = {{ config }};
const SHELL = "shell-" + CONFIG.version;
const PAGES = "pages-" + CONFIG.version;
const PAGE_LIMIT = 40;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll(CONFIG.shell)).then(() => self.skipWaiting())
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

async function page(request) {
  try {
    const response = await fetch(request);
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

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});
{% endautoescape %}
