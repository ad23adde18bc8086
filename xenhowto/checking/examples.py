"""Every example of a page, judged by the strictest validator for its kind.

Typed examples ([[!shell]], [[!file]], [[!output]]) say what they are; those a
data directive generates are found by expanding it (reported at its line);
untyped indented blocks (pages from a wikisrc checkout) are typed by their
content where that is clear, and reported where it is not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from xenhowto import examples
from xenhowto.findings import Finding
from xenhowto.ikiwiki import directives
from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive, code_block_lines, scan

KINDS = ("shell", "file", "output")


@dataclass
class Found:
    example: examples.Example
    line: int  # page line of the example's first content line


def _examples_in(text: str, ctx: PageContext, at_line: int | None = None, depth: int = 0) -> list[Found]:
    out: list[Found] = []
    for token in scan(text):
        if not isinstance(token, Directive):
            continue
        line = at_line or token.line
        if token.name in KINDS:
            try:
                ex = examples.from_directive(token.name, token, defaults=examples.page_defaults(ctx.as_of))
            except DirectiveError:
                continue  # the page expansion reports it
            out.append(Found(ex, at_line or ex.line))
            continue
        module = directives.REGISTRY.get(token.name)
        if module is None or module.WIKI_NATIVE or depth > 3:
            continue
        try:
            generated = directives.render(module, token, ctx)
        except DirectiveError:
            continue
        out += _examples_in(generated, ctx, line, depth + 1)
    return out


def collect(text: str, ctx: PageContext) -> list[Found]:
    """The examples of the page as built at ``ctx.as_of`` (regions no setup of
    that date meets are not on it), at their source lines."""
    from dataclasses import replace

    from xenhowto.ikiwiki import regions

    reduced, lines = regions.reduce(text, ctx)
    return [replace(f, line=lines[min(max(f.line, 1), len(lines)) - 1]) for f in _examples_in(reduced, ctx)]


# --- untyped blocks ---------------------------------------------------------

_COMMANDS = re.compile(r"^(#\s*)?(cd|dd|cp|mv|mkdir|sh|xl|xm|fdisk|installboot|pkg_add|MAKEDEV|\./MAKEDEV|vnconfig|"
                       r"brconfig|ifconfig|anita|cpuctl|halt|reboot|disklabel|newfs|mount|lvm|tar)\b")


def guess(block: str) -> tuple[str, str | None] | None:
    """(kind, path) for an untyped block, or None when its kind is unclear."""
    lines = [ln for ln in block.splitlines() if ln.strip()]
    if not lines:
        return None
    if all(ln.startswith(("menu=", "default=", "timeout=", "banner=", "load ", "multiboot ", "consdev=")) for ln in lines):
        return "file", "/boot.cfg"
    if all(re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", ln) for ln in lines) and any("=YES" in ln or "=NO" in ln for ln in lines):
        return "file", "/etc/rc.conf"
    if any(re.match(r"^(kernel|memory|vif|disk|name|vcpus|root|extra)\s*=", ln) for ln in lines):
        return "file", "/usr/pkg/etc/xen/domu"
    if all(_COMMANDS.match(ln) or ln.lstrip().startswith("#") for ln in lines):
        return "shell", None
    return None


def untyped_blocks(text: str) -> list[tuple[int, str]]:
    """(first line, content) of each indented code block outside directives."""
    inside = set()
    for token in scan(text):
        if isinstance(token, Directive):
            first = token.line
            inside.update(range(first, first + token.raw.count("\n") + 1))
    code = sorted(code_block_lines(text) - inside)
    lines = text.split("\n")
    blocks, start, prev = [], None, None
    for n in code + [None]:
        if n is not None and prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            body = "\n".join(ln[4:] if ln.startswith("    ") else ln.lstrip("\t") for ln in lines[start - 1:prev])
            if not lines[start - 1].lstrip().startswith(("```", "~~~")):
                blocks.append((start, body + "\n"))
        start = prev = n
    return blocks


# --- validation ---------------------------------------------------------------

def _options(ex: examples.Example) -> dict:
    v, c = ex.variables, ex.context
    return {
        "xen": c.get("xen") or v.get("xen"),
        "toolstack": c.get("toolstack") or v.get("toolstack"),
        "arch": c.get("arch") or v.get("dom0_arch"),
    }


VALIDATORS = ("xenhowto.validators.bootcfg", "xenhowto.validators.rcconf", "xenhowto.validators.shell",
              "xenhowto.validators.xl_domu", "xenhowto.validators.xm_domu")


def _judge(items: list[tuple[examples.Example, str, int]]) -> list[Finding]:
    """Findings for examples, each given with the path and first line its
    findings carry (shell snippets in one batch: one shellcheck run)."""
    from xenhowto.validators import bootcfg, rcconf, shell, xl_domu, xm_domu

    findings: list[Finding] = []
    batch = []
    for ex, path, line in items:
        opts = _options(ex)
        if ex.kind == "shell":
            batch.append(shell.Snippet(ex.content, path, line))
        elif ex.kind == "file" and ex.path == "/boot.cfg":
            findings += bootcfg.validate_bootcfg(ex.content, path, line, arch=opts["arch"], xen=opts["xen"])
        elif ex.kind == "file" and ex.path.endswith("/rc.conf"):
            if ex.host == "domU":
                findings += rcconf.validate_rcconf(ex.content, path, line)
            else:
                findings += rcconf.validate_rcconf(ex.content, path, line, xen=opts["xen"], toolstack=opts["toolstack"])
        elif ex.kind == "file" and ex.path.startswith("/usr/pkg/etc/xen/"):
            if opts["toolstack"] == "xm":
                findings += xm_domu.validate_xm_domu(ex.content, path, line, xen=opts["xen"])
            else:
                findings += xl_domu.validate_xl_domu(ex.content, path, line, xen=opts["xen"],
                                                     fragment=ex.action == "edit")
    if batch:
        findings += shell.validate_shell_batch(batch)
    return findings


def judges() -> str:
    """What every verdict depends on: the validators' code, this module's
    (``_judge``) and the programs they run (shellcheck, sh, libxlutil)."""
    from xenhowto import digest
    from xenhowto.validators.libxlutil import library_files

    return digest.of([digest.tool(p) for p in ("shellcheck", "sh", *library_files())],
                     digest.code(*VALIDATORS), digest.files(__file__))


def verdict_key(ex: examples.Example, judged_by: str) -> str:
    """What an example's findings depend on: what ``_judge`` reads of it, and ``judges()``."""
    from xenhowto import digest

    return digest.of(ex.kind, ex.content, ex.path, ex.host, ex.action, _options(ex), judged_by)


