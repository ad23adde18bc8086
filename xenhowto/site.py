"""``howto build``: a strict MkDocs build into a scratch directory, moved over
site/ only when it succeeds.  MkDocs runs in this process, as its own command
line does (`mkdocs build --strict`): a second interpreter would cost more than
the rest of a build with warm caches."""
from __future__ import annotations

import os
import shutil
import tempfile

from xenhowto import atomic
from xenhowto.deploy import make_world_readable
from xenhowto.findings import HowtoError
from xenhowto.project import load


def check_data(data_dir: str) -> None:
    """Fail before MkDocs runs when data/ has problems, with file:line findings."""
    from xenhowto.facts import check_data as findings_of

    findings = findings_of(data_dir)
    if findings:
        raise HowtoError(f"the data in {os.path.relpath(data_dir)} has {len(findings)} problem(s); "
                         "nothing was built", findings)


def build_env(as_of: str | None) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if as_of:
        env["HOWTO_AS_OF"] = as_of
    return env


def _mkdocs(args: list[str], env: dict[str, str]) -> int:
    """MkDocs' command line in this process, with ``env`` as the environment
    while it runs; its exit status."""
    from mkdocs.__main__ import cli

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        cli.main(args=args, prog_name="mkdocs", standalone_mode=True)
        return 0
    except SystemExit as e:  # standalone mode always exits, 0 on success
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def build(config_file: str = "mkdocs.yml", site_dir: str | None = None, as_of: str | None = None,
          quiet: bool = False) -> str:
    project = load(config_file)
    check_data(os.path.join(project.root, "data"))
    target = os.path.abspath(site_dir or project.site_dir)
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix=".site.build-", dir=parent)
    args = ["build", "--strict", "-f", config_file, "-d", scratch] + (["-q"] if quiet else [])
    if _mkdocs(args, build_env(as_of)) != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        kept = "the previous site is unchanged" if os.path.exists(target) else "nothing was written"
        raise HowtoError(f"the build failed (see the messages above); {kept}")
    make_world_readable(scratch)  # mkdtemp made it 0700: a web server could not read it
    atomic.replace_dir(scratch, target)
    return target
