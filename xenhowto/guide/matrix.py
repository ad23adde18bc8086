"""The guide builder's data: everything the site's "Build your guide" page needs
to compose any setup's guide in the browser, generated at build time from the
same page and data/ as ``howto guide``.

    mx = build(project, as_of)               # one edition: a JSON-ready dict
    values = resolve_given(mx, {"xen": "4.2"})   # as setup.resolve does
    compose_markdown(mx, values)             # == compose.to_markdown(...) for that setup
    compose_script(mx, values)               # == compose.to_shell(...)
    compose_commands(mx, values)             # == compose.dom0_commands(...)

The site ships an edition for each day the builder can be read as of,
packed together (xenhowto.guide.editions).

The browser (docs/javascripts/guide-builder.js) does what ``resolve_given``
and the ``compose_*`` functions do, on the same data; the tests check both
against the CLI.  The data form of an edition (version ``FORMAT``):

- ``as_of``; ``header``: the guide's fixed lines with ``{placeholders}``,
  and ``script``: the shell script's frame (guide.script.FRAME);
- ``dimensions``: ``[{name, kind, label, help, flag, choices, default,
  candidates, slot, empty, listed}]`` in the setup model's order.  ``choices`` for
  xen are the versions known by ``as_of``, for netbsd the branches and
  ``current``; ``default`` is ``resolve({})``'s value; ``candidates`` is the
  order in which resolve tries values for an unset dimension; ``slot`` marks
  values the reader types (substituted verbatim); ``empty`` says whether the
  value may be empty (then snippets branch on set / not set); ``listed``:
  the condition under which the guide's setup list shows it (null: always);
- ``validate``: ``{kind: {pattern, advice}}`` for typed values, with
  ``minimum``/``maximum`` on the dimension for numbers and sizes (in MB);
- ``packages``: ``{xen version: {package, tools}}``;
- ``constraints``: ``[{id, when, require, reason, fact}]`` (static and
  derived from data/), conditions in the data form of ``conditions``;
- ``notes``: ``[{when, md, html}]``: the guide's notes, in order;
- ``texts``: every text once; a text is a string, or a list whose odd items
  are slot names to fill with the reader's values;
- ``steps``: ``[{id, title, title_sh, order, when, pieces}]`` in the
  guide's order (``title_sh``: the title quoted for the shell); a piece is
  ``{when, md, html, sh}`` (prose as markdown, HTML and script comments:
  indices into ``texts``) or ``{when, kind, host, action, dims, variants,
  table}`` (a snippet): ``table`` maps a key (the values of ``dims`` joined
  by ``|``, see ``key_value``) to an index into ``variants``, each
  ``[content, label, path, sh, commands]`` (indices into ``texts``: the
  example as script text and its dom0 commands, guide.script.snippet; path
  and commands may be null).
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import re


from xenhowto import examples
from xenhowto.guide import conditions, constraints, derived, model
from xenhowto.guide import compose, script
from xenhowto.guide.fragments import applies
from xenhowto.guide.setup import candidates
from xenhowto.snippets.variables import DEPENDS, SLOTS

FORMAT = 2
# A slot's value while pre-rendering: private-use characters no page text has.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARK_RE = re.compile(f"{_OPEN}(\\w+(?:\\|(?:mb|disk))?){_CLOSE}")  # name, name|mb, name|disk (snippets.variables)
SET = "*"  # key value of an optional slot that is set


def marker(name: str) -> str:
    return f"{_OPEN}{name}{_CLOSE}"


class MatrixError(ValueError):
    """The page or data cannot be turned into builder data."""


# --- values -----------------------------------------------------------------

def key_value(dim: dict, value) -> str:
    """A dimension's value as it appears in a snippet table's key."""
    if dim["kind"] == "flag":
        return "1" if value else "0"
    if dim["slot"]:
        return SET if value else ""
    return str(value)


def _py_str(value) -> str:
    return str(value)


def _slot(part: str, values: dict) -> str:
    from xenhowto.snippets.variables import partition_disk, size_mb

    name, _, how = part.partition("|")
    value = _py_str(values.get(name, ""))
    return size_mb(value) if how == "mb" else partition_disk(value) if how == "disk" else value


def fill(text, values: dict) -> str:
    """A text of ``texts`` with its slots filled (``name|mb``: a size in MB)."""
    if isinstance(text, str):
        return text
    return "".join(part if i % 2 == 0 else _slot(part, values) for i, part in enumerate(text))


def split(text: str):
    """A text with slots as ``texts`` holds it: a string, or a list whose odd
    items are slot names."""
    return _split(text)


def _split(text: str):
    parts = _MARK_RE.split(text)
    if len(parts) == 1:
        return text
    if _OPEN in "".join(parts[::2]) or _CLOSE in "".join(parts[::2]):
        raise MatrixError(f"a slot marker is left over in {text!r}")
    return parts


# --- building -----------------------------------------------------------------

class _Texts:
    def __init__(self):
        self.items: list = []
        self._index: dict = {}

    def add(self, text) -> int | None:
        if text is None:
            return None
        key = text if isinstance(text, str) else tuple(text)
        if key not in self._index:
            self._index[key] = len(self.items)
            self.items.append(text)
        return self._index[key]


def _notes(m: model.SetupModel) -> list[tuple[list, str]]:
    # The incomplete-instructions notes of setup.resolve, in its order.
    return [(cond, note) for cond, note in getattr(m, "incomplete", ())]


@functools.lru_cache(maxsize=4096)  # the same notes and reasons in every edition
def _html(text: str) -> str:
    """Prose for the builder, which shows it with innerHTML: as the site's
    htmlscrubber leaves it, within markdown's limits."""
    from xenhowto.ikiwiki.limits import markdown_to_html

    return markdown_to_html(text)[0]


