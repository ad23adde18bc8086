/* "Build your guide": the tailored guide of `howto guide`, composed in the
 * browser from the builder's data (xenhowto/guide/matrix.py, one edition per
 * day packed by xenhowto/guide/editions.py, written next to the page by
 * hooks/guide_builder.py).  Plain ES2017, no framework, no network beyond
 * that one file of the site.
 *
 * - conditions are evaluated as xenhowto/guide/conditions.py evaluates them;
 * - a selection given in the address is resolved as `howto guide` resolves
 *   its flags (setup.resolve, mirrored by matrix.resolve_given);
 * - the guide is composed as compose.to_markdown composes it (mirrored by
 *   matrix.compose_markdown) and shown as HTML: prose pre-rendered at build
 *   time, everything the reader typed set as text, never as markup;
 * - the shell script and the dom0 commands are joined from pieces made at
 *   build time (guide/script.py) as compose.to_shell and dom0_commands join
 *   them (mirrored by matrix.compose_script and compose_commands).
 */
(function () {
  "use strict";

  var ROOT = "[data-guide-builder]";
  var NARROW = "(max-width: 44.984375em)";  // Material's phone layout
  var dataCache = {};
  var current = null; // the mounted builder, if the page shows one

  /* --- conditions -------------------------------------------------------- */

  function pyStr(v) {
    if (v === undefined || v === null) return "None";
    if (v === true) return "True";
    if (v === false) return "False";
    return String(v);
  }

  var versionKeys = new Map();  // a version's key, made once (the controls test every choice on each change)

  function versionKey(v) {
    var s = pyStr(v), k = versionKeys.get(s);
    if (k) return k;
    if (s === "current") k = [1, []];
    else if (/^\d+(\.\d+)*$/.test(s)) k = [0, s.split(".").map(Number)];
    else k = [2, [s]];
    versionKeys.set(s, k);
    return k;
  }

  function compareKeys(a, b) {
    if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
    var x = a[1], y = b[1];
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] < y[i]) return -1;
      if (x[i] > y[i]) return 1;
    }
    return x.length === y.length ? 0 : (x.length < y.length ? -1 : 1);
  }

  function truthy(v) {
    return !(v === undefined || v === null || v === "" || v === false);
  }

  function evaluate(c, values) {
    var op = c[0];
    if (op === "and") return evaluate(c[1], values) && evaluate(c[2], values);
    if (op === "or") return evaluate(c[1], values) || evaluate(c[2], values);
    if (op === "not") return !evaluate(c[1], values);
    if (op === "set") return truthy(values[c[1]]);
    var actual = pyStr(values[c[1]]);
    if (op === "in") return c[2].map(pyStr).indexOf(actual) >= 0;
    if (op === "==") return actual === pyStr(c[2]);
    if (op === "!=") return actual !== pyStr(c[2]);
    var r = compareKeys(versionKey(values[c[1]]), versionKey(c[2]));
    if (op === ">=") return r >= 0;
    if (op === "<=") return r <= 0;
    if (op === ">") return r > 0;
    if (op === "<") return r < 0;
    throw new Error("unknown condition operator " + op);
  }

  function names(c, out) {
    out = out || {};
    if (c[0] === "and" || c[0] === "or") { names(c[1], out); names(c[2], out); }
    else if (c[0] === "not") names(c[1], out);
    else out[c[1]] = true;
    return out;
  }

  function applies(cond, values) {
    return cond === null || cond === undefined || evaluate(cond, values);
  }

  /* --- setups ------------------------------------------------------------- */

  function Edition(mx) {
    this.mx = mx;
    // maps without a prototype: a name from the address ("__proto__", "constructor") finds nothing
    this.dims = Object.create(null);
    this.order = [];
    this.defaults = Object.create(null);
    for (var i = 0; i < mx.dimensions.length; i++) {
      var d = mx.dimensions[i];
      this.dims[d.name] = d;
      this.order.push(d.name);
      this.defaults[d.name] = d["default"];
    }
    this.needs = mx.constraints.map(function (c) {
      var n = names(c.require);
      if (c.when) names(c.when, n);
      return Object.keys(n);
    });
    // the constraints that read each dimension, in order: changing one value can break only those
    var byDim = this.byDim = {};
    this.needs.forEach(function (need, i) {
      need.forEach(function (n) { (byDim[n] = byDim[n] || []).push(i); });
    });
    this.named = {};  // the values of each named setup of this edition, once resolved
  }

  Edition.prototype.violated = function (values, c) {
    if (c.when && !evaluate(c.when, values)) return false;
    return !evaluate(c.require, values);
  };

  /* The first constraint the values break, or null. */
  Edition.prototype.broken = function (values, partial) {
    var cs = this.mx.constraints;
    for (var i = 0; i < cs.length; i++) {
      if (partial && !this.needs[i].every(function (n) { return n in values; })) continue;
      if (this.violated(values, cs[i])) return cs[i];
    }
    return null;
  };

  /* One given value checked and normalized as setup.resolve does; throws. */
  Edition.prototype.typed = function (dim, raw) {
    var kind = dim.kind;
    if (kind === "flag") {
      if (raw === true || raw === false) return raw;
      var f = String(raw).trim().toLowerCase();
      if (["yes", "true", "1", "on"].indexOf(f) >= 0) return true;
      if (["no", "false", "0", "off", ""].indexOf(f) >= 0) return false;
      throw new Error("write yes or no");
    }
    var value = String(raw).trim();
    var unavailable = dim.unavailable || {};
    if (dim.name === "xen") {
      var pk = this.mx.packages;
      for (var v in pk) if (Object.prototype.hasOwnProperty.call(pk, v) && (value === v || value === pk[v]["package"])) return v;
      var pv = this.mx.package_versions || {};
      var version = Object.prototype.hasOwnProperty.call(pv, value) ? pv[value] : value;
      if (Object.prototype.hasOwnProperty.call(unavailable, version)) throw new Error(unavailable[version]);
      throw new Error("not a Xen version in pkgsrc as of " + this.mx.as_of);
    }
    if (dim.name === "netbsd" && value.indexOf("netbsd-") === 0) value = value.slice(7);
    if (dim.name === "netbsd" && dim.choices.map(String).indexOf(value) < 0 &&
        Object.prototype.hasOwnProperty.call(unavailable, value)) throw new Error(unavailable[value]);
    var rule = this.mx.validate[kind];
    if (rule) {
      if (!new RegExp(rule.pattern).test(value)) throw new Error(rule.advice);
      if (kind === "mac") {
        value = value.toLowerCase();
        if (parseInt(value.slice(0, 2), 16) & 1) throw new Error("a multicast address; the first byte must be even");
        if (!/[1-9a-f]/.test(value)) throw new Error("the null address, which no interface has");
      }
      if (kind === "number" || kind === "size") {
        var n = parseInt(value, 10) * (kind === "size" && /G$/.test(value) ? 1024 : 1);
        if ((dim.minimum !== undefined && n < dim.minimum) || (dim.maximum !== undefined && n > dim.maximum)) {
          throw new Error("write a number between " + dim.minimum + " and " + dim.maximum);
        }
      }
      if (kind === "pci" && value.indexOf("0000:") === 0) value = value.slice(5);
      return kind === "pci" ? value.toLowerCase() : value;
    }
    if (dim.choices.map(String).indexOf(value) < 0) throw new Error("not a choice");
    return value;
  };

  /* The first constraint reading dimension ``name`` that the values break
     (all its dimensions set), or null: setup._broken(..., only=name). */
  Edition.prototype.brokenOn = function (values, name) {
    var cs = this.mx.constraints;
    for (var i = 0; i < cs.length; i++) {
      var need = this.needs[i];
      if (need.indexOf(name) < 0 || !need.every(function (n) { return n in values; })) continue;
      if (this.violated(values, cs[i])) return cs[i];
    }
    return null;
  };

  /* The complete setup for given values and the departures from the
     recommendation they force, as setup.resolve does; throws. */
  Edition.prototype.resolveWithNotes = function (given) {
    var values = {}, self = this, departures = [];
    Object.keys(given).forEach(function (k) { values[k] = given[k]; });
    var c = this.broken(values, true);
    if (c) throw new Error(c.reason);
    this.order.forEach(function (name) {
      if (name in values) return;
      var d = self.dims[name], cands = d.candidates, found = false;
      for (var i = 0; i < cands.length && !found; i++) {
        values[name] = cands[i];
        var b = null;
        for (var j = 0; j < self.mx.constraints.length && !b; j++) {
          if (self.needs[j].indexOf(name) >= 0 && self.needs[j].every(function (n) { return n in values; }) &&
              self.violated(values, self.mx.constraints[j])) b = self.mx.constraints[j];
        }
        found = !b;
      }
      if (!found) { delete values[name]; throw new Error("no " + d.label + " fits the other choices"); }
      var wanted = d.recommended || [];
      if (wanted.length && wanted.map(String).indexOf(String(values[name])) < 0) {
        var trial = Object.assign({}, values);
        trial[name] = wanted[0];
        var blocking = self.brokenOn(trial, name);
        if (blocking) departures.push({ dim: name, value: values[name], constraint: blocking });
      }
    });
    var out = {}, derived = this.mx.derived || {};
    this.order.forEach(function (n) { out[n] = values[n]; });
    Object.keys(derived).forEach(function (n) {  // guide.derived.add
      var t = derived[n], key = String(out[t.from]);
      out[n] = Object.prototype.hasOwnProperty.call(t.table, key) ? t.table[key] : "unknown";
    });
    return { values: out, departures: departures };
  };

  Edition.prototype.resolve = function (given) { return this.resolveWithNotes(given).values; };

  /* A departure as the guide's note (matrix.departure_note). */
  Edition.prototype.departureNote = function (d, form) {
    var dim = this.dims[d.dim];
    return format(this.mx.departure[form], {
      label: dim.label, value: d.value, wanted: dim.recommended.map(String).join(" or "),
      because: d.constraint["because_" + form]
    });
  };

  /* --- composing ------------------------------------------------------------ */

  /* A size a reader typed (512M, 2G) in megabytes (snippets.variables.size_mb). */
  function sizeMb(v) {
    var m = /^([0-9]+)([MG])$/.exec(v);
    return m ? String(parseInt(m[1], 10) * (m[2] === "G" ? 1024 : 1)) : v;
  }

  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function fillEscaped(text, values) {
    var out = "";
    for (var i = 0; i < text.length; i++) out += i % 2 ? escapeHtml(fill(["", text[i]], values)) : text[i];
    return out;
  }

  function fill(text, values) {
    if (typeof text === "string") return text;
    var out = "";
    for (var i = 0; i < text.length; i++) {
      if (i % 2 === 0) { out += text[i]; continue; }
      var parts = text[i].split("|"), v = values[parts[0]];
      v = pyStr(v === undefined ? "" : v);
      out += parts[1] === "mb" ? sizeMb(v) : parts[1] === "disk" ? v.slice(0, -1) : v;  // variables.partition_disk
    }
    return out;
  }

  function keyValue(dim, value) {
    if (dim.kind === "flag") return value ? "1" : "0";
    if (dim.slot) return truthy(value) ? "*" : "";
    return String(value);
  }

  function format(template, vars) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in vars ? String(vars[k]) : m; });
  }

  /* Text as shell comment lines (guide.script.comment). */
  function comment(text) {
    return text.split("\n").map(function (l) { return l ? "# " + l : "#"; }).join("\n");
  }

  function indentedBlock(content) {
    return content.replace(/\n+$/, "").split("\n").map(function (l) { return l.trim() ? "    " + l : ""; }).join("\n");
  }

  /* What Python-Markdown puts in <code> for that indented block. */
  function codeText(content) {
    return content.replace(/\n+$/, "").split("\n").map(function (l) {
      if (!l.trim()) return "";
      var out = "", col = 4; // expandtabs(4) on the indented line
      for (var i = 0; i < l.length; i++) {
        if (l[i] === "\t") { var n = 4 - (col % 4); out += "    ".slice(0, n); col += n; }
        else { out += l[i]; col++; }
      }
      return out;
    }).join("\n").replace(/\n+$/, "") + "\n";
  }

  function capitalize(s) { return s.slice(0, 1).toUpperCase() + s.slice(1); }

  /* The guide for a complete setup: its markdown, the blocks that describe
     the DOM, and what the script and the dom0 commands are joined from. */
  Edition.prototype.compose = function (values, departures) {
    var mx = this.mx, h = mx.header, texts = mx.texts, self = this;
    var pkg = mx.packages[values.xen];
    var title = format(h.title, values), intro = format(h.intro, { as_of: mx.as_of });
    var head = [title, "", intro, ""];
    var blocks = [{ tag: "h1", text: title.replace(/^# /, "") }, { tag: "p", text: intro }];
    var items = [];
    this.order.forEach(function (name) {
      var d = self.dims[name], v = values[name], line;
      if (name === "xen") {
        line = format(h.xen, { label: d.label, xen: v, "package": pkg["package"], tools: pkg.tools });
      } else {
        if (v === null || v === undefined || v === "" || !applies(d.listed, values)) return;
        line = format(h.line, { label: d.label, value: d.kind === "flag" ? (v ? h.yes : h.no) : v });
      }
      head.push(line);
      items.push(line.replace(/^- /, ""));
    });
    blocks.push({ tag: "ul", items: items });
    head.push("");
    (departures || []).forEach(function (d) {
      head.push(self.departureNote(d, "md"), "");
      blocks.push({ html: self.departureNote(d, "html") });
    });
    mx.notes.forEach(function (note) {
      if (!applies(note.when, values)) return;
      head.push(texts[note.md], "");
      blocks.push({ html: texts[note.html], key: note.html });
    });
    var md = head.slice(), steps = [];
    mx.steps.forEach(function (step) {
      if (!applies(step.when, values)) return;
      var parts = [], shown = [], sh = [], cmds = [];
      step.pieces.forEach(function (piece) {
        if (!applies(piece.when, values)) return;
        if (piece.md !== undefined) {
          parts.push(fill(texts[piece.md], values));
          sh.push(piece.sh);
          var prose = texts[piece.html];
          if (typeof prose === "string") shown.push({ html: prose, key: piece.html });
          else {  // the reader's values in the prose: escaped, though every slot's pattern allows no markup
            var html = fillEscaped(prose, values);
            shown.push({ html: html, key: piece.html + "/" + html });
          }
          return;
        }
        var key = piece.dims.map(function (k) { return keyValue(self.dims[k], values[k]); }).join("|");
        var index = piece.table[key];
        if (index === undefined) throw new Error("no snippet for " + step.id + " with " + key);
        var variant = piece.variants[index];
        var label = capitalize(fill(texts[variant[1]], values));
        var content = fill(texts[variant[0]], values);
        parts.push("*" + label + ":*\n\n" + indentedBlock(content));
        sh.push(variant[3]);
        if (variant[4] !== null) cmds.push(variant[4]);
        shown.push({ label: label, code: codeText(content), kind: piece.kind });
      });
      if (!parts.length) return;
      steps.push({ title: step.title, title_sh: step.title_sh, sh: sh, commands: cmds });
      var heading = format(h.step, { number: steps.length, title: step.title });
      md.push(heading, "", parts.join("\n\n"), "");
      blocks.push({ tag: "h2", text: heading.replace(/^## /, ""), step: step.id, anchor: "step-" + step.id });
      shown.forEach(function (b) { b.step = step.id; blocks.push(b); });
    });
    return { markdown: md.join("\n").replace(/\n+$/, "") + "\n", blocks: blocks, head: head, steps: steps,
             values: values };
  };

  /* The guide as a commented dom0 shell script (compose.to_shell, guide.script.assemble). */
  Edition.prototype.script = function (c) {
    var F = this.mx.header.script, texts = this.mx.texts;
    var out = [format(F.head, { head: comment(c.head.join("\n").replace(/^# /, "").replace(/\n+$/, "")) })];
    var usage = [], dispatch = [];
    c.steps.forEach(function (s, i) {
      var n = i + 1;
      var body = s.sh.map(function (t) { return fill(texts[t], c.values); }).join("\n\n");
      out.push(format(F.step, { number: n, title: s.title, title_sh: s.title_sh, body: body }));
      usage.push(format(F.usage_item, { number: n, title_sh: s.title_sh }));
      dispatch.push(format(F.dispatch_item, { number: n }));
    });
    out.push(format(F.usage, { items: usage.join("\n") }));
    out.push(format(F.dispatch, { items: dispatch.join("\n") }));
    return out.join("\n");
  };

  /* Every dom0 command of the guide by step (compose.dom0_commands, guide.script.commands). */
  Edition.prototype.commands = function (c) {
    var F = this.mx.header.script, texts = this.mx.texts, out = [];
    c.steps.forEach(function (s, i) {
      if (!s.commands.length) return;
      var cmds = s.commands.map(function (t) { return fill(texts[t], c.values); }).join("\n");
      out.push(format(F.commands_step, { number: i + 1, title: s.title, commands: cmds }));
    });
    return out.length ? out.join("\n\n") + "\n" : "";
  };

  /* The values of a named setup in this edition (resolved once), or null. */
  Edition.prototype.namedValues = function (n) {
    if (n.as_of !== this.mx.as_of) return null;
    if (!(n.id in this.named)) {
      var self = this, typedGiven = {};
      try {
        Object.keys(n.given).forEach(function (k) { typedGiven[k] = self.typed(self.dims[k], n.given[k]); });
        this.named[n.id] = this.resolve(typedGiven);
      } catch (e) { this.named[n.id] = null; }
    }
    return this.named[n.id];
  };

  /* An edition of the packed data (xenhowto.guide.editions.unpack). */
  function unpack(data, entry) {
    var mx = { format: data.format, as_of: entry.as_of, texts: data.texts };
    Object.keys(entry).forEach(function (field) {
      if (field === "as_of") return;
      var table = data.parts[field], ref = entry[field];
      mx[field] = Array.isArray(ref) ? ref.map(function (i) { return table[i]; }) : table[ref];
    });
    return mx;
  }

  /* --- the page ------------------------------------------------------------- */

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function shown(value) {
    var s = String(value);
    return "\u201c" + (s.length > 40 ? s.slice(0, 40) + "\u2026" : s) + "\u201d";
  }

  function sameValues(a, b, order) {
    for (var i = 0; i < order.length; i++) if (String(a[order[i]]) !== String(b[order[i]])) return false;
    return true;
  }

  function Builder(root, data) {
    this.root = root;
    this.data = data;
    this.path = location.pathname;
    // keyed by ?as_of= and by field name: no inherited names (__proto__, constructor, valueOf)
    this.entries = Object.create(null);
    this.editions = Object.create(null);
    for (var i = 0; i < data.editions.length; i++) this.entries[data.editions[i].as_of] = data.editions[i];
    this.ed = this.edition(data.as_of);
    this.invalid = Object.create(null);  // typed values that are not accepted: {name: message}
    this.setGiven({});
    this.codeSeq = 0;
    this.timings = [];
    this.build();
  }

  /* The edition of a day, unpacked on first use; undefined for a day the builder does not have. */
  Builder.prototype.edition = function (asOf) {
    if (!Object.prototype.hasOwnProperty.call(this.entries, asOf)) return undefined;
    if (!this.editions[asOf]) this.editions[asOf] = new Edition(unpack(this.data, this.entries[asOf]));
    return this.editions[asOf];
  };

  Object.defineProperty(Builder.prototype, "markdown", { get: function () { return this.composed.markdown; } });
  Object.defineProperty(Builder.prototype, "script", { get: function () { return this.ed.script(this.composed); } });
  Object.defineProperty(Builder.prototype, "commands", { get: function () { return this.ed.commands(this.composed); } });

  function button(text, attrs, onClick) {
    var b = el("button", Object.assign({ type: "button", "class": "md-button" }, attrs || {}), text);
    b.addEventListener("click", onClick);
    return b;
  }

  Builder.prototype.build = function () {
    var self = this, root = this.root;
    while (root.firstChild) root.removeChild(root.firstChild);
    root.classList.add("gb-ready");

    this.urlNotes = el("div", { "class": "admonition warning gb-url-notes", role: "status", hidden: "" });
    root.appendChild(this.urlNotes);

    // The controls fold away on a phone, so that the guide starts within a screen of them.
    var panel = el("details", { "class": "gb-panel" });
    if (!window.matchMedia || !window.matchMedia(NARROW).matches) panel.open = true;
    var summary = el("summary", { "class": "gb-panel__summary" });
    summary.appendChild(el("span", { "class": "gb-panel__title" }, "Your setup"));
    this.summary = el("span", { "class": "gb-panel__setup" });
    summary.appendChild(this.summary);
    panel.appendChild(summary);
    this.panel = panel;

    var form = el("form", { "class": "gb-form", "aria-label": "Your setup" });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    this.form = form;

    var presets = el("div", { "class": "gb-presets" });
    presets.appendChild(el("p", { "class": "gb-presets__title", id: "gb-presets-title" }, "Start from a named setup:"));
    var plist = el("ul", { "aria-labelledby": "gb-presets-title" });
    this.presets = {};
    this.data.named.forEach(function (n) {
      var li = el("li");
      var b = button(n.title, { "class": "md-button gb-preset", "data-named": n.id }, function () { self.applyNamed(n); });
      self.presets[n.id] = b;
      li.appendChild(b);
      plist.appendChild(li);
    });
    presets.appendChild(plist);
    form.appendChild(presets);

    var grid = el("div", { "class": "gb-fields" });
    this.controls = {};
    if (this.data.editions.length > 1) grid.appendChild(this.dateField());
    this.ed.order.forEach(function (name) { grid.appendChild(self.field(self.ed.dims[name])); });
    form.appendChild(grid);

    var actions = el("div", { "class": "gb-actions" });
    actions.appendChild(button("Back to the recommendation", null, function () {
      self.select(self.edition(self.data.as_of), {}, true);
    }));
    actions.appendChild(button("Print the guide", null, function () { window.print(); }));
    form.appendChild(actions);

    this.cli = el("p", { "class": "gb-cli" });
    form.appendChild(this.cli);
    panel.appendChild(form);
    // While the controls fill the screen, the guide is one press away.
    var jump = el("div", { "class": "gb-jump" });
    jump.appendChild(button("Go to your guide \u2193", { "class": "md-button md-button--primary gb-jump__button" },
                            function () { self.showGuide(); }));
    panel.appendChild(jump);
    root.appendChild(panel);

    var tools = el("div", { "class": "gb-tools", role: "group", "aria-label": "Your guide" });
    tools.appendChild(button("Copy all dom0 commands", { "data-action": "copy" }, function () { self.copyCommands(); }));
    var downloads = el("span", { "class": "gb-tools__downloads", role: "group", "aria-labelledby": "gb-download" });
    downloads.appendChild(el("span", { id: "gb-download" }, "Download the guide:"));
    downloads.appendChild(button("Markdown", { "data-action": "markdown" }, function () {
      self.download("xen-guide.md", "text/markdown", self.markdown);
    }));
    downloads.appendChild(button("Shell script", { "data-action": "script" }, function () {
      self.download("xen-guide.sh", "text/x-shellscript", self.script);
    }));
    tools.appendChild(downloads);
    this.toolStatus = el("span", { "class": "gb-tools__status", role: "status" });
    tools.appendChild(this.toolStatus);
    root.appendChild(tools);

    this.status = el("p", { "class": "gb-status", role: "status", "aria-live": "polite" });
    root.appendChild(this.status);
    this.stale = el("div", { "class": "admonition warning gb-stale", role: "status", hidden: "" });
    root.appendChild(this.stale);
    this.guide = el("section", { "class": "gb-guide", id: "gb-guide", "aria-label": "Your guide", tabindex: "-1" });
    root.appendChild(this.guide);
  };

  Builder.prototype.dateField = function () {
    var self = this, f = el("div", { "class": "gb-field", "data-dim": "as_of" });
    f.appendChild(el("label", { "for": "gb-as_of" }, "The HOWTO as of"));
    var s = el("select", { id: "gb-as_of", name: "as_of", "aria-describedby": "gb-as_of-help" });
    this.data.editions.forEach(function (e) {
      s.appendChild(el("option", { value: e.as_of }, e.as_of === self.data.as_of ? e.as_of + " (newest)" : e.as_of));
    });
    s.addEventListener("change", function () { self.changeEdition(s.value, true); });
    f.appendChild(s);
    f.appendChild(el("p", { "class": "gb-help", id: "gb-as_of-help" },
                     "Read the guide as the HOWTO was on an earlier day: only the Xen versions, packages and " +
                     "NetBSD releases known then, and the HOWTO's words of that day."));
    this.asOfSelect = s;
    return f;
  };

  Builder.prototype.field = function (dim) {
    var self = this, name = dim.name, id = "gb-" + name;
    var f = el("div", { "class": "gb-field gb-field--" + dim.kind, "data-dim": name });
    var describedBy = [];
    var control, error = null;
    if (dim.kind === "flag") {
      control = el("input", { type: "checkbox", id: id, name: name });
      var lab = el("label", { "for": id, "class": "gb-check" });
      lab.appendChild(control);
      lab.appendChild(document.createTextNode(" " + dim.label));
      f.appendChild(lab);
      control.addEventListener("change", function () { self.change(name, control.checked, true); });
    } else if (dim.choices.length && !(dim.slot && dim.kind !== "choice")) {
      f.appendChild(el("label", { "for": id }, dim.label));
      control = el("select", { id: id, name: name });
      dim.choices.forEach(function (c) {
        var text = name === "xen" && self.ed.mx.packages[c] ? c + " (" + self.ed.mx.packages[c]["package"] + ")" : String(c);
        var o = el("option", { value: String(c) }, text);
        o.dataset.text = text;
        control.appendChild(o);
      });
      f.appendChild(control);
      control.addEventListener("change", function () { self.change(name, control.value, true); });
    } else {
      f.appendChild(el("label", { "for": id }, dim.label));
      control = el("input", { type: "text", id: id, name: name, autocomplete: "off", spellcheck: "false" });
      f.appendChild(control);
      error = el("p", { "class": "gb-error", id: id + "-error", hidden: "" });
      describedBy.push(error.id);
      control.addEventListener("input", function () { self.typedInput(dim, control, error, false); });
      control.addEventListener("change", function () { self.typedInput(dim, control, error, true); });
      f.appendChild(error);
    }
    if (dim.help) {
      var help = el("p", { "class": "gb-help", id: id + "-help" }, dim.help);
      describedBy.push(help.id);
      f.appendChild(help);
    }
    var why = el("ul", { "class": "gb-why", id: id + "-why", hidden: "" });
    describedBy.push(why.id);
    f.appendChild(why);
    control.setAttribute("aria-describedby", describedBy.join(" "));
    this.controls[name] = { control: control, why: why, field: f, error: error };
    return f;
  };

  /* A typed value: into the guide when it is accepted; else marked, and the
     guide says it does not show it. */
  Builder.prototype.typedInput = function (dim, control, error, commit) {
    var value;
    try {
      value = this.ed.typed(dim, control.value);
      var trial = Object.assign({}, this.values);
      trial[dim.name] = value;
      var c = this.ed.broken(trial, false);
      if (c) throw new Error(c.reason);
    } catch (e) {
      this.markInvalid(dim.name, e.message);
      return;
    }
    this.markInvalid(dim.name, null);
    this.change(dim.name, value, commit);
  };

  Builder.prototype.markInvalid = function (name, message) {
    var c = this.controls[name];
    if (message === null) {
      if (!(name in this.invalid)) return;
      delete this.invalid[name];
      c.error.hidden = true;
      c.error.textContent = "";
      c.control.removeAttribute("aria-invalid");
    } else {
      this.invalid[name] = message;
      c.error.textContent = message;
      c.error.hidden = false;
      c.control.setAttribute("aria-invalid", "true");
    }
    this.showStale();
  };

  /* Until every typed value is accepted, the guide says that it does not show them. */
  Builder.prototype.showStale = function () {
    var self = this, box = this.stale, names = Object.keys(this.invalid);
    var sig = JSON.stringify(names.map(function (n) {
      return [n, self.invalid[n], self.controls[n].control.value, String(self.values[n])];
    }));
    if (box.dataset.shown === sig) return;  // unchanged: the reader may be about to press its link
    box.dataset.shown = sig;
    while (box.firstChild) box.removeChild(box.firstChild);
    box.hidden = !names.length;
    if (names.length) this.guide.setAttribute("data-stale", "");
    else this.guide.removeAttribute("data-stale");
    if (!names.length) return;
    box.appendChild(el("p", { "class": "admonition-title" }, "This guide is not up to date"));
    box.appendChild(el("p", null, "It still shows your earlier " + (names.length > 1 ? "values" : "value") +
                        " for what is marked here; fix " + (names.length > 1 ? "them" : "it") +
                        " in your setup and the guide follows:"));
    var ul = el("ul");
    names.forEach(function (name) {
      var li = el("li"), dim = self.ed.dims[name];
      var a = el("a", { href: "#gb-" + name }, dim.label);
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        self.panel.open = true;
        self.controls[name].control.focus();
      });
      li.appendChild(a);
      li.appendChild(document.createTextNode(" " + shown(self.controls[name].control.value) + ": " +
                                             self.invalid[name] + " (the guide shows " +
                                             shown(self.values[name]) + ")"));
      ul.appendChild(li);
    });
    box.appendChild(ul);
  };

  /* The reader's own choices (as the CLI's flags): the rest follows the
     recommendation, as `howto guide` resolves it. */
  Builder.prototype.setGiven = function (given, ed) {
    var r = (ed || this.ed).resolveWithNotes(given);
    if (ed) this.ed = ed;
    this.given = given;
    this.values = r.values;
    this.departures = r.departures;
  };

  Builder.prototype.change = function (name, value, commit) {
    var t0 = performance.now();
    var values = Object.assign({}, this.values);
    values[name] = value;
    if (this.ed.broken(values, false)) { this.sync(); return; } // a disabled choice: keep the selection
    var given = Object.assign({}, this.given);
    given[name] = value;
    try { this.setGiven(given); } catch (e) { this.sync(); return; }
    this.render();
    this.timings.push(performance.now() - t0);
    if (commit) this.rememberSoon();
  };

  /* The address follows right after the guide is shown: pushing a history
     entry costs the browser more than composing the guide does. */
  Builder.prototype.rememberSoon = function () {
    var self = this;
    if (this.pendingRemember) return;
    this.pendingRemember = setTimeout(function () {
      self.pendingRemember = null;
      if (document.contains(self.root)) self.remember(false);
    }, 0);
  };

  /* Another day: the reader's choices that day offers are kept. */
  Builder.prototype.changeEdition = function (asOf, commit) {
    var ed = this.edition(asOf);
    if (!ed) return;
    var given = this.given, kept = {};
    Object.keys(given).forEach(function (k) {
      try { kept[k] = ed.typed(ed.dims[k], given[k]); } catch (e) { /* not offered then */ }
    });
    try { this.setGiven(kept, ed); } catch (e) { this.setGiven({}, ed); }
    this.render();
    if (commit) this.remember(false);
  };

  Builder.prototype.applyNamed = function (n) {
    this.select(this.edition(n.as_of), n.given, true);
  };

  Builder.prototype.select = function (ed, given, commit) {
    var typedGiven = {};
    Object.keys(given).forEach(function (k) { typedGiven[k] = ed.typed(ed.dims[k], given[k]); });
    this.setGiven(typedGiven, ed);
    this.render();
    if (commit) this.remember(false);
  };

  /* --- the guide's tools ---------------------------------------------------- */

  Builder.prototype.say = function (text) {
    var s = this.toolStatus;
    s.textContent = text;
    clearTimeout(this.sayTimer);
    this.sayTimer = setTimeout(function () { s.textContent = ""; }, 6000);
  };

  Builder.prototype.copyCommands = function () {
    var text = this.commands, self = this;
    var lines = text.split("\n").filter(function (l) { return l && l.charAt(0) !== "#"; }).length;
    function done() { self.say("Copied " + lines + " lines of dom0 commands."); }
    function fallback() {  // no clipboard API (an address that is not https): the browser's copy command
      var t = el("textarea", { readonly: "", "aria-hidden": "true", "class": "gb-copy-buffer" });
      t.value = text;
      document.body.appendChild(t);
      t.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(t);
      if (ok) done(); else self.say("The browser did not let this page copy: download the shell script instead.");
    }
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  };

  Builder.prototype.download = function (name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
    var a = el("a", { href: url, download: name, hidden: "" });
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    this.say("Downloaded " + name + ".");
  };

  Builder.prototype.showGuide = function () {
    this.guide.scrollIntoView({ block: "start" });
    this.guide.focus({ preventScroll: true });
  };

  /* The step the address names (#step-ID), once the guide shows it. */
  Builder.prototype.toStep = function () {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!/^step-[\w-]+$/.test(id)) return;
    var target = document.getElementById(id);
    if (target && this.guide.contains(target)) target.scrollIntoView({ block: "start" });
  };

  /* --- the address ---------------------------------------------------------- */

  Builder.prototype.query = function () {
    var p = new URLSearchParams(), ed = this.ed, given = this.given;
    if (ed.mx.as_of !== this.data.as_of) p.set("as_of", ed.mx.as_of);
    ed.order.forEach(function (k) {
      if (!(k in given)) return;
      var v = given[k];
      p.set(k, v === true ? "yes" : v === false ? "no" : String(v));
    });
    var q = p.toString();
    return q ? "?" + q : "";
  };

  Builder.prototype.remember = function (replace) {
    var url = location.pathname + this.query() + location.hash;
    if (!replace && url === location.pathname + location.search + location.hash) return;
    var state = { guideBuilder: true };
    if (replace) history.replaceState(state, "", url);
    else history.pushState(state, "", url);
  };

  /* Read the selection from the address; what cannot be used is noted, never shown as markup. */
  Builder.prototype.fromAddress = function () {
    var notes = [], self = this;
    var params = new URLSearchParams(location.search);
    var ed = this.edition(this.data.as_of);
    var asOf = params.getAll("as_of");
    if (asOf.length) {
      if (this.edition(asOf[0])) ed = this.edition(asOf[0]);
      else {
        var days = this.data.editions.map(function (e) { return e.as_of; }).sort();
        notes.push("as_of " + shown(asOf[0]) + " ignored: this site's builder has the HOWTO as of the " +
                   days.length + " days its history lists, from " + days[0] + " to " + days[days.length - 1]);
      }
    }
    var given = {}, seen = {};
    params.forEach(function (raw, key) {
      if (key === "as_of") return;
      var name = key.replace(/-/g, "_");
      if (!Object.prototype.hasOwnProperty.call(ed.dims, name)) {
        notes.push(shown(key) + " ignored: not a setup option");
        return;
      }
      var dim = ed.dims[name];
      if (seen[name]) { notes.push(dim.label + " " + shown(raw) + " ignored: given twice"); return; }
      seen[name] = true;
      var value;
      try { value = ed.typed(dim, raw); } catch (e) {
        notes.push(dim.label + " " + shown(raw) + " ignored: " + e.message);
        return;
      }
      var trial = Object.assign({}, given);
      trial[name] = value;
      var c = ed.broken(trial, true);
      if (c) { notes.push(dim.label + " " + shown(raw) + " ignored: " + c.reason); return; }
      given[name] = value;
    });
    try { this.setGiven(given, ed); } catch (e) {
      notes.push("the address's setup ignored: " + e.message);
      this.setGiven({}, this.edition(this.data.as_of));
    }
    this.showNotes(notes);
    this.render();
    if (notes.length) this.remember(true); // the address now says what is shown
    this.toStep();
  };

  Builder.prototype.showNotes = function (notes) {
    var box = this.urlNotes;
    while (box.firstChild) box.removeChild(box.firstChild);
    box.hidden = !notes.length;
    if (!notes.length) return;
    box.appendChild(el("p", { "class": "admonition-title" }, "Some of the address could not be used"));
    var ul = el("ul");
    notes.forEach(function (n) { ul.appendChild(el("li", null, n)); });
    box.appendChild(ul);
  };

  /* --- rendering ------------------------------------------------------------ */

  /* The first of the constraints ``list`` (indexes, in order) the values break, or null. */
  Edition.prototype.firstBroken = function (values, list) {
    var cs = this.mx.constraints;
    for (var i = 0; i < list.length; i++) if (this.violated(values, cs[list[i]])) return cs[list[i]];
    return null;
  };

  /* The constraints a new value of ``name`` can break, given those the values break already. */
  function checked(ed, name, already) {
    var own = ed.byDim[name] || [];
    if (!already.length) return own;
    var all = own.concat(already.filter(function (i) { return own.indexOf(i) < 0; }));
    return all.sort(function (a, b) { return a - b; });
  }

  Builder.prototype.sync = function () {
    var self = this, ed = this.ed, values = this.values;
    if (this.asOfSelect && this.asOfSelect.value !== ed.mx.as_of) this.asOfSelect.value = ed.mx.as_of;
    var already = [];  // constraints the shown values break (none, as they were resolved): checked for every choice
    ed.mx.constraints.forEach(function (c, i) { if (ed.violated(values, c)) already.push(i); });
    var trial = Object.assign({}, values);
    ed.order.forEach(function (name) {
      var dim = ed.dims[name], c = self.controls[name], control = c.control;
      var reasons = [], list = checked(ed, name, already);
      if (dim.kind === "flag") {
        if (control.checked !== !!values[name]) control.checked = !!values[name];
        trial[name] = !values[name];
        var bf = ed.firstBroken(trial, list);
        if (control.disabled !== !!bf) control.disabled = !!bf;
        if (bf) reasons.push([values[name] ? "no" : "yes", bf.reason]);
      } else if (control.tagName === "SELECT") {
        var options = control.options;
        if (name === "xen" || name === "netbsd") self.setOptions(control, dim);
        for (var i = 0; i < options.length; i++) {
          var o = options[i];
          trial[name] = o.value;
          var b = o.value === String(values[name]) ? null : ed.firstBroken(trial, list);
          var text = b ? o.dataset.text + " \u2014 unavailable" : o.dataset.text;
          if (o.disabled !== !!b) o.disabled = !!b;
          if (o.textContent !== text) o.textContent = text;
          if (b) { if (o.title !== b.reason) o.title = b.reason; reasons.push([o.value, b.reason]); }
          else if (o.hasAttribute("title")) o.removeAttribute("title");
        }
        if (control.value !== String(values[name])) control.value = String(values[name]);
      } else {
        if (document.activeElement !== control && control.value !== String(values[name])) {
          control.value = String(values[name]); // never under the reader's cursor
          if (name in self.invalid) self.markInvalid(name, null);
        }
        if (dim.empty && !truthy(values[name])) {
          trial[name] = "*";
          var bt = ed.firstBroken(trial, list);
          if (control.disabled !== !!bt) control.disabled = !!bt;
          if (bt) reasons.push(["any value", bt.reason]);
        } else if (control.disabled) control.disabled = false;
      }
      trial[name] = values[name];
      self.showReasons(c.why, reasons);
    });
    this.syncCli();
  };

  Builder.prototype.syncCli = function () {
    var ed = this.ed, given = this.given;
    var cli = ["howto", "guide"];
    if (ed.mx.as_of !== this.data.as_of) cli.push("--as-of", ed.mx.as_of);
    ed.order.forEach(function (k) {
      if (!(k in given)) return;
      if (ed.dims[k].kind === "flag") { if (given[k]) cli.push(ed.dims[k].flag); }
      else cli.push(ed.dims[k].flag, given[k] === "" ? "''" : String(given[k]));
    });
    var p = this.cli, command = cli.join(" ");
    if (p.dataset.command === command) return;
    p.dataset.command = command;
    while (p.firstChild) p.removeChild(p.firstChild);
    p.appendChild(document.createTextNode("The same guide from the command line: "));
    p.appendChild(el("code", null, command));
  };

  /* The named setup whose guide is shown (marked), and the setup in words on the folded panel. */
  Builder.prototype.syncNamed = function () {
    var self = this, active = null;
    this.data.named.forEach(function (n) {
      var v = self.ed.namedValues(n);
      var on = !!v && sameValues(v, self.values, self.ed.order);
      var b = self.presets[n.id];
      if (on) { active = active || n; if (b.getAttribute("aria-current") !== "true") b.setAttribute("aria-current", "true"); }
      else if (b.hasAttribute("aria-current")) b.removeAttribute("aria-current");
    });
    var v = this.values;
    var words = (active ? active.title : "Xen " + v.xen + ", " + v.toolstack + ", NetBSD " + v.netbsd + " " +
                 v.dom0_arch + " dom0, " + v.domu_type + " " + v.domu + " domU") +
                (this.ed.mx.as_of !== this.data.as_of ? " (as of " + this.ed.mx.as_of + ")" : "");
    if (this.summary.textContent !== words) this.summary.textContent = words;
  };

  Builder.prototype.setOptions = function (select, dim) {
    var want = dim.choices.map(String).join("\n");
    if (select.dataset.choices === want) return;
    while (select.firstChild) select.removeChild(select.firstChild);
    var pk = this.ed.mx.packages;
    dim.choices.forEach(function (c) {
      var text = dim.name === "xen" && pk[c] ? c + " (" + pk[c]["package"] + ")" : String(c);
      var o = el("option", { value: String(c) }, text);
      o.dataset.text = text;
      select.appendChild(o);
    });
    select.dataset.choices = want;
  };

  Builder.prototype.showReasons = function (ul, reasons) {
    var sig = JSON.stringify(reasons);
    if (ul.dataset.reasons === sig) return;
    ul.dataset.reasons = sig;
    while (ul.firstChild) ul.removeChild(ul.firstChild);
    ul.hidden = !reasons.length;
    var byReason = {}, order = [];
    reasons.forEach(function (r) {
      if (!byReason[r[1]]) { byReason[r[1]] = []; order.push(r[1]); }
      byReason[r[1]].push(r[0]);
    });
    order.forEach(function (reason) {
      var li = el("li");
      li.appendChild(el("strong", null, byReason[reason].join(", ") + ":"));
      li.appendChild(document.createTextNode(" " + reason));
      ul.appendChild(li);
    });
  };

  /* One element for a block of the composed guide. */
  Builder.prototype.element = function (b) {
    if (b.html !== undefined) {
      var t = document.createElement("template");
      t.innerHTML = b.html; // pre-rendered at build time from the page: no reader value in it
      var div = el("div", { "class": "gb-prose" });
      div.appendChild(t.content);
      return div;
    }
    if (b.code !== undefined) {
      var wrap = el("div", { "class": "gb-snippet gb-snippet--" + b.kind });
      var p = el("p");
      p.appendChild(el("em", null, b.label + ":"));
      wrap.appendChild(p);
      var id = "gb-code-" + (++this.codeSeq);
      var pre = el("pre", { id: id });
      var nav = el("nav", { "class": "md-code__nav" });
      // Material's own copy button: its clipboard integration serves it like its own code blocks'
      nav.appendChild(el("button", {
        type: "button", "class": "md-code__button", title: "Copy to clipboard", "aria-label": "Copy to clipboard",
        "data-clipboard-target": "#" + id + " > code", "data-md-type": "copy"
      }));
      pre.appendChild(nav);
      pre.appendChild(el("code", null, b.code));
      wrap.appendChild(pre);
      return wrap;
    }
    if (b.tag === "ul") {
      var ul = el("ul");
      b.items.forEach(function (i) { ul.appendChild(el("li", null, i)); });
      return ul;
    }
    var h = el(b.tag, b.anchor ? { id: b.anchor } : null, b.text);
    if (b.anchor) {  // a link to the step, as Material links a page's headings
      h.appendChild(el("a", { "class": "headerlink", href: "#" + b.anchor, title: "Link to this step" }, "\u00b6"));
    }
    return h;
  };

  /* Equal keys, equal elements (a text's index is shared by every edition). */
  function blockKey(b) {
    if (b.key) return "t" + b.key;
    if (b.code !== undefined) return "c" + b.kind + "\u0000" + b.label + "\u0000" + b.code;
    if (b.items) return "l" + b.items.join("\u0000");
    return b.tag + "\u0000" + b.text + "\u0000" + (b.anchor || "");
  }

  /* Make parent's children exactly these nodes, moving as few as possible. */
  function reconcile(parent, nodes) {
    for (var i = 0; i < nodes.length; i++) {
      if (parent.childNodes[i] !== nodes[i]) parent.insertBefore(nodes[i], parent.childNodes[i] || null);
    }
    while (parent.childNodes.length > nodes.length) parent.removeChild(parent.lastChild);
  }

  /* Show the guide for the current values; blocks that did not change keep their elements. */
  Builder.prototype.render = function () {
    var result = this.ed.compose(this.values, this.departures), self = this;
    this.composed = result;
    this.sync();
    this.syncNamed();
    var old = this.blockNodes || {}, fresh = {}, sections = this.sections || {}, keptSections = {};
    var top = [], inStep = {}, steps = 0;
    result.blocks.forEach(function (b) {
      var key = blockKey(b);
      var list = old[key];
      var node = list && list.length ? list.shift() : self.element(b);
      (fresh[key] = fresh[key] || []).push(node);
      if (b.step === undefined) { top.push(node); return; }
      if (!inStep[b.step]) {
        steps++;
        var section = sections[b.step] || el("section", { "class": "gb-step", "data-step": b.step });
        keptSections[b.step] = section;
        inStep[b.step] = [];
        top.push(section);
      }
      inStep[b.step].push(node);
    });
    Object.keys(inStep).forEach(function (id) { reconcile(keptSections[id], inStep[id]); });
    reconcile(this.guide, top);
    this.blockNodes = fresh;
    this.sections = keptSections;
    var status = "Your guide has " + steps + " step" + (steps === 1 ? "" : "s") + ".";
    if (this.status.textContent !== status) this.status.textContent = status;
    if (Object.keys(this.invalid).length) this.showStale();
  };

  /* --- wiring --------------------------------------------------------------- */

  function load(url) {
    if (!dataCache[url]) {
      dataCache[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("the builder's data " + url + " answered " + r.status);
        return r.json();
      });
    }
    return dataCache[url];
  }

  function mount() {
    var root = document.querySelector(ROOT);
    if (!root) { current = null; return; }
    if (current && current.root === root) return;
    var url = new URL(root.getAttribute("data-guide-builder"), location.href).href;
    var pending = root;
    load(url).then(function (data) {
      if (document.querySelector(ROOT) !== pending) return; // navigated away meanwhile
      current = new Builder(pending, data);
      current.fromAddress();
      window.guideBuilder = current;
    }).catch(function (e) {
      var p = el("p", { "class": "gb-error" }, "The guide builder could not start: " + e.message);
      pending.appendChild(p);
      throw e;
    });
  }

  window.addEventListener("popstate", function () {
    if (current && document.contains(current.root) && location.pathname === current.path) current.fromAddress();
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { mount(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }

  window.GuideBuilder = { Edition: Edition, evaluate: evaluate, versionKey: versionKey };
})();
