"""The HOWTO's words, generated from the facts as of a date: the Xen
packages' paragraphs, the releases not yet in pkgsrc, the xm/xl advice, the
daemons, the NetBSD branches, the Recommendation and the version table.

Each function takes a ``View`` and returns markdown (ikiwiki flavour: the
table is a [[!table]] directive).  The sentences follow the HOWTO's own
wording, so the page reads as before while the facts in it are computed.
"""
from __future__ import annotations

from xenhowto.facts import history, staleness
from xenhowto.facts.dates import months_between
from xenhowto.facts.model import Package, version_key
from xenhowto.facts.recommend import NEWEST, PATCHED, UPSTREAM, Recommendation, recommend
from xenhowto.facts.view import SECURITY, STATUS_LABELS, SUPPORTED, UNKNOWN, UNSUPPORTED, View

ARCH_LABELS = {"i386": "i386 (non-PAE)", "i386pae": "i386 PAE", "amd64": "amd64"}
DOMU_LABELS = {"i386": "i386", "i386pae": "i386PAE", "amd64": "amd64"}
DAEMON_LABELS = {"xencommons": "xencommons (which starts xenstored)"}
NEW_MONTHS = 12  # a package added less than this long ago is "new to pkgsrc"
CODE_INDENT = " " * 8

_BADGE_STYLE = {
    "supported": "background:#2e7d3226;color:inherit;border:1px solid #2e7d32",
    "security-only": "background:#f9a82526;color:inherit;border:1px solid #f9a825",
    "unsupported": "background:#c6282826;color:inherit;border:1px solid #c62828",
    "unknown": "background:#75757526;color:inherit;border:1px solid #757575",
}


def join(items, conj: str = "and") -> str:
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} {conj} {items[1]}"
    return ", ".join(items[:-1]) + f", {conj} {items[-1]}"


def code(lines: list[str]) -> str:
    return "\n".join(CODE_INDENT + line for line in lines)


def paragraphs(parts: list[str]) -> str:
    return "\n\n".join(p for p in parts if p) + "\n"


def _versions_from(view: View, versions: list[str], open_ended: bool = False) -> str:
    """'3.1 and 3.3', or '4.1 and later' when the list is every packaged
    version from the first on and the range is open."""
    versions = sorted(set(versions), key=version_key)
    if open_ended and len(versions) > 1:
        return f"{versions[0]} and later"
    return join(versions)


def _packages_from(view: View, pkgs: list[Package], attr: str = "tools") -> str:
    names = [getattr(p, attr) for p in sorted(pkgs, key=lambda p: p.key)]
    allpk = sorted(view.packages(), key=lambda p: p.key)
    if len(names) > 2 and [getattr(p, attr) for p in allpk if p.key >= pkgs[0].key] == names:
        return f"{names[0]} and later"
    return join(names)


# The Xen section: one paragraph per package -------------------------------

def _arch_sentence(pkg: Package) -> str:
    v, dom0, domu = pkg.xen, set(pkg.dom0_archs), set(pkg.domu_archs)
    if "i386" in dom0:
        return f"Xen {v} supports i386, both PAE and non-PAE."
    if "i386pae" in dom0:
        return f"Xen {v} supports i386, but only in PAE mode."
    if dom0 == {"amd64"}:
        kinds = [ARCH_LABELS[a] for a in ("amd64", "i386pae", "i386") if a in domu]
        if kinds == ["amd64"]:
            return f"Xen {v} requires amd64 for the dom0 and the domUs."
        return f"Xen {v} requires an amd64 dom0, but domUs can be {join(kinds, 'or')}."
    return f"Xen {v} supports {join([ARCH_LABELS[a] for a in pkg.dom0_archs])} as dom0."


