"""Results kept in the process while the objects they were made from are the
same objects.

The facts and the setup model are read anew when their files change (so
while they do not, they are the same objects): a result made from them is
good exactly as long as they are.  `mkdocs serve` rebuilds after each edit
in one process, and most of what a rebuild would make again was made from
the same objects the last time.

    RENDERED = KeptWhile(limit=4096)
    out = RENDERED.get_or_make(key, (facts, setup_model), lambda: render(...))

The entry holds the objects, so their ids (often part of ``key``) cannot be
reused by others while it is kept.
"""
from __future__ import annotations

from typing import Callable, Hashable, TypeVar

T = TypeVar("T")


class KeptWhile(dict):
    """key -> (the objects a result was made from, the result); the least
    recently made first out beyond ``limit`` entries."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def get_or_make(self, key: Hashable, made_from: tuple, make: Callable[[], T]) -> T:
        """The result kept under ``key`` if it was made from ``made_from`` (the
        same objects), else ``make()``, kept (an exception keeps nothing)."""
        kept = self.get(key)
        if kept is None or len(kept[0]) != len(made_from) or any(a is not b for a, b in zip(kept[0], made_from)):
            value = make()
            self.pop(key, None)
            while len(self) >= self.limit:
                del self[next(iter(self))]
            kept = self[key] = (made_from, value)
        return kept[1]

    def replace(self, key: Hashable, made_from: tuple, value) -> None:
        """Keep ``value`` under ``key`` instead of what was kept."""
        self[key] = (made_from, value)
