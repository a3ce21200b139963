// Inside a Budapest Post embed (a partner's iframe): applies the partner's theme and number of
// headlines, and tells the partner's page the embed's height whenever it changes. The host
// script (embed.js) passes them in the address's fragment, which is never sent to a server:
// #limit=5&theme=dark&origin=https%3A%2F%2Fpartner.example. Stores nothing, sets no cookie.
(function () {
  "use strict";
  var MESSAGE = "budapest-post-embed:height";
  var params = new URLSearchParams(location.hash.slice(1));
  var root = document.documentElement;

  var theme = params.get("theme");
  if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);

  var limit = parseInt(params.get("limit"), 10);
  if (limit > 0) {
    var items = document.querySelectorAll("[data-embed-item]");
    for (var i = limit; i < items.length; i++) items[i].remove();
  }

  // The partner's origin is the only place the height goes: a message is never sent to "*".
  var origin;
  try {
    origin = new URL(params.get("origin") || "").origin;
  } catch (e) {
    return;
  }
  if (!/^https?:\/\//.test(origin) || window.parent === window) return;

  var sent = -1;
  function send() {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === sent) return;
    sent = height;
    window.parent.postMessage({ type: MESSAGE, height: height }, origin);
  }
  if (typeof ResizeObserver === "function") new ResizeObserver(send).observe(root);
  window.addEventListener("load", send);
  send();
})();
