"""Verify a guide: run its steps in order in a stand-in dom0 and check them.

``verify(guide)`` takes the guide as ``howto guide --format json`` gives it
({"setup": {...}, "steps": [{"title", "text", "snippets": [...]}]}) and
returns a VerifyResult: ok, the failures (each naming the step by number and
title, and why), notes (what could not be checked) and the stand-ins' ledger.
File snippets are written into the root from outside (create, append, or
edit: replace the lines with the same keys);
dom0 shell snippets run in the sandbox with ``sh -e``; domU shell and output
snippets are not run.  ``verify_many`` shares one Sandbox (bwrap check,
stand-ins, one base tree per architecture) across setups, so the cost per
setup stays flat.
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from xenhowto.findings import Finding, HowtoError
from xenhowto.verify import adapters, checks, rootpath
from xenhowto.verify.record import Run
from xenhowto.verify.sandbox import Sandbox



def file_size_limit(setup: dict) -> int:
    """``ulimit -f`` for shell steps, in 512-byte blocks: twice the stated disk, at least 1 GiB.

    The roots live on tmpfs; this keeps a step that really writes gigabytes
    (where the HOWTO's dd only pretends to) from filling memory, while letting
    truncate(1) make a sparse image of the stated size for the checks to catch.
    """
    try:
        disk_mib = int(setup.get("disk_size") or 0)
    except (TypeError, ValueError):
        disk_mib = 0
    return max(1024, 2 * disk_mib) * 2048


@dataclass(frozen=True)
class Failure:
    step: int  # 1-based; 0 = the guide as a whole
    title: str
    message: str

    def __str__(self) -> str:
        where = f"step {self.step} ({self.title})" if self.step else "the guide"
        return f"{where}: {self.message}"


@dataclass
class VerifyResult:
    ok: bool
    failures: list[Failure]
    notes: list[str]
    ledger: list[dict]
    setup: dict
    seconds: float = 0.0
    root: str | None = None  # kept only when asked for

    def findings(self, path: str = "guide") -> list[Finding]:
        """The failures as Findings, the step number as the line."""
        return [Finding(path, f.step, f"{f.title}: {f.message}" if f.step else f.message)
                for f in self.failures]

    def report(self) -> str:
        lines = [str(f) for f in self.failures] or ["all steps ran and hang together"]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


@dataclass
class _Collector:
    run: Run
    failures: list[tuple[int, int, str]] = field(default_factory=list)  # (step, order, message)
    notes: list[str] = field(default_factory=list)

    def fail(self, step: int, message: str, key=None) -> None:
        key = key or (step, message)
        if key not in self.run.reported:
            self.run.reported.add(key)
            self.failures.append((step, len(self.failures), message))

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)


def _context(setup: dict) -> dict:
    return {"xen": str(setup.get("xen", "")), "toolstack": setup.get("toolstack", "xl"),
            "arch": setup.get("dom0_arch", "amd64")}


def _shell_failure(stderr: str, events: list[dict], rc: int) -> str:
    """Which command failed and why, from the stand-ins' ledger or the shell's trace."""
    for e in reversed(events):
        if e.get("rc") and not e.get("via"):
            cmd = " ".join([e["cmd"].replace("rc.d/", "/etc/rc.d/")] + e.get("argv", []))
            return f"`{cmd}` failed: {e.get('error') or 'exit status ' + str(e['rc'])}"
    lines = stderr.rstrip("\n").splitlines()
    last_cmd, after = None, []
    for line in lines:
        if line.startswith("+ "):
            last_cmd, after = line[2:], []
        else:
            after.append(line)
    why = " / ".join(a.strip() for a in after if a.strip())[-600:] or f"exit status {rc}"
    return f"`{last_cmd}` failed: {why}" if last_cmd else f"the shell failed: {why}"


def _check_shape(guide) -> tuple[dict, list]:
    if not isinstance(guide, dict) or not isinstance(guide.get("steps"), list):
        raise HowtoError("a guide is a JSON object with 'setup' and a list of 'steps'")
    setup = guide.get("setup") or {}
    if not isinstance(setup, dict):
        raise HowtoError("the guide's 'setup' is not an object")
    return setup, guide["steps"]


def verify(guide: dict, sandbox: Sandbox | None = None, keep_root: bool = False,
           validators: bool = True) -> VerifyResult:
    """Run ``guide``'s steps in order in a fresh stand-in dom0 and check that they hang together."""
    if sandbox is None:
        with Sandbox() as sb:
            return verify(guide, sb, keep_root=False, validators=validators)
    started = time.perf_counter()
    setup, steps = _check_shape(guide)
    titles = [str(s.get("title", f"step {i}")) if isinstance(s, dict) else f"step {i}"
              for i, s in enumerate(steps, 1)]
    root = sandbox.new_root(setup)
    run = Run(root, setup, titles)
    col = _Collector(run)
    context = _context(setup)
    try:
        if validators:
            _validate_shells(col, steps, context)
        for n, step in enumerate(steps, 1):
            snippets = step.get("snippets") if isinstance(step, dict) else None
            if not isinstance(snippets, list):
                col.fail(n, "the step has no list of snippets")
                continue
            for k, snip in enumerate(snippets, 1):
                _snippet(sandbox, run, col, n, k, snip, context, validators)
            changed = run.changed_in(n)
            events = [e for e in run.events if e["step"] == n]
            for s, msg in checks.after_step(run, n, changed, events):
                col.fail(s, msg)
        texts = [str(s.get("text", "")) if isinstance(s, dict) else "" for s in steps]
        problems, notes = checks.at_end(run, texts, _domu_tree(sandbox, run))
        for s, msg in problems:
            col.fail(s, msg)
        for msg in notes:
            col.note(msg)
    finally:
        if not keep_root:
            sandbox.discard(root)
    order = sorted(col.failures, key=lambda f: (f[0] == 0, f[0], f[1]))  # the guide as a whole last
    failures = [Failure(s, run.title(s), m) for s, _, m in order]
    return VerifyResult(ok=not failures, failures=failures, notes=col.notes, ledger=run.events,
                        setup=setup, seconds=time.perf_counter() - started,
                        root=root if keep_root else None)


def _snippet(sandbox: Sandbox, run: Run, col: _Collector, n: int, k: int, snip, context: dict,
             validators: bool) -> None:
    if not isinstance(snip, dict) or snip.get("kind") not in ("shell", "file", "output"):
        col.fail(n, f"snippet {k} is not a shell, file or output snippet")
        return
    kind, content = snip["kind"], snip.get("content")
    if not isinstance(content, str):
        col.fail(n, f"snippet {k} has no text content")
        return
    if kind == "output":
        return
    host = snip.get("host", "dom0")
    if host not in ("dom0", "domU"):
        col.fail(n, f"{kind} snippet {k}: host {host!r} is neither dom0 nor domU")
        return
    root = run.root
    if host == "domU":
        root, why = _domu_root(sandbox, run)
        if root is None:
            col.fail(n, f"{kind} snippet {k} is typed in the domU, but {why}", key=("domU", n, why))
            return
    if kind == "file":
        path, action = snip.get("path"), snip.get("action", "create")
        if action not in ("create", "append", "edit"):
            col.fail(n, f"file snippet {k} ({path}): action {action!r} is not create, append or edit")
            return
        try:
            if action == "edit":
                rootpath.edit(root, path, content)
            else:
                rootpath.write(root, path, content, append=(action == "append"))
        except rootpath.PathError as e:
            col.fail(n, f"file snippet {k}{' (in the domU)' if host == 'domU' else ''}: {e}")
            return
        if validators and host == "dom0":
            _validate_file(run, col, n, path, context)
        if host == "domU":
            run.domu_step = n
        return
    if host == "domU":
        r = sandbox.run(root, content)
        if r.returncode != 0:
            col.fail(n, "in the domU: " + _shell_failure(r.stderr, [], r.returncode))
        run.domu_step = n
        return
    r = sandbox.run(run.root, f"ulimit -S -f {file_size_limit(run.setup)}\n{content}")
    events = run.new_events(n)
    for e in events:
        if e.get("via", "").endswith("-probe"):
            continue
        if e["cmd"].startswith("rc.d/"):
            continue
        msgs = adapters.check_synopsis(e["cmd"], e.get("argv", []))
        if msgs is None:
            col.note("NetBSD synopses were checked only by the stand-ins' own parsing "
                     "(xenhowto.validators.netbsd_synopses is not there)")
            continue
        for m in msgs:
            col.fail(n, f"`{' '.join([e['cmd']] + e.get('argv', []))}`: {m}", key=("synopsis", n, m))
    if r.returncode != 0:
        col.fail(n, _shell_failure(r.stderr, events, r.returncode))


def _domu_root(sandbox: Sandbox, run: Run) -> tuple[str | None, str]:
    """The host path of the setup's domU's files, or None and why nobody could type there now.

    Typing in the domU takes the domain running a system installed on its
    disk, and a reader at its console (``xl create -c`` or ``xl console``).
    """
    from xenhowto.verify.standins import xentools
    state = run.state()
    name = str(run.setup.get("name") or "")
    dom = state["domains"].get(name)
    if dom is None:
        return None, f"the domain {name} is not running at this step"
    if dom.get("installer"):
        return None, f"{name} runs the installer, not its installed system"
    if not dom.get("console"):
        return None, (f"no step has opened {name}'s console ({run.setup.get('toolstack', 'xl')} create -c, "
                      f"or {run.setup.get('toolstack', 'xl')} console {name}) to log in")
    system = state["disks"].get(dom.get("root") or "")
    if not system:
        return None, f"{name}'s disk holds no installed system"
    tree = system.get("tree") or xentools.tree_of(dom["root"])
    host = sandbox.domu_tree(run.root, tree, system, run.setup.get("ttys_constty") == "yes", name)
    return host, ""


def _domu_tree(sandbox: Sandbox, run: Run) -> str | None:
    """The host path of the files installed for the setup's domU (as sysinst left them when no
    step typed anything there), None when nothing was installed."""
    name = str(run.setup.get("name") or "")
    for info in run.state().get("disks", {}).values():
        if info.get("by") == name and info.get("tree"):
            try:
                return sandbox.domu_tree(run.root, info["tree"], info, run.setup.get("ttys_constty") == "yes",
                                         name)
            except (OSError, rootpath.PathError):
                return None
    return None


def _bare(message: str) -> str:
    """A validator's message without its "line N: " prefix (to match the same message elsewhere)."""
    return message.split(": ", 1)[1] if message.startswith("line ") and ": " in message else message


def _validate_shells(col: _Collector, steps: list, context: dict) -> None:
    """The project's shell validator on every dom0 shell snippet, in one batch."""
    found = []
    for n, step in enumerate(steps, 1):
        for snip in (step.get("snippets") or []) if isinstance(step, dict) else []:
            if isinstance(snip, dict) and snip.get("kind") == "shell" and snip.get("host", "dom0") == "dom0" \
                    and isinstance(snip.get("content"), str):
                found.append((n, snip["content"]))
    results = adapters.validate_shells([text for _, text in found], context)
    if results is None:
        col.note("shell snippets were not checked by the project's shell validator (not there)")
        return
    for (n, _), msgs in zip(found, results):
        for m in msgs:
            col.fail(n, f"shell {m}", key=("synopsis", n, _bare(m)))


def _validate_file(run: Run, col: _Collector, n: int, path: str, context: dict) -> None:
    """The project's validator on the whole file as it now is in the root."""
    try:
        with open(rootpath.resolve(run.root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
    except (OSError, rootpath.PathError):
        return
    msgs = adapters.validate_file(path, text, context)
    if msgs is None:
        col.note(f"{path} was not checked by the project's validators (xenhowto.validators is not there)")
        return
    for m in msgs:
        col.fail(n, f"{path}: {m}", key=("file", path, _bare(m)))


def verify_many(guides, jobs: int = 1, sandbox: Sandbox | None = None, progress=None) -> list[VerifyResult]:
    """Verify every guide with one shared Sandbox; ``jobs`` > 1 runs that many at once.

    ``progress(done, total, result)`` is called after each guide when given.
    """
    guides = list(guides)
    own = sandbox is None
    sb = sandbox or Sandbox()
    try:
        results: list[VerifyResult | None] = [None] * len(guides)
        done = 0

        def one(i: int) -> tuple[int, VerifyResult]:
            return i, verify(guides[i], sb)

        if jobs <= 1:
            iterator = map(one, range(len(guides)))
        else:
            pool = ThreadPoolExecutor(max_workers=jobs)
            iterator = pool.map(one, range(len(guides)))
        for i, res in iterator:
            results[i] = res
            done += 1
            if progress:
                progress(done, len(guides), res)
        if jobs > 1:
            pool.shutdown()
        return results  # type: ignore[return-value]
    finally:
        if own:
            sb.close()


def summary(results: list[VerifyResult]) -> dict[str, int]:
    """How many guides fail at each step title (the guide-level problems under "the guide")."""
    out: dict[str, int] = {}
    for r in results:
        for title in sorted({f.title if f.step else "the guide" for f in r.failures}):
            out[title] = out.get(title, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))
