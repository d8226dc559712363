// « Copier l'adresse »: the buttons stay hidden without JavaScript (the address is plain
// text to select); with it, a click copies the address and says so to screen readers.
document.querySelectorAll('button[data-copy]').forEach((button) => {
  const target = document.getElementById(button.dataset.copy);
  if (!target || !navigator.clipboard) return;
  button.hidden = false;
  const label = button.textContent;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(target.textContent.trim());
      button.textContent = label + ' ✓';
    } catch (_) {
      window.getSelection().selectAllChildren(target);
    }
  });
});

// « Imprimer » on printable pages (attendance sheets, attestations): hidden without
// JavaScript, where the browser's own Print menu does the same.
document.querySelectorAll('button[data-print]').forEach((button) => {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
});
