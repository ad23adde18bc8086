"""dd(1) as NetBSD has it, without writing gigabytes.

The HOWTO creates a domU's disk with ``dd if=/dev/zero of=foo-xbd0 bs=1m
count=4096`` and warns against sparse files.  The stand-in parses NetBSD's
operands and size suffixes (strsuftoll: b k m g t w, and ``x`` products;
``bs=1q`` is an illegal number), computes what the real dd would leave
behind, and makes the file that size with truncate, so it is sparse on the
host whatever was asked.  What the real dd would have written goes to the
state (``dd``: written byte ranges per file, with the file's mtime and size: a copy of the tree keeps both)
and the ledger, so the checks can tell a preallocated image from a sparse
one (``seek=`` with ``count=0``, ``conv=sparse``, truncate(1)).
"""
from __future__ import annotations

import os

from . import world
from .world import StandinError

_LLONG_MAX = 2**63 - 1
_UINT_MAX = 2**32 - 1
_SUFFIX = {"b": 512, "k": 1024, "m": 1048576, "g": 1073741824, "t": 1099511627776, "w": 4}
# operand: (description in NetBSD's messages, min, max)
_NUMERIC = {
    "bs": ("block size", 1, _UINT_MAX), "ibs": ("input block size", 1, _UINT_MAX),
    "obs": ("output block size", 1, _UINT_MAX), "cbs": ("conversion record size", 1, _UINT_MAX),
    "count": ("block count", 0, _LLONG_MAX), "files": ("file count", 0, _UINT_MAX),
    "seek": ("seek blocks", 0, _LLONG_MAX), "oseek": ("seek blocks", 0, _LLONG_MAX),
    "skip": ("skip blocks", 0, _LLONG_MAX), "iseek": ("skip blocks", 0, _LLONG_MAX),
    "progress": ("progress blocks", 0, _LLONG_MAX),
}
_OTHER = ("if", "of", "conv", "msgfmt", "iflag", "oflag")
_CONV = {"ascii", "ebcdic", "ibm", "oldascii", "oldebcdic", "oldibm", "block", "unblock",
         "lcase", "ucase", "noerror", "notrunc", "osync", "sparse", "swab", "sync"}
ZERO, RANDOM, EMPTY = "/dev/zero", ("/dev/urandom", "/dev/random"), "/dev/null"


def _strtoll(val: str) -> tuple[int, str] | None:
    """strtoll(val, &end, 0): the number and the rest, None when no digits."""
    i = 0
    while i < len(val) and val[i].isspace():
        i += 1
    sign = 1
    if val[i:i + 1] in ("+", "-"):
        sign = -1 if val[i] == "-" else 1
        i += 1
    if val[i:i + 2].lower() == "0x" and val[i + 2:i + 3] and val[i + 2] in "0123456789abcdefABCDEF":
        base, digits, i = 16, "0123456789abcdefABCDEF", i + 2
    elif val[i:i + 1] == "0":
        base, digits = 8, "01234567"
    else:
        base, digits = 10, "0123456789"
    j = i
    while j < len(val) and val[j] in digits:
        j += 1
    if j == i:
        return None
    return sign * int(val[i:j], base), val[j:]


def strsuftoll(desc: str, val: str, lo: int, hi: int) -> int:
    """NetBSD's strsuftoll(3): a number, one suffix, optionally ``x`` another such."""
    parsed = _strtoll(val)
    if parsed is None:
        raise StandinError(f"{desc} `{val}': illegal number")
    num, rest = parsed
    if rest[:1] in _SUFFIX:
        num *= _SUFFIX[rest[0]]
        rest = rest[1:]
    if rest[:1] in ("x", "*"):
        num *= strsuftoll(desc, rest[1:], lo, hi)
    elif rest:
        raise StandinError(f"{desc} `{val}': illegal number")
    if num > _LLONG_MAX:
        raise StandinError(f"{desc}: Result too large")
    if num < lo:
        raise StandinError(f"{desc} {num} is less than {lo}.")
    if num > hi:
        raise StandinError(f"{desc} {num} is greater than {hi}.")
    return num


def parse(argv: list[str]) -> dict:
    ops: dict = {}
    for arg in argv:
        name, eq, value = arg.partition("=")
        if not eq or (name not in _NUMERIC and name not in _OTHER):
            raise StandinError(f"unknown operand {name}")
        if name in ops:
            raise StandinError(f"{name}: multiple operands of this type")  # not in NetBSD, but never meant
        if name in _NUMERIC:
            desc, lo, hi = _NUMERIC[name]
            ops[name] = strsuftoll(desc, value, lo, hi)
        elif name == "conv":
            convs = value.split(",")
            for c in convs:
                if c not in _CONV:
                    raise StandinError(f"unknown conversion {c}")
            ops[name] = set(convs)
        else:
            ops[name] = value
    return ops


