"""What happened while a guide ran: which step last changed each file, and
the stand-ins' ledger, so a check can name the step a problem comes from.

After every step the tree is scanned (small: a few hundred entries; the
release tree, boot blocks and /dev are skipped) and each file whose size,
mtime or inode changed is credited to that step.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from xenhowto.verify.standins import world

_SKIP = {"proc", "tmp", "dev", ".standins", "usr/obj", "usr/mdec", "usr/bin", "usr/lib", "usr/lib64",
         "var/db/standins.jsonl", "var/db/standins.state", "kern",
         "var/db/standins-domu"}


def _scan(root: str, rel: str, out: dict) -> None:
    try:
        entries = list(os.scandir(os.path.join(root, rel) if rel else root))
    except OSError:
        return
    for e in entries:
        path = f"{rel}/{e.name}" if rel else e.name
        if path in _SKIP:
            continue
        try:
            if e.is_dir(follow_symlinks=False):
                _scan(root, path, out)
            else:
                st = e.stat(follow_symlinks=False)
                out["/" + path] = (st.st_size, st.st_mtime_ns, st.st_ino)
        except OSError:
            continue


def snapshot(root: str) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    _scan(root, "", out)
    return out


@dataclass
class Run:
    """One guide being verified in one root."""
    root: str
    setup: dict
    titles: list[str]
    origins: dict[str, int] = field(default_factory=dict)  # path -> last step that changed it
    events: list[dict] = field(default_factory=list)  # the ledger, each event with "step"
    reported: set = field(default_factory=set)  # keys of problems already reported
    ledger_offset: int = 0
    domu_step: int = 0  # the last step that typed something in the domU
    _last: dict = field(default_factory=dict)

    def __post_init__(self):
        self._last = snapshot(self.root)

    def title(self, step: int) -> str:
        return self.titles[step - 1] if 0 < step <= len(self.titles) else "the guide as a whole"

    def changed_in(self, step: int) -> set[str]:
        """Files changed since the last call, credited to ``step``."""
        now = snapshot(self.root)
        changed = {p for p, sig in now.items() if self._last.get(p) != sig}
        changed |= {p for p in self._last if p not in now}
        for p in changed:
            self.origins[p] = step
        self._last = now
        return changed

    def new_events(self, step: int) -> list[dict]:
        events, self.ledger_offset = world.read_ledger(self.root, self.ledger_offset)
        for e in events:
            e["step"] = step
        self.events += events
        return events

    def origin(self, path: str, default: int = 0) -> int:
        return self.origins.get(path, default)

    def last_step_touching(self, *paths: str) -> int:
        steps = [self.origins[p] for p in paths if p in self.origins]
        return max(steps) if steps else 0

    def state(self) -> dict:
        return world.load_state(self.root)
