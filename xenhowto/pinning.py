"""A memo that holds only while pinned: from ``pin()`` until the matching
``unpin()``, what is asked for is worked out once and kept (a build takes the
facts and the files its caches' keys read as they are when it begins);
unpinned, nothing is kept.  Pins nest; ``pin(fresh=True)`` first drops a pin
left by an interrupted build."""
from __future__ import annotations

from typing import Callable, Hashable, TypeVar

T = TypeVar("T")


class Pin:
    def __init__(self) -> None:
        self.depth = 0
        self.memo: dict = {}

    def pin(self, fresh: bool = False) -> None:
        if fresh:
            self.depth = 0
            self.memo.clear()
        self.depth += 1

    def unpin(self) -> None:
        self.depth = max(0, self.depth - 1)
        if not self.depth:
            self.memo.clear()

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per ``key`` while pinned (every time otherwise)."""
        if not self.depth:
            return compute()
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]
