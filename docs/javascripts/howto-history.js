// The HOWTO as of one of its days, and what changed between two days.
//
// The page carries a form (class howto-history, made by xenhowto.history.
// publish) naming its history file: every day on which a fact changed what
// the page says, each as runs of indexes into one table of HTML fragments
// that all days share.  ?as_of=DAY shows the page as of the last day on or
// before DAY; &compare=DAY2 adds what changed between the two days: the
// facts that changed, and the page's blocks that went or came.
//
// The address is only ever compared with the days the file lists: nothing
// from it reaches the page but a day found in that list.
(function () {
  "use strict";

  var DAY = /^\d{4}-\d{2}-\d{2}$/;

  function param(name) {
    var value = new URLSearchParams(window.location.search).get(name);
    return value && DAY.test(value) ? value : null;
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { e.append(c); });
    return e;
  }

  function ids(data, day) {
    var out = [];
    day.runs.forEach(function (run) {
      for (var k = 0; k < run[1]; k++) out.push(run[0] + k);
    });
    return out;
  }

  // The last day on or before `wanted` (the page did not change in between).
  function dayOf(data, wanted) {
    var found = null;
    data.days.forEach(function (d) { if (d.day <= wanted) found = d; });
    return found;
  }

  function fragmentNodes(data, list, copy) {
    var t = document.createElement("template");
    t.innerHTML = list.map(function (i) { return data.fragments[i]; }).join("");
    if (copy) {  // a second copy of blocks shown in the page: no duplicate ids, no permalinks
      t.content.querySelectorAll("[id]").forEach(function (e) { e.removeAttribute("id"); });
      t.content.querySelectorAll("a.headerlink").forEach(function (e) { e.remove(); });
    }
    return t.content;
  }

  // Longest common subsequence of two lists of fragment indexes: the blocks
  // that stayed; the rest went (only in a) or came (only in b).
  function blockDiff(a, b, headingOf) {
    var n = a.length, m = b.length, w = m + 1;
    var len = new Uint16Array((n + 1) * w);
    for (var i = n - 1; i >= 0; i--) {
      for (var j = m - 1; j >= 0; j--) {
        len[i * w + j] = a[i] === b[j] ? len[(i + 1) * w + j + 1] + 1
          : Math.max(len[(i + 1) * w + j], len[i * w + j + 1]);
      }
    }
    var hunks = [], hunk = null, x = 0, y = 0, heading = null;
    function open() { if (!hunk) { hunk = { under: heading, gone: [], came: [] }; hunks.push(hunk); } }
    while (x < n || y < m) {
      if (x < n && y < m && a[x] === b[y]) {
        hunk = null;
        heading = headingOf(b[y]) || heading;
        x++; y++;
      } else if (y < m && (x >= n || len[x * w + y + 1] >= len[(x + 1) * w + y])) {
        open(); hunk.came.push(b[y]); y++;
      } else {
        open(); hunk.gone.push(a[x]); x++;
      }
    }
    return hunks;
  }

  // The text of the heading a fragment is, or null.
  function headingText(data, i) {
    var m = /^<h[1-6][^>]*>([\s\S]*?)<\/h[1-6]>/.exec(data.fragments[i]);
    if (!m) return null;
    var t = document.createElement("template");
    t.innerHTML = m[1];
    t.content.querySelectorAll("a.headerlink").forEach(function (e) { e.remove(); });
    return t.content.textContent.trim();
  }

  function visible(data, list) {
    return list.filter(function (i) { return data.fragments[i].trim() !== ""; });
  }

  function changesBetween(data, from, to) {
    var events = [], changes = [];
    data.days.forEach(function (d) {
      if (d.day > from.day && d.day <= to.day) {
        d.events.forEach(function (e) { events.push([d.day, e]); });
        d.changes.forEach(function (c) { changes.push([d.day, c]); });
      }
    });
    return { events: events, changes: changes };
  }

  function shown(value) {
    if (value === null || value === undefined) return "(none)";
    if (Array.isArray(value)) return value.length ? value.join(", ") : "(none)";
    return String(value);
  }

  function whatChanged(data, from, to) {
    var older = from.day <= to.day ? from : to, newer = older === from ? to : from;
    var box = el("details", { "class": "howto-history__diff admonition info site-only", open: "" });
    box.append(el("summary", {}, ["What changed from " + older.day + " to " + newer.day]));
    var facts = changesBetween(data, older, newer);
    if (!facts.events.length) box.append(el("p", {}, ["No fact changed between these days."]));
    else {
      box.append(el("p", {}, ["The facts that changed:"]));
      box.append(el("ul", {}, facts.events.map(function (p) {
        return el("li", {}, [p[0] + ": " + p[1].text + " (" + p[1].date + ")"]);
      })));
    }
    if (facts.changes.length) {
      box.append(el("p", {}, ["In the version table and the recommendation (as howto versions --diff says it, day by day):"]));
      box.append(el("ul", {}, facts.changes.map(function (p) {
        return el("li", {}, [p[0] + ": ", el("code", {}, [p[1].key]), ": " + shown(p[1].from) + " → " + shown(p[1].to)]);
      })));
    }
    var a = ids(data, older), b = ids(data, newer);
    var hunks = blockDiff(a, b, function (i) { return headingText(data, i); }).map(function (h) {
      return { under: h.under, gone: visible(data, h.gone), came: visible(data, h.came) };
    }).filter(function (h) { return h.gone.length || h.came.length; });
    box.append(el("p", {}, [hunks.length ? "The page's blocks that changed (" + hunks.length + "):"
      : "No block of the page changed."]));
    hunks.forEach(function (h) {
      var part = el("div", { "class": "howto-history__hunk" });
      part.append(el("p", { "class": "howto-history__where" }, [h.under ? "Under “" + h.under + "”:" : "At the top:"]));
      if (h.gone.length) {
        var gone = el("div", { "class": "howto-history__gone", "aria-label": "as of " + older.day, role: "group" });
        gone.append(el("p", { "class": "howto-history__label" }, ["Before, as of " + older.day + ":"]));
        gone.append(fragmentNodes(data, h.gone, true));
        part.append(gone);
      }
      if (h.came.length) {
        var came = el("div", { "class": "howto-history__came", "aria-label": "as of " + newer.day, role: "group" });
        came.append(el("p", { "class": "howto-history__label" }, ["After, as of " + newer.day + ":"]));
        came.append(fragmentNodes(data, h.came, true));
        part.append(came);
      }
      box.append(part);
    });
    return box;
  }

  function show(root, data) {
    var status = root.querySelector(".howto-history__status");
    var body = document.querySelector(".howto-history__page");
    var wanted = param("as_of"), against = param("compare");
    var form = root.querySelector("form");
    var notes = [];
    var day = wanted && wanted < data.as_of ? dayOf(data, wanted) : null;  // on or after: today's page
    if (wanted && wanted < data.as_of && !day) {
      notes.push("The page's history starts on " + data.days[0].day + "; showing that day.");
      day = data.days[0];
    }
    var other = against ? (dayOf(data, against) || data.days[0]) : null;
    if (day) {
      body.replaceChildren(fragmentNodes(data, ids(data, day), false));
      body.setAttribute("data-as-of", day.day);
      status.replaceChildren(el("p", {}, [
        "You are reading this page as it was on ", el("strong", {}, [day.day]), ". ",
        el("a", { href: window.location.pathname }, ["Read today's page"]), "."
      ]));
      if (day.events.length) {
        status.append(el("details", { "class": "howto-history__why" }, [
          el("summary", {}, ["The facts that changed on " + day.day + " (" + day.events.length + ")"]),
          el("ul", {}, day.events.map(function (e) { return el("li", {}, [e.text + " (" + e.date + ")"]); }))
        ]));
      }
      form.elements.as_of.value = day.day;
    }
    if (other) {
      var current = day || { day: data.as_of, runs: data.days[data.days.length - 1].runs };
      body.prepend(whatChanged(data, other, current));
      form.elements.compare.value = other.day;
    }
    notes.forEach(function (n) { status.append(el("p", {}, [n])); });
    // Material mounts its parts (code copy buttons, table boxes, the table
    // of contents that follows the reader) on each new document: as after an
    // instant navigation, so after a new body.
    if (day && window.document$) window.document$.next(document);
    else if (window.howtoScrollBoxes) window.howtoScrollBoxes.markAll();
  }

  function init() {
    var root = document.querySelector(".howto-history[data-howto-history]");
    if (!root || root.hasAttribute("data-ready")) return;
    root.setAttribute("data-ready", "");
    var form = root.querySelector("form");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = new URLSearchParams();
      ["as_of", "compare"].forEach(function (n) { if (form.elements[n].value) q.set(n, form.elements[n].value); });
      var s = q.toString();
      window.location.assign(window.location.pathname + (s ? "?" + s : ""));
    });
    if (!param("as_of") && !param("compare")) return;
    var url = new URL(root.getAttribute("data-howto-history"), window.location.href);
    fetch(url).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (data) {
      show(root, data);
      window.howtoHistory = { data: data };
      root.setAttribute("data-shown", "");
    }).catch(function (e) {
      root.querySelector(".howto-history__status").textContent = "The page's history could not be loaded (" + e.message + ").";
    });
  }

  if (window.document$) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
