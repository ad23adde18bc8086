"""The ``howto`` command: one small function per subcommand, each a thin
caller of the package.  Exit status: 0 ok, 1 findings or failure, 2 usage."""
from __future__ import annotations

import argparse
import os
import sys

from xenhowto import asof
from xenhowto.findings import HowtoError, UsageError


def cmd_build(args) -> int:
    from xenhowto.site import build

    if args.as_of:
        asof.parse(args.as_of)
    target = build(args.config, args.site_dir, args.as_of)
    print(f"site built in {target}")
    return 0


def cmd_export(args) -> int:
    from xenhowto.export import export
    from xenhowto.project import load

    if args.check:
        return _export_check(args)
    written = export(load(args.config), args.output, asof.resolve(args.as_of), force=args.force)
    print(f"exported to {args.output}: {len(written)} file(s) changed")
    for path in written:
        print(f"  {path}")
    return 0


def _export_check(args) -> int:
    from xenhowto.project import load
    from xenhowto.sync.run import check

    if not os.path.isdir(args.check):
        print(f"howto export: --check {args.check}: no such directory", file=sys.stderr)
        return 2
    drifts = check(load(args.config), args.check, asof.resolve(args.as_of))
    for drift in drifts:
        print(drift.message)
        sys.stdout.write(drift.diff)
    if drifts:
        return 1
    print(f"{args.check} holds what the sources export")
    return 0


def cmd_sync(args) -> int:
    from xenhowto.project import load
    from xenhowto.sync.run import sync

    if not os.path.isdir(args.wiki):
        print(f"howto sync: --wiki {args.wiki}: no such directory (give a wikisrc checkout)", file=sys.stderr)
        return 2
    outcome = sync(load(args.config), args.wiki, asof.resolve(args.as_of))
    for item in outcome.items:
        print(item)
    applied = sum(i.kind == "applied" for i in outcome.items)
    people = outcome.needs_person
    print(f"howto sync: {applied} wiki edit(s) applied to docs/, {len(people)} need a person; "
          f"{len(outcome.written)} file(s) written")
    for path in outcome.written:
        print(f"  {path}")
    return 1 if people else 0


def cmd_versions(args) -> int:
    from xenhowto.facts import load_facts, report

    facts = load_facts(args.data_dir)
    if args.diff:
        first, second = (asof.parse(d, "--diff") for d in args.diff)
        out = (report.diff_json if args.format == "json" else report.diff_markdown)(facts, first, second)
    else:
        when = asof.resolve(args.as_of)
        out = (report.to_json if args.format == "json" else report.to_markdown)(facts, when)
    sys.stdout.write(out)
    return 0


# A domU config is a few lines; Xen's own parser is fed the whole file.
MAX_CONFIG_BYTES = 1024 * 1024


def cmd_check_config(args) -> int:
    """Judge a user's own domU config for one Xen version (exit 0 works, 1 not, 2 usage)."""
    from xenhowto.findings import Finding
    from xenhowto.inputs import InputError, read_bytes
    from xenhowto.validators import xen_keys
    from xenhowto.validators.xl_domu import validate_xl_domu
    from xenhowto.validators.xm_domu import validate_xm_domu

    try:
        version = xen_keys.parse_version(args.xen)
    except xen_keys.VersionError as e:
        print(f"howto check-config: {e}", file=sys.stderr)
        return 2
    toolstack, note = args.toolstack, None
    if toolstack is None:
        toolstack, note = xen_keys.default_toolstack(version)
    try:
        data = read_bytes(args.file, MAX_CONFIG_BYTES, "config")
    except InputError as e:
        print(f"howto check-config: {e}", file=sys.stderr)
        return 2
    text = data.decode("utf-8", "surrogateescape")
    problem = xen_keys.toolstack_error(toolstack, version)
    if problem:  # the config cannot work with that Xen: a finding about it, not a usage error
        print(Finding(args.file, 1, problem))
        print(f"{args.file} would not work with {toolstack} on Xen {xen_keys.fmt(version)}: 1 error(s).")
        return 1
    if note:
        print(f"note: {note}.")
    validate = validate_xl_domu if toolstack == "xl" else validate_xm_domu
    findings = validate(text, args.file, 1, xen=version, parser=args.parser)
    for finding in findings:
        print(finding)
    errors = sum(f.severity == "error" for f in findings)
    setup = f"{toolstack} on Xen {xen_keys.fmt(version)}"
    if errors:
        print(f"{args.file} would not work with {setup}: {errors} error(s).")
        return 1
    print(f"{args.file} would work with {setup}" + (" (see the warnings)." if findings else "."))
    return 0


