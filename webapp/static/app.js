// "Back up now": posts to the JSON API and shows the outcome without leaving the page.
document.addEventListener('submit', async (event) => {
  const form = event.target.closest('form.backup-now');
  if (!form) return;
  event.preventDefault();
  const button = form.querySelector('button');
  const result = form.querySelector('[data-result]');
  button.disabled = true;
  result.textContent = 'Backing up…';
  try {
    const response = await fetch(form.action, { method: 'POST', headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      window.location.reload();
      return;
    }
    result.textContent = (body.error && body.error.message) || `Backup failed (HTTP ${response.status})`;
    result.classList.add('failed');
  } catch (e) {
    result.textContent = 'Pi-hole Checkpoint did not answer: ' + e.message;
    result.classList.add('failed');
  }
  button.disabled = false;
});
