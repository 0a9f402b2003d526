/* 述职报告汇编: the ☰ and 目录 buttons, for the keyboard and screen readers.
 * On a narrow screen the button opens the sidebar in a dialog (the PyData theme); the book
 * theme takes the focus off the button before the PyData theme notes where focus was, so
 * that closing the dialog (Esc) left it nowhere: it goes back to the button here. On a wide
 * screen the button hides and shows the sidebar (the book theme): aria-expanded follows, and
 * the focus stays on the button or, opened from the keyboard, moves into the sidebar. */
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
      // On a wide screen the book theme hides and shows the sidebar in place, and takes the
      // focus off the button (to the page's body). The focus goes back to the button; opened
      // from the keyboard, into the sidebar: its current page's link, else its first link.
      // A listener on the document, in the capture phase, runs before the themes' own.
      document.addEventListener("click", function (event) {
        if (!toggle.contains(event.target)) return;
        var keyboard = event.detail === 0;
        setTimeout(function () {
          if (modal && modal.open) return;
          var shown = toggle.getAttribute("aria-expanded") === "true";
          var target = shown && keyboard &&
            (sidebar.querySelector("a.current, a[aria-current]") || sidebar.querySelector("a[href], button, input"));
          if (!target) {
            toggle.focus();
            return;
          }
          // The sidebar becomes visible (and its links focusable) as it slides in.
          var tries = 20;
          (function focusTarget() {
            target.focus();
            if (document.activeElement === target) return;
            if (--tries > 0) setTimeout(focusTarget, 25);
            else toggle.focus();
          })();
        }, 0);
      }, true);
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
