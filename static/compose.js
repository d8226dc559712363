// Writing aids over every text area marked data-compose: a formatting toolbar that writes
// plain Markdown (Ctrl+B, Ctrl+I, Ctrl+K; lists continue on Enter), an « Aperçu » tab
// rendered by the server with the publishing rules, and mention completion after « @ ».
// Without this script the text area works as it is.
(() => {
  'use strict';
  const en = (document.documentElement.lang || 'fr').startsWith('en');
  const L = en ? {
    write: 'Write', preview: 'Preview', modes: 'Writing mode', toolbar: 'Formatting',
    bold: 'Bold (Ctrl+B)', italic: 'Italic (Ctrl+I)', heading: 'Subheading',
    list: 'Bulleted list', numbered: '1. Numbered list', quote: 'Quote', link: 'Link (Ctrl+K)',
    boldText: 'bold text', italicText: 'italic text', linkText: 'link text',
    headingText: 'Heading', empty: 'Nothing to preview yet.',
    failed: 'The preview is unavailable (text too long or session expired). Your text is kept.',
    loading: 'Preview loading…', suggestions: (n) => n === 1 ? '1 suggestion: arrows to choose, Enter to insert.' : `${n} suggestions: arrows to choose, Enter to insert.`,
    none: 'Nobody matches.', listLabel: 'People to mention',
  } : {
    write: 'Écrire', preview: 'Aperçu', modes: "Mode d'écriture", toolbar: 'Mise en forme',
    bold: 'Gras (Ctrl+B)', italic: 'Italique (Ctrl+I)', heading: 'Intertitre',
    list: 'Liste à puces', numbered: '1. Liste numérotée', quote: 'Citation', link: 'Lien (Ctrl+K)',
    boldText: 'texte en gras', italicText: 'texte en italique', linkText: 'texte du lien',
    headingText: 'Titre', empty: "Rien à prévisualiser pour l'instant.",
    failed: "L'aperçu n'est pas disponible (texte trop long ou session expirée). Votre texte est conservé.",
    loading: "Chargement de l'aperçu…", suggestions: (n) => n === 1 ? '1 proposition : flèches pour choisir, Entrée pour insérer.' : `${n} propositions : flèches pour choisir, Entrée pour insérer.`,
    none: 'Personne ne correspond.', listLabel: 'Personnes à mentionner',
  };
  // Visible text of each button (the aria-label says it in words).
  const BUTTONS = [
    ['bold', 'G', (ta) => wrap(ta, '**', '**', L.boldText)],
    ['italic', 'I', (ta) => wrap(ta, '_', '_', L.italicText)],
    ['heading', 'T', (ta) => prefix(ta, () => '## ')],
    ['list', '•', (ta) => prefix(ta, () => '- ')],
    ['numbered', '1.', (ta) => prefix(ta, (i) => `${i + 1}. `)],
    ['quote', '«', (ta) => prefix(ta, () => '> ')],
    ['link', '🔗', (ta) => link(ta)],
  ];
  let seq = 0;

  // Replaces the selection with `text` (kept in the undo history where the browser can),
  // then selects [selStart, selEnd] counted from the start of what was replaced.
  function replace(ta, start, end, text, selStart, selEnd) {
    ta.focus();
    ta.setSelectionRange(start, end);
    let done = false;
    try { done = document.execCommand('insertText', false, text); } catch (e) { done = false; }
    if (!done || ta.value.slice(start, start + text.length) !== text) {
      ta.setRangeText(text, start, end, 'end');
    }
    ta.setSelectionRange(start + selStart, start + selEnd);
    ta.dispatchEvent(new Event('input', { bubbles: true }));
  }

  function wrap(ta, before, after, placeholder) {
    const { selectionStart: s, selectionEnd: e, value } = ta;
    const sel = value.slice(s, e);
    if (sel && value.slice(s - before.length, s) === before && value.slice(e, e + after.length) === after) {
      replace(ta, s - before.length, e + after.length, sel, 0, sel.length);
      return;
    }
    const inner = sel || placeholder;
    replace(ta, s, e, before + inner + after, before.length, before.length + inner.length);
  }

  function prefix(ta, marker) {
    const { value } = ta;
    const start = value.lastIndexOf('\n', ta.selectionStart - 1) + 1;
    let end = value.indexOf('\n', ta.selectionEnd);
    if (end < 0) end = value.length;
    const lines = value.slice(start, end).split('\n');
    const strip = /^(#{1,6} |- |\* |\d+\. |> )/;
    const all = lines.every((l, i) => l.startsWith(marker(i)));
    const out = lines.map((l, i) => all ? l.slice(marker(i).length) : marker(i) + l.replace(strip, '')).join('\n');
    replace(ta, start, end, out, out.length, out.length);
  }

  function link(ta) {
    const { selectionStart: s, selectionEnd: e, value } = ta;
    const sel = value.slice(s, e);
    if (/^https?:\/\/\S+$/.test(sel)) {
      const text = `[${L.linkText}](${sel})`;
      replace(ta, s, e, text, 1, 1 + L.linkText.length);
    } else {
      const label = sel || L.linkText;
      const text = `[${label}](https://)`;
      replace(ta, s, e, text, label.length + 3, label.length + 11);
    }
  }

  // Enter inside a list or a quote continues it; Enter on an empty item ends it.
  function continueList(ta, ev) {
    if (ta.selectionStart !== ta.selectionEnd) return;
    const pos = ta.selectionStart;
    const start = ta.value.lastIndexOf('\n', pos - 1) + 1;
    const line = ta.value.slice(start, pos);
    const m = /^(\s*)(- |\* |> |(\d+)\. )(.*)$/.exec(line);
    if (!m) return;
    ev.preventDefault();
    if (m[4].trim() === '') {
      replace(ta, start, pos, '', 0, 0);
      return;
    }
    const next = m[3] ? `${Number(m[3]) + 1}. ` : m[2];
    const text = `\n${m[1]}${next}`;
    replace(ta, pos, pos, text, text.length, text.length);
  }

  function enhance(ta) {
    const id = ta.id || `compose-${++seq}`;
    ta.id = id;
    const box = document.createElement('div');
    box.className = 'compose';
    ta.parentNode.insertBefore(box, ta);

    const tabs = document.createElement('div');
    tabs.setAttribute('role', 'tablist');
    tabs.setAttribute('aria-label', L.modes);
    tabs.className = 'compose-tabs';
    const writeTab = tab(`${id}-write-tab`, `${id}-write`, L.write, true);
    const previewTab = tab(`${id}-preview-tab`, `${id}-preview`, L.preview, false);
    tabs.append(writeTab, previewTab);

    const writePanel = document.createElement('div');
    writePanel.id = `${id}-write`;
    writePanel.setAttribute('role', 'tabpanel');
    writePanel.setAttribute('aria-labelledby', writeTab.id);

    const bar = document.createElement('div');
    bar.className = 'compose-toolbar';
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', L.toolbar);
    bar.setAttribute('aria-controls', id);
    BUTTONS.forEach(([name, glyph, act], i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `compose-button compose-${name}`;
      b.setAttribute('aria-label', L[name]);
      b.title = L[name];
      b.tabIndex = i === 0 ? 0 : -1;
      const g = document.createElement('span');
      g.setAttribute('aria-hidden', 'true');
      g.textContent = glyph;
      b.append(g);
      b.addEventListener('click', () => act(ta));
      bar.append(b);
    });
    bar.addEventListener('keydown', (ev) => {
      const buttons = [...bar.querySelectorAll('button')];
      const i = buttons.indexOf(document.activeElement);
      if (i < 0) return;
      let j = null;
      if (ev.key === 'ArrowRight') j = (i + 1) % buttons.length;
      else if (ev.key === 'ArrowLeft') j = (i - 1 + buttons.length) % buttons.length;
      else if (ev.key === 'Home') j = 0;
      else if (ev.key === 'End') j = buttons.length - 1;
      if (j === null) return;
      ev.preventDefault();
      buttons.forEach((b, k) => { b.tabIndex = k === j ? 0 : -1; });
      buttons[j].focus();
    });

    const previewPanel = document.createElement('div');
    previewPanel.id = `${id}-preview`;
    previewPanel.setAttribute('role', 'tabpanel');
    previewPanel.setAttribute('aria-labelledby', previewTab.id);
    previewPanel.className = 'compose-preview post-body';
    previewPanel.tabIndex = 0;
    previewPanel.hidden = true;

    box.append(tabs, writePanel, previewPanel);
    writePanel.append(bar, ta);

    function select(toPreview) {
      writeTab.setAttribute('aria-selected', String(!toPreview));
      previewTab.setAttribute('aria-selected', String(toPreview));
      writeTab.tabIndex = toPreview ? -1 : 0;
      previewTab.tabIndex = toPreview ? 0 : -1;
      writePanel.hidden = toPreview;
      previewPanel.hidden = !toPreview;
      if (toPreview) render(); else ta.focus();
    }
    async function render() {
      if (!ta.value.trim()) { previewPanel.textContent = L.empty; return; }
      previewPanel.textContent = L.loading;
      const token = ta.form && ta.form.querySelector('input[name="csrf_token"]');
      try {
        const res = await fetch('/compose/preview', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrf_token: token ? token.value : '', body: ta.value }),
        });
        if (!res.ok) throw new Error(String(res.status));
        // Sanitised by the server with the rules of publishing.
        previewPanel.innerHTML = await res.text();
      } catch (e) {
        previewPanel.textContent = L.failed;
      }
    }
    writeTab.addEventListener('click', () => select(false));
    previewTab.addEventListener('click', () => select(true));
    tabs.addEventListener('keydown', (ev) => {
      if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
      ev.preventDefault();
      const toPreview = writeTab.getAttribute('aria-selected') === 'true';
      select(toPreview);
      (toPreview ? previewTab : writeTab).focus();
    });

    const mention = mentions(ta, box);
    ta.addEventListener('keydown', (ev) => {
      if (mention.keydown(ev)) return;
      const mod = ev.ctrlKey || ev.metaKey;
      if (mod && !ev.altKey && !ev.shiftKey) {
        const key = ev.key.toLowerCase();
        const act = key === 'b' ? BUTTONS[0][2] : key === 'i' ? BUTTONS[1][2] : key === 'k' ? BUTTONS[6][2] : null;
        if (act) { ev.preventDefault(); act(ta); return; }
      }
      if (ev.key === 'Enter' && !mod && !ev.shiftKey && !ev.altKey) continueList(ta, ev);
    });
  }

  function tab(id, panel, label, selected) {
    const t = document.createElement('button');
    t.type = 'button';
    t.id = id;
    t.className = 'compose-tab';
    t.setAttribute('role', 'tab');
    t.setAttribute('aria-controls', panel);
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    t.textContent = label;
    return t;
  }

  // Mention completion: the text area keeps the focus and points at the active option
  // (aria-activedescendant); the list is a listbox under it.
  function mentions(ta, box) {
    const list = document.createElement('ul');
    list.id = `${ta.id}-mentions`;
    list.className = 'compose-mentions';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', L.listLabel);
    list.hidden = true;
    const status = document.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    box.append(list, status);
    ta.setAttribute('aria-autocomplete', 'list');
    ta.setAttribute('aria-controls', list.id);
    const community = ta.dataset.community || '';
    let items = [];
    let active = -1;
    let range = null;
    let timer = null;
    let asked = 0;

    function close() {
      list.hidden = true;
      list.textContent = '';
      items = [];
      active = -1;
      range = null;
      ta.removeAttribute('aria-activedescendant');
    }
    function show(found) {
      list.textContent = '';
      items = found;
      active = found.length ? 0 : -1;
      found.forEach((m, i) => {
        const li = document.createElement('li');
        li.id = `${list.id}-${i}`;
        li.setAttribute('role', 'option');
        li.className = 'compose-mention';
        const name = document.createElement('strong');
        name.textContent = m.name;
        const detail = document.createElement('span');
        detail.textContent = [m.detail, m.institution].filter(Boolean).join(' · ');
        li.append(name, ' ', detail);
        li.addEventListener('mousedown', (ev) => { ev.preventDefault(); choose(i); });
        list.append(li);
      });
      list.hidden = found.length === 0;
      status.textContent = found.length ? L.suggestions(found.length) : L.none;
      mark();
    }
    function mark() {
      [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === active)));
      if (active >= 0) ta.setAttribute('aria-activedescendant', `${list.id}-${active}`);
      else ta.removeAttribute('aria-activedescendant');
    }
    function choose(i) {
      const m = items[i];
      if (!m || !range) return;
      const text = `${m.handle} `;
      const [s, e] = range;
      close();
      replace(ta, s, e, text, text.length, text.length);
    }
    ta.addEventListener('input', () => {
      const pos = ta.selectionStart;
      const before = ta.value.slice(0, pos);
      const m = /(^|[\s(])@([\p{L}\p{N}._-]{1,40})$/u.exec(before);
      clearTimeout(timer);
      if (!m || ta.selectionStart !== ta.selectionEnd) { close(); return; }
      const start = pos - m[2].length - 1;
      timer = setTimeout(async () => {
        const n = ++asked;
        try {
          const q = new URLSearchParams({ q: m[2] });
          if (community) q.set('community', community);
          const res = await fetch(`/compose/mentions?${q}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
          if (!res.ok || n !== asked) return;
          range = [start, pos];
          show(await res.json());
        } catch (e) { close(); }
      }, 200);
    });
    ta.addEventListener('blur', () => setTimeout(close, 150));
    return {
      keydown(ev) {
        if (list.hidden || !items.length) return false;
        if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
          ev.preventDefault();
          active = (active + (ev.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
          mark();
          return true;
        }
        if (ev.key === 'Enter' || ev.key === 'Tab') {
          ev.preventDefault();
          choose(active);
          return true;
        }
        if (ev.key === 'Escape') {
          ev.preventDefault();
          close();
          return true;
        }
        return false;
      },
    };
  }

  const start = () => document.querySelectorAll('textarea[data-compose]').forEach(enhance);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
