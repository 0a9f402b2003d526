/* 述职报告汇编: the ☰ and 目录 buttons, for the keyboard and screen readers.
 * On a narrow screen the button opens the sidebar in a dialog (the PyData theme); the book
 * theme takes the focus off the button before the PyData theme notes where focus was, so
 * that closing the dialog (Esc) left it nowhere: it goes back to the button here. On a wide
 * screen the button hides and shows the sidebar (the book theme): aria-expanded follows. */
(function () {
  "use strict";

  function setup() {
    [["primary", "pst-primary-sidebar"], ["secondary", "pst-secondary-sidebar"]].forEach(function (pair) {
      var toggle = document.querySelector("." + pair[0] + "-toggle");
      var sidebar = document.getElementById(pair[1]);
      var modal = document.getElementById(pair[1] + "-modal");
      if (!toggle || !sidebar) return;
      toggle.setAttribute("aria-controls", pair[1]);
      if (modal) {
        modal.addEventListener("close", function () {
          var active = document.activeElement;
          if (!active || active === document.body || modal.contains(active)) toggle.focus();
        });
      }
      function update() {
        var wide = window.matchMedia("(min-width: 992px)").matches;
        var shown = modal && modal.open ? true :
          wide ? !sidebar.classList.contains("pst-sidebar-hidden") && sidebar.offsetParent !== null : false;
        toggle.setAttribute("aria-expanded", shown ? "true" : "false");
      }
      new MutationObserver(update).observe(sidebar, { attributes: true, attributeFilter: ["class"] });
      if (modal) new MutationObserver(update).observe(modal, { attributes: true, attributeFilter: ["open"] });
      window.addEventListener("resize", update);
      update();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