def _inline_html(text: str) -> str:
    """Python-Markdown's HTML of one line of text, without the paragraph (as
    _html: the builder shows it with innerHTML)."""
    out = _html(text)
    return out[len("<p>"):-len("</p>")] if out.startswith("<p>") and out.endswith("</p>") else out


def _domain(d: dict) -> list:
    if d["kind"] == "flag":
        return [False, True]
    if d["slot"]:
        return ["", marker(d["name"])] if d["empty"] else [marker(d["name"])]
    return list(d["choices"])


_VALID: dict = {}  # the same dimensions, domains and rules have the same valid combinations


def _valid(cdims: list[str], domains: list[list], rules: list[dict]) -> list[dict]:
    """Every combination of the constraint dimensions' values no rule forbids."""
    key = json.dumps([cdims, domains, [[c["when"], c["require"]] for c in rules]], sort_keys=True, default=str)
    if key not in _VALID:
        import hashlib

        from xenhowto import diskcache, digest

        if len(_VALID) > 32:
            _VALID.clear()
        # kept on disk too (under the question and the code that answers it):
        # the first rebuild of a `mkdocs serve` session need not enumerate again
        _VALID[key] = diskcache.cached(
            "valid-setups", digest.of(hashlib.sha256(key.encode()).hexdigest(), digest.code(__name__)),
            lambda: [values for values in (dict(zip(cdims, combo)) for combo in itertools.product(*domains))
                     if not any(_violated(values, c) for c in rules)], expect=list)
    return [dict(v) for v in _VALID[key]]


def _violated(values: dict, c: dict) -> bool:
    if c["when"] is not None and not conditions.evaluate(c["when"], values):
        return False
    return not conditions.evaluate(c["require"], values)


def _snippet_dims(piece, dims: dict) -> set[str]:
    """The setup dimensions an example reads: its template's variables (and
    what derived ones depend on, variables.DEPENDS) and <dim> in its path."""
    params = {k: v for k, v in piece.directive.params if k is not None}
    out: set[str] = set()
    names: set[str] = set(re.findall(r"<(\w+)>", params.get("path", "")))
    if params.get("template"):
        names |= examples.template_variables(params["template"])
    for v in names:
        for d in DEPENDS.get(v, (v,)):
            if d in dims:
                out.add(d)
    return out


def _remembered(memo: dict | None, as_of: dt.date, piece, both, compute):
    """``compute()`` for a piece of a step, from ``memo`` when it has it.  A
    piece's result depends on the piece (not on where it is on the page), the
    step's condition and the date; whoever keeps ``memo`` between builds keys
    it by everything else (the data, the templates, this code)."""
    if memo is None:
        return compute()
    import hashlib

    d = piece.directive
    # repr: the parts are strings, lists and None, shown the same in every process (and faster than JSON)
    key = hashlib.sha256(repr((as_of.isoformat(), piece.when, both, piece.text, piece.markdown, piece.kind,
                               [d.name, d.params, d.raw] if d is not None else None)).encode()).hexdigest()[:32]
    if key not in memo:
        memo[key] = compute()
    memo.setdefault(_USED, set()).add(key)
    return memo[key]


