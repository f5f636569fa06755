// Evidence forms: save the text typed so far a couple of seconds after typing stops.
// Without JavaScript the form's "Save draft" button saves everything instead.
const form = document.getElementById('evidence-form');
const status = document.getElementById('autosave-status');
const DELAY_MS = 2000;
const TEXT_FIELDS = [
  'title', 'what_happened', 'what_i_learned', 'what_i_will_do',
  'body', 'source_name', 'source_relationship',
];

if (form && status && form.dataset.autosaveUrl) {
  let timer = null;
  let saving = false;
  let again = false;

  const save = async () => {
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    const data = new FormData();
    data.append('csrfmiddlewaretoken', form.elements.csrfmiddlewaretoken.value);
    for (const name of TEXT_FIELDS) {
      const field = form.elements[name];
      if (field) data.append(name, field.value);
    }
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: 'POST',
        body: data,
        credentials: 'same-origin',
        headers: { 'X-Requested-With': 'fetch' },
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok && answer.message) {
        status.textContent = answer.message;
        document.dispatchEvent(new CustomEvent('footing:activity'));
      } else {
        status.textContent = form.dataset.autosaveFailed
          || 'Your latest changes are not saved yet. Use "Save draft" to keep them.';
      }
    } catch (error) {
      status.textContent = form.dataset.autosaveFailed
        || 'Your latest changes are not saved yet. Use "Save draft" to keep them.';
    } finally {
      saving = false;
      if (again) {
        again = false;
        save();
      }
    }
  };

  form.addEventListener('input', (event) => {
    if (!TEXT_FIELDS.includes(event.target.name)) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY_MS);
  });
}