def _status_sentences(view: View, pkg: Package) -> tuple[list[str], bool]:
    """Sentences about upstream support and security patches, and whether
    they already say the package should not be used."""
    rel = view.release(pkg.xen)
    status = view.status(rel)
    support = view.support(rel)
    obs = view.security(pkg)
    patches = obs.value if obs else None
    out: list[str] = []
    sec = support.security
    extended = f" (extended on {support.amended_text})" if support.amended_text else ""
    if status == SUPPORTED:
        if sec is not None:
            ext = f", extended on {support.amended_text}" if support.amended_text else ""
            out.append(f"It is maintained by Xen (security support until {sec.shown()}{ext}).")
        else:
            out.append("It is maintained by Xen.")
    elif status == SECURITY:
        newer = [r for r in view.released() if r.key > rel.key]
        if support.general is not None:
            out.append(f"It is still maintained by Xen, but old: general support ended {support.general.shown()}, "
                       f"and security support runs until {sec.shown()}{extended}.")
        elif newer:
            out.append(f"It is maintained by Xen, but old (Xen {newer[-1].version} is out), "
                       f"with security support until {sec.shown()}{extended}.")
        else:
            out.append(f"It is maintained by Xen, with security support until {sec.shown()}{extended}.")
    if patches == "upstream":
        out.append(f"As of {obs.date.month()}, security patches were released by Xen and applied to pkgsrc.")
        return out, False
    if status == UNSUPPORTED:
        ended = f" (its security support ended {sec.shown()})" if sec is not None else ""
        if patches == "backported":
            out.append(f"It is no longer maintained by Xen{ended}, but as of {obs.date.month()} "
                       f"it received backported security patches.")
            return out, False
        if patches == "none":
            if obs.extra.get("last_patch"):
                out.append(f"It is no longer maintained by Xen{ended}, and the last applied security patch "
                           f"was in {obs.extra['last_patch']}.  Thus, it should not be used.")
            else:
                out.append(f"It is no longer maintained by Xen{ended} and no longer receives security patches, "
                           f"so it should not be used.")
            return out, True
        out.append(f"It is no longer maintained by Xen{ended}, and no security patches for it are recorded; "
                   f"it should not be used.")
        return out, True
    if status == UNKNOWN and patches == "backported":
        out.append(f"As of {obs.date.month()}, it received backported security patches.")
    elif status == UNKNOWN and patches == "none":
        out.append("It no longer receives security patches and should not be used.")
        return out, True
    elif status == UNKNOWN:
        out.append("Whether Xen still maintains it is not recorded.")
    return out, False


def _gets_patches(view: View, pkg: Package) -> bool:
    obs = view.security(pkg)
    if obs is not None:
        return obs.value in ("upstream", "backported")
    return view.maintained(view.release(pkg.xen))


def _reasons(view: View, pkg: Package, rec: Recommendation) -> list[str]:
    """What this package offers that none of the recommended ones does."""
    out = []
    has_xm = "xm" in view.toolstacks_for(pkg.xen)
    if has_xm and not any("xm" in view.toolstacks_for(p.xen) for p in rec.packages):
        out.append("you need to use xm instead of xl")
    i386 = {"i386", "i386pae"}
    if i386 & set(pkg.dom0_archs) and not any(i386 & set(p.dom0_archs) for p in rec.packages):
        out.append("you need to run an i386 dom0 (because your hardware is i386 only)")
    return out


def _verdict(view: View, pkg: Package, rec: Recommendation) -> str:
    if pkg in rec.packages:
        if len(rec.packages) == 1:
            return "This HOWTO recommends it."
        if pkg is rec.packages[0]:
            return "It is the conservative choice of the versions this HOWTO recommends."
        if pkg is rec.packages[-1]:
            return "It is the newest of the versions this HOWTO recommends."
        return "It is one of the versions this HOWTO recommends."
    if not _gets_patches(view, pkg):
        return ""
    reasons = _reasons(view, pkg, rec)
    newer = [p for p in view.packages() if p.key > pkg.key]
    alternative = [
        p for p in newer
        if p not in rec.packages and _gets_patches(view, p) and set(_reasons(view, p, rec)) >= set(reasons)
    ]
    if reasons and not alternative:
        return "The only reason to run this is if " + ", or if ".join(reasons) + "."
    if newer and newer[0] in rec.packages:
        return "It is a reasonable although trailing-edge choice."
    return "There are no good reasons to run this version."


