// « Recevoir les notifications sur cet appareil »: shown only where the browser can receive
// pushes. Nothing is asked before the click: then the browser asks for permission, subscribes
// with the node's VAPID key, and the subscription is posted as an ordinary form.
(() => {
  const form = document.getElementById('push-subscribe');
  if (!form) return;
  const status = document.getElementById('push-status');
  const button = form.querySelector('button[type=submit]');
  form.hidden = false;
  const say = (text) => { status.textContent = text; };
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    button.disabled = true;
    say(form.dataset.unsupported);
    return;
  }
  const label = form.elements.label;
  if (!label.value) label.value = guessLabel();
  const key = (b64) => {
    const s = atob((b64 + '='.repeat((4 - (b64.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') { say(form.dataset.denied); button.disabled = false; return; }
      await navigator.serviceWorker.register('/sw.js');
      const registration = await navigator.serviceWorker.ready;
      let sub = await registration.pushManager.getSubscription();
      if (!sub) {
        sub = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: key(form.dataset.key),
        });
      }
      const json = sub.toJSON();
      form.elements.endpoint.value = json.endpoint;
      form.elements.p256dh.value = json.keys.p256dh;
      form.elements.auth.value = json.keys.auth;
      form.submit();
    } catch (_) {
      say(form.dataset.failed);
      button.disabled = false;
    }
  });
  function guessLabel() {
    const ua = navigator.userAgent;
    const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox'
      : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Navigateur';
    const system = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS'
      : /Windows/.test(ua) ? 'Windows' : /Mac OS/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
    return system ? browser + ' · ' + system : browser;
  }
})();
