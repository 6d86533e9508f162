"""The page script (put in <head>): light colours only; [n] markers that bring their source card into view (the one
on screen: beside the chat, or under the answer on small screens); suggested questions that ask themselves;
plain-text ARIA labels for chat messages; error notices scrolled into view; a warning before leaving the page while
a theory-of-action or self-assessment field is being typed in. Event delegation on the document, so it
works for content rendered later. The document dialog and the feedback buttons have their own scripts
(document_view, feedback_panel)."""

HEAD = """
<style>
  /* outside the app's scoped style sheet: the page margin Gradio puts around everything */
  @media (max-width: 640px) { .gradio-container .main.app { padding-left: 10px !important; padding-right: 10px !important; } }
</style>
<script>
(function () {
  // One light colour scheme everywhere (the custom colours are chosen for it): undo Gradio's automatic dark
  // mode, which it switches on from the system preference by adding class "dark" to <body>.
  function light() { if (document.body && document.body.classList.contains('dark')) document.body.classList.remove('dark'); }
  function watch() { light(); new MutationObserver(light).observe(document.body, {attributes: true, attributeFilter: ['class']}); }
  if (document.body) watch(); else document.addEventListener('DOMContentLoaded', watch);
})();
(function () {
  // Work is saved when a field is left; warn before leaving the page while a field is still being typed in.
  var typing = false;
  var watched = '#tab-toa textarea, #tab-toa input, #tab-assessment textarea, #tab-assessment input';
  document.addEventListener('input', function (e) { if (e.target.matches && e.target.matches(watched)) typing = true; }, true);
  document.addEventListener('focusout', function (e) { if (e.target.matches && e.target.matches(watched)) typing = false; }, true);
  window.addEventListener('beforeunload', function (e) { if (typing) { e.preventDefault(); e.returnValue = ''; } });
})();
(function () {
  function shown(el) { return !!el && el.getClientRects().length > 0; }
  function visibleDetails(el) {
    var d = el && el.closest('details');
    return d && getComputedStyle(d).display !== 'none';
  }
  // The card a marker names: under the answer when those are on screen (small screens), else beside the chat.
  function card(a) {
    var href = a.getAttribute('href') || '';
    if (href.indexOf('#src-') !== 0) return null;
    var inline = document.getElementById('m' + href.slice(1));
    if (inline && (shown(inline) || visibleDetails(inline))) return inline;
    return document.getElementById(href.slice(1)) || inline;
  }
  function show(el, scroll) {
    document.querySelectorAll('.src-card.active').forEach(function (c) { if (c !== el) c.classList.remove('active'); });
    var d = el.closest('details'); if (d && !d.open) d.open = true;
    el.classList.add('active');
    // under an answer, bring the card's top into view; in the side panel, scroll no more than needed
    if (scroll) el.scrollIntoView({behavior: 'smooth', block: el.id.charAt(0) === 'm' ? 'start' : 'nearest'});
  }
  function ask(text) {
    var box = document.querySelector('#question textarea'), send = document.querySelector('#send');
    if (!box || !send) return;
    box.value = text;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(function () { send.click(); }, 60);
  }
  document.addEventListener('click', function (e) {
    var t = e.target; if (!t || !t.closest) return;
    var a = t.closest('a[href^="#src-"]');
    if (a) { e.preventDefault(); e.stopPropagation(); var el = card(a); if (el) show(el, true); return; }
    var next = t.closest('a[href^="#ask:"]');
    if (next) { e.preventDefault(); e.stopPropagation(); ask(decodeURIComponent(next.getAttribute('href').slice(5))); }
  }, true);
  document.addEventListener('mouseover', function (e) {
    var a = e.target.closest && e.target.closest('#chat a[href^="#src-"]');
    if (!a) return;
    var el = card(a); if (el && shown(el)) show(el, false);
  });

  // Gradio labels each chat message with its raw HTML ("bot's message: <a href=…"); screen readers should hear
  // the words: "Answer: …" / "Your question: …", without the sources and feedback buttons under the answer.
  var LABEL = /^(bot|user)'s message: /;
  function plain(el) {
    var label = el.getAttribute('aria-label') || '', m = LABEL.exec(label);
    if (!m) return;
    var clone = el.cloneNode(true);
    clone.querySelectorAll('.msg-sources, .fb-bar, .next-steps, button').forEach(function (x) { x.remove(); });
    var text = (clone.textContent || '').replace(/\\s+/g, ' ').trim();
    if (text.length > 400) text = text.slice(0, 400).replace(/\\s+\\S*$/, '') + '\\u2026';
    el.setAttribute('aria-label', (m[1] === 'bot' ? 'Answer: ' : 'Your question: ') + text);
  }
  var pending = false;
  function sweep() {
    pending = false;
    document.querySelectorAll('[aria-label^="bot\\'s message"], [aria-label^="user\\'s message"]').forEach(plain);
  }
  function later() { if (!pending) { pending = true; requestAnimationFrame(sweep); } }

  // A notice that appears (an error, a refusal) is scrolled into view, so it is never below the fold.
  function notices(records) {
    records.forEach(function (r) {
      r.addedNodes && r.addedNodes.forEach(function (n) {
        if (n.nodeType !== 1) return;
        var el = n.matches && n.matches('.notice[role="alert"]') ? n : n.querySelector && n.querySelector('.notice[role="alert"]');
        if (el && !el.closest('#ready-notice')) el.scrollIntoView({behavior: 'smooth', block: 'nearest'});
      });
    });
  }
  // Focus the question box on wide screens only: on a phone the keyboard would cover the page as it opens.
  function focusQuestion(tries) {
    var box = document.querySelector('#question textarea');
    if (!box) { if (tries < 100) setTimeout(function () { focusQuestion(tries + 1); }, 100); return; }
    if (window.innerWidth > 900 && !document.activeElement.closest('input, textarea')) box.focus({preventScroll: true});
  }
  function start() {
    focusQuestion(0);
    new MutationObserver(function (records) { later(); notices(records); }).observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label']});
    later();
  }
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
})();
</script>
"""
