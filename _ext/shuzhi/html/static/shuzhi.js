/* 述职报告汇编: definitions of linked concepts on hover and on keyboard focus.
 * Data: window.SHUZHI_GLOSSARY (shuzhi-glossary.js, written at build time), keyed by anchor.
 * Works offline; loads nothing. */
(function () {
  "use strict";

  function setup() {
    var data = window.SHUZHI_GLOSSARY || {};
    var tip = document.createElement("div");
    tip.id = "shuzhi-tooltip";
    tip.className = "shuzhi-tooltip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    document.body.appendChild(tip);

    function entryFor(link) {
      var href = link.getAttribute("href") || "";
      var hash = href.indexOf("#");
      if (hash < 0) return null;
      var anchor = decodeURIComponent(href.slice(hash + 1));
      return Object.prototype.hasOwnProperty.call(data, anchor) ? data[anchor] : null;
    }

    function show(link) {
      var entry = entryFor(link);
      if (!entry) return;
      tip.textContent = "";
      var head = document.createElement("strong");
      head.textContent = entry.term;
      var pinyin = document.createElement("span");
      pinyin.className = "shuzhi-tooltip-pinyin";
      pinyin.textContent = " " + entry.pinyin;
      var body = document.createElement("p");
      body.textContent = entry.definition;
      tip.append(head, pinyin, body);
      tip.hidden = false;
      link.setAttribute("aria-describedby", tip.id);
      var rect = link.getBoundingClientRect();
      var top = window.scrollY + rect.bottom + 6;
      var left = Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
      tip.style.top = top + "px";
      tip.style.left = Math.max(8, left) + "px";
    }

    function hide(link) {
      tip.hidden = true;
      if (link) link.removeAttribute("aria-describedby");
    }

    document.querySelectorAll("a.reference.internal").forEach(function (link) {
      if (!entryFor(link)) return;
      link.classList.add("shuzhi-concept");
      link.addEventListener("mouseenter", function () { show(link); });
      link.addEventListener("mouseleave", function () { hide(link); });
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("blur", function () { hide(link); });
      link.addEventListener("keydown", function (event) {
        if (event.key === "Escape") hide(link);
      });
    });
  }

  /* A diagram typed in a page ({mermaid}) is drawn as an SVG with no name for screen readers
   * (mermaid names it only from an accTitle line): it is named by its figure's caption, else
   * "图表", once mermaid has drawn it. */
  function nameDiagrams() {
    function name(pre) {
      var svg = pre.querySelector("svg");
      if (!svg || svg.getAttribute("aria-label") || svg.getAttribute("aria-labelledby")) return;
      var figure = pre.closest("figure");
      var caption = figure && figure.querySelector("figcaption .caption-text");
      svg.setAttribute("aria-label", caption ? "图：" + caption.textContent.trim() : "图表");
    }
    document.querySelectorAll("pre.mermaid").forEach(function (pre) {
      name(pre);
      new MutationObserver(function () { name(pre); }).observe(pre, { childList: true });
    });
  }

  function start() {
    setup();
    nameDiagrams();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
