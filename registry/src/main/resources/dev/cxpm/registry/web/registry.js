// The copy button of a plugin page. A served file, not an inline handler: the pages' Content-Security-Policy allows scripts from this origin only.
const copy = document.getElementById('copy');
if (copy) {
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(document.getElementById('install-command').textContent)
      .then(() => { copy.textContent = 'Copied'; });
  });
}
