// Boxes that scroll sideways: a reader must see it and a keyboard reach it.
//
// Tables wider than the page scroll in their box (Material wraps a page's
// tables in .md-typeset__scrollwrap; an unwrapped table, e.g. one the guide
// builder draws, is its own scroll box).  A box that does scroll gets
// data-scroll = the sides with more columns (CSS draws a shadow there), and
// is focusable and named.  A code block that scrolls gets the same cue and is
// made focusable as Material does for the code blocks of a page (the guide
// builder draws its own later).
(function () {
  "use strict";
  var LABEL = "Table, scroll sideways for more columns";

  function boxes() {
    var out = [];
    document.querySelectorAll(".md-typeset table:not([class])").forEach(function (t) {
      var wrap = t.closest(".md-typeset__scrollwrap");
      out.push(wrap || t);
    });
    return out;
  }

  function mark(box) {
    var more = box.scrollWidth - box.clientWidth;
    if (more > 1) {
      var left = box.scrollLeft > 1, right = box.scrollLeft < more - 1;
      box.setAttribute("data-scroll", left && right ? "both" : left ? "left" : "right");
      if (!box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", LABEL);
        box.setAttribute("data-scroll-marked", "");
      }
    } else if (box.hasAttribute("data-scroll")) {
      box.removeAttribute("data-scroll");
      if (box.hasAttribute("data-scroll-marked")) {
        ["tabindex", "role", "aria-label", "data-scroll-marked"].forEach(function (a) { box.removeAttribute(a); });
      }
    }
    if (!box.hasAttribute("data-scroll-watched")) {
      box.setAttribute("data-scroll-watched", "");
      box.addEventListener("scroll", function () { mark(box); }, { passive: true });
    }
  }

  function markCode(code) {
    var more = code.scrollWidth - code.clientWidth;
    if (more > 1) {
      if (!code.hasAttribute("tabindex")) code.setAttribute("tabindex", "0");
      var left = code.scrollLeft > 1, right = code.scrollLeft < more - 1;
      code.setAttribute("data-scroll", left && right ? "both" : left ? "left" : "right");
    } else if (code.hasAttribute("data-scroll")) {
      code.removeAttribute("data-scroll");
    }
    if (!code.hasAttribute("data-scroll-watched")) {
      code.setAttribute("data-scroll-watched", "");
      code.addEventListener("scroll", function () { markCode(code); }, { passive: true });
    }
  }

  var pending = false;
  function markAll() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      boxes().forEach(mark);
      document.querySelectorAll(".md-typeset pre > code").forEach(markCode);
    });
  }

  window.addEventListener("resize", markAll);
  if (window.document$) window.document$.subscribe(markAll);  // Material's instant navigation
  else document.addEventListener("DOMContentLoaded", markAll);
  new MutationObserver(function (changes) {
    for (var i = 0; i < changes.length; i++) {
      if (changes[i].type === "childList" && changes[i].addedNodes.length) { markAll(); return; }
    }
  }).observe(document.body, { childList: true, subtree: true });
  window.howtoScrollBoxes = { markAll: markAll };
})();