_USED = "used"  # memo[_USED]: the keys this build used (the rest can be dropped)


def build(project, as_of: dt.date, facts=None, memo: dict | None = None) -> dict:
    from xenhowto.facts import load_facts
    from xenhowto.facts.recommend import recommend
    from xenhowto.facts.view import View
    from xenhowto.guide import build as guide_build
    from xenhowto.guide import setup as setup_mod

    facts = facts or load_facts()
    m = model.load()
    from xenhowto.guide import availability

    view = View(facts, as_of)
    rec = recommend(view)
    offered = availability.packages(view)
    unavailable = availability.unavailable(view)
    default = setup_mod.resolve({}, as_of, facts=facts, setup_model=m).values

    dims: dict[str, dict] = {}
    for name, d in m.dimensions.items():
        slot = name in SLOTS
        if d.kind in model.FREE_KINDS and not slot:
            raise MatrixError(f"{name}: a typed value ({d.kind}) must be one of variables.SLOTS to be filled in the browser")
        choices: list = list(d.choices)
        if name == "xen":
            choices = [p.xen for p in offered]
        elif name == "netbsd":
            choices = availability.branches(view)
        pattern = setup_mod._PATTERNS.get(d.kind)
        entry = {
            "name": name, "kind": d.kind, "label": d.label, "help": d.help, "flag": d.flag,
            "choices": choices, "default": default[name],
            "candidates": candidates(name, d, view, rec),
            # a value other than these, forced by the reader's choices, is announced (setup.departure_note)
            "recommended": setup_mod.recommended(name, rec) if d.default == "recommended" else [],
            "unavailable": unavailable.get(name, {}),
            "slot": slot, "empty": bool(pattern and pattern[0].match("")),
            # when the guide's setup list shows it (compose._setup_lines)
            "listed": d.listed,
        }
        if d.minimum is not None:
            entry["minimum"] = d.minimum
        if d.maximum is not None:
            entry["maximum"] = d.maximum
        for c in choices:
            if "|" in str(c):
                raise MatrixError(f"{name} choice {c!r}: '|' separates key values")
        dims[name] = entry

    rules = []
    for c in constraints.all_constraints(m, view):
        because = setup_mod.constraint_message(c)
        rules.append({"id": c.id, "when": c.when, "require": c.require, "reason": c.reason, "fact": c.fact,
                      "because_md": because, "because_html": _inline_html(because)})
    texts = _Texts()

    # Constraint dimensions: their valid combinations, for "can this occur?"
    cdims = sorted(set().union(*(conditions.names(c["require"]) | (conditions.names(c["when"]) if c["when"] else set())
                                 for c in rules)) & set(dims)) if rules else []
    valid = _valid(cdims, [_domain(dims[d]) for d in cdims], rules)

    derived_tables = derived.tables(view, m)

    def occurring(keys: list[str], cond: list | None) -> list[tuple]:
        """Key tuples over ``keys`` of valid setups where ``cond`` holds."""
        named = conditions.names(cond) if cond else set()
        need = set(keys) | {derived_tables[n]["from"] if n in derived_tables else n for n in named}
        inside = [d for d in cdims if d in need]
        extra = sorted(need - set(cdims))
        seen = {tuple(v[d] for d in inside) for v in valid}
        out = set()
        for part in seen:
            base = dict(zip(inside, part))
            for combo in itertools.product(*(_domain(dims[d]) for d in extra)):
                values = dict(base, **dict(zip(extra, combo)))
                if applies(cond, derived.add(values, derived_tables)):
                    out.add(tuple(key_value(dims[k], values[k]) for k in keys) + tuple(values[k] for k in keys))
        return sorted(out, key=lambda t: [str(x) for x in t])

    slot_values = {name: marker(name) for name, d in dims.items() if d["slot"]}
    ctx = guide_build.page_context(project, as_of)

    def prose_piece(piece) -> tuple | None:
        text = piece.markdown if piece.markdown is not None else compose.prose(piece.text, ctx)
        return (_split(text), _split(_html(text)), _split(script.prose(text))) if text else None

    def snippet_piece(piece, both) -> tuple | None:
        """(dims, variants, table, host, action), each variant [content, label, path, script, command] as
        texts hold them; None when no valid setup shows the example."""
        keys = sorted(_snippet_dims(piece, dims))
        variants: list[list] = []
        table: dict[str, int] = {}
        first = None
        for row in occurring(keys, both):
            key = "|".join(row[:len(keys)])
            values = dict(default, **slot_values, as_of=as_of)
            values.update(zip(keys, row[len(keys):]))
            ex = compose.example_for(piece, values, ctx, facts=facts)
            first = first or ex
            sh, cmd = compose.snippet_script(ex)
            variant = [_split(ex.content), _split(ex.label), _split(ex.path) if ex.path else None,
                       _split(sh), _split(cmd) if cmd is not None else None]
            if variant not in variants:
                variants.append(variant)
            table[key] = variants.index(variant)
        if first is None:
            return None
        keys, table = _reduce(keys, table)
        return keys, variants, table, first.host, first.action if piece.kind == "file" else None

    steps_out = []
    for step in sorted(guide_build.steps(project, as_of), key=lambda s: (s.order, s.line)):
        pieces = []
        for piece in step.pieces:
            cond = piece.when
            both = cond if step.when is None else (step.when if cond is None else ["and", step.when, cond])
            if piece.text is not None:
                made = _remembered(memo, as_of, piece, None, lambda: prose_piece(piece))
                if made is not None:
                    pieces.append({"when": cond, "md": texts.add(made[0]), "html": texts.add(made[1]),
                                   "sh": texts.add(made[2])})
                continue
            made = _remembered(memo, as_of, piece, both, lambda: snippet_piece(piece, both))
            if made is None:
                continue  # no valid setup shows this example
            keys, variants, table, host, action = made
            pieces.append({"when": cond, "kind": piece.kind, "host": host, "action": action, "dims": keys,
                           # texts in the order the variants were first met (as one row after the other adds them)
                           "variants": [[texts.add(t) for t in v] for v in variants], "table": table})
        steps_out.append({"id": step.id, "title": step.title, "title_sh": script.quote(step.title),
                          "order": step.order, "when": step.when, "pieces": pieces})

    notes = [{"when": cond, "md": texts.add(f"**Note:** {text}"),
              "html": texts.add(_html(f"**Note:** {text}"))} for cond, text in _notes(m)]
    return {
        "format": FORMAT,
        "as_of": as_of.isoformat(),
        "header": {
            "title": "# NetBSD/Xen guide: Xen {xen} with {toolstack} on a NetBSD {netbsd} {dom0_arch} dom0",
            "intro": "Generated from the NetBSD/Xen HOWTO as of {as_of} for this setup:",
            "xen": "- {label}: {xen} ({package} and {tools})",
            "line": "- {label}: {value}",
            "step": "## {number}. {title}",
            "yes": "yes", "no": "no",
            "script": script.FRAME,  # the shell script's frame (guide.script.assemble)
        },
        "dimensions": list(dims.values()),
        "validate": {kind: {"pattern": p.pattern, "advice": advice} for kind, (p, advice) in setup_mod._PATTERNS.items()},
        "packages": {p.xen: {"package": p.name, "tools": p.tools} for p in offered},
        # every package known by the as-of date, to say why one not offered is not
        "package_versions": {p.name: p.xen for p in facts.packages if p.added.earliest <= as_of},
        "departure": {"md": "**Note:** {label}: {value}, not the recommended {wanted}, because of your other "
                            "choices: {because}",
                      "html": "<p><strong>Note:</strong> {label}: {value}, not the recommended {wanted}, because "
                              "of your other choices: {because}</p>"},
        "constraints": rules,
        # values that follow from a dimension and data/ (guide.derived): {name: {from, table}}
        "derived": derived_tables,
        "notes": notes,
        "slots": [n for n in dims if dims[n]["slot"]],
        "texts": texts.items,
        "steps": steps_out,
    }


