"""The facts as known on an as-of date: releases out by then, packages added
by then and not yet removed, support dates as announced by then, and the
newest observation made by then.  Every comparison uses the reading rule of
``dates`` (a date counts from the last day it can mean; a range from its end).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xenhowto.facts.dates import FuzzyDate
from xenhowto.facts.model import Branch, Facts, Observation, Package, XenRelease, version_key

SUPPORTED = "supported"  # general (bug-fix) support is running
SECURITY = "security-only"  # only security support is running (or only it is recorded)
UNSUPPORTED = "unsupported"
UNKNOWN = "unknown"

STATUS_LABELS = {
    SUPPORTED: "supported",
    SECURITY: "security fixes only",
    UNSUPPORTED: "unsupported",
    UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class Support:
    """A release's support dates as announced by the as-of date."""

    general: FuzzyDate | None
    security: FuzzyDate | None
    amended: dt.date | None  # announcement date of the amendment in force, if any
    amended_text: str | None = None


def latest(observations: list[Observation], as_of: dt.date) -> Observation | None:
    seen = [o for o in observations if o.date.latest <= as_of]
    return seen[-1] if seen else None


class View:
    def __init__(self, facts: Facts, as_of: dt.date):
        self.facts = facts
        self.as_of = as_of

    # Xen releases -------------------------------------------------------

    def released(self) -> list[XenRelease]:
        return [r for r in self.facts.releases.values() if r.released.latest <= self.as_of]

    def release(self, version: str) -> XenRelease:
        return self.facts.releases[version]

    def newest_release(self) -> XenRelease | None:
        out = self.released()
        return out[-1] if out else None

    def support(self, rel: XenRelease) -> Support:
        general, security, amended, text = rel.general_support_end, rel.security_support_end, None, None
        for a in rel.amendments:
            if a.announced.latest <= self.as_of:
                general = a.general_support_end or general
                security = a.security_support_end or security
                amended, text = a.announced.latest, a.announced.text
        return Support(general, security, amended, text)

    def status(self, rel: XenRelease) -> str:
        if rel.released.latest > self.as_of:
            return UNKNOWN
        s = self.support(rel)
        if s.general is not None and self.as_of <= s.general.latest:
            return SUPPORTED
        if s.security is not None:
            return SECURITY if self.as_of <= s.security.latest else UNSUPPORTED
        seen = [o for o in rel.observations if o.date.latest <= self.as_of]
        if seen:
            return SUPPORTED if seen[-1].status == "supported" else UNSUPPORTED
        return UNKNOWN

    def maintained(self, rel: XenRelease) -> bool:
        return self.status(rel) in (SUPPORTED, SECURITY)

    # pkgsrc ---------------------------------------------------------------

    def in_pkgsrc(self, pkg: Package) -> bool:
        if pkg.added.latest > self.as_of:
            return False
        return pkg.removed is None or pkg.removed.effective > self.as_of

    def packages(self) -> list[Package]:
        return [p for p in self.facts.packages if self.in_pkgsrc(p)]

    def package(self, name: str) -> Package | None:
        return next((p for p in self.facts.packages if p.name == name), None)

    def security(self, pkg: Package) -> Observation | None:
        return latest(pkg.security, self.as_of)

    def rcd_toolstack(self, pkg: Package) -> str | None:
        o = latest(pkg.rcd_toolstack, self.as_of)
        return o.value if o else None

    def notes(self, observations: list[Observation]) -> list[Observation]:
        """Visible notes; of several with the same topic, the newest."""
        by_topic: dict = {}
        for i, o in enumerate(observations):
            if o.date.latest <= self.as_of:
                by_topic[o.extra.get("topic") or ("#", i)] = o
        return sorted(by_topic.values(), key=lambda o: o.date.latest)

    def not_in_pkgsrc(self) -> list[XenRelease]:
        """Releases out by now that are newer than every Xen in pkgsrc."""
        pkgs = self.packages()
        if not pkgs:
            return self.released()
        newest = max(p.key for p in pkgs)
        return [r for r in self.released() if r.key > newest]

    def toolstacks_for(self, version: str) -> list[str]:
        return [t.name for t in self.facts.toolstacks.values() if t.has(version)]

    # NetBSD -----------------------------------------------------------------

    def branch_exists(self, br: Branch) -> bool:
        start = br.branched.latest if br.branched else br.released.effective
        return start <= self.as_of

    def branch_released(self, br: Branch) -> bool:
        return br.released.effective <= self.as_of

    def branch_eol(self, br: Branch) -> bool:
        return br.end_of_life is not None and br.end_of_life.latest < self.as_of

    def branches(self) -> list[Branch]:
        """Branches that exist and are not past their end of life."""
        return [b for b in self.facts.branches if self.branch_exists(b) and not self.branch_eol(b)]

    def eol_branches(self) -> list[Branch]:
        return [b for b in self.facts.branches if self.branch_exists(b) and self.branch_eol(b)]

    def newest_released_branch(self) -> Branch | None:
        out = [b for b in self.branches() if self.branch_released(b)]
        return out[-1] if out else None

    def newest_branch(self) -> Branch | None:
        out = self.branches()
        return out[-1] if out else None


def by_version(items, attr: str = "xen"):
    return sorted(items, key=lambda x: version_key(getattr(x, attr)))
