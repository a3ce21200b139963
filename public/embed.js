// Budapest Post embeds for partners' pages. Load once with
//   <script async src="https://SITE/embed.js"></script>
// and mark where each embed goes:
//   <div data-budapest-post-embed="headlines" data-limit="5" data-section="europe"></div>
//   <div data-budapest-post-embed="article" data-slug="SLUG"></div>
// (data-theme="light|dark|auto" on either). Each becomes a sandboxed iframe as tall as its
// content; elements added later are found too. A link inside the element is what readers see
// without JavaScript; it is hidden, not removed, once the embed has shown itself.
// No dependencies, no cookies, nothing stored.
(function () {
  "use strict";
  var MESSAGE = "budapest-post-embed:height";
  var ATTRIBUTE = "data-budapest-post-embed";
  var SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox";
  var REFERRER_POLICY = "strict-origin";
  var HEADLINES = "embed/headlines";
  var ARTICLES = "embed/articles/";
  var MAX = 10, DEFAULT = 5;
  var TALLEST = 5000;
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

  var script = document.currentScript;
  if (!script || !script.src) return;
  // embed.js sits at the top of the site, so the embeds' addresses are relative to it.
  var site = new URL(".", script.src);
  var EMBEDDED = "data-budapest-post-embedded";

  function address(element) {
    var kind = element.getAttribute(ATTRIBUTE);
    var params = new URLSearchParams();
    var path;
    if (kind === "headlines") {
      var section = element.getAttribute("data-section");
      path = HEADLINES + (section && SLUG.test(section) ? "/" + section : "");
      var limit = parseInt(element.getAttribute("data-limit"), 10);
      params.set("limit", limit >= 1 && limit <= MAX ? limit : DEFAULT);
    } else if (kind === "article") {
      var slug = element.getAttribute("data-slug");
      if (!slug || !SLUG.test(slug)) return null;
      path = ARTICLES + slug;
    } else {
      return null;
    }
    var theme = element.getAttribute("data-theme");
    if (theme === "light" || theme === "dark" || theme === "auto") params.set("theme", theme);
    params.set("origin", location.origin);
    var url = new URL(path, site);
    url.hash = params.toString();
    return { url: url.href, kind: kind };
  }

  function mount(element) {
    if (element.hasAttribute(EMBEDDED)) return;
    var target = address(element);
    if (!target) return;
    element.setAttribute(EMBEDDED, "");
    var frame = document.createElement("iframe");
    frame.title = target.kind === "headlines" ? "Budapest Post headlines" : "Budapest Post article";
    frame.setAttribute("loading", "lazy");
    frame.setAttribute("sandbox", SANDBOX);
    frame.setAttribute("referrerpolicy", REFERRER_POLICY);
    frame.style.display = "block";
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.height = (target.kind === "headlines" ? 480 : 260) + "px";
    frame.src = target.url;
    element.appendChild(frame);
  }

  // Only our embeds' own windows may size their frames: the message must come from the
  // site's origin, from the very frame it sizes, and be of our type. The frames are looked up
  // in the page at each message rather than kept: a partner's page that takes an embed away
  // (or moves it) must not find us holding on to it.
  window.addEventListener("message", function (event) {
    if (event.origin !== site.origin) return;
    var data = event.data;
    if (!data || data.type !== MESSAGE || typeof data.height !== "number" || !(data.height >= 0)) return;
    var frames = document.querySelectorAll("[" + EMBEDDED + "] > iframe");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      frame.style.height = Math.min(Math.ceil(data.height), TALLEST) + "px";
      var links = frame.parentNode.querySelectorAll(":scope > a");
      for (var j = 0; j < links.length; j++) links[j].hidden = true;
    }
  });

  function scan(root) {
    if (root.nodeType !== 1 && root.nodeType !== 9) return;
    if (root.nodeType === 1 && root.hasAttribute(ATTRIBUTE)) mount(root);
    var found = root.querySelectorAll("[" + ATTRIBUTE + "]");
    for (var i = 0; i < found.length; i++) mount(found[i]);
  }

  scan(document);
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      for (var j = 0; j < records[i].addedNodes.length; j++) scan(records[i].addedNodes[j]);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
