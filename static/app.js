// The installable app: on « Mes appareils », where the manifest is linked, registers the
// service worker (offline page, push notifications) where the browser has them. Pages work
// the same without it.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
  });
}
