"""xenhowto.pinning: kept while pinned (nesting), nothing kept unpinned, a fresh pin drops a stale one."""
from xenhowto.pinning import Pin


def test_kept_only_while_pinned():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    p = Pin()
    assert p.once("k", compute) == 1 and p.once("k", compute) == 2  # unpinned: every time
    p.pin()
    p.pin()  # nested
    assert p.once("k", compute) == 3 and p.once("k", compute) == 3
    p.unpin()
    assert p.once("k", compute) == 3  # still pinned once
    p.unpin()
    assert p.once("k", compute) == 4 and not p.memo
    p.pin()
    p.once("k", compute)
    p.pin(fresh=True)  # a build killed before its unpin left one behind
    assert p.depth == 1 and p.once("k", compute) == 6