def _reduce(keys: list[str], table: dict[str, int]) -> tuple[list[str], dict[str, int]]:
    """Drop key dimensions the texts do not depend on."""
    i = 0
    while i < len(keys):
        groups: dict[str, set] = {}
        for key, v in table.items():
            parts = key.split("|")
            groups.setdefault("|".join(parts[:i] + parts[i + 1:]), set()).add(v)
        if all(len(g) == 1 for g in groups.values()):
            keys = keys[:i] + keys[i + 1:]
            table = {k: next(iter(g)) for k, g in groups.items()}
        else:
            i += 1
    if not keys:
        table = {"": next(iter(table.values()))}
    return keys, table


# --- using the data (what the browser does) -------------------------------------

class GivenError(ValueError):
    pass


_TRUE, _FALSE = ("yes", "true", "1", "on"), ("no", "false", "0", "off", "")


def typed(mx: dict, dim: dict, raw) -> object:
    """One given value checked and normalized, as setup.resolve does; GivenError."""
    name, kind = dim["name"], dim["kind"]
    if kind == "flag":
        if isinstance(raw, bool):
            return raw
        s = str(raw).strip().lower()
        if s in _TRUE or s in _FALSE:
            return s in _TRUE
        raise GivenError(f"{name}: write yes or no")
    value = str(raw).strip()
    if name == "xen":
        for version, p in mx["packages"].items():
            if value in (version, p["package"]):
                return version
        version = mx.get("package_versions", {}).get(value, value)
        why = dim.get("unavailable", {}).get(version)
        raise GivenError(f"{name}: {why or repr(value) + ' is not a Xen version in pkgsrc as of ' + mx['as_of']}")
    if name == "netbsd":
        value = value.removeprefix("netbsd-")
        if value not in dim["choices"] and value in dim.get("unavailable", {}):
            raise GivenError(f"{name}: {dim['unavailable'][value]}")
    if kind in mx["validate"]:
        rule = mx["validate"][kind]
        if not re.search(rule["pattern"], value):
            raise GivenError(f"{name}: {rule['advice']}")
        if kind == "mac":
            value = value.lower()
            if int(value[:2], 16) & 1:
                raise GivenError(f"{name}: a multicast address; the first byte must be even")
            if not int(value.replace(":", ""), 16):
                raise GivenError(f"{name}: the null address, which no interface has")
        if kind in ("number", "size"):
            n = int(value) if kind == "number" else int(value[:-1]) * (1024 if value.endswith("G") else 1)
            if ("minimum" in dim and n < dim["minimum"]) or ("maximum" in dim and n > dim["maximum"]):
                raise GivenError(f"{name}: between {dim.get('minimum')} and {dim.get('maximum')}")
        if kind == "pci" and value.startswith("0000:"):
            value = value[5:]
        return value.lower() if kind == "pci" else value
    if value not in [str(c) for c in dim["choices"]]:
        raise GivenError(f"{name}: {value!r} is not a choice")
    return value


