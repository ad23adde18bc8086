"""Reading the YAML data files, keeping the line of every key and value so a
problem found later (by the schema or a cross-file check) is reported at
``file:line``.  Dates stay strings: the schema and ``dates`` read them."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import yaml

from xenhowto.findings import Finding

# The data files, each with its schema in data/schema/<stem>.schema.json.
FILES = (
    "xen_releases.yaml",
    "pkgsrc_packages.yaml",
    "netbsd_branches.yaml",
    "toolstacks.yaml",
    "netbsd_kernels.yaml",
    "guest_types.yaml",
)

Path = tuple  # a path into the document: keys and list indices


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as the strings the editor wrote."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class DataFile:
    path: str  # as shown in messages, e.g. data/pkgsrc_packages.yaml
    data: object = None
    lines: dict = field(default_factory=dict)  # Path -> line of the value
    key_lines: dict = field(default_factory=dict)  # Path -> line of the key naming it

    def line(self, path: Path, key: bool = False) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        if key and path in self.key_lines:
            return self.key_lines[path]
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def default_data_dir() -> str:
    """HOWTO_DATA_DIR, else ./data when it exists (run from a checkout), else
    data/ of the checkout this package is installed from."""
    if os.environ.get("HOWTO_DATA_DIR"):
        return os.environ["HOWTO_DATA_DIR"]
    if os.path.isdir("data") and os.path.isdir(os.path.join("data", "schema")):
        return "data"
    here = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "data")
    return here if os.path.isdir(here) else "data"


def shown_path(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _walk(node, path: Path, out: DataFile, findings: list[Finding]) -> None:
    out.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                findings.append(Finding(
                    out.path, key_node.start_mark.line + 1,
                    f"key {key!r} appears twice here (first on line {seen[key]}); YAML keeps only the last, remove one",
                ))
            seen[key] = key_node.start_mark.line + 1
            out.key_lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), out, findings)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), out, findings)


def read(path: str) -> tuple[DataFile, list[Finding]]:
    """One data file with its line map; a YAML error is a finding, not an exception."""
    shown = shown_path(path)
    out = DataFile(shown)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return out, [Finding(shown, 1, "data file is missing; see docs/editors.md for what it holds")]
    except (OSError, UnicodeDecodeError) as e:
        return out, [Finding(shown, 1, f"cannot read the file: {e}")]
    findings: list[Finding] = []
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _walk(node, (), out, findings)
                out.data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(e, "problem", None) or str(e)
        context = getattr(e, "context", None)
        what = f"{context}: {problem}" if context else problem
        return out, [Finding(shown, line, f"not valid YAML ({what}); check the indentation and quoting here")]
    if out.data is None:
        findings.append(Finding(shown, 1, "the file is empty; see docs/editors.md for what it holds"))
    return out, findings


def read_all(data_dir: str) -> tuple[dict[str, DataFile], list[Finding]]:
    """stem -> DataFile for every data file in FILES."""
    files: dict[str, DataFile] = {}
    findings: list[Finding] = []
    for name in FILES:
        f, problems = read(os.path.join(data_dir, name))
        files[name[: -len(".yaml")]] = f
        findings += problems
    return files, findings