def package_paragraph(view: View, pkg: Package, rec: Recommendation | None = None) -> str:
    rec = rec or recommend(view)
    out = [f"{pkg.name} provides Xen {pkg.xen}."]
    if months_between(pkg.added.latest, view.as_of) < NEW_MONTHS:
        out.append(f"It is new to pkgsrc (added {pkg.added.month()}).")
    status, do_not_use = _status_sentences(view, pkg)
    out += status
    out.append(_arch_sentence(pkg))
    if view.pv32(pkg) == "unsupported":
        out.append("Its 32-bit PV guests are not officially supported any more; pkgsrc advises running i386 domUs "
                   "with pvshim (NetBSD 9 or older) or as PVH (NetBSD 10 or newer).")
    out += [staleness.dated(view.as_of, n.date, n.value) for n in view.notes(pkg.notes)]
    if not do_not_use:
        out.append(_verdict(view, pkg, rec))
    return "  ".join(s for s in out if s)


def unknown_presence(view: View) -> str:
    """Packages last seen in pkgsrc before the as-of date and not recorded
    gone: the page says so instead of describing them as there."""
    pkgs = sorted(view.unknown_presence(), key=lambda p: p.key)
    if not pkgs:
        return ""
    names = join([p.name for p in pkgs])
    dates = list(dict.fromkeys(p.removed.after.shown() for p in pkgs))
    seen = (f"last known there on {dates[0]}" if len(dates) == 1 else
            f"last known there on {join(dates)}, respectively")
    them = "it" if len(pkgs) == 1 else "them"
    out = [f"Whether {names} {'is' if len(pkgs) == 1 else 'are'} still in pkgsrc is not recorded ({seen}), so "
           f"this HOWTO does not recommend {them} and no guide offers {them}."]
    out += [f"For {p.name}, {n.value}" for p in pkgs for n in view.notes(p.notes) if n.extra.get("topic") == "removal"]
    return "  ".join(out)


def packages(view: View, only: list[str] | None = None) -> str:
    rec = recommend(view)
    pkgs = view.packages()
    if only:
        pkgs = [p for p in pkgs if p.name in only]
    if not pkgs:
        return "No Xen package is in pkgsrc as of this date.\n"
    return paragraphs([package_paragraph(view, p, rec) for p in pkgs] + ([] if only else [unknown_presence(view)]))


def not_in_pkgsrc(view: View) -> str:
    missing = view.not_in_pkgsrc()
    if not missing:
        newest = view.newest_release()
        return f"pkgsrc has the newest Xen release, {newest.version}.\n" if newest else ""
    items = [f"{r.version} (released {r.released.month()})" for r in missing]
    verb = "is" if len(items) == 1 else "are"
    return f"Xen {join(items)} {verb} not yet in pkgsrc.\n"


# Xen command program: xm and xl -------------------------------------------

