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

import copy
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

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


class TrackedSetup(dict):
    """A guide's setup that remembers which values were read: two guides whose
    steps agree can share the state after a step only if they also agree on
    every value the verification read up to there."""

    def __init__(self, values: dict, read: set | None = None):
        super().__init__(values)
        self.read: set = set(read or ())

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def __iter__(self):
        self.read.update(super().keys())
        return super().__iter__()

    def keys(self):
        self.read.update(super().keys())
        return super().keys()

    def items(self):
        self.read.update(super().keys())
        return super().items()

    def values(self):
        self.read.update(super().keys())
        return super().values()

    def reads(self) -> dict:
        return {k: dict.get(self, k, _ABSENT) for k in self.read}


_ABSENT = "\0absent"


def agrees(setup: dict, reads: dict) -> bool:
    """Does ``setup`` have every value of ``reads`` (what an earlier verification read)?"""
    return all(dict.get(setup, k, _ABSENT) == v for k, v in reads.items())


@dataclass
class Snapshot:
    """The state after a guide's first ``depth`` steps: a copy of the root and of the
    verifier's records, and the setup values read to get there."""
    depth: int
    prefix: tuple  # the digests of those steps
    reads: dict
    root: str
    run_state: dict
    failures: list
    notes: list


class _Verification:
    """One guide being verified, step by step (``verify`` runs it at once; shared
    prefixes start one from a Snapshot of another)."""

    def __init__(self, sandbox: Sandbox, guide: dict, validators: bool, start: Snapshot | None = None):
        self.started = time.perf_counter()
        self.sandbox, self.validators = sandbox, validators
        setup, self.steps = _check_shape(guide)
        self.setup = TrackedSetup(setup, start.reads if start else None)
        titles = [str(s.get("title", f"step {i}")) if isinstance(s, dict) else f"step {i}"
                  for i, s in enumerate(self.steps, 1)]
        if start is None:
            self.root = sandbox.new_root(self.setup)
            self.run = Run(self.root, self.setup, titles)
            self.col = _Collector(self.run)
            self.done = 0
        else:
            self.root = sandbox.fork_root(start.root)
            self.run = Run(self.root, self.setup, titles)
            for key, value in copy.deepcopy(start.run_state).items():
                setattr(self.run, key, value)
            self.col = _Collector(self.run, list(start.failures), list(start.notes))
            self.done = start.depth
        self.context = _context(self.setup)
        self.checked = _shell_findings(self.steps, self.context) if validators else {}
        if validators and self.checked is None:
            self.col.note("shell snippets were not checked by the project's shell validator (not there)")
            self.checked = {}
        self.session = sandbox.session(self.root)

    def step(self) -> None:
        """Run the next step and the checks after it."""
        n = self.done + 1
        step = self.steps[n - 1]
        for m in self.checked.get(n, []):
            self.col.fail(n, f"shell {m}", key=("synopsis", n, _bare(m)))
        snippets = step.get("snippets") if isinstance(step, dict) else None
        if not isinstance(snippets, list):
            self.col.fail(n, "the step has no list of snippets")
        else:
            for k, snip in enumerate(snippets, 1):
                _snippet(self.sandbox, self.session, self.run, self.col, n, k, snip, self.context, self.validators)
            changed = self.run.changed_in(n)
            events = [e for e in self.run.events if e["step"] == n]
            for s, msg in checks.after_step(self.run, n, changed, events):
                self.col.fail(s, msg)
        self.done = n

    def snapshot(self, prefix: tuple) -> Snapshot:
        path = self.sandbox.fork_root(self.root)
        state = {k: getattr(self.run, k) for k in ("origins", "events", "reported", "ledger_offset", "domu_step")}
        return Snapshot(self.done, prefix, self.setup.reads(), path, copy.deepcopy(state),
                        list(self.col.failures), list(self.col.notes))

    def finish(self, keep_root: bool = False) -> VerifyResult:
        try:
            while self.done < len(self.steps):
                self.step()
            texts = [str(s.get("text", "")) if isinstance(s, dict) else "" for s in self.steps]
            problems, notes = checks.at_end(self.run, texts, _domu_tree(self.sandbox, self.run))
            for s, msg in problems:
                self.col.fail(s, msg)
            for msg in notes:
                self.col.note(msg)
        finally:
            self.close(keep_root)
        order = sorted(self.col.failures, key=lambda f: (f[0] == 0, f[0], f[1]))  # the guide as a whole last
        failures = [Failure(s, self.run.title(s), m) for s, _, m in order]
        return VerifyResult(ok=not failures, failures=failures, notes=self.col.notes, ledger=self.run.events,
                            setup=dict(self.setup), seconds=time.perf_counter() - self.started,
                            root=self.root if keep_root else None)

    def close(self, keep_root: bool = False) -> None:
        self.session.close()
        if not keep_root:
            self.sandbox.discard(self.root)


def verify(guide: dict, sandbox: Sandbox | None = None, keep_root: bool = False,
           validators: bool = True) -> VerifyResult:
    """Run ``guide``'s steps in order in a fresh stand-in dom0 and check that they hang together."""
    if sandbox is None:
        with Sandbox() as sb:
            return verify(guide, sb, keep_root=False, validators=validators)
    v = _Verification(sandbox, guide, validators)
    return v.finish(keep_root)