def validate(found: list[Found], path: str) -> list[Finding]:
    """Findings for the examples of one page.  Each example's verdict is kept
    on disk under ``verdict_key``: only new or changed examples are judged
    (the shell ones in one shellcheck run)."""
    from xenhowto import diskcache

    judged_by = judges()
    keys = [verdict_key(f.example, judged_by) for f in found]
    verdicts = {k: diskcache.lookup("example-verdict", k) for k in dict.fromkeys(keys)}
    todo = {k: f.example for f, k in zip(found, keys) if verdicts[k] is diskcache.MISSING}
    if todo:
        # each example judged under a path of its own from line 1, so that its findings can be told apart
        tokens = {f"<example {i}>": k for i, k in enumerate(todo)}
        judged: dict[str, list[Finding]] = {k: [] for k in todo}
        for f in _judge([(todo[k], token, 1) for token, k in tokens.items()]):
            judged[tokens[f.path]].append(f)
        for k, fs in judged.items():
            verdicts[k] = [(f.line, f.message, f.severity) for f in fs]
            diskcache.store("example-verdict", k, verdicts[k])
    # as one _judge of the page would list them: the others in page order, then the shell ones sorted
    others, shell = [], []
    for f, k in zip(found, keys):
        out = shell if f.example.kind == "shell" else others
        out += [Finding(path, f.line + line - 1, message, severity) for line, message, severity in verdicts[k]]
    return others + sorted(shell)


def typed_from_block(line: int, body: str) -> Found | None:
    kind_path = guess(body)
    if kind_path is None:
        return None
    kind, path = kind_path
    ex = examples.Example(kind=kind, content=body, line=line, path=path, host="dom0" if kind == "shell" else None)
    return Found(ex, line)
