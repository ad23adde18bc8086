"""Reading the YAML people write: data/*.yaml, data/setup.yaml, --answers files.

PyYAML's safe loader builds no objects but still does what the text asks:
an alias bomb (nested aliases) makes a tiny file expand into gigabytes when
walked, an alias inside its own anchor makes a structure that contains
itself, ``? [a, b]`` makes a key that is a list, and a few thousand nested
``[`` exhaust the stack.  These loaders refuse all of it, each with the line:

- at most ``ALIAS_BUDGET`` aliases in a file (the project's own files use
  none), and at most ``MAX_NODES`` values once every alias is written out;
- no alias to a node that is still open (a structure inside itself);
- keys are plain scalars;
- nesting at most ``MAX_DEPTH`` deep.

``load(path, ...)`` also reads the file the safe way (``xenhowto.inputs``:
regular files only, a size cap, UTF-8) and turns every problem into
``YamlProblem(line, sentence)``.
"""
from __future__ import annotations

import yaml
from yaml.nodes import ScalarNode

ALIAS_BUDGET = 32
MAX_NODES = 200_000
MAX_DEPTH = 64


class LimitError(yaml.MarkedYAMLError):
    """A YAML file that asks for more than we let it: carries its line (problem_mark)."""


class _Limits:
    """Checks made while composing, before anything is built."""

    def compose_document(self):
        self._aliases = 0
        self._depth = 0
        self._open: set[str] = set()
        self._sizes: dict[int, int] = {}  # id(node) -> values in it, aliases written out
        self._expanded = 0
        return super().compose_document()

    def _size(self, node) -> int:
        if isinstance(node, ScalarNode):
            return 1
        if isinstance(node, yaml.MappingNode):
            return 1 + sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
        return 1 + sum(self._sizes.get(id(child), 1) for child in node.value)

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            self._aliases += 1
            if self._aliases > ALIAS_BUDGET:
                raise LimitError(None, None, f"more than {ALIAS_BUDGET} aliases (*name); write the values out",
                                 event.start_mark)
            if event.anchor in self._open:
                raise LimitError(None, None, f"the alias *{event.anchor} is inside its own anchor "
                                             f"&{event.anchor}, so it would contain itself", event.start_mark)
            node = super().compose_node(parent, index)
            self._expanded += self._sizes.get(id(node), 1)
            if self._expanded > MAX_NODES:
                raise LimitError(None, None, f"the aliases here would expand to more than {MAX_NODES} values",
                                 event.start_mark)
            return node
        event = self.peek_event()
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LimitError(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._open.add(anchor)
        try:
            node = super().compose_node(parent, index)
            self._sizes[id(node)] = self._size(node)
            self._expanded += 1
            return node
        finally:
            self._depth -= 1
            if anchor is not None:
                self._open.discard(anchor)

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        for key, _ in node.value:
            if not isinstance(key, ScalarNode):
                raise LimitError(None, None, "a key must be a plain word or string, not a list or mapping",
                                 key.start_mark)
        return node


class SafeLoader(_Limits, yaml.SafeLoader):
    """Typed scalars (numbers, true/false), as PyYAML's safe loader, within the limits."""


class TextLoader(_Limits, yaml.BaseLoader):
    """Every scalar is the text written: ``xen: 4.20`` is "4.20", not 4.2."""


class YamlProblem(Exception):
    """A YAML file we refuse: ``line`` (0 when the problem is the file itself) and a sentence."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def problem_of(error: yaml.YAMLError) -> YamlProblem:
    """A PyYAML error as (line, sentence)."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    what = f"{context}: {problem}" if context else problem
    return YamlProblem(mark.line + 1 if mark else 1, f"not valid YAML ({what})")


def parse(text: str, loader=SafeLoader):
    """The one document of ``text``; YamlProblem when it is not acceptable."""
    try:
        instance = loader(text)
        try:
            return instance.get_single_data()
        finally:
            instance.dispose()
    except yaml.YAMLError as e:
        raise problem_of(e) from None
    except RecursionError:  # below MAX_DEPTH this cannot happen; stay a sentence if it does
        raise YamlProblem(1, f"nested too deeply (more than {MAX_DEPTH} levels)") from None


def load(path: str, limit: int, what: str = "YAML file", loader=SafeLoader):
    """The document of the YAML file at ``path``, read within ``limit`` bytes."""
    from xenhowto.inputs import InputError, read_text

    try:
        text, problem = read_text(path, limit, what)
    except InputError as e:
        raise YamlProblem(0, str(e)) from None  # about the file: no line
    if problem:
        raise YamlProblem(*problem)
    return parse(text, loader)
