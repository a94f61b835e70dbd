/* quoth report: filters, the quotation pop-up and navigation. Story data only ever reaches the
   page through textContent and attribute values, never as markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("quoth-data").textContent);
  var body = document.body;
  var story = document.getElementById("story");
  var filterStyle = document.getElementById("filter-style");
  var pop = document.getElementById("pop");
  var current = null;      // speaker key of the active filter
  var pinned = null;       // quotation whose pop-up was opened by a click

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function sidOf(node) {
    var m = /(?:^| )s([0-9]+|x[0-9]+|u)(?: |$)/.exec(node.className);
    return m ? m[1] : "u";
  }
  function safeSid(sid) { return /^([0-9]+|x[0-9]+|u)$/.test(sid) ? sid : null; }

  /* ---- who said it: filter the text to one speaker ---- */
  function setFilter(sid) {
    sid = safeSid(sid);
    if (sid === current || sid === null) sid = null;
    current = sid;
    var buttons = document.querySelectorAll(".who");
    for (var i = 0; i < buttons.length; i++)
      buttons[i].setAttribute("aria-pressed", buttons[i].getAttribute("data-sid") === sid ? "true" : "false");
    var nodes = document.querySelectorAll(".network .node");
    for (i = 0; i < nodes.length; i++) nodes[i].classList.toggle("on", nodes[i].getAttribute("data-sid") === sid);
    var edges = document.querySelectorAll(".network .edge");
    for (i = 0; i < edges.length; i++)
      edges[i].classList.toggle("on", sid !== null && (edges[i].getAttribute("data-a") === sid || edges[i].getAttribute("data-b") === sid));
    var status = document.getElementById("filter-status");
    window.setTimeout(syncHeader, 0);
    var text = document.getElementById("filter-text");
    text.textContent = "";
    if (sid === null) {
      filterStyle.textContent = "";
      body.classList.remove("filtering");
      status.hidden = true;
      return;
    }
    filterStyle.textContent =
      ".story p:not(.p" + sid + "), .note, .story .chapter:not(.h" + sid + ") { display: none; }\n" +
      ".story .q:not(.s" + sid + ") { opacity: .3; }";
    body.classList.add("filtering");
    var sp = data.speakers[sid] || { name: "?", quotes: 0 };
    var sw = el("span", "sw s" + sid);
    text.appendChild(sw);
    text.appendChild(document.createTextNode("Only " + sp.name + " (" + sp.quotes + " quote" + (sp.quotes === 1 ? "" : "s") + ")"));
    status.hidden = false;
    hidePop(true);
    body.classList.remove("panel-open");
    document.getElementById("panel-toggle").setAttribute("aria-expanded", "false");
    var top = story.getBoundingClientRect().top + window.scrollY - 120;
    if (window.scrollY > top) window.scrollTo(0, Math.max(0, top));
  }
  document.addEventListener("click", function (ev) {
    var t = ev.target.closest ? ev.target.closest(".who, .node, .bar[data-sid]") : null;
    if (t) { setFilter(t.getAttribute("data-sid")); return; }
    var q = ev.target.closest ? ev.target.closest(".q") : null;
    if (q) {
      if (pinned === q) { hidePop(true); return; }
      showPop(q); pinned = q; return;
    }
    if (!pop.contains(ev.target)) hidePop(true);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { hidePop(true); if (current !== null) setFilter(null); }
    if ((ev.key === "Enter" || ev.key === " ") && ev.target.classList && ev.target.classList.contains("node")) {
      ev.preventDefault(); setFilter(ev.target.getAttribute("data-sid"));
    }
  });
  document.getElementById("filter-clear").addEventListener("click", function () { setFilter(null); });

  /* ---- low-confidence switch ---- */
  var low = document.getElementById("low-only");
  function applyLow() { body.classList.toggle("low-only", low.checked); }
  low.addEventListener("change", applyLow);
  applyLow();

  /* ---- the pop-up for one quotation ---- */
  function row(dl, term, value) {
    dl.appendChild(el("dt", "", term));
    var dd = el("dd");
    if (typeof value === "string") dd.textContent = value; else dd.appendChild(value);
    dl.appendChild(dd);
  }
  function showPop(q) {
    var sid = sidOf(q);
    var sp = data.speakers[sid];
    var name = q.getAttribute("data-speaker") || (sp && sid !== "u" ? sp.name : "");
    var conf = parseFloat(q.getAttribute("data-confidence") || "0");
    var method = q.getAttribute("data-method") || "";
    var to = q.getAttribute("data-to") || "";
    pop.textContent = "";
    pop.className = "pop s" + sid;
    pop.appendChild(el("div", "who-line", name || "Unknown speaker"));
    if (sp && sid !== "u") {
      var facts = [];
      if (sp.gender) facts.push(sp.gender === "F" ? "female" : sp.gender === "M" ? "male" : sp.gender);
      facts.push(sp.quotes + " quote" + (sp.quotes === 1 ? "" : "s"));
      var aliases = (sp.aliases || []).filter(function (a) { return a !== sp.name; });
      if (aliases.length) facts.push("also " + aliases.slice(0, 4).join(", ") + (aliases.length > 4 ? "…" : ""));
      pop.appendChild(el("div", "meta", facts.join(" · ")));
    }
    var dl = el("dl");
    var c = el("span");
    var bar = el("span", "conf"); var fill = el("i"); fill.style.width = Math.round(conf * 100) + "%";
    bar.appendChild(fill); c.appendChild(bar); c.appendChild(document.createTextNode(Math.round(conf * 100) + "%"));
    row(dl, "Confidence", c);
    if (method) row(dl, "Method", method + (data.methods[method] ? " — " + data.methods[method] : ""));
    row(dl, "To", to ? to.split("; ").join(", ") : "—");
    row(dl, "Quote", "#" + q.getAttribute("data-i"));
    pop.appendChild(dl);
    pop.hidden = false;
    var r = q.getClientRects()[0] || q.getBoundingClientRect();
    var w = pop.offsetWidth, h = pop.offsetHeight;
    var x = Math.min(Math.max(8, r.left + window.scrollX), window.scrollX + document.documentElement.clientWidth - w - 8);
    var y = r.bottom + window.scrollY + 8;
    if (r.bottom + h + 16 > window.innerHeight && r.top > h + 120) y = r.top + window.scrollY - h - 8;
    pop.style.left = x + "px";
    pop.style.top = y + "px";
    var old = document.querySelector(".q.active");
    if (old) old.classList.remove("active");
    q.classList.add("active");
  }
  function hidePop(force) {
    if (pinned && !force) return;
    pinned = null;
    pop.hidden = true;
    var old = document.querySelector(".q.active");
    if (old) old.classList.remove("active");
  }
  var hoverable = window.matchMedia && window.matchMedia("(hover: hover)").matches;
  if (hoverable) {
    story.addEventListener("mouseover", function (ev) {
      var q = ev.target.closest(".q");
      if (q && !pinned) showPop(q);
    });
    story.addEventListener("mouseout", function (ev) {
      var q = ev.target.closest(".q");
      if (q && !pinned && !(ev.relatedTarget && q.contains(ev.relatedTarget))) hidePop(false);
    });
  }

  /* ---- chapters and scenes ---- */
  var select = document.getElementById("chapter-nav");
  var chapters = Array.prototype.slice.call(document.querySelectorAll(".story .chapter[id^='ch-']"));
  if (select.options.length < 2) select.parentNode.style.display = "none";
  select.addEventListener("change", function () {
    var target = document.getElementById(select.value);
    if (target) target.scrollIntoView();
  });
  function visible(e) { return e.offsetParent !== null || e.getClientRects().length > 0; }
  function scenes() {
    return Array.prototype.slice.call(document.querySelectorAll(".story .anchor")).filter(function (a) {
      var next = a.nextElementSibling;
      return next && visible(next);
    });
  }
  var headerHeight = function () { return document.querySelector(".top").offsetHeight; };
  function jump(dir) {
    var list = scenes(), edge = headerHeight() + 4, target = null;
    for (var i = 0; i < list.length; i++) {
      var top = list[i].nextElementSibling.getBoundingClientRect().top - edge;
      if (dir > 0 && top > 2) { target = list[i]; break; }
      if (dir < 0 && top < -2) target = list[i];
    }
    if (target) target.nextElementSibling.scrollIntoView();
  }
  if (document.querySelectorAll(".story .anchor").length < 2) document.querySelector(".scene-nav").style.display = "none";
  document.getElementById("scene-prev").addEventListener("click", function () { jump(-1); });
  document.getElementById("scene-next").addEventListener("click", function () { jump(1); });
  var ticking = false;
  window.addEventListener("scroll", function () {
    if (ticking || chapters.length < 2) return;
    ticking = true;
    window.requestAnimationFrame(function () {
      ticking = false;
      var edge = headerHeight() + 40, lo = 0, hi = chapters.length - 1, found = 0;
      while (lo <= hi) {     // binary search: the last chapter whose top is above the header's edge
        var mid = (lo + hi) >> 1;
        if (chapters[mid].getBoundingClientRect().top <= edge) { found = mid; lo = mid + 1; } else hi = mid - 1;
      }
      var id = chapters[found].id;
      if (select.value !== id && select.querySelector("option[value='" + id + "']")) select.value = id;
    });
  }, { passive: true });

  /* the sticky panel sits just below the header, whose height changes with the filter line */
  function syncHeader() {
    var h = headerHeight();
    document.documentElement.style.setProperty("--header", h + "px");
    document.documentElement.style.scrollPaddingTop = (h + 16) + "px";   // jumps land below the header
  }
  syncHeader();
  window.addEventListener("resize", syncHeader);

  /* ---- phones: the cast panel is a drawer ---- */
  var toggle = document.getElementById("panel-toggle");
  function openPanel(open) {
    body.classList.toggle("panel-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  toggle.addEventListener("click", function () { openPanel(!body.classList.contains("panel-open")); });
  document.getElementById("panel-close").addEventListener("click", function () { openPanel(false); });
})();
