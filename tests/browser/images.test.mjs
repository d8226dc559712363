// Photos in replies (issue 19): Alice, at the Sous-préfecture, answers the demo's thread
// « La nouvelle affiche du hall d'accueil » in accueil (hosted by the Mairie) with a photo
// taken by a phone (a JPEG carrying an EXIF block with a GPS position, made in the test). Without
// its description she is told so next to the field and nothing is posted; with it, the photo
// shows with its size and alt text. Chloé, at the CHU, sees it on her own node, and the bytes
// her node serves carry no EXIF. Both themes, on a desktop (1280 px) and a phone (390 px), with
// the axe audit on each page.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { DESKTOP, NODES, checkA11y, login, openPage, visitUntil } from './lib.mjs';

const [pref, mairie, chu] = NODES;
const ACCUEIL = `accueil@${new URL(mairie.url).host}`;
const THREAD = "La nouvelle affiche du hall d'accueil";
const PHONE_390 = { width: 390, height: 844 };
const EXIF = Buffer.from('Exif\0\0', 'latin1');

// A JPEG drawn by the browser's canvas, with an EXIF APP1 block (GPSLatitudeRef N,
// GPSLatitude 48° 51' 24.12") put after its SOI marker, as a phone writes it.
async function photoWithGps(page) {
  const b64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 240;
    const g = c.getContext('2d');
    g.fillStyle = '#00008f';
    g.fillRect(0, 0, 320, 60);
    g.fillStyle = '#f5f5f0';
    g.fillRect(0, 60, 320, 180);
    return c.toDataURL('image/jpeg', 0.9).split(',')[1];
  });
  const jpeg = Buffer.from(b64, 'base64');
  const tiff = Buffer.from([
    0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8,
    0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0,
    0, 2, 0, 1, 0, 2, 0, 0, 0, 2, 0x4e, 0, 0, 0,
    0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 56, 0, 0, 0, 0,
    0, 0, 0, 48, 0, 0, 0, 1, 0, 0, 0, 51, 0, 0, 0, 1, 0, 0, 9, 108, 0, 0, 0, 100,
  ]);
  const len = 2 + EXIF.length + tiff.length;
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, len >> 8, len & 0xff]), EXIF, tiff]);
  const out = Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
  assert.ok(out.includes(EXIF), 'the fixture carries EXIF');
  return { name: 'affiche.jpg', mimeType: 'image/jpeg', buffer: out };
}

async function openThread(page, node) {
  await visitUntil(page, `${node.url}/communities/${ACCUEIL}`, `accueil on ${node.name}`,
    () => page.getByRole('link', { name: THREAD }), 'the demo thread with a photo');
  await page.getByRole('link', { name: THREAD }).first().click();
  await page.waitForLoadState();
}

for (const scheme of ['light', 'dark']) {
  for (const viewport of [DESKTOP, PHONE_390]) {
    const at = `${viewport.width} px, ${scheme === 'light' ? 'thème clair' : 'thème sombre'}`;
    const open = async (t) => {
      const page = await openPage(t, { viewport });
      await page.emulateMedia({ colorScheme: scheme });
      // A photo still loading when the page is left (a reload while waiting for another
      // node) is aborted by the browser: not a fault. Any other failure still counts.
      const keep = page.problems.push.bind(page.problems);
      page.problems.push = (...items) => keep(...items.filter((p) => !/\/images\/\d+: net::ERR_ABORTED$/.test(p)));
      return page;
    };

    test(`alice answers with a photo and chloe sees it on her node, without EXIF (${at})`, async (t) => {
      const words = `Notre affiche ${randomBytes(3).toString('hex')}`;
      const alt = `Affiche bleue de la sous-préfecture (${words})`;
      const alice = await open(t);
      await login(alice, pref.url, 'alice');
      await openThread(alice, pref);
      // The demo's photo shows with its size, before it loads: no layout shift.
      const seeded = alice.locator('.post-images img').first();
      assert.ok(await seeded.getAttribute('width') && await seeded.getAttribute('height'));
      assert.match(await seeded.getAttribute('alt'), /Affiche bleue et blanche/);
      await checkA11y(alice, `thread with a photo (alice, ${at})`);

      // Without a description: the French refusal next to its field, nothing posted.
      const file = await photoWithGps(alice);
      await alice.getByRole('textbox', { name: 'Message', exact: true }).last().fill(words);
      await alice.getByLabel('Photo 1', { exact: true }).setInputFiles(file);
      await Promise.all([alice.waitForEvent('framenavigated'), alice.getByRole('button', { name: 'Publier' }).click()]);
      await alice.waitForLoadState();
      const error = alice.locator('#alt1-error');
      assert.match(await error.innerText(), /Décrivez la photo en quelques mots/);
      assert.equal(await alice.getByLabel(/Description de la photo 1/).getAttribute('aria-invalid'), 'true');
      assert.equal(await alice.locator('.post-body', { hasText: words }).count(), 0, 'nothing posted');
      await checkA11y(alice, `photo without a description (alice, ${at})`);

      // With it: published, shown with its description and its size.
      assert.equal(await alice.getByRole('textbox', { name: 'Message', exact: true }).last().inputValue(), words, 'the text is kept');
      await alice.getByLabel('Photo 1', { exact: true }).setInputFiles(file);
      await alice.getByLabel(/Description de la photo 1/).fill(alt);
      await Promise.all([alice.waitForEvent('framenavigated'), alice.getByRole('button', { name: 'Publier' }).click()]);
      await alice.waitForLoadState();
      const mine = alice.getByRole('img', { name: alt });
      await mine.waitFor();
      assert.equal(await mine.getAttribute('width'), '320');
      assert.equal(await mine.getAttribute('height'), '240');
      assert.equal(await mine.getAttribute('loading'), 'lazy');
      await checkA11y(alice, `reply with a photo (alice, ${at})`);

      // Chloé, at the CHU: the photo through her own node, once the host announced the reply.
      const chloe = await open(t);
      await login(chloe, chu.url, 'chloe');
      await openThread(chloe, chu);
      await visitUntil(chloe, chloe.url().split('#')[0], `thread on the CHU (chloe, ${at})`,
        () => chloe.getByRole('img', { name: alt }), 'the photo with its description');
      const img = chloe.getByRole('img', { name: alt });
      await img.scrollIntoViewIfNeeded();
      await chloe.waitForFunction((a) => {
        const i = [...document.images].find((x) => x.alt === a);
        return i && i.complete && i.naturalWidth > 0;
      }, alt);
      const src = await img.getAttribute('src');
      assert.match(src, /^\/images\/\d+$/, 'served by her node, never hotlinked');
      const res = await chloe.request.get(`${chu.url}${src}`);
      assert.equal(res.status(), 200);
      assert.equal(res.headers()['content-type'], 'image/jpeg');
      const bytes = await res.body();
      assert.ok(bytes.length > 100, 'an image');
      assert.ok(!bytes.includes(EXIF), 'no EXIF block in what her node serves');
      await checkA11y(chloe, `photo seen on the third node (chloe, ${at})`);
    });
  }
}
