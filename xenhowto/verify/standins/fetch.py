"""ftp(1) as the guides use it to fetch a NetBSD release's files: ``ftp -o
FILE URL`` (or ``ftp URL``, saving under the URL's last name).

There is no network in the sandbox: the stand-in is a mirror of NetBSD's
releases as data/netbsd_kernels.yaml describes them (release_url): a URL of
the machine's own release, <port>/binary/kernel/<kernel> with a kernel a
release of that port has (``world.release_kernels``), gives that kernel; any
other URL is a 404, as the real mirror answers.
"""
from __future__ import annotations

import os

from . import world
from .world import StandinError, UsageError

USAGE = "usage: ftp [-o output] url ..."
MIRROR_HOSTS = ("cdn.NetBSD.org", "cdn.netbsd.org", "ftp.NetBSD.org", "ftp.netbsd.org")


def _kernel_of(url: str, release: str) -> tuple[dict | None, str]:
    """(marker fields, why not) of the file at ``url`` on the mirror."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in ("http", "https", "ftp"):
        return None, "not a URL (ftp fetches http://, https:// and ftp:// URLs)"
    host, _, path = rest.partition("/")
    if host not in MIRROR_HOSTS:
        return None, f"{host}: the sandbox has no network; only NetBSD's mirror (cdn.NetBSD.org) is stood in"
    parts = path.split("/")
    # pub/NetBSD/NetBSD-<release>/<port>/binary/kernel/<file>
    if len(parts) != 7 or parts[:2] != ["pub", "NetBSD"] or not parts[2].startswith("NetBSD-") \
            or parts[4:6] != ["binary", "kernel"]:
        return None, "404 Not Found (a release's kernels are under pub/NetBSD/NetBSD-<release>/<port>/binary/kernel/)"
    rel, port, name = parts[2][len("NetBSD-"):], parts[3], parts[6]
    if rel != release:
        return None, (f"404 Not Found: this guide's machine installed NetBSD {release}; its kernels are under "
                      f"NetBSD-{release}/, not NetBSD-{rel}/")
    try:
        kernels = world.release_kernels(port)
    except ValueError:
        return None, f"404 Not Found: NetBSD {rel} has no port {port} here (amd64, i386)"
    if name not in kernels:
        return None, f"404 Not Found: NetBSD {rel}/{port} has no kernel {name} ({', '.join(sorted(kernels))})"
    return dict(kernels[name], release=rel), ""


def ftp(ctx, argv: list[str]) -> None:
    out, urls, i = None, [], 0
    while i < len(argv):
        a = argv[i]
        if a == "-o":
            if i + 1 >= len(argv):
                raise UsageError(USAGE)
            out = argv[i + 1]
            i += 2
            continue
        if a.startswith("-o"):
            out = a[2:]
        elif a.startswith("-"):
            raise UsageError(f"unknown option {a}\n{USAGE}")
        else:
            urls.append(a)
        i += 1
    if not urls or (out is not None and len(urls) != 1):
        raise UsageError(USAGE)
    release = ctx.state["machine"].get("release", "current")
    fetched = []
    for url in urls:
        fields, why = _kernel_of(url, release)
        if fields is None:
            raise StandinError(f"Error retrieving file `{url}': {why}")
        target = out or url.rsplit("/", 1)[-1]
        host = ctx.path(target)
        if not os.path.isdir(os.path.dirname(host)):
            raise StandinError(f"Can't open `{target}': No such file or directory")
        what = fields.pop("what")
        with open(host, "w", encoding="utf-8") as f:
            f.write(world.marker(what, **fields))
        fetched.append({"url": url, "file": world.absolute(target, ctx.cwd)})
        ctx.out(f"100% |***********************************| {len(what)} bytes")
    ctx.effect["fetched"] = fetched
