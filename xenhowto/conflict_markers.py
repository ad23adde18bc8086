"""The conflict markers `howto sync` writes into a page where the wiki and the
sources changed the same lines, and finding them again: a page that still
has them fails every build and export until a person resolves them."""
from __future__ import annotations

import re

START = "<<<<<<< "
MIDDLE = "======="
END = ">>>>>>> "

# Only the opening and closing markers: a line of seven "=" is also a
# markdown heading underline.
_MARKER = re.compile(r"^(?:<<<<<<<|>>>>>>>)(?: |$)", re.M)


def block(ours: list[str], theirs: list[str], ours_label: str, theirs_label: str) -> list[str]:
    return [START + ours_label, *ours, MIDDLE, *theirs, END + theirs_label]


def lines(text: str) -> list[int]:
    """1-based lines of ``text`` that open or close a conflict."""
    return [text.count("\n", 0, m.start()) + 1 for m in _MARKER.finditer(text)]
