// The service worker of the installable app. It keeps the shell (style, icons, the offline
// page) so that a lost connection shows a French page saying so rather than the browser's
// error; it never stores the agent's pages (a shared computer must not keep them). It shows
// pushes: a title and a link to the node, nothing else.
const SHELL = 'entrepairs-shell-v1';
const FILES = ['/offline', '/static/style.css', '/static/icon.svg', '/static/icon-192.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => caches.match('/offline')));
  } else if (FILES.includes(url.pathname)) {
    event.respondWith(fetch(request).catch(() => caches.match(request)));
  }
});

self.addEventListener('push', (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (_) { data = {}; }
  const title = typeof data.title === 'string' ? data.title : 'Nouvelle notification';
  let link = '/notifications';
  try {
    const target = new URL(data.link, self.location.origin);
    if (target.origin === self.location.origin) link = target.href;
  } catch (_) { /* keep the notifications page */ }
  event.waitUntil(self.registration.showNotification(title, {
    data: { link },
    icon: '/static/icon-192.png',
    badge: '/static/icon-192.png',
    lang: 'fr',
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const link = (event.notification.data && event.notification.data.link) || '/notifications';
  event.waitUntil(self.clients.openWindow(link));
});