def toolstacks(view: View) -> str:
    ts = view.facts.toolstacks
    xm, xl = ts.get("xm"), ts.get("xl")
    out = []
    if xm:
        out.append("Early Xen used a program called xm to manipulate the system from the dom0.")
    if xl and xl.first_xen in view.facts.releases and view.release(xl.first_xen).released.latest <= view.as_of:
        s = f"Starting in {xl.first_xen}, a replacement program with similar behavior called xl is provided"
        if xl.works_well_from:
            weak = [r.version for r in view.released() if xl.has(r.version) and not xl.works_well(r.version)]
            if weak:
                s += f", but it does not work well in {join(weak)}"
        out.append(s + ".")
        both = sorted({p.xen for p in view.packages() if xm and xm.has(p.xen) and xl.works_well(p.xen)}, key=version_key)
        if both and xl.preferred_from:
            out.append(f"In {join(both)}, both xm and xl work fine; from {xl.preferred_from} on, xl is preferred.")
        elif xl.preferred_from:
            out.append(f"From {xl.preferred_from} on, xl is preferred.")
    if xm and xm.last_xen and xm.last_xen in view.facts.releases and \
            view.release(xm.last_xen).released.latest <= view.as_of:
        out.append(f"{xm.last_xen} is the last version that has xm.")
    pkgs = view.packages()
    with_both = [p for p in pkgs if len(view.toolstacks_for(p.xen)) > 1]
    if with_both:
        out.append("You must choose one or the other, because it affects which daemons you run.")
        s = ("However, the rc.d scripts provided by the xentools packages expect a particular one, "
             "and you should use the one the scripts use")
        groups = _rcd_groups(view, pkgs)
        if groups:
            s += ": " + ", ".join(f"{name} for {_packages_from(view, members)}" for name, members in groups)
        out.append(s + ".")
    elif pkgs and xl and all(view.toolstacks_for(p.xen) == ["xl"] for p in pkgs):
        out.append("All the Xen packages now in pkgsrc have only xl.")
    return "  ".join(out) + "\n"


def _rcd_groups(view: View, pkgs: list[Package]) -> list[tuple[str, list[Package]]]:
    groups: dict[str, list[Package]] = {}
    for p in pkgs:
        name = view.rcd_toolstack(p)
        if name:
            groups.setdefault(name, []).append(p)
    return sorted(groups.items(), key=lambda kv: kv[1][0].key)


# Configuring Xen: the daemons ------------------------------------------------

def rc_conf_example(toolstack: str, xen: str, enable: list[str]) -> str:
    """A typed example (xenhowto.examples) of the rc.conf lines, so the block is
    validated and a tailored guide can take it as a snippet."""
    del enable  # the template reads the daemons from data/toolstacks.yaml itself
    return f"[[!file path=/etc/rc.conf action=append template=rc.conf toolstack={toolstack} xen={xen}]]"


def daemons(view: View, toolstack: str | None = None, part: str = "all", per_setup: bool = False) -> str:
    """The Configuring Xen advice.  ``part``: intro (which program the packages
    use), advice (the daemons to enable, per toolstack) or all; ``toolstack``
    limits the advice to xm or xl, for a [[!when]] region.  ``per_setup`` (a
    guide): no intro, and each daemon range and warning in a [[!when]] region
    of the Xen versions it is about, so a guide says only its own."""
    if per_setup:
        return "" if part == "intro" else _daemons_per_setup(view, toolstack)
    rec = recommend(view)
    pkgs = view.packages()
    with_xm = any("xm" in view.toolstacks_for(p.xen) for p in pkgs)
    parts = ["The daemons which should be run vary with Xen version and with whether one is using xm or xl."
             if with_xm else "The daemons which should be run vary with the Xen version."]
    groups = _rcd_groups(view, pkgs)
    if groups:
        sentences = []
        for name, members in groups:
            versions = [p.xen for p in members]
            open_ended = members[-1] is pkgs[-1] and len(members) > 2
            if open_ended:
                sentences.append(f"Xen {members[0].xen} and higher packages use {name}.")
            elif len(members) == 1:
                sentences.append(f"The Xen {versions[0]} package uses {name}.")
            else:
                sentences.append(f"The Xen {join(versions)} packages use {name}.")
        unsupported_xm = [p for p in pkgs if "xm" in view.toolstacks_for(p.xen) and view.rcd_toolstack(p) == "xl"]
        if unsupported_xm:
            sentences.append(
                f"While it is possible to use xm with Xen {_versions_from(view, [p.xen for p in unsupported_xm])}, "
                "the rc.d scripts provided by pkgsrc do not support this, and thus this HOWTO does not support it either."
            )
        parts[0] += "  " + "  ".join(sentences)
    out = [parts[0]] if part in ("all", "intro") else []
    if part == "intro":
        return paragraphs(out)
    for ts in view.facts.toolstacks.values():
        if toolstack and ts.name != toolstack:
            continue
        for rng in ts.daemons:
            members = [
                p for p in pkgs
                if rng.covers(p.xen) and ts.has(p.xen) and view.rcd_toolstack(p) in (None, ts.name)
            ]
            if not members:
                continue
            versions = _versions_from(view, [p.xen for p in members], open_ended=rng.xen_to is None)
            enable = join([DAEMON_LABELS.get(d, d) for d in rng.enable])
            s = f"For {ts.name} (Xen {versions}), enable {enable} in /etc/rc.conf"
            if rec.packages and not any(p in rec.packages for p in members):
                s += f" (but note that you should be using {join(rec.names, 'or')})"
            out.append(s + ":")
            out.append(rc_conf_example(ts.name, members[-1].xen, rng.enable))
            extra = [staleness.dated(view.as_of, n.date, n.value) for n in view.notes(ts.notes)]
            xend_exists = any("xm" in view.toolstacks_for(p.xen) for p in pkgs)
            for never in ts.never:
                if never["daemon"] == "xend" and not xend_exists:
                    continue
                extra.append(f"Do not enable {never['daemon']} with {ts.name}: {never['reason']}.")
            if extra:
                out.append("  ".join(extra))
    return paragraphs(out)


