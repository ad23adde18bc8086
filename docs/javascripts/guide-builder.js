/* "Build your guide": the tailored guide of `howto guide`, composed in the
 * browser from the builder's data (xenhowto/guide/matrix.py, written next to
 * the page by hooks/guide_builder.py).  Plain ES2017, no framework, no
 * network beyond that one file of the site.
 *
 * - conditions are evaluated as xenhowto/guide/conditions.py evaluates them;
 * - a selection given in the address is resolved as `howto guide` resolves
 *   its flags (setup.resolve, mirrored by matrix.resolve_given);
 * - the guide is composed as compose.to_markdown composes it (mirrored by
 *   matrix.compose_markdown) and shown as HTML: prose pre-rendered at build
 *   time, everything the reader typed set as text, never as markup.
 */
(function () {
  "use strict";

  var ROOT = "[data-guide-builder]";
  var dataCache = {};
  var current = null; // the mounted builder, if the page shows one

  /* --- conditions -------------------------------------------------------- */

  function pyStr(v) {
    if (v === undefined || v === null) return "None";
    if (v === true) return "True";
    if (v === false) return "False";
    return String(v);
  }

  function versionKey(v) {
    var s = pyStr(v);
    if (s === "current") return [1, []];
    if (/^\d+(\.\d+)*$/.test(s)) return [0, s.split(".").map(Number)];
    return [2, [s]];
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

  /* The guide for a complete setup: {markdown, blocks}; blocks describe the DOM. */
  Edition.prototype.compose = function (values, departures) {
    var mx = this.mx, h = mx.header, texts = mx.texts, self = this;
    var pkg = mx.packages[values.xen];
    var title = format(h.title, values), intro = format(h.intro, { as_of: mx.as_of });
    var md = [title, "", intro, ""];
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
      md.push(line);
      items.push(line.replace(/^- /, ""));
    });
    blocks.push({ tag: "ul", items: items });
    md.push("");
    (departures || []).forEach(function (d) {
      md.push(self.departureNote(d, "md"), "");
      blocks.push({ html: self.departureNote(d, "html") });
    });
    mx.notes.forEach(function (note) {
      if (!applies(note.when, values)) return;
      md.push(texts[note.md], "");
      blocks.push({ html: texts[note.html], key: mx.as_of + "/" + note.html });
    });
    var number = 0;
    mx.steps.forEach(function (step) {
      if (!applies(step.when, values)) return;
      var parts = [], shown = [];
      step.pieces.forEach(function (piece) {
        if (!applies(piece.when, values)) return;
        if (piece.md !== undefined) {
          parts.push(fill(texts[piece.md], values));
          var prose = texts[piece.html];
          if (typeof prose === "string") shown.push({ html: prose, key: mx.as_of + "/" + piece.html });
          else {  // the reader's values in the prose: escaped, though every slot's pattern allows no markup
            var html = fillEscaped(prose, values);
            shown.push({ html: html, key: mx.as_of + "/" + piece.html + "/" + html });
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
        shown.push({ label: label, code: codeText(content), kind: piece.kind });
      });
      if (!parts.length) return;
      number += 1;
      var title = format(h.step, { number: number, title: step.title });
      md.push(title, "", parts.join("\n\n"), "");
      blocks.push({ tag: "h2", text: title.replace(/^## /, ""), step: step.id });
      shown.forEach(function (b) { b.step = step.id; blocks.push(b); });
    });
    return { markdown: md.join("\n").replace(/\n+$/, "") + "\n", blocks: blocks };
  };

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

  function Builder(root, data) {
    this.root = root;
    this.data = data;
    this.path = location.pathname;
    this.editions = Object.create(null);  // keyed by ?as_of=: no inherited names
    for (var i = 0; i < data.editions.length; i++) this.editions[data.editions[i].as_of] = new Edition(data.editions[i]);
    this.ed = this.editions[data.as_of];
    this.setGiven({});
    this.codeSeq = 0;
    this.timings = [];
    this.build();
  }

  Builder.prototype.build = function () {
    var self = this, root = this.root;
    while (root.firstChild) root.removeChild(root.firstChild);
    root.classList.add("gb-ready");

    var form = el("form", { "class": "gb-form", "aria-label": "Your setup" });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    this.form = form;

    this.urlNotes = el("div", { "class": "admonition warning gb-url-notes", role: "status", hidden: "" });
    root.appendChild(this.urlNotes);

    var presets = el("div", { "class": "gb-presets" });
    presets.appendChild(el("p", { "class": "gb-presets__title", id: "gb-presets-title" }, "Start from a named setup:"));
    var plist = el("ul", { "aria-labelledby": "gb-presets-title" });
    this.data.named.forEach(function (n) {
      var li = el("li");
      var b = el("button", { type: "button", "class": "md-button gb-preset", "data-named": n.id }, n.title);
      b.addEventListener("click", function () { self.applyNamed(n); });
      li.appendChild(b);
      plist.appendChild(li);
    });
    presets.appendChild(plist);
    form.appendChild(presets);

    var grid = el("div", { "class": "gb-fields" });
    this.controls = {};
    if (this.data.editions.length > 1) {
      var f = el("div", { "class": "gb-field", "data-dim": "as_of" });
      f.appendChild(el("label", { "for": "gb-as_of" }, "HOWTO as of"));
      var s = el("select", { id: "gb-as_of", name: "as_of" });
      this.data.editions.forEach(function (e) { s.appendChild(el("option", { value: e.as_of }, e.as_of)); });
      s.addEventListener("change", function () { self.changeEdition(s.value); });
      f.appendChild(s);
      f.appendChild(el("p", { "class": "gb-help" }, "the facts of data/ known by that date"));
      grid.appendChild(f);
      this.asOfSelect = s;
    }
    this.ed.order.forEach(function (name) { grid.appendChild(self.field(self.ed.dims[name])); });
    form.appendChild(grid);

    var actions = el("div", { "class": "gb-actions" });
    var reset = el("button", { type: "button", "class": "md-button" }, "Back to the recommendation");
    reset.addEventListener("click", function () { self.select(self.editions[self.data.as_of], {}, true); });
    actions.appendChild(reset);
    var print = el("button", { type: "button", "class": "md-button" }, "Print the guide");
    print.addEventListener("click", function () { window.print(); });
    actions.appendChild(print);
    form.appendChild(actions);

    this.cli = el("p", { "class": "gb-cli" });
    form.appendChild(this.cli);
    root.appendChild(form);

    this.status = el("p", { "class": "gb-status", role: "status", "aria-live": "polite" });
    root.appendChild(this.status);
    this.guide = el("section", { "class": "gb-guide", "aria-label": "Your guide" });
    root.appendChild(this.guide);
  };

  Builder.prototype.field = function (dim) {
    var self = this, name = dim.name, id = "gb-" + name;
    var f = el("div", { "class": "gb-field gb-field--" + dim.kind, "data-dim": name });
    var describedBy = [];
    var control;
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
      var error = el("p", { "class": "gb-error", id: id + "-error", hidden: "" });
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
    this.controls[name] = { control: control, why: why, field: f };
    return f;
  };

  Builder.prototype.typedInput = function (dim, control, error, commit) {
    var value;
    try {
      value = this.ed.typed(dim, control.value);
      var trial = Object.assign({}, this.values);
      trial[dim.name] = value;
      var c = this.ed.broken(trial, false);
      if (c) throw new Error(c.reason);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
      control.setAttribute("aria-invalid", "true");
      return;
    }
    error.hidden = true;
    error.textContent = "";
    control.removeAttribute("aria-invalid");
    this.change(dim.name, value, commit);
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

  Builder.prototype.changeEdition = function (asOf) {
    var ed = this.editions[asOf];
    var given = this.given, kept = {};
    Object.keys(given).forEach(function (k) {
      try { kept[k] = ed.typed(ed.dims[k], given[k]); } catch (e) { /* not offered then */ }
    });
    try { this.setGiven(kept, ed); } catch (e) { this.setGiven({}, ed); }
    this.render();
    this.remember(false);
  };

  Builder.prototype.applyNamed = function (n) {
    var ed = this.editions[n.as_of];
    this.select(ed, n.given, true);
  };

  Builder.prototype.select = function (ed, given, commit) {
    var typedGiven = {};
    Object.keys(given).forEach(function (k) { typedGiven[k] = ed.typed(ed.dims[k], given[k]); });
    this.setGiven(typedGiven, ed);
    this.render();
    if (commit) this.remember(false);
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
    var ed = this.editions[this.data.as_of];
    var asOf = params.getAll("as_of");
    if (asOf.length) {
      if (this.editions[asOf[0]]) ed = this.editions[asOf[0]];
      else notes.push("as_of " + shown(asOf[0]) + " ignored: this site's builder has the HOWTO as of " +
                      Object.keys(this.editions).join(" and "));
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
      this.setGiven({}, this.editions[this.data.as_of]);
    }
    this.showNotes(notes);
    this.render();
    if (notes.length) this.remember(true); // the address now says what is shown
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

  Builder.prototype.sync = function () {
    var self = this, ed = this.ed, values = this.values;
    if (this.asOfSelect) this.asOfSelect.value = ed.mx.as_of;
    ed.order.forEach(function (name) {
      var dim = ed.dims[name], c = self.controls[name], control = c.control;
      var reasons = [];
      if (dim.kind === "flag") {
        if (control.checked !== !!values[name]) control.checked = !!values[name];
        var t = Object.assign({}, values);
        t[name] = !values[name];
        var bf = ed.broken(t, false);
        if (control.disabled !== !!bf) control.disabled = !!bf;
        if (bf) reasons.push([values[name] ? "no" : "yes", bf.reason]);
      } else if (control.tagName === "SELECT") {
        var options = control.options;
        if (name === "xen" || name === "netbsd") self.setOptions(control, dim);
        for (var i = 0; i < options.length; i++) {
          var o = options[i], trial = Object.assign({}, values);
          trial[name] = o.value;
          var b = o.value === String(values[name]) ? null : ed.broken(trial, false);
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
          control.removeAttribute("aria-invalid");
          var err = document.getElementById(control.id + "-error");
          if (err) { err.hidden = true; err.textContent = ""; }
        }
        if (dim.empty && !truthy(values[name])) {
          var tt = Object.assign({}, values);
          tt[name] = "*";
          var bt = ed.broken(tt, false);
          if (control.disabled !== !!bt) control.disabled = !!bt;
          if (bt) reasons.push(["any value", bt.reason]);
        } else if (control.disabled) control.disabled = false;
      }
      self.showReasons(c.why, reasons);
    });
    var given = this.given;
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
    return el(b.tag, null, b.text);
  };

  /* Equal keys, equal elements (a text's index is an edition's own). */
  function blockKey(b) {
    if (b.key) return "t" + b.key;
    if (b.code !== undefined) return "c" + b.kind + "\u0000" + b.label + "\u0000" + b.code;
    if (b.items) return "l" + b.items.join("\u0000");
    return b.tag + "\u0000" + b.text;
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
    this.markdown = result.markdown;
    this.sync();
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
    this.status.textContent = "Your guide has " + steps + " step" + (steps === 1 ? "" : "s") + ".";
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
