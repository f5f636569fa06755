// "Print this record": shown only when scripts run; without them the page says to use the
// browser's print command. An external module because the CSP forbids inline scripts.
const button = document.getElementById('print-record');

if (button) {
  button.hidden = false;
  const hint = document.getElementById('print-hint');
  if (hint) hint.hidden = true;
  button.addEventListener('click', () => window.print());
}
