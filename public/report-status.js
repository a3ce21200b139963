// The reporter's private status page: reads the report's reference and token from the
// address's fragment (which no server is sent), asks the API what became of the report, and
// says it in words. Plain JavaScript loaded by this page alone, so that the app's wasm, which
// every article page downloads, carries none of it. The page gives every address it needs in
// data attributes, from the site's configuration; the API's answer is shown as text only.
(() => {
  const root = document.querySelector('[data-report-status]');
  if (!root) return;
  const part = (name) => root.querySelector(`[data-part="${name}"]`);
  const show = (state, sentence, correctionHref) => {
    part('state').textContent = state;
    part('sentence').textContent = sentence;
    part('links').hidden = !correctionHref;
    if (correctionHref) part('correction').href = correctionHref;
  };
  const failed = (sentence) => show('', sentence, null);


  // The correction's date as the site writes dates: "17 December 2021", in GMT.
  const date = (iso) => {
    const moment = new Date(iso);
    return Number.isNaN(moment.getTime())
      ? ''
      : new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(moment);
  };

  const said = (outcome) => {
    const report = outcome.article
      ? `Your report ${outcome.id} on “${outcome.article.headline}”`
      : `Your report ${outcome.id}`;
    switch (outcome.status) {
      case 'received':
        return show('Received', `${report} has reached our editors, who have not decided on it yet.`, null);
      case 'accepted':
        return show('Accepted', `Our editors agree with ${report}: a correction is being prepared.`, null);
      case 'declined':
        return show('Declined', `Our editors looked into ${report} and decided the article stands. Their reason: ${outcome.decline_reason || ''}`, null);
      case 'corrected': {
        const c = outcome.correction;
        const sentence = c
          ? `${report} led to a correction, published ${date(c.published_at)}: ${c.note}`
          : `${report} led to a correction.`;
        const href = outcome.article
          ? `${root.dataset.articlePath}${encodeURIComponent(outcome.article.slug)}#${root.dataset.correctionsFragment}`
          : root.dataset.correctionsPage;
        return show('Corrected', sentence, href);
      }
      default:
        return failed('Something went wrong on our side. Please try again in a moment.');
    }
  };

  // Asks about the report the address names; again whenever another link is opened in the
  // same page (only the fragment changes, so the page is not loaded again).
  const lookUp = () => {
    const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
    const reference = (fragment.get(root.dataset.referenceParameter) || '').trim();
    const token = (fragment.get(root.dataset.tokenParameter) || '').trim();
    if (!reference || !token) {
      failed('This link is incomplete. Open the whole link from your receipt.');
      return;
    }
    show('', 'Looking up your report…', null);
    fetch(root.dataset.api, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ reference, token }),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    }).then(async (response) => {
      if (response.status === 404) {
        failed('We have no report for this link. Open the whole link from your receipt.');
      } else if (response.ok) {
        said(await response.json());
      } else {
        const error = await response.json().catch(() => null);
        failed(response.status < 500 && error && error.message
          ? error.message
          : 'Something went wrong on our side. Please try again in a moment.');
      }
    }, () => failed('We could not reach the Budapest Post. Check your connection and try again.'));
  };
  addEventListener('hashchange', lookUp);
  lookUp();
})();
