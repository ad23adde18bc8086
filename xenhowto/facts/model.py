"""The facts as Python objects, built from data files that passed their
schema.  Each object remembers where it was written (file, line) so the
cross-file checks can point at it."""
from __future__ import annotations

from dataclasses import dataclass, field

from xenhowto.findings import Finding
from xenhowto.facts.dates import Event, FuzzyDate, parse, parse_event
from xenhowto.facts.load import DataFile


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


@dataclass(frozen=True)
class Where:
    path: str
    line: int


@dataclass
class Amendment:
    announced: FuzzyDate
    general_support_end: FuzzyDate | None
    security_support_end: FuzzyDate | None
    source: str
    where: Where


@dataclass
class StatusObservation:
    date: FuzzyDate
    status: str  # supported | unsupported
    text: str
    source: str


@dataclass
class XenRelease:
    version: str
    released: FuzzyDate
    general_support_end: FuzzyDate | None
    security_support_end: FuzzyDate | None
    source: str
    where: Where
    amendments: list[Amendment] = field(default_factory=list)
    observations: list[StatusObservation] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.version)


@dataclass
class Observation:
    """A dated observation about a package (security patches, rc.d toolstack, note)."""

    date: FuzzyDate
    value: str
    source: str
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Sourced:
    """A value with the source that records it."""

    value: object
    source: str


@dataclass(frozen=True)
class BuildReport:
    date: FuzzyDate
    part: str  # kernel, tools or hvm-tools
    branch: str
    arch: str
    result: str
    note: str
    source: str


@dataclass
class Package:
    name: str
    tools: str
    xen: str
    added: FuzzyDate
    removed: Event | None
    source: str
    dom0_archs: list[str]
    domu_archs: list[str]
    archs_source: str
    where: Where
    security: list[Observation] = field(default_factory=list)
    rcd_toolstack: list[Observation] = field(default_factory=list)
    notes: list[Observation] = field(default_factory=list)
    xen_where: Where | None = None
    kernel_dir: str = ""  # where the package installs xen.gz (pkgsrc: /usr/pkg/xenNN-kernel)
    pci_passthrough: Sourced | None = None  # bool; None: not recorded
    hvm_tools: Sourced | None = None  # a separate package for HVM guests (xentools3-hvm)
    pv32_guests: list[Observation] = field(default_factory=list)  # supported / not-security-supported / unsupported
    builds_on: Sourced | None = None  # list of branch names; None: no limit recorded
    binary_packages: list[Observation] = field(default_factory=list)  # value: list of branch names
    build_reports: list[BuildReport] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.xen)


@dataclass(frozen=True)
class PointRelease:
    version: str
    date: FuzzyDate
    source: str


@dataclass
class Branch:
    name: str
    branched: FuzzyDate | None
    released: Event
    end_of_life: FuzzyDate | None
    source: str
    where: Where
    notes: list[Observation] = field(default_factory=list)
    point_releases: list[PointRelease] = field(default_factory=list)
    # dom0_multiprocessor, domu_multiprocessor, pciback, pvh_dom0 (Sourced bool),
    # domu_types (Sourced list); a feature not recorded is absent
    xen: dict[str, Sourced] = field(default_factory=dict)

    @property
    def key(self) -> int:
        return int(self.name)


@dataclass
class DaemonRange:
    xen_from: str
    xen_to: str | None
    enable: list[str]
    source: str

    def covers(self, version: str) -> bool:
        k = version_key(version)
        return version_key(self.xen_from) <= k and (self.xen_to is None or k <= version_key(self.xen_to))


@dataclass
class Toolstack:
    name: str
    first_xen: str
    last_xen: str | None
    works_well_from: str | None
    preferred_from: str | None
    source: str
    where: Where
    daemons: list[DaemonRange]
    never: list[dict] = field(default_factory=list)
    notes: list[Observation] = field(default_factory=list)
    kernfs: Sourced | None = None  # why the daemons need kernfs (value: the reason)

    def has(self, version: str) -> bool:
        k = version_key(version)
        return version_key(self.first_xen) <= k and (self.last_xen is None or k <= version_key(self.last_xen))

    def works_well(self, version: str) -> bool:
        return self.has(version) and (
            self.works_well_from is None or version_key(version) >= version_key(self.works_well_from)
        )


@dataclass
class Kernel:
    name: str
    arch: str
    role: str
    path: str
    xen_to: str | None
    source: str
    where: Where
    guest_types: tuple[str, ...] = ()
    install: bool = False

    @property
    def file(self) -> str:
        """The kernel's file name, e.g. netbsd-XEN3_DOM0.gz."""
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class GuestType:
    name: str  # pv, pvh, hvm
    label: str
    long: str
    xen_from: str
    kernel_from: str  # dom0 or disk
    xl_type: str
    needs: tuple[Sourced, ...]
    source: str
    where: Where


