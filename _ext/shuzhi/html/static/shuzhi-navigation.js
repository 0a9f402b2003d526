/* 述职报告汇编: the sidebar's long lists, filled in from window.SHUZHI_NAV.
 * The server renders each page's sidebar at a constant size: a long year is grouped by
 * unit kind, with only the pages around the current one. The full lists are in
 * shuzhi-navigation-data.js (written once per build, cached by the browser); a group
 * is filled in when the reader opens it (the current group at once). Offline; no fetch. */
(function () {
  "use strict";

  function setup() {
    var data = window.SHUZHI_NAV || {};
    var nav = document.querySelector("nav[data-shuzhi-page]");
    if (!nav) return;
    var page = nav.getAttribute("data-shuzhi-page");
    var root = document.documentElement.getAttribute("data-content_root") || "";
    var options = window.DOCUMENTATION_OPTIONS || {};
    var suffix = options.FILE_SUFFIX === undefined ? ".html" : options.FILE_SUFFIX;

    nav.querySelectorAll("ul[data-shuzhi-nav]").forEach(function (list) {
      var key;
      try { key = JSON.parse(list.getAttribute("data-shuzhi-nav")); } catch (e) { return; }
      var members = (data[key[0]] || {})[key[1]];
      if (!members) return;
      var level = list.getAttribute("data-shuzhi-level") || "2";

      function fill() {
        var current = null;
        list.textContent = "";
        members.forEach(function (member) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          item.className = "toctree-l" + level;
          link.className = "reference internal";
          link.textContent = member[1];
          if (member[0] === page) {
            item.className += " current active";
            link.className = "current reference internal";
            link.setAttribute("href", "#");
            current = item;
          } else {
            link.setAttribute("href", root + member[0] + suffix);
          }
          item.appendChild(link);
          list.appendChild(item);
        });
        list.setAttribute("data-shuzhi-filled", String(members.length));
        return current;
      }

      var details = list.closest("details");
      var label = details && details.parentElement.querySelector(":scope > .shuzhi-nav-label");
      if (label) {
        // The group's name opens and closes it, like the arrow.
        label.addEventListener("click", function () { details.open = !details.open; });
      }
      if (!details || details.open) {
        var current = fill();
        if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest" });
      } else {
        details.addEventListener("toggle", function onToggle() {
          if (!details.open) return;
          details.removeEventListener("toggle", onToggle);
          fill();
        });
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
