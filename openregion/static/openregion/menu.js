/* OpenRegion header: on narrow screens the navigation collapses behind a disclosure button.
   Progressive enhancement: without this script the menu is a plain, always visible list and the
   button stays hidden. Loaded in <head> (no defer) so the `js` class is set before first paint. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setup() {
    var button = document.querySelector("[data-menu-toggle]");
    if (!button) return;
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    button.hidden = false;
    button.setAttribute("aria-expanded", "false");

    function isOpen() {
      return button.getAttribute("aria-expanded") === "true";
    }
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }

    button.addEventListener("click", function () {
      setOpen(!isOpen());
    });
    // Escape closes the open menu and returns focus to its button.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen() && window.getComputedStyle(button).display !== "none") {
        setOpen(false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