def _applies_all(values: dict, c: dict) -> bool:
    need = conditions.names(c["require"]) | (conditions.names(c["when"]) if c["when"] else set())
    return need <= values.keys()


def resolve_given(mx: dict, given: dict) -> dict:
    """The complete setup for given values, as setup.resolve does; GivenError."""
    return resolve_with_notes(mx, given)[0]


def resolve_with_notes(mx: dict, given: dict) -> tuple[dict, list[dict]]:
    """The complete setup and the departures from the recommendation that the
    reader's choices forced (each {dim, value, constraint}), as setup.resolve."""
    dims = {d["name"]: d for d in mx["dimensions"]}
    values: dict = {}
    for name, raw in given.items():
        if name not in dims:
            raise GivenError(f"unknown setup option {name}")
        if raw is not None:
            values[name] = typed(mx, dims[name], raw)
    for c in mx["constraints"]:
        if _applies_all(values, c) and _violated(values, c):
            raise GivenError(c["reason"])
    departures = []
    for name, d in dims.items():
        if name in values:
            continue
        for cand in d["candidates"]:
            trial = dict(values, **{name: cand})
            if not any(_applies_all(trial, c) and _violated(trial, c) for c in mx["constraints"]):
                values[name] = cand
                break
        else:
            raise GivenError(f"no {d['label']} fits the other choices")
        wanted = d.get("recommended") or []
        if wanted and values[name] not in wanted:
            trial = dict(values, **{name: wanted[0]})
            blocking = next((c for c in mx["constraints"]
                             if name in _needs(c) and _applies_all(trial, c) and _violated(trial, c)), None)
            if blocking is not None:
                departures.append({"dim": name, "value": values[name], "constraint": blocking})
    out = derived.add({name: values[name] for name in dims}, mx.get("derived", {}))
    return out, departures