def cmd_check(args) -> int:
    from xenhowto import reporting
    from xenhowto.checking.run import run
    from xenhowto.project import load

    for path in args.paths:
        if not os.path.exists(path):
            print(f"howto check: {path}: no such file or directory", file=sys.stderr)
            return 2
    if args.output:
        from xenhowto import atomic

        atomic.target_of(args.output)  # refuse a device or a directory before the work, not after
    report = run(load(args.config), args.paths or None, asof.resolve(args.as_of), args.window_months,
                 guides=not args.no_guides)
    text = reporting.render(args.format, report.findings, len(report.checked), report.checked)
    if args.output:
        from xenhowto import atomic

        atomic.write_text(args.output, text)
        print(reporting.summary(report.findings, len(report.checked)))
    else:
        sys.stdout.write(text)
    failing = report.errors + (len(report.findings) - report.errors if args.strict else 0)
    return 1 if failing else 0


def _months(text: str) -> int:
    """--window-months: a whole number of months, 1 to 1200."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of months") from None
    if not 1 <= n <= 1200:
        raise argparse.ArgumentTypeError(f"{n} months: give 1 to 1200")
    return n


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="howto",
        description="Publish the NetBSD/Xen HOWTO: build the site, export the wiki pages.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(sp):
        sp.add_argument("-f", "--config", default="mkdocs.yml", help="the project's mkdocs.yml (default: %(default)s)")
        sp.add_argument("--as-of", metavar="YYYY-MM-DD", help="date the facts are taken at (default: "
                        "HOWTO_AS_OF, SOURCE_DATE_EPOCH, or today)")

    b = sub.add_parser("build", help="strict MkDocs build of the site (previous site kept on failure)",
                       description="Build the site with mkdocs --strict; site/ is replaced only on success.")
    common(b)
    b.add_argument("-d", "--site-dir", help="output directory (default: site_dir of mkdocs.yml)")
    b.set_defaults(func=cmd_build)

    e = sub.add_parser("export", help="write the pages as plain ikiwiki .mdwn for the NetBSD wiki",
                       description="Write every .mdwn page under DIR at its wiki path (DIR/ports/xen/howto.mdwn), "
                       "with the project's directives expanded.  Refuses to overwrite a file changed since the "
                       "last export unless --force.")
    common(e)
    target = e.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", metavar="DIR", help="e.g. a wikisrc checkout")
    target.add_argument("--check", metavar="DIR", help="write nothing; exit 1 with a unified diff when DIR differs "
                        "from what the sources export, saying which side changed since the last sync (for CI)")
    e.add_argument("--force", action="store_true", help="overwrite files changed since the last export (their "
                   "edits are dropped; the export becomes the last synchronised text)")
    e.set_defaults(func=cmd_export)

    y = sub.add_parser("sync", help="bring the wiki's edits into docs/, then export the result back",
                       description="Compare the last synchronised text (wiki-sync/), the page in DIR and what the "
                       "sources export: the wiki's edits of hand-written text are applied to docs/; edits of "
                       "generated text are reported with the data entry or template to change instead; lines both "
                       "sides changed get conflict markers in docs/.  Then the result is exported into DIR, "
                       "keeping the wiki's wording where it was not applied.  Exit 0 when everything was applied, "
                       "1 when something needs a person, 2 on usage errors.")
    common(y)
    y.add_argument("--wiki", required=True, metavar="DIR",
                   help="a wikisrc checkout (or any directory holding the pages at their wiki paths)")
    y.set_defaults(func=cmd_sync)

    v = sub.add_parser("versions", help="the Xen package table and the recommendation as of a date, from data/",
                       description="Print the Xen packages in pkgsrc, their upstream status and the HOWTO's "
                       "recommendation as of a date, computed from data/*.yaml; or, with --diff, which facts and "
                       "recommendations differ between two dates.  Exits 1 with file:line messages when the data "
                       "is invalid.")
    v.add_argument("--as-of", metavar="YYYY-MM-DD", help="date the facts are taken at (default: "
                   "HOWTO_AS_OF, SOURCE_DATE_EPOCH, or today)")
    v.add_argument("--format", choices=("md", "json"), default="md", help="output format (default: %(default)s)")
    v.add_argument("--diff", nargs=2, metavar=("DATE1", "DATE2"), help="list what differs between two dates")
    v.add_argument("--data-dir", metavar="DIR", help="the data directory (default: data/ of the checkout)")
    v.set_defaults(func=cmd_versions)
    c = sub.add_parser("check-config", help="judge your own domU config file for a Xen version",
                       description="Check a domU config file the way xl (or xm) of that Xen version reads it: "
                       "syntax by Xen's own parser (libxlutil) where installed, keys that version knows, numbers, "
                       "disks, vifs, kernel, and the HOWTO's upgrade rules (no autorestart, disks numbered 0x0, "
                       "0x1 rather than named wd0).  One sentence per finding.  Exit 0 when the config would work, "
                       "1 when it would not, 2 on usage errors.")
    c.add_argument("file", metavar="FILE", help="the domU config, e.g. /usr/pkg/etc/xen/foo")
    c.add_argument("--xen", required=True, metavar="X.Y", help="the Xen version, e.g. 4.18")
    c.add_argument("--toolstack", choices=("xl", "xm"), help="default: xl for Xen 4.1 and later "
                   "(4.1 to 4.4 also had xm), xm for 3.x")
    c.add_argument("--parser", choices=("auto", "libxlutil", "python"), default="auto",
                   help="xl syntax by libxlutil or by the pure-Python parser (default: libxlutil when installed)")
    c.set_defaults(func=cmd_check_config)

    k = sub.add_parser("check", help="check data, every page's examples, the named guides and stale \"as of\"",
                       description="Check the data schemas, every example of every page (or of the given .mdwn "
                       "files or directories, e.g. a wikisrc checkout), every named guide, and hand-written "
                       "\"as of\" dates older than the window.  Exit 0 clean, 1 errors (or warnings with "
                       "--strict), 2 usage error.")
    common(k)
    k.add_argument("paths", nargs="*", metavar="PATH", help=".mdwn files or directories (default: the project)")
    k.add_argument("--format", choices=("text", "json", "github", "junit"), default="text")
    k.add_argument("-o", "--output", metavar="FILE", help="write the report here (e.g. junit XML for CI)")
    k.add_argument("--window-months", type=_months, default=12, metavar="N",
                   help="report \"as of\" dates older than N months (default: %(default)s)")
    k.add_argument("--strict", action="store_true", help="warnings fail the check too")
    k.add_argument("--no-guides", action="store_true", help="skip the named guides")
    k.set_defaults(func=cmd_check)

    from xenhowto.guide.cli import add_parser as add_guide

    add_guide(sub, common)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as e:
        print(f"howto {args.command}: {e}", file=sys.stderr)
        return 2
    except HowtoError as e:
        for finding in e.findings:
            print(finding, file=sys.stderr)
        print(f"howto {args.command}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