def _snippet(sandbox: Sandbox, session, run: Run, col: _Collector, n: int, k: int, snip, context: dict,
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
    r = session.run(f"ulimit -S -f {file_size_limit(run.setup)}\n{content}")
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


def _shell_findings(steps: list, context: dict) -> dict[int, list[str]] | None:
    """The project's shell validator on every dom0 shell snippet, in one batch: the
    messages by step (a step reports its own when it runs), None without the validator."""
    found = []
    for n, step in enumerate(steps, 1):
        for snip in (step.get("snippets") or []) if isinstance(step, dict) else []:
            if isinstance(snip, dict) and snip.get("kind") == "shell" and snip.get("host", "dom0") == "dom0" \
                    and isinstance(snip.get("content"), str):
                found.append((n, snip["content"]))
    results = adapters.validate_shells([text for _, text in found], context)
    if results is None:
        return None
    out: dict[int, list[str]] = {}
    for (n, _), msgs in zip(found, results):
        out.setdefault(n, []).extend(msgs)
    return out


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


# The setup values every verification reads before its first step (the
# machine, the validators' context, the shell's file limit): guides are
# ordered by them first, so that those sharing a machine are neighbours.
_EARLY = ("dom0_arch", "raid1", "partition", "bootloader", "netbsd", "as_of", "kernels", "nic", "ttys_constty",
          "toolstack", "xen", "disk_size")


def _step_digests(guide: dict) -> tuple:
    import hashlib
    import json
    steps = guide.get("steps") if isinstance(guide, dict) else None
    if not isinstance(steps, list):
        return ()
    return tuple(hashlib.sha256(json.dumps(s, sort_keys=True, default=str).encode()).hexdigest()[:16]
                 for s in steps)


def _lcp(a: tuple, b: tuple) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _chain(sandbox: Sandbox, guides: list, indices: list[int], results: list, validators: bool,
           done: Callable[[int], None]) -> None:
    """Verify ``guides[i]`` for i in ``indices`` (ordered so that neighbours share steps),
    each starting from the deepest earlier state it shares: its steps so far, and every
    setup value read to get there."""
    digests = {i: _step_digests(guides[i]) for i in indices}
    kept: list[Snapshot] = []
    try:
        for pos, i in enumerate(indices):
            d = digests[i]
            setup = guides[i].get("setup") if isinstance(guides[i], dict) else None
            stale = [s for s in kept if d[:s.depth] != s.prefix]
            kept = [s for s in kept if d[:s.depth] == s.prefix]
            for s in stale:
                sandbox.discard(s.root)
            start = max((s for s in kept if isinstance(setup, dict) and agrees(setup, s.reads)),
                        key=lambda s: s.depth, default=None)
            # The depths at which a later guide branches off this one.
            want, m, floor = set(), len(d), start.depth if start else 0
            for j in indices[pos + 1:]:
                m = min(m, _lcp(d, digests[j]))
                if m <= floor:
                    break
                want.add(m)
            try:
                v = _Verification(sandbox, guides[i], validators, start)
            except HowtoError:
                results[i] = verify(guides[i], sandbox, validators=validators)  # reports the shape error
                done(i)
                continue
            try:
                while v.done < len(v.steps):
                    v.step()
                    if v.done in want:
                        kept.append(v.snapshot(d[:v.done]))
            except BaseException:
                v.close()
                raise
            results[i] = v.finish()
            done(i)
    finally:
        for s in kept:
            sandbox.discard(s.root)


def verify_many(guides, jobs: int = 1, sandbox: Sandbox | None = None, progress=None,
                share: bool = True, validators: bool = True, on_result=None) -> list[VerifyResult]:
    """Verify every guide with one shared Sandbox; ``jobs`` > 1 runs that many at once.

    With ``share`` (the default), guides that begin with the same steps on the
    same machine run those steps once: each continues from a copy of the state
    where it parts from the others.  The verdicts and messages are the same as
    verifying each guide alone (tests hold it to that).
    ``progress(done, total, result)`` is called after each guide when given, and
    ``on_result(index, result)`` (the guide's index in ``guides``).
    """
    import threading

    guides = list(guides)
    own = sandbox is None
    sb = sandbox or Sandbox()
    results: list[VerifyResult | None] = [None] * len(guides)
    lock = threading.Lock()
    count = [0]

    def done(i: int) -> None:
        with lock:
            count[0] += 1
            if on_result:
                on_result(i, results[i])
            if progress:
                progress(count[0], len(guides), results[i])

    try:
        if not share:
            def one(i: int) -> None:
                results[i] = verify(guides[i], sb, validators=validators)
                done(i)
            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                list(pool.map(one, range(len(guides))))
            return results  # type: ignore[return-value]

        def key(i: int) -> tuple:
            setup = guides[i].get("setup") if isinstance(guides[i], dict) else None
            setup = setup if isinstance(setup, dict) else {}
            return tuple(str(setup.get(k)) for k in _EARLY), _step_digests(guides[i])

        order = sorted(range(len(guides)), key=key)
        jobs = max(1, min(jobs, len(order)))
        size = -(-len(order) // jobs) if order else 0
        chunks = [order[k:k + size] for k in range(0, len(order), size)] if size else []
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(lambda c: _chain(sb, guides, c, results, validators, done), chunks))
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