def _daemons_per_setup(view: View, toolstack: str | None) -> str:
    out = []
    pkgs = view.packages()
    with_xm = [p.xen for p in pkgs if "xm" in view.toolstacks_for(p.xen)]
    for ts in view.facts.toolstacks.values():
        if toolstack and ts.name != toolstack:
            continue
        for rng in ts.daemons:
            members = [p for p in pkgs if rng.covers(p.xen) and ts.has(p.xen)
                       and view.rcd_toolstack(p) in (None, ts.name)]
            if not members:
                continue
            enable = join([DAEMON_LABELS.get(d, d) for d in rng.enable])
            region = [f"Enable {enable} in /etc/rc.conf:", rc_conf_example(ts.name, members[-1].xen, rng.enable)]
            notes = [staleness.dated(view.as_of, n.date, n.value) for n in view.notes(ts.notes)]
            if notes:
                region.append("  ".join(notes))
            versions = ", ".join(p.xen for p in members)
            out.append(f'[[!when "xen in [{versions}]"]]\n\n' + "\n\n".join(region) + "\n\n[[!endwhen]]")
        for never in ts.never:
            if with_xm:  # the daemons it warns about belong to xm's Xen versions
                out.append(f'[[!when "xen in [{", ".join(with_xm)}]"]]\n\n'
                           f"Do not enable {never['daemon']} with {ts.name}: {never['reason']}.\n\n[[!endwhen]]")
    return "\n\n".join(out) + "\n"


# NetBSD ------------------------------------------------------------------------

def netbsd(view: View) -> str:
    current = view.facts.current_branch
    branches = view.branches()
    names = [f"netbsd-{b.name}" for b in branches] + [current]
    out = [f"The {join(names)} branches are all reasonable choices, with more or less the same "
           "considerations for non-Xen use."]
    prod = view.newest_released_branch()
    learn = view.newest_branch()
    if prod:
        out.append(f"Therefore, netbsd-{prod.name} is recommended as the stable version of the most recent "
                   "release for production use.")
    if learn and prod and learn is prod:
        out.append(f"For those wanting to learn Xen or without production stability concerns, netbsd-{learn.name} "
                   f"is still likely most appropriate, but {current} is also a reasonable choice.")
    elif learn:
        out.append(f"For those wanting to learn Xen or without production stability concerns, netbsd-{learn.name} "
                   f"(not yet released as {learn.name}.0) is likely most appropriate.")
    # Notes about the branch that most recently reached its end of life (e.g.
    # "Xen runs fine on netbsd-5, but ...") while it is the one just dropped.
    eol = view.eol_branches()
    if eol:
        out += [n.value for n in view.notes(eol[-1].notes)]
    return "  ".join(out) + "\n"


