/* 述职报告汇编: the glossary page's filter box ({glossary-search}).
 * Entries: dl.shuzhi-glossary > dt[id^=term-] + dd, under p.rubric.glossary-letter (id letter-x).
 * Data: window.SHUZHI_GLOSSARY (pinyin, initials, aliases by anchor). Works offline; loads nothing. */
(function () {
  "use strict";

  // Lower case, no tone marks, no spaces or punctuation: "Sān huì" -> "sanhui".
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  }

  function setup() {
    var input = document.getElementById("shuzhi-glossary-query");
    if (!input) return;
    var form = input.form;
    var count = document.getElementById("shuzhi-glossary-count");
    var none = form.querySelector(".shuzhi-glossary-none");
    var data = window.SHUZHI_GLOSSARY || {};

    var entries = [];
    document.querySelectorAll("dl.shuzhi-glossary > dt[id^='term-']").forEach(function (dt) {
      var info = data[dt.id] || {};
      var term = info.term || dt.firstChild.textContent;
      var syllables = (info.pinyin || "").split(/\s+/).filter(Boolean);
      var parts = [dt];
      for (var el = dt.nextElementSibling; el && el.tagName === "DD"; el = el.nextElementSibling) parts.push(el);
      entries.push({
        parts: parts,
        list: dt.parentElement,
        forms: [term].concat(info.aliases || []).map(fold),
        // Pinyin from each syllable on: "sanhuiyike", "huiyike", "yike", "ke".
        pinyinTails: syllables.map(function (_, i) { return syllables.slice(i).join(""); }),
        initials: info.initials || "",
      });
    });
    var total = entries.length;

    function matches(entry, query) {
      if (entry.forms.some(function (form) { return form.indexOf(query) >= 0; })) return true;
      if (!/^[a-z]+$/.test(query)) return false;
      return entry.pinyinTails.some(function (tail) { return tail.indexOf(query) === 0; })
        || entry.initials.indexOf(query) >= 0;
    }

    function filter() {
      var query = fold(input.value);
      var shown = 0;
      var listsShown = new Set();
      entries.forEach(function (entry) {
        var visible = !query || matches(entry, query);
        entry.parts.forEach(function (el) { el.hidden = !visible; });
        if (visible) {
          shown += 1;
          listsShown.add(entry.list);
        }
      });
      // A letter's rubric and list disappear when none of its entries is left.
      document.querySelectorAll("dl.shuzhi-glossary").forEach(function (list) {
        var visible = listsShown.has(list);
        list.hidden = !visible;
        var rubric = list.previousElementSibling;
        if (rubric && rubric.matches("p.rubric.glossary-letter")) {
          rubric.hidden = !visible;
          var link = document.querySelector("p.glossary-letters a[href='#" + rubric.id + "']");
          if (link) link.classList.toggle("shuzhi-letter-empty", !visible);
        }
      });
      count.textContent = query ? "共 " + total + " 个术语，匹配 " + shown + " 个。" : "共 " + total + " 个术语。";
      none.hidden = shown > 0;
    }

    // Enter filters, it does not reload the page.
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        input.value = "";
        filter();
      }
    });
    filter();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
