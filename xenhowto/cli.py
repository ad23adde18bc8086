"""The ``howto`` command: one small function per subcommand, each a thin
caller of the package.  Exit status: 0 ok, 1 findings or failure, 2 usage."""
from __future__ import annotations

import argparse
import sys

from xenhowto import asof
from xenhowto.findings import HowtoError


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

    written = export(load(args.config), args.output, asof.resolve(args.as_of), force=args.force)
    print(f"exported to {args.output}: {len(written)} file(s) changed")
    for path in written:
        print(f"  {path}")
    return 0


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
    e.add_argument("-o", "--output", required=True, metavar="DIR", help="e.g. a wikisrc checkout")
    e.add_argument("--force", action="store_true", help="overwrite files changed since the last export")
    e.set_defaults(func=cmd_export)

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
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except HowtoError as e:
        for finding in e.findings:
            print(finding, file=sys.stderr)
        print(f"howto {args.command}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