@dataclass(frozen=True)
class SupportPolicy:
    announced: FuzzyDate
    supported_majors: int
    text: str
    source: str


@dataclass
class Facts:
    releases: dict[str, XenRelease]
    packages: list[Package]
    branches: list[Branch]
    current_branch: str
    toolstacks: dict[str, Toolstack]
    kernels: list[Kernel]
    files: dict[str, DataFile] = field(default_factory=dict, repr=False)
    guest_types: dict[str, GuestType] = field(default_factory=dict)
    type_key: Sourced | None = None  # value: the first Xen with xl.cfg's type= key
    legacy_hvm: str = 'builder = "hvm"'
    uefi: dict = field(default_factory=dict)  # package, config, date (FuzzyDate), source
    release_url: str = ""
    release_url_source: str = ""
    support_policy: SupportPolicy | None = None


def _sourced(raw, key: str = "value") -> Sourced | None:
    if not raw:
        return None
    value = raw[key]
    return Sourced(tuple(value) if isinstance(value, list) else value, raw["source"])


class _Builder:
    """Parses dates while building; a bad date becomes a finding."""

    def __init__(self, f: DataFile):
        self.f = f
        self.findings: list[Finding] = []

    def where(self, *path) -> Where:
        return Where(self.f.path, self.f.line(path))

    def date(self, value, *path) -> FuzzyDate | None:
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError as e:
            self.findings.append(Finding(self.f.path, self.f.line(path), f"{path[-1]}: {e}"))
            return None

    def event(self, value, *path) -> Event | None:
        if value is None:
            return None
        try:
            return parse_event(value)
        except ValueError as e:
            self.findings.append(Finding(self.f.path, self.f.line(path), f"{path[-1]}: {e}"))
            return None

    def observations(self, items, value_key: str, *path) -> list[Observation]:
        out = []
        for i, o in enumerate(items or []):
            d = self.date(o["date"], *path, i, "date")
            if d is None:
                continue
            extra = {k: v for k, v in o.items() if k not in ("date", value_key, "source")}
            out.append(Observation(d, o[value_key], o["source"], extra))
        return sorted(out, key=lambda o: o.date.latest)


