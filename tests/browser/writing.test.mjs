// Writing without knowing Markdown (issue 19): Alice, at the Sous-préfecture, writes a thread
// in accueil (hosted by the Mairie) with the toolbar's shortcuts and the keyboard only,
// previews it, mentions Chloé of the CHU by completion and thanks it; Chloé, on the third
// node, sees the mention and the count. On a desktop and on a phone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESKTOP, NODES, checkA11y, login, openPage, visitUntil } from './lib.mjs';

const [pref, mairie, chu] = NODES;
const ACCUEIL = `accueil@${new URL(mairie.url).host}`;

for (const [label, viewport] of [['1280', DESKTOP], ['390', { width: 390, height: 844 }]]) {
  test(`alice writes with the toolbar and chloe sees the mention and the thanks (${label} px)`, async (t) => {
    const title = `Horaires d'été ${label} ${Date.now()}`;
    const page = await openPage(t, { viewport });
    await login(page, pref.url, 'alice');
    await page.goto(`${pref.url}/communities/${ACCUEIL}`);
    await page.getByRole('textbox', { name: 'Titre', exact: true }).fill(title);

    const body = page.getByRole('textbox', { name: 'Message', exact: true });
    const toolbar = page.getByRole('toolbar', { name: 'Mise en forme' });
    assert.ok(await toolbar.isVisible(), 'the toolbar is shown over the text area');
    await checkA11y(page, `new thread with the toolbar (${label})`);

    // The keyboard only: Tab from the title reaches the tabs, the toolbar, then the text.
    await page.getByRole('textbox', { name: 'Titre', exact: true }).focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Écrire');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Gras (Ctrl+B)');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Italique (Ctrl+I)');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'body');

    await page.keyboard.type('Bonjour, ');
    await page.keyboard.press('Control+B');
    await page.keyboard.type('important');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- guichet');
    await page.keyboard.press('Enter');
    await page.keyboard.type('téléphone');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Merci @chlo');
    const option = page.getByRole('option', { name: /Chloé Dubois/ });
    await option.waitFor();
    await checkA11y(page, `mention proposed (${label})`);
    await page.keyboard.press('Enter');
    const text = await body.inputValue();
    assert.match(text, /\*\*important\*\*/);
    assert.match(text, /- guichet\n- téléphone\n/, 'the list continued on Enter');
    assert.match(text, new RegExp(`@chloe@${new URL(chu.url).host.replace(/[.]/g, '\\.')} $`), 'the federated form');

    // Preview, from the keyboard: back to the tabs, arrow to « Aperçu ».
    await page.getByRole('tab', { name: 'Écrire' }).focus();
    await page.keyboard.press('ArrowRight');
    const preview = page.getByRole('tabpanel', { name: 'Aperçu' });
    await preview.locator('strong').waitFor();
    assert.equal(await preview.locator('strong').innerText(), 'important');
    assert.equal(await preview.locator('li').count(), 2);
    await checkA11y(page, `preview (${label})`);
    await page.keyboard.press('ArrowLeft');

    await page.getByRole('button', { name: 'Publier' }).focus();
    await Promise.all([page.waitForEvent('framenavigated'), page.keyboard.press('Enter')]);
    await page.waitForLoadState();
    // On a member's node the thread shows once the host has announced it back.
    await visitUntil(page, `${pref.url}/communities/${ACCUEIL}`, `community after publishing (${label})`,
      () => page.getByRole('link', { name: title }), 'the new thread');
    await page.getByRole('link', { name: title }).click();
    await page.waitForLoadState();
    const thanks = page.getByRole('button', { name: /^Merci 0/ }).first();
    await thanks.focus();
    await Promise.all([page.waitForEvent('framenavigated'), page.keyboard.press('Enter')]);
    await page.waitForLoadState();
    // Counted by the community's host, then shown on alice's node once it announced it.
    await visitUntil(page, page.url().split('#')[0], `thread thanked (${label})`,
      () => page.getByRole('button', { name: /^Merci 1/ }), 'the count');

    // Chloé, at the CHU: the thread with her mention and the count, once the host announced.
    const chloe = await openPage(t, { viewport });
    await login(chloe, chu.url, 'chloe');
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await chloe.goto(`${chu.url}/communities/${ACCUEIL}`);
      const link = chloe.getByRole('link', { name: title });
      if (await link.count()) {
        await link.click();
        await chloe.waitForLoadState();
        found = await chloe.getByRole('button', { name: /^Merci 1/ }).count() > 0;
      }
      if (!found) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(found, 'the thread and its count reached the third node');
    // The mention reads as a name, without the institution's address.
    assert.match(await chloe.locator('.post-body').first().innerText(), /Merci @chloe\b/);
    assert.ok(!/@chloe@/.test(await chloe.locator('.post-body').first().innerText()));
    await chloe.getByText('Qui a réagi ?').first().click();
    assert.ok(await chloe.getByText(/Merci : alice/i).first().isVisible(), 'who thanked, on demand');
    await checkA11y(chloe, `thread seen on the third node (${label})`);
  });
}
