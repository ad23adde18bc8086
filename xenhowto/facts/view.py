"""The facts as known on an as-of date: releases out by then, packages added
by then and not yet removed, support dates as announced by then, and the
newest observation made by then.  Every comparison uses the reading rule of
``dates`` (a date counts from the last day it can mean; a range from its end),
and what nobody recorded stays unknown: a package between the last date it
was seen and the first date it was known gone is neither in pkgsrc nor out.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xenhowto.facts.dates import FuzzyDate
from xenhowto.facts.model import Branch, Facts, Observation, Package, XenRelease, version_key

NOT_YET, PRESENT, UNKNOWN_PRESENCE, GONE = "not-yet", "present", "unknown", "gone"
UNKNOWN = "unknown"
SUPPORTED = "supported"  # general (bug-fix) support is running
SECURITY = "security-only"  # only security support is running (or only it is recorded)
UNSUPPORTED = "unsupported"

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

    def presence(self, pkg: Package) -> str:
        """NOT_YET, PRESENT, UNKNOWN_PRESENCE (after it was last seen, before it was known
        gone) or GONE, at the as-of date."""
        if pkg.added.latest > self.as_of:
            return NOT_YET
        r = pkg.removed
        if r is None:
            return PRESENT
        if r.by is not None and r.by.latest <= self.as_of:
            return GONE
        if r.after is not None and r.after.latest < self.as_of:
            return UNKNOWN_PRESENCE
        return PRESENT  # {by: DATE} alone counts as there until then (the range's end)

    def in_pkgsrc(self, pkg: Package) -> bool:
        return self.presence(pkg) == PRESENT

    def unknown_presence(self) -> list[Package]:
        """Packages added by now whose presence is not recorded at the as-of date."""
        return [p for p in self.facts.packages if self.presence(p) == UNKNOWN_PRESENCE]

    def pv32(self, pkg: Package) -> str | None:
        """32-bit PV guest support at the as-of date: supported, not-security-supported,
        unsupported, or None when not recorded (before any observation: supported)."""
        o = latest(pkg.pv32_guests, self.as_of)
        return o.value if o else None

    def binary_branches(self, pkg: Package) -> tuple[str, ...] | None:
        o = latest(pkg.binary_packages, self.as_of)
        return tuple(o.value) if o else None

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

    def policy_end(self, br: Branch):
        """The date NetBSD's support policy ended the branch's support (the x.0
        release of the branch ``supported_majors`` newer), when the policy was
        known by the as-of date and no end of life was announced; else None."""
        policy = self.facts.support_policy
        if policy is None or br.end_of_life is not None or policy.announced.latest > self.as_of:
            return None
        later = next((b for b in self.facts.branches if b.key == br.key + policy.supported_majors), None)
        if later is None or not self.branch_released(later):
            return None
        return later.released.effective

    def branch_end(self, br: Branch):
        """(date, how) the branch's support ended by the as-of date: how is
        "announced" (end_of_life) or "policy"; None while it is supported."""
        if br.end_of_life is not None and br.end_of_life.latest < self.as_of:
            return br.end_of_life.latest, "announced"
        ended = self.policy_end(br)
        if ended is not None and ended <= self.as_of:
            return ended, "policy"
        return None

    def branch_eol(self, br: Branch) -> bool:
        return self.branch_end(br) is not None

    def branches(self) -> list[Branch]:
        """Branches that exist and are not past their end of support."""
        return [b for b in self.facts.branches if self.branch_exists(b) and not self.branch_eol(b)]

    def eol_branches(self) -> list[Branch]:
        return [b for b in self.facts.branches if self.branch_exists(b) and self.branch_eol(b)]

    def branch(self, name: str) -> Branch | None:
        return next((b for b in self.facts.branches if b.name == name), None)

    def netbsd_release(self, br: Branch) -> str:
        """The branch's newest formal release by the as-of date ("10.1"), or
        its x.0 release."""
        out = f"{br.name}.0"
        for pr in br.point_releases:
            if pr.date.latest <= self.as_of:
                out = pr.version
        return out

    def feature(self, br: Branch, name: str):
        """A recorded xen feature of the branch (facts.model.Sourced) or None."""
        return br.xen.get(name)

    def domu_types(self, br: Branch) -> tuple[str, ...] | None:
        f = br.xen.get("domu_types")
        return tuple(f.value) if f else None

    def newest_released_branch(self) -> Branch | None:
        out = [b for b in self.branches() if self.branch_released(b)]
        return out[-1] if out else None

    def newest_branch(self) -> Branch | None:
        out = self.branches()
        return out[-1] if out else None


def by_version(items, attr: str = "xen"):
    return sorted(items, key=lambda x: version_key(getattr(x, attr)))