def _merge(extents: list[list[int]], start: int, end: int) -> list[list[int]]:
    out = []
    for a, b in sorted(extents + [[start, end]]):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def dd(ctx, argv: list[str]) -> None:
    ops = parse(argv)
    ibs = ops.get("ibs", ops.get("bs", 512))
    obs = ops.get("obs", ops.get("bs", 512))
    count = ops.get("count")
    skip = ops.get("skip", ops.get("iseek", 0))
    seek = ops.get("seek", ops.get("oseek", 0))
    conv = ops.get("conv", set())
    src = world.absolute(ops["if"], ctx.cwd) if "if" in ops else None
    dst = world.absolute(ops["of"], ctx.cwd) if "of" in ops else None

    # What comes in.
    if src is None:
        kind, available = "stdin", 0
    elif src == ZERO:
        kind, available = "zeros", None
    elif src in RANDOM:
        kind, available = "random", None
    elif src == EMPTY:
        kind, available = "empty", 0
    else:
        host = world.at(ctx.root, src)
        if not os.path.exists(host):
            raise StandinError(f"{ops['if']}: No such file or directory")
        if src.startswith("/dev/"):
            kind, available = "device", None
        else:
            kind, available = "file", max(0, os.path.getsize(host) - skip * ibs)
    if count is None and available is None:
        raise StandinError(f"reading {src} without count= never ends: the real dd would fill the file system")
    nbytes = count * ibs if count is not None else available
    if available is not None:
        nbytes = min(nbytes, available)
    ctx.effect.update({"if": src, "source": kind, "bytes": nbytes})

    # Where it goes.
    if dst is None or dst == EMPTY:
        ctx.effect["of"] = dst
    elif dst.startswith("/dev/"):
        if not os.path.exists(world.at(ctx.root, dst)):
            raise StandinError(f"{ops['of']}: No such file or directory")
        ctx.effect.update({"of": dst, "device": True})  # a raw disk: nothing to keep
    else:
        host = world.at(ctx.root, dst)
        if not os.path.isdir(os.path.dirname(host)):
            raise StandinError(f"{ops['of']}: No such file or directory")
        if os.path.isdir(host):
            raise StandinError(f"{ops['of']}: Is a directory")
        offset = seek * obs
        notrunc = "notrunc" in conv
        old = os.path.getsize(host) if os.path.exists(host) else 0
        record = ctx.state.setdefault("dd", {}).get(dst)
        st = os.stat(host) if os.path.exists(host) else None
        if record and st and (record["mtime"] != st.st_mtime_ns or record["size"] != st.st_size):
            record = None  # changed behind dd's back: what dd knew no longer holds
        extents = [list(e) for e in record["written"]] if record and old else []
        if notrunc:
            size = max(old, offset + nbytes)
        else:
            size = offset + nbytes
            extents = [[a, min(b, offset)] for a, b in extents if a < offset]
        holes = kind == "zeros" and "sparse" in conv
        if nbytes and not holes:
            extents = _merge(extents, offset, offset + nbytes)
        if kind == "file" and nbytes <= (64 << 20):
            with open(world.at(ctx.root, src), "rb") as f:
                f.seek(skip * ibs)
                data = f.read(nbytes)
            with open(host, "r+b" if os.path.exists(host) else "wb") as f:
                if not notrunc:
                    f.truncate(offset)
                f.seek(offset)
                f.write(data)
        else:
            _lift_file_size_limit()  # the shell's limit guards against real gigabytes, not holes
            with open(host, "ab"):
                pass
            os.truncate(host, size)
        st = os.stat(host)
        ctx.state["dd"][dst] = {"size": st.st_size, "mtime": st.st_mtime_ns, "written": extents,
                                "source": kind}
        ctx.effect.update({"of": dst, "size": st.st_size, "written": extents,
                           "sparse": extents != [[0, st.st_size]] and st.st_size > 0})
    nin = nbytes // ibs if ibs else 0
    nout = nbytes // obs if obs else 0
    ctx.error(f"{nin}+{1 if nbytes % ibs else 0} records in\n{nout}+{1 if nbytes % obs else 0} records out\n"
              f"{nbytes} bytes transferred in 0.001 secs")


def _lift_file_size_limit() -> None:
    try:
        import resource
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    except (ImportError, ValueError, OSError):
        pass


def written_fully(state: dict, path: str, host_path: str) -> tuple[bool, str]:
    """Whether dd wrote every byte of ``path`` (as the machine sees it), and why not."""
    try:
        st = os.stat(host_path)
    except OSError:
        return False, "it does not exist"
    record = (state.get("dd") or {}).get(path)
    if not record:
        return False, "it was not written with dd (a file made by truncate, seek or a copy is sparse)"
    if record["mtime"] != st.st_mtime_ns or record["size"] != st.st_size:
        return False, "it was changed after dd wrote it"
    if st.st_size and record["written"] != [[0, st.st_size]]:
        holes = []
        pos = 0
        for a, b in record["written"]:
            if a > pos:
                holes.append((pos, a))
            pos = max(pos, b)
        if pos < st.st_size:
            holes.append((pos, st.st_size))
        first = holes[0]
        return False, (f"dd left {len(holes)} unwritten range(s), the first bytes {first[0]}-{first[1]}: "
                       "a sparse file (seek= with count=0, or conv=sparse)")
    return True, ""
