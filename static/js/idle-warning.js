// Warn two minutes before an idle session ends, with a way to stay signed in.
// The idle timeout is SESSION_COOKIE_AGE, passed in the banner's data attributes; every
// request refreshes the session, so an autosave counts as activity as well.
const banner = document.getElementById('idle-warning');

if (banner) {
  const idleMs = Number(banner.dataset.idleSeconds) * 1000;
  const warnMs = Number(banner.dataset.warnSeconds || 120) * 1000;
  const stay = document.getElementById('idle-stay');
  let timer = null;

  const show = () => {
    banner.hidden = false;
    banner.focus();
  };

  const restart = () => {
    window.clearTimeout(timer);
    if (idleMs > warnMs) timer = window.setTimeout(show, idleMs - warnMs);
  };

  if (stay) {
    stay.addEventListener('click', async () => {
      try {
        // Any signed-in request refreshes the session: this page's address is one.
        await fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store' });
      } finally {
        banner.hidden = true;
        restart();
        const first = document.querySelector('#evidence-form input, #evidence-form textarea');
        if (first) first.focus();
      }
    });
  }
  document.addEventListener('footing:activity', restart);
  restart();
}
