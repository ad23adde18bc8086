"""A guide as a commented dom0 shell script: `howto guide --format sh` and the
guide builder's download (the builder ships the pieces made here and joins
them with ``FRAME``, as ``assemble`` does; the tests hold the two equal).

The script does not run top to bottom: some steps reboot the dom0 or attach
the domU's console.  Each step is a function (a subshell, so a ``cd`` stays
in its step) holding the step's dom0 commands, with the step's text as
comments; ``sh guide.sh 3 4`` runs steps 3 and 4, ``sh guide.sh`` lists them.

- a dom0 shell example is its commands;
- a file the dom0 gets is a heredoc (``cat >`` to write it, ``cat >>`` to
  add to it); lines that change a file's lines (action ``edit``) become a
  ``sed`` over a copy kept as FILE.orig, each line replacing the lines with
  its key (xenhowto.verify.rootpath.line_key, the rule the verifier applies),
  after a ``grep`` that stops the step when the file has no such line;
- what is typed in the domU and what a command prints are comments, labelled.

Every piece is made from text that may hold the builder's slot markers
(xenhowto.guide.matrix): quoting and escaping here leave a reader's values
unchanged, as every value a slot takes is a plain word (setup._PATTERNS).
"""
from __future__ import annotations

import re
import shlex

EOF = "EOF"
DOMU = "type these in the domU, at its console; they do not run here"
# What the head says after the guide's own lines (title, setup, notes).
INTRO = ("The dom0's commands of each step of this guide, with its text as comments.\n"
         "Read a step, then run it as root on the dom0:\n"
         "\n"
         "    sh xen-guide.sh 3        (sh xen-guide.sh alone lists the steps)\n"
         "\n"
         "Some steps reboot the dom0 or attach the domU's console, so run them one\n"
         "at a time.  Lines marked \"type these in the domU\" are comments.")


def comment(text: str) -> str:
    """Text as shell comment lines ("# " before each line, "#" for an empty one)."""
    return "\n".join("# " + line if line else "#" for line in text.split("\n"))


def quote(word: str) -> str:
    """A word as the shell reads it back unchanged (a step's title)."""
    return shlex.quote(word)


# The frame around the pieces, with {placeholders}: the builder ships it and
# fills it as ``assemble`` does.  {head}: the guide's markdown head as comments.
FRAME = {
    "head": "#!/bin/sh\n{head}\n#\n" + comment(INTRO) + "\n\nset -e\n",
    "step": "# {number}. {title}\nstep_{number}() (\nprintf '== %s. %s\\n' {number} {title_sh}\n\n{body}\n)\n",
    "usage": "if [ \"$#\" -eq 0 ]; then\n    printf 'Usage: sh %s STEP...\\n' \"$0\"\n{items}\n    exit 2\nfi\n",
    "usage_item": "    printf '  %s. %s\\n' {number} {title_sh}",
    "dispatch": "for step in \"$@\"; do\n    case $step in\n{items}\n"
                "    *) printf '%s: no step %s\\n' \"$0\" \"$step\" >&2; exit 2 ;;\n    esac\ndone\n",
    "dispatch_item": "    {number}) step_{number} ;;",
    "commands_step": "# {number}. {title}\n{commands}",
}


def _indented(text: str) -> str:
    return "\n".join("#     " + line if line.strip() else "#" for line in text.split("\n"))


# --- edits of existing lines ---------------------------------------------------------

_BRE_SPECIAL = re.compile(r"([\\.\[\]*^$/])")


def _bre(text: str) -> str:
    return _BRE_SPECIAL.sub(r"\\\1", text)


def _key_pattern(key: str, path: str) -> str:
    """A basic regular expression matching the whole of each line whose key
    (rootpath.line_key) is ``key``."""
    if path.endswith("/etc/ttys"):  # a terminal's name, then its fields or nothing
        return f"^[[:space:]]*{_bre(key)}\\([[:space:]].*\\)\\{{0,1\\}}$"
    if key.startswith("menu="):  # a boot.cfg entry: menu=Label:
        return f"^[[:space:]]*menu[[:space:]]*={_bre(key[len('menu='):-1])}:.*"
    return f"^[[:space:]]*{_bre(key[:-1])}[[:space:]]*=.*"  # name=


