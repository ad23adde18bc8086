"""Xen's own xl config parser, libxlutil, called through ctypes.

Why: what ``xl create`` accepts is decided by libxlutil (``xlu_cfg_*``), and
no hand-written checker is as good a judge as the real thing.  It needs no
hypervisor, so it runs on any machine that has the library: Debian's
``libxenmisc4.17`` (``libxlutil.so.4.17``), pkgsrc's xentools on NetBSD.
When the library is missing, ``available()`` is false and ``reason()`` says
why; callers then use the pure-Python twin in ``xlcfg_grammar.py``.

The library prints its complaints (``name:line: config parsing error near
...``) to a ``FILE*``; we give it an ``open_memstream`` buffer (glibc) and
read them back.  ``HOWTO_LIBXLUTIL`` may name the library file to use.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import glob
import os
import re
import threading
from dataclasses import dataclass, field

from xenhowto.findings import Finding

#: The version whose behaviour the pure-Python parser copies.
SONAME = "libxlutil.so.4.17"
_REPORT_NAME = "config"
_ERROR_RE = re.compile(
    r"^" + _REPORT_NAME + r":(?P<line>-?\d+): config parsing error near (?P<near>.*?): "
    r"(?P<msg>lexical error|syntax error.*|memory exhausted|can't add .*|invalid .* in quoted string)$")

_lock = threading.Lock()
_lib = None
_reason: str | None = None


@dataclass
class LibxlError:
    line: int  # where the problem is (libxlutil prints one less "near <newline>")
    reported_line: int
    near: str
    message: str


@dataclass
class Disk:
    """The fields of libxl_device_disk that xlu_disk_parse fills and we check."""
    target: str | None
    vdev: str | None
    format: int
    readwrite: bool
    is_cdrom: bool


FORMATS = {0: "unknown", 1: "qcow", 2: "qcow2", 3: "vhd", 4: "raw", 5: "empty", 6: "qed"}


class _DiskStruct(ctypes.Structure):
    # The leading members of libxl_device_disk (_libxl_types.h, Xen 4.2 to 4.17+);
    # the rest of the struct lives in the larger buffer we allocate.
    _fields_ = [("backend_domid", ctypes.c_uint32), ("backend_domname", ctypes.c_char_p),
                ("pdev_path", ctypes.c_char_p), ("vdev", ctypes.c_char_p),
                ("backend", ctypes.c_int), ("format", ctypes.c_int), ("script", ctypes.c_char_p),
                ("removable", ctypes.c_int), ("readwrite", ctypes.c_int), ("is_cdrom", ctypes.c_int)]


def library_files() -> list[str]:
    """The library files in the usual places (HOWTO_LIBXLUTIL if set): what a
    cached verdict of the library depends on (``xenhowto.digest.tool``)."""
    env = os.environ.get("HOWTO_LIBXLUTIL")
    if env:
        return [env]
    names = []
    for pattern in ("/usr/lib/*-linux-gnu/libxlutil.so*", "/usr/lib/libxlutil.so*",
                    "/usr/pkg/lib/libxlutil.so*", "/usr/local/lib/libxlutil.so*"):
        names.extend(sorted(glob.glob(pattern)))
    return names


def _candidates() -> list[str]:
    if os.environ.get("HOWTO_LIBXLUTIL"):
        return library_files()
    names = []
    found = ctypes.util.find_library("xlutil")
    if found:
        names.append(found)
    names.append(SONAME)
    return names + library_files()


def _load():
    global _lib, _reason
    with _lock:
        if _lib is not None or _reason is not None:
            return _lib
        tried = []
        for name in _candidates():
            try:
                lib = ctypes.CDLL(name)
                _bind(lib)
            except (OSError, AttributeError) as e:
                tried.append(f"{name} ({e})")
                continue
            _lib = lib
            return lib
        _reason = ("libxlutil (Xen's xl config parser, e.g. Debian package libxenmisc4.17) "
                   "was not found" + (": tried " + "; ".join(tried) if tried else ""))
        return None


def _bind(lib) -> None:
    c = ctypes
    libc = c.CDLL(None)
    libc.open_memstream.restype = c.c_void_p
    libc.open_memstream.argtypes = [c.POINTER(c.c_void_p), c.POINTER(c.c_size_t)]
    libc.fflush.argtypes = [c.c_void_p]
    libc.fclose.argtypes = [c.c_void_p]
    libc.free.argtypes = [c.c_void_p]
    lib.libc = libc
    lib.xlu_cfg_init.restype = c.c_void_p
    lib.xlu_cfg_init.argtypes = [c.c_void_p, c.c_char_p]
    lib.xlu_cfg_readdata.restype = c.c_int
    lib.xlu_cfg_readdata.argtypes = [c.c_void_p, c.c_char_p, c.c_int]
    lib.xlu_cfg_destroy.argtypes = [c.c_void_p]
    lib.xlu_cfg_get_string.restype = c.c_int
    lib.xlu_cfg_get_string.argtypes = [c.c_void_p, c.c_char_p, c.POINTER(c.c_char_p), c.c_int]
    lib.xlu_cfg_get_long.restype = c.c_int
    lib.xlu_cfg_get_long.argtypes = [c.c_void_p, c.c_char_p, c.POINTER(c.c_long), c.c_int]
    lib.xlu_cfg_get_list.restype = c.c_int
    lib.xlu_cfg_get_list.argtypes = [c.c_void_p, c.c_char_p, c.POINTER(c.c_void_p),
                                     c.POINTER(c.c_int), c.c_int]
    lib.xlu_cfg_get_listitem.restype = c.c_char_p
    lib.xlu_cfg_get_listitem.argtypes = [c.c_void_p, c.c_int]
    lib.xlu_disk_parse.restype = c.c_int
    lib.xlu_disk_parse.argtypes = [c.c_void_p, c.c_int, c.POINTER(c.c_char_p), c.c_void_p]
    # libxenlight, which libxlutil links against, initialises and frees the disk struct
    lib.libxl_device_disk_init.argtypes = [c.c_void_p]
    lib.libxl_device_disk_dispose.argtypes = [c.c_void_p]


def available() -> bool:
    return _load() is not None


def reason() -> str | None:
    """Why libxlutil is not available (None when it is)."""
    _load()
    return _reason


def true_line(reported: int, near: str, message: str) -> int:
    """The line a libxlutil error is on: it prints one less for newline tokens."""
    # A NEWLINE token's text ends in "\n", which xlu__cfg_yyerror strips while
    # subtracting one from the line; its text is "\n" or a "#..." comment.
    if near == "<newline>" or (near.startswith("`#") and "unexpected NEWLINE" in message):
        return reported + 1
    return reported


@dataclass
class Config:
    """A parsed config held by libxlutil; use as a context manager."""
    rc: int = 0
    errors: list[LibxlError] = field(default_factory=list)
    output: str = ""  # everything libxlutil printed while parsing
    _cfg: int | None = None
    _file: int | None = None
    _buf: ctypes.c_void_p = field(default_factory=ctypes.c_void_p)
    _size: ctypes.c_size_t = field(default_factory=ctypes.c_size_t)
    _read: int = 0

    @property
    def ok(self) -> bool:
        return self.rc == 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        lib = _lib
        if self._cfg:
            lib.xlu_cfg_destroy(self._cfg)
            self._cfg = None
        if self._file:
            lib.libc.fclose(self._file)
            self._file = None
            lib.libc.free(self._buf)

    def _drain(self) -> str:
        """What libxlutil printed since the last call (only those bytes are
        copied: copying the whole buffer each time made a long disk list quadratic)."""
        _lib.libc.fflush(self._file)
        size = self._size.value
        if size <= self._read:
            return ""
        new = ctypes.string_at(self._buf.value + self._read, size - self._read)
        self._read = size
        return new.decode("utf-8", "replace")

    def get_string(self, key: str) -> str | None:
        value = ctypes.c_char_p()
        rc = _lib.xlu_cfg_get_string(self._cfg, key.encode(), ctypes.byref(value), 1)
        return value.value.decode("utf-8", "replace") if rc == 0 else None

    def get_long(self, key: str) -> tuple[int, int | None, str]:
        """(errno, value, libxlutil's warning): 0 ok, ESRCH missing, EINVAL not a number."""
        value = ctypes.c_long()
        rc = _lib.xlu_cfg_get_long(self._cfg, key.encode(), ctypes.byref(value), 0)
        return rc, (value.value if rc == 0 else None), self._drain().strip()

    def get_list(self, key: str) -> list[str | None] | None:
        """The list's items (None for an item that is itself a list); None if no list."""
        lst = ctypes.c_void_p()
        count = ctypes.c_int()
        rc = _lib.xlu_cfg_get_list(self._cfg, key.encode(), ctypes.byref(lst), ctypes.byref(count), 1)
        if rc:
            return None
        items = []
        for i in range(count.value):
            item = _lib.xlu_cfg_get_listitem(lst, i)
            items.append(item.decode("utf-8", "replace") if item is not None else None)
        return items

    def parse_disk(self, spec: str) -> tuple[Disk | None, str]:
        """xlu_disk_parse on one spec: (disk or None, libxlutil's message).

        A spec with a newline is refused (ValueError): after a stray ``=`` the
        disk lexer has no rule for a newline and flex's "scanner jammed"
        handler exits the whole process.
        """
        if "\n" in spec or "\0" in spec:
            raise ValueError("disk spec contains a newline or NUL byte")
        buf = ctypes.create_string_buffer(2048)  # larger than libxl_device_disk
        _lib.libxl_device_disk_init(buf)
        specs = (ctypes.c_char_p * 1)(spec.encode("utf-8", "surrogateescape"))
        try:
            rc = _lib.xlu_disk_parse(self._cfg, 1, specs, buf)
            message = self._drain().strip()
            if rc:
                return None, message
            d = _DiskStruct.from_buffer(buf)
            disk = Disk(d.pdev_path.decode("utf-8", "replace") if d.pdev_path is not None else None,
                        d.vdev.decode("utf-8", "replace") if d.vdev is not None else None,
                        d.format, bool(d.readwrite), bool(d.is_cdrom))
            return disk, message
        finally:
            _lib.libxl_device_disk_dispose(buf)


def open_config(text: str | bytes) -> Config:
    """Parse ``text`` with xlu_cfg_readdata; raises RuntimeError if unavailable."""
    lib = _load()
    if lib is None:
        raise RuntimeError(_reason)
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
    if b"\0" in data:
        # A NUL inside a quoted string trips an assertion in xlu__cfgl_dequote
        # (strlen stops at the NUL) and would abort this process.
        raise ValueError("the config contains a NUL byte, which libxlutil cannot parse safely")
    cfg = Config()
    cfg._file = lib.libc.open_memstream(ctypes.byref(cfg._buf), ctypes.byref(cfg._size))
    if not cfg._file:
        raise OSError(ctypes.get_errno() or errno.ENOMEM, "open_memstream failed")
    cfg._cfg = lib.xlu_cfg_init(cfg._file, _REPORT_NAME.encode())
    if not cfg._cfg:
        cfg.close()
        raise MemoryError("xlu_cfg_init failed")
    cfg.rc = lib.xlu_cfg_readdata(cfg._cfg, data, len(data))
    cfg.output = cfg._drain()
    for line in cfg.output.split("\n"):
        m = _ERROR_RE.match(line)
        if m:
            reported = int(m["line"])
            cfg.errors.append(LibxlError(true_line(reported, m["near"], m["msg"]), reported,
                                         m["near"], m["msg"]))
    return cfg


def parse(text: str | bytes) -> Config:
    """Parse and release: the result keeps rc, errors and output only."""
    with open_config(text) as cfg:
        return cfg


def validate_xlcfg_syntax(text: str, path: str, first_line: int = 1, **options) -> list[Finding]:
    """Syntax of an xl domain config judged by libxlutil itself."""
    from xenhowto.validators.xlcfg_grammar import XlError, describe

    result = parse(text)
    findings = [Finding(path, e.line + first_line - 1,
                        describe(XlError(e.line, e.reported_line, e.near, e.message)))
                for e in result.errors]
    if not result.ok and not findings:  # never silently pass a rejected config
        findings.append(Finding(path, first_line, f"xl cannot parse this config: {result.output.strip()}"))
    return findings