def _needs(c: dict) -> set[str]:
    return conditions.names(c["require"]) | (conditions.names(c["when"]) if c["when"] else set())


def departure_note(mx: dict, d: dict, form: str) -> str:
    """A departure as the guide's note, in markdown (form md) or HTML."""
    dim = next(x for x in mx["dimensions"] if x["name"] == d["dim"])
    return mx["departure"][form].format(label=dim["label"], value=d["value"],
                                        wanted=" or ".join(map(str, dim["recommended"])),
                                        because=d["constraint"]["because_" + form])


def forbidden(mx: dict, values: dict, name: str, value) -> dict | None:
    """The constraint that selecting ``value`` for ``name`` (the other values
    kept) would break, or None."""
    trial = dict(values, **{name: value})
    return next((c for c in mx["constraints"] if _violated(trial, c)), None)


def _variant(mx: dict, piece: dict, values: dict) -> list:
    dims = {d["name"]: d for d in mx["dimensions"]}
    key = "|".join(key_value(dims[k], values[k]) for k in piece["dims"])
    return piece["variants"][piece["table"][key]]


def _fill(mx: dict, index, values: dict) -> str | None:
    return None if index is None else fill(mx["texts"][index], values)


def _composed(mx: dict, values: dict, departures: list[dict] = ()) -> tuple[list[str], list[dict]]:
    """The guide's head (markdown lines: title, setup, notes) and its steps,
    each ``{title, md: [...], sh: [...], commands: [...]}`` (its pieces as
    markdown, as script text, and its dom0 commands)."""
    h = mx["header"]
    texts = mx["texts"]
    pkg = mx["packages"][values["xen"]]
    out = [h["title"].format(**values), "", h["intro"].format(as_of=mx["as_of"]), ""]
    for d in mx["dimensions"]:
        v = values.get(d["name"])
        if d["name"] == "xen":
            out.append(h["xen"].format(label=d["label"], xen=v, **pkg))
            continue
        if v is None or v == "" or not applies(d.get("listed"), values):
            continue
        shown = (h["yes"] if v else h["no"]) if d["kind"] == "flag" else v
        out.append(h["line"].format(label=d["label"], value=shown))
    out.append("")
    for d in departures:
        out += [departure_note(mx, d, "md"), ""]
    for note in mx["notes"]:
        if applies(note["when"], values):
            out += [texts[note["md"]], ""]
    steps = []
    for step in mx["steps"]:
        if not applies(step["when"], values):
            continue
        md, sh, cmds = [], [], []
        for piece in step["pieces"]:
            if not applies(piece["when"], values):
                continue
            if "md" in piece:
                md.append(_fill(mx, piece["md"], values))
                sh.append(_fill(mx, piece["sh"], values))
                continue
            content, label, _path, piece_sh, cmd = (_fill(mx, i, values) for i in _variant(mx, piece, values))
            md.append(f"*{label[:1].upper() + label[1:]}:*\n\n{examples.as_indented_block(content)}")
            sh.append(piece_sh)
            if cmd is not None:
                cmds.append(cmd)
        if md:
            steps.append({"title": step["title"], "md": md, "sh": sh, "commands": cmds})
    return out, steps


def compose_markdown(mx: dict, values: dict, departures: list[dict] = ()) -> str:
    """The guide for a complete setup, from the data alone: the text of
    compose.to_markdown for the same setup and as-of date."""
    out, steps = _composed(mx, values, departures)
    for number, step in enumerate(steps, 1):
        out += [mx["header"]["step"].format(number=number, title=step["title"]), "", "\n\n".join(step["md"]), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def compose_script(mx: dict, values: dict, departures: list[dict] = ()) -> str:
    """compose.to_shell for the same setup, from the data alone."""
    head, steps = _composed(mx, values, departures)
    return script.assemble("\n".join(head), [(s["title"], s["sh"]) for s in steps])


def compose_commands(mx: dict, values: dict, departures: list[dict] = ()) -> str:
    """compose.dom0_commands for the same setup, from the data alone."""
    _head, steps = _composed(mx, values, departures)
    return script.commands([(s["title"], s["commands"]) for s in steps])
