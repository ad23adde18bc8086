"""``howto build``: a strict MkDocs build into a scratch directory beside the
site, swapped in for site/ only when it succeeds (xenhowto.atomic.replace_dir:
there is no moment without a whole site/).

MkDocs runs in this process, as its own command line does (`mkdocs build
--strict`): a second interpreter would cost more than the rest of a build
with warm caches.  Builds into the same directory wait for each other (a lock
on it), the scratch directory is removed on every exit, Ctrl-C and SIGTERM
included, and scratch directories left by a build that was killed outright
are removed by the next one."""
from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import shutil
import signal
import sys
import tempfile

from xenhowto import atomic
from xenhowto.deploy import make_world_readable
from xenhowto.findings import HowtoError
from xenhowto.project import load


class Terminated(SystemExit):
    """SIGTERM, turned into an exception so that cleanups run."""


def check_data(data_dir: str) -> None:
    """Fail before MkDocs runs when data/ has problems, with file:line findings."""
    from xenhowto.facts import check_data as findings_of
    from xenhowto.guide import model

    findings = findings_of(data_dir) + model.problems(data_dir)
    if findings:
        raise HowtoError(f"the data in {os.path.relpath(data_dir)} has {len(findings)} problem(s); "
                         "nothing was built", findings)


def build_env(as_of: str | None) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if as_of:
        env["HOWTO_AS_OF"] = as_of
    return env


@contextlib.contextmanager
def _signals_raise():
    """SIGTERM (and SIGHUP) raise, as Ctrl-C does, while a build runs."""
    def terminate(signum, frame):
        raise Terminated(128 + signum)

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            previous[sig] = signal.signal(sig, terminate)
        except ValueError:  # not the main thread: leave signals alone
            pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _lock(target: str):
    """One build into ``target``'s directory at a time; the next one waits.
    The lock is flock(2) on that directory itself: no lock file to leave behind."""
    fd = os.open(os.path.dirname(target), os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build in {os.path.relpath(os.path.dirname(target))} to finish",
                  file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # releases the lock (once MkDocs, which shares it, is gone too)


def _scratch_prefix(target: str) -> str:
    return f".{os.path.basename(target)}.build-"


def _remove_leftovers(target: str) -> None:
    """Scratch directories of killed builds (only called with the lock held)."""
    parent = os.path.dirname(target)
    name = os.path.basename(target)
    for pattern in (_scratch_prefix(target) + "*", f".{name}.old-*"):
        for leftover in glob.glob(os.path.join(glob.escape(parent), pattern)):
            shutil.rmtree(leftover, ignore_errors=True)


def build(config_file: str = "mkdocs.yml", site_dir: str | None = None, as_of: str | None = None,
          quiet: bool = False) -> str:
    project = load(config_file)
    # the data the build reads: HOWTO_DATA_DIR's, else the project's (ikiwiki.directives._facts.data_dir)
    check_data(os.environ.get("HOWTO_DATA_DIR") or os.path.join(project.root, "data"))
    target = os.path.realpath(site_dir or project.site_dir)  # a symlinked site: swap the real directory
    parent = os.path.dirname(target)
    if os.path.lexists(target) and not os.path.isdir(target):
        raise atomic.OutputError(f"{target} is not a directory; give a directory or a new path for the site")
    try:
        os.makedirs(parent, exist_ok=True)
        with _signals_raise(), _lock(target):
            _remove_leftovers(target)
            scratch = tempfile.mkdtemp(prefix=_scratch_prefix(target), dir=parent)
            try:
                args = ["build", "--strict", "-f", config_file, "-d", scratch] + (["-q"] if quiet else [])
                if _mkdocs(args, build_env(as_of)) != 0:
                    kept = "the previous site is unchanged" if os.path.exists(target) else "nothing was written"
                    raise HowtoError(f"the build failed (see the messages above); {kept}")
                make_world_readable(scratch)  # mkdtemp made it 0700: a web server could not read it
                atomic.replace_dir(scratch, target)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    except OSError as e:
        kept = "the previous site is unchanged" if os.path.exists(target) else "nothing was written"
        raise atomic.WriteError(f"cannot build into {os.path.relpath(target)}: "
                                f"{(e.strerror or str(e)).lower()}; {kept}") from None
    return target


def _mkdocs(args: list[str], env: dict[str, str]) -> int:
    """MkDocs' command line in this process, with ``env`` as the environment
    while it runs; its exit status.  A write that fails (a full or read-only
    disk) is one sentence rather than MkDocs' traceback."""
    from mkdocs.__main__ import cli

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        cli.main(args=args, prog_name="mkdocs", standalone_mode=True)
    except SystemExit as e:  # standalone mode always exits, 0 on success
        if isinstance(e, Terminated):
            raise
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except OSError as e:
        where = f" {e.filename2 or e.filename}" if (e.filename2 or e.filename) else ""
        print(f"mkdocs: cannot write{where}: {(e.strerror or str(e)).lower()}", file=sys.stderr)
        return 1
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return 0
