// The service worker of the installable app. It keeps one page, the French offline page
// (self-contained: its style is inline), and shows it when a navigation finds no network,
// rather than the browser's error; it never stores the agent's pages (a shared computer must
// not keep them) and leaves every other request to the network. It shows pushes: a title and
// a link to the node, nothing else.
const SHELL = 'entrepairs-shell-v1';
const OFFLINE = '/offline';

self.addEventListener('install', (event) => {
  // Where the browser knows static routes, requests other than navigations never wake this
  // worker: pages load exactly as without it.
  try {
    if (event.addRoutes) {
      event.addRoutes({ condition: { not: { requestMode: 'navigate' } }, source: 'network' }).catch(() => {});
    }
  } catch (_) { /* an older browser: the fetch handler below lets them through */ }
  event.waitUntil(caches.open(SHELL).then((cache) => cache.add(OFFLINE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== SHELL).map((k) => caches.delete(k)))),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || request.mode !== 'navigate') return;
  event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
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