# Recommendation ------------------------------------------------------------------

def recommendation(view: View, rec: Recommendation | None = None) -> str:
    rec = rec or recommend(view)
    if not rec.packages:
        return "No Xen package is in pkgsrc as of this date, so this HOWTO cannot recommend one.\n"
    if len(rec.packages) == 1:
        pk = f"{rec.names[0]} (and {rec.tools[0]})"
    else:
        pk = f"{join(rec.names, 'or')} (with the matching {join(rec.tools, 'or')})"
    things = [pk]
    if rec.toolstack:
        things.append(rec.toolstack)
    if rec.netbsd_branch:
        things.append(f"the NetBSD {rec.netbsd_branch} stable branch")
    s = "Therefore, this HOWTO recommends running " + ", ".join(things)
    if rec.dom0_arch:
        s += f", and to use an {rec.dom0_arch} kernel as the dom0"
    out = [s + "."]
    domu = [DOMU_LABELS[a] for a in rec.domu_archs]
    if len(domu) > 1:
        out.append(f"Either the {join(domu, 'or')} version of NetBSD may be used as domUs.")
    elif domu:
        out.append(f"The {domu[0]} version of NetBSD may be used as domUs.")
    when = history.known_on(view).isoformat()  # the facts' date, not the build's: stable exports
    if rec.basis == UPSTREAM:
        which = "are the Xen packages" if len(rec.packages) > 1 else "is the Xen package"
        out.append(f"({join(rec.names)} {which} in pkgsrc whose Xen release still has security support "
                   f"from Xen as of {when}.)")
    elif rec.basis == PATCHED:
        out.append(f"(No Xen package in pkgsrc has security support from Xen as of {when}; {rec.names[0]} is "
                   "the newest that still gets security patches.)")
    elif rec.basis == NEWEST:
        out.append(f"(No Xen package in pkgsrc is known to get security patches as of {when}; "
                   f"{rec.names[0]} is the newest.)")
    return "  ".join(out) + "\n"


# The version table ---------------------------------------------------------------

def badge(status: str, html: bool) -> str:
    label = STATUS_LABELS[status]
    if not html:
        return label
    return f'<span class="badge badge--{status}" style="{_BADGE_STYLE[status]};border-radius:0.6em;padding:0 0.45em">{label}</span>'


def table_rows(view: View, html_badges: bool = False) -> list[list[str]]:
    rec = recommend(view)
    rows = []
    for p in view.packages():
        rel = view.release(p.xen)
        support = view.support(rel)
        if support.security is not None:
            end = support.security.shown()
            if support.amended_text:
                end += f" (extended {support.amended_text})"
        else:
            end = "not recorded"
        name = f"**{p.name}**" if p in rec.packages else p.name
        rows.append([
            name, p.xen, rel.released.shown(), badge(view.status(rel), html_badges), end,
            ", ".join(ARCH_LABELS[a] for a in p.dom0_archs),
            ", ".join(view.toolstacks_for(p.xen)) or "none recorded",
        ])
    return rows


HEADER = ["Package", "Xen", "Released", "Upstream status", "Security support until", "dom0", "Toolstacks"]


def versions_table(view: View, html_badges: bool = False) -> str:
    """A [[!table]] directive (DSV) with one row per package in pkgsrc."""
    rows = table_rows(view, html_badges)
    if not rows:
        return "No Xen package is in pkgsrc as of this date.\n"
    data = "\n".join("|".join(r) for r in [HEADER] + rows)
    note = (f"Status and support dates as known on {history.known_on(view).isoformat()}; "
            "the packages in bold are the ones this HOWTO recommends.")
    return f'[[!table data="""\n{data}\n"""]]\n\n{note}\n'


def versions_markdown(view: View) -> str:
    """The table as a plain markdown pipe table (for `howto versions`)."""
    rows = table_rows(view, False)
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"