def build(files: dict[str, DataFile]) -> tuple[Facts | None, list[Finding]]:
    findings: list[Finding] = []

    b = _Builder(files["xen_releases"])
    releases: dict[str, XenRelease] = {}
    for i, r in enumerate(b.f.data["releases"]):
        p = ("releases", i)
        rel = XenRelease(
            version=r["version"],
            released=b.date(r["released"], *p, "released"),
            general_support_end=b.date(r.get("general_support_end"), *p, "general_support_end"),
            security_support_end=b.date(r.get("security_support_end"), *p, "security_support_end"),
            source=r["source"],
            where=b.where(*p),
        )
        for j, a in enumerate(r.get("amendments") or []):
            q = p + ("amendments", j)
            rel.amendments.append(Amendment(
                announced=b.date(a["announced"], *q, "announced"),
                general_support_end=b.date(a.get("general_support_end"), *q, "general_support_end"),
                security_support_end=b.date(a.get("security_support_end"), *q, "security_support_end"),
                source=a["source"],
                where=b.where(*q),
            ))
        for j, o in enumerate(r.get("observations") or []):
            d = b.date(o["date"], *p, "observations", j, "date")
            if d:
                rel.observations.append(StatusObservation(d, o["status"], o.get("text", ""), o["source"]))
        rel.observations.sort(key=lambda o: o.date.latest)
        if r["version"] in releases:
            findings.append(Finding(b.f.path, rel.where.line,
                                    f"release {r['version']} is listed twice (also on line {releases[r['version']].where.line})"))
        releases[r["version"]] = rel
    findings += b.findings

    b = _Builder(files["pkgsrc_packages"])
    packages: list[Package] = []
    for i, p_ in enumerate(b.f.data["packages"]):
        p = ("packages", i)
        pkg = Package(
            name=p_["name"], tools=p_["tools"], xen=p_["xen"],
            added=b.date(p_["added"], *p, "added"),
            removed=b.event(p_.get("removed"), *p, "removed"),
            source=p_["source"],
            dom0_archs=list(p_["archs"]["dom0"]), domu_archs=list(p_["archs"]["domu"]),
            archs_source=p_["archs"]["source"],
            where=b.where(*p),
            security=b.observations(p_.get("security"), "patches", *p, "security"),
            rcd_toolstack=b.observations(p_.get("rcd_toolstack"), "toolstack", *p, "rcd_toolstack"),
            notes=b.observations(p_.get("notes"), "text", *p, "notes"),
            xen_where=b.where(*p, "xen"),
            kernel_dir=p_.get("kernel_dir") or "/usr/pkg/" + p_["name"].replace("xenkernel", "xen") + "-kernel",
            pci_passthrough=_sourced(p_.get("pci_passthrough")),
            hvm_tools=_sourced(p_.get("hvm_tools"), "package"),
            pv32_guests=b.observations(p_.get("pv32_guests"), "support", *p, "pv32_guests"),
            builds_on=_sourced(p_.get("builds_on"), "branches"),
            binary_packages=b.observations(p_.get("binary_packages"), "branches", *p, "binary_packages"),
            build_reports=[
                BuildReport(d, r["part"], r["branch"], r["arch"], r["result"], r.get("note", ""), r["source"])
                for j, r in enumerate(p_.get("build_reports") or [])
                if (d := b.date(r["date"], *p, "build_reports", j, "date")) is not None
            ],
        )
        packages.append(pkg)
    findings += b.findings

    b = _Builder(files["netbsd_branches"])
    branches: list[Branch] = []
    for i, r in enumerate(b.f.data["branches"]):
        p = ("branches", i)
        branches.append(Branch(
            name=r["name"],
            branched=b.date(r.get("branched"), *p, "branched"),
            released=b.event(r["released"], *p, "released"),
            end_of_life=b.date(r.get("end_of_life"), *p, "end_of_life"),
            source=r["source"],
            where=b.where(*p),
            notes=b.observations(r.get("notes"), "text", *p, "notes"),
            point_releases=[
                PointRelease(pr["version"], d, pr["source"])
                for j, pr in enumerate(r.get("point_releases") or [])
                if (d := b.date(pr["date"], *p, "point_releases", j, "date")) is not None
            ],
            xen={k: _sourced(v) for k, v in (r.get("xen") or {}).items()},
        ))
    current = b.f.data["current"]["name"]
    policy = None
    if b.f.data.get("support_policy"):
        sp = b.f.data["support_policy"]
        announced = b.date(sp["announced"], "support_policy", "announced")
        if announced is not None:
            policy = SupportPolicy(announced, sp["supported_majors"], sp["text"], sp["source"])
    findings += b.findings

    b = _Builder(files["toolstacks"])
    toolstacks: dict[str, Toolstack] = {}
    for i, t in enumerate(b.f.data["toolstacks"]):
        p = ("toolstacks", i)
        toolstacks[t["name"]] = Toolstack(
            name=t["name"], first_xen=t["first_xen"], last_xen=t.get("last_xen"),
            works_well_from=t.get("works_well_from"), preferred_from=t.get("preferred_from"),
            source=t["source"], where=b.where(*p),
            daemons=[DaemonRange(d["xen_from"], d.get("xen_to"), list(d["enable"]), d["source"]) for d in t["daemons"]],
            never=list(t.get("never") or []),
            notes=b.observations(t.get("notes"), "text", *p, "notes"),
            kernfs=_sourced(t.get("kernfs"), "reason"),
        )
    findings += b.findings

    b = _Builder(files["netbsd_kernels"])
    kernels = [
        Kernel(k["name"], k["arch"], k["role"], k["path"], k.get("xen_to"), k["source"], b.where("kernels", i),
               tuple(k.get("guest_types") or ()), bool(k.get("install")))
        for i, k in enumerate(b.f.data["kernels"])
    ]
    release_url = b.f.data.get("release_url", "")
    release_url_source = b.f.data.get("release_url_source", "")

    b = _Builder(files["guest_types"])
    gdata = b.f.data
    guest_types = {
        g["name"]: GuestType(g["name"], g["label"], g["long"], g["xen_from"], g["kernel_from"], g["xl_type"],
                             tuple(Sourced(n["text"], n["source"]) for n in g.get("needs") or ()),
                             g["source"], b.where("types", i))
        for i, g in enumerate(gdata["types"])
    }
    type_key = Sourced(gdata["type_key"]["xen"], gdata["type_key"]["source"])
    uefi = {}
    if gdata.get("uefi"):
        u = gdata["uefi"]
        when = b.date(u["date"], "uefi", "date")
        uefi = {"package": u["package"], "config": u["config"], "date": when, "source": u["source"]}
    findings += b.findings

    if findings:
        return None, findings
    facts = Facts(
        releases=dict(sorted(releases.items(), key=lambda kv: version_key(kv[0]))),
        packages=sorted(packages, key=lambda p: (p.key, p.name)),
        branches=sorted(branches, key=lambda b: b.key),
        current_branch=current,
        toolstacks=toolstacks,
        kernels=kernels,
        files=files,
        guest_types=guest_types,
        type_key=type_key,
        legacy_hvm=gdata["type_key"]["legacy_hvm"],
        uefi=uefi,
        release_url=release_url,
        release_url_source=release_url_source,
        support_policy=policy,
    )
    return facts, []
