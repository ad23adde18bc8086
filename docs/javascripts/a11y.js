// Accessible names that Material's templates leave out (axe-core checks them
// in tests/test_site_browser.py): the search box is a dialog without a name.
(function () {
  "use strict";
  function name() {
    var search = document.querySelector(".md-search[role=dialog]:not([aria-label])");
    if (search) {
      var input = search.querySelector("input[aria-label]");
      search.setAttribute("aria-label", input ? input.getAttribute("aria-label") : "Search");
    }
  }
  if (window.document$) window.document$.subscribe(name);
  else document.addEventListener("DOMContentLoaded", name);
})();