def _single_quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _replacement(line: str) -> str:
    return re.sub(r"([\\&/])", r"\\\1", line)


def _edit(path: str, body: str) -> str:
    from xenhowto.verify.rootpath import line_key

    checks, expressions, by_hand = [], [], []
    for line in body.split("\n"):
        if not line.strip():
            continue
        key = line_key(line, path)
        if key is None:
            by_hand.append(line)
            continue
        pattern = _key_pattern(key, path)
        checks.append(f"grep -q {_single_quoted(pattern)} {path} ||\n"
                      f"    {{ printf '%s: no line %s to change\\n' {path} {_single_quoted(key)} >&2; exit 1; }}")
        expressions.append(f"-e {_single_quoted(f's/{pattern}/{_replacement(line)}/')}")
    out = [_indented(body),
           f"# (each replaces the line with the same key; the file as it was is kept\n# as {path}.orig)"]
    if by_hand:
        out += ["# Change these lines by hand (they have no key to find them by):", _indented("\n".join(by_hand))]
    if expressions:
        out += checks + [f"cp -p {path} {path}.orig",
                         "sed " + " \\\n    ".join(expressions) + f" \\\n    {path}.orig > {path}"]
    return "\n".join(out)


# --- pieces ----------------------------------------------------------------------------

def file_command(path: str, action: str, content: str) -> str:
    """The commands that give ``path`` the content (create, append or edit)."""
    body = content.rstrip("\n")
    if action == "edit":
        return _edit(path, body)
    delimiter = EOF
    while delimiter in body.split("\n"):
        delimiter += "_"
    return f"cat {'>>' if action == 'append' else '>'} {path} <<'{delimiter}'\n{body}\n{delimiter}"


def snippet(kind: str, label: str, content: str, host: str | None = None, path: str | None = None,
            action: str | None = None) -> tuple[str, str | None]:
    """(The example as script text, its dom0 commands or None): dom0 commands
    run; what is typed in the domU and what a command prints are comments."""
    label = label[:1].upper() + label[1:]
    body = content.rstrip("\n")
    if kind == "output":
        return f"# {label} (what it prints; nothing to run):\n{_indented(body)}", None
    command = file_command(path or "", action or "create", body) if kind == "file" else body
    if host == "domU":
        return f"# {label}\n# ({DOMU}):\n{_indented(command)}", None
    if kind == "file":
        command = f"# {label}:\n{command}"
        return command, command
    return f"# {label}:\n{command}", command


def prose(markdown: str) -> str:
    """A prose piece of the guide as comments."""
    return comment(markdown)


# --- the whole script --------------------------------------------------------------------

def assemble(head_markdown: str, steps: list[tuple[str, list[str]]]) -> str:
    """The script: the guide's markdown head (its title, setup and notes) as
    comments, then each step ``(title, [piece script, ...])`` as a function,
    then the listing and the dispatch of the steps given."""
    out = [FRAME["head"].format(head=comment(head_markdown.removeprefix("# ").rstrip("\n")))]
    usage, dispatch = [], []
    for number, (title, pieces) in enumerate(steps, 1):
        out.append(FRAME["step"].format(number=number, title=title, title_sh=quote(title), body="\n\n".join(pieces)))
        usage.append(FRAME["usage_item"].format(number=number, title_sh=quote(title)))
        dispatch.append(FRAME["dispatch_item"].format(number=number))
    out.append(FRAME["usage"].format(items="\n".join(usage)))
    out.append(FRAME["dispatch"].format(items="\n".join(dispatch)))
    return "\n".join(out)


def commands(steps: list[tuple[str, list[str]]]) -> str:
    """Every dom0 command of the guide, by step ``(title, [commands, ...])``
    (a step without any is left out): what "Copy all dom0 commands" copies."""
    out = [FRAME["commands_step"].format(number=number, title=title, commands="\n".join(cmds))
           for number, (title, cmds) in enumerate(steps, 1) if cmds]
    return "\n\n".join(out) + "\n" if out else ""
