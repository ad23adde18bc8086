"""A corpus of hostile inputs, as generators of a size: each case of issue 11
and its relatives, for pages (.mdwn), data files, answers files and domU
configs.  The tests run them at a size that keeps the suite fast;
scripts/fuzz runs them at sizes where anything worse than linear shows.

Each generator takes ``n``, a size knob (roughly: repetitions), and returns
the text (or bytes) to feed in."""
from __future__ import annotations

import itertools
import string

# --- pages --------------------------------------------------------------------

PAGES = {
    # script injection
    "meta title img": lambda n: '[[!meta title="<img src=x onerror=alert(1)>"]]\n\ntext\n',
    "table cell script": lambda n: '[[!table data="""\na|b\n<script>alert(1)</script>|<b>x</b>\n"""]]\n',
    "template name breaks out": lambda n: '[[!template id=man name="x) <script>alert(1)</script>" section=5]]\n',
    "javascript wikilink": lambda n: "[[click|javascript://%0Aalert(1)]] [[x|JaVaScRiPt://a]]\n",
    "raw script": lambda n: "<script>alert(1)</script>\n\ntext <script>alert(2)</script>\n",
    "raw iframe": lambda n: "<iframe src=javascript:alert(1)></iframe>\n\n<iframe src=\"https://x\"></iframe>\n",
    "event handlers": lambda n: '<b onclick="alert(1)">b</b> <img src=x onerror=alert(1)> <a href="java\tscript:x">a</a>\n',
    "svg and math": lambda n: "<svg><script>alert(1)</script></svg><math><mtext><style><img src=x onerror=alert(1)>\n",
    "markdown javascript link": lambda n: "[x](javascript:alert(1)) ![i](javascript:alert(2)) <javascript:alert(3)>\n",
    "heading entity breakout": lambda n: "# x &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n\ntext\n",
    "data url": lambda n: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>\n',
    "style attribute": lambda n: '<p style="background:url(javascript:alert(1))">s</p>\n',
    # exponential and quadratic scans
    "unclosed shell lines": lambda n: '[[!shell host=dom0 content="""\n' * (25 * n),
    "one line of [[": lambda n: "[[" * (50_000 * n) + "\n",
    "lines of [[": lambda n: "[[\n" * (4_000 * n),
    "many wikilinks": lambda n: "[[a]] " * (10_000 * n),
    "many unclosed openers": lambda n: "[[!x " * (20_000 * n),
    "many triple quotes": lambda n: '[[!x a="""b"""c ' * (5_000 * n),
    "many heredocs": lambda n: "[[!x d=<<EOF\nEOFX " * (5_000 * n),
    # recursion
    "nested quotes": lambda n: "> " * (600 * n) + "x\n",
    # (depth cycles so that the text grows linearly with n)
    "nested lists": lambda n: "".join("    " * (i % 500) + "* x\n" for i in range(500 * n)),
    "nested lists two spaces": lambda n: "".join("  " * (i % 500) + "- x\n" for i in range(500 * n)),
    "list markers on a line": lambda n: "* " * (2_000 * n) + "x\n",
    "emphasis run": lambda n: "_" * (2_000 * n) + "x" + "_" * (2_000 * n) + "\n",
    "nested emphasis": lambda n: "*a " * (1_000 * n) + "x" + " a*" * (1_000 * n) + "\n",
    "nested brackets": lambda n: "[" * (2_000 * n) + "x" + "]" * (2_000 * n) + "\n",
    "nested images": lambda n: "![x](" * (1_000 * n) + "\n",
    "angle brackets": lambda n: "<a " * (4_000 * n) + "\n",
    "directives into directives": lambda n: _nested_directives(12),
    # values that used to raise
    "bad serial port": lambda n: "[[!file path=/boot.cfg template=boot.cfg serial_port=abc console=serial "
                                 "xen=4.18 dom0_arch=amd64 domu=netbsd-amd64 dom0_mem=512M serial_speed=115200]]\n",
    "bad dom0 arch": lambda n: "[[!file path=/boot.cfg template=boot.cfg dom0_arch=sparc64 console=vga serial_port=com0 "
                               "xen=4.18 domu=netbsd-amd64 dom0_mem=512M serial_speed=115200]]\n",
    "unknown template": lambda n: "[[!file path=/x template=../../etc/passwd]]\n",
    "huge directive name": lambda n: "[[!" + "x" * (100_000 * n) + "]]\n",
    "huge wikilink": lambda n: "[[" + "y" * (100_000 * n) + "]]\n",
    "control characters": lambda n: "".join(chr(c) for c in range(32)) * 10 + "\x7f\u2028\u2029\ufeff\n",
    "many stale dates": lambda n: "as of 2010-01\n" * (10_000 * n),
    "many code blocks with directives": lambda n: "    [[!toc]] [[a]]\n\n" * (2_000 * n),
    "tables of contents and headings": lambda n: "[[!toc levels=6]]\n\n# h\n\n" * (1_000 * n),
    "a toc marker typed by hand": lambda n: "IKIWIKI-TOC-MARKER:a:b\n\nIKIWIKI-TOC-MARKER:9:9\n",
}

# Pages as bytes: what the decoders see.
PAGE_BYTES = {
    "not utf-8": lambda n: b"ok\n\xff\xfe bad\n",
    "lone surrogate": lambda n: b"x \xed\xa0\x80 y\n",
    "nul bytes": lambda n: b"a\x00b\n" * 10,
}


def _nested_directives(depth: int) -> str:
    """Project directives whose content holds project directives, each level
    quoted another way."""
    quotes = ['"""', "'''"]
    text = "ls"
    for i in range(depth):
        q = quotes[i % 2]
        text = f"[[!shell host=dom0 content={q}{text}{q}]]"
    return text + "\n"


# --- YAML: data files, setup.yaml, answers -------------------------------------

def _bomb(levels: int, width: int = 9) -> str:
    names = [a + b for a, b in itertools.product(string.ascii_lowercase, repeat=2)]
    out = [f"{names[0]}: &{names[0]} [" + ", ".join(["lol"] * width) + "]"]
    for prev, cur in zip(names, names[1:levels]):
        out.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * width) + "]")
    return "\n".join(out) + "\n"


YAML = {
    "alias bomb": lambda n: _bomb(9),
    "self alias": lambda n: "a: &a [1, *a]\n",
    "self alias mapping": lambda n: "a: &a {b: *a}\n",
    "list key": lambda n: "? [a, b]\n: 1\n",
    "mapping key": lambda n: "? {a: 1}\n: 1\n",
    "deep flow": lambda n: "[" * (5_000 * n),
    "deep block": lambda n: "".join("  " * (i % 200) + "- \n" for i in range(200 * n)),
    "unclosed": lambda n: "a: [1, 2\n",
    "tabs": lambda n: "a:\n\t- 1\n",
    "python tag": lambda n: "a: !!python/object/apply:os.system ['echo pwned']\n",
    "binary tag": lambda n: "a: !!binary AAAA\n",
    "duplicate keys": lambda n: "a: 1\na: 2\n",
    "many documents": lambda n: "a: 1\n---\nb: 2\n",
    "float version": lambda n: "xen: 4.20\n",
    "huge scalar": lambda n: "a: " + "x" * (1_000_000 * n) + "\n",
    "empty": lambda n: "",
    "null": lambda n: "~\n",
    "a list": lambda n: "- a\n- b\n",
    "a scalar": lambda n: "just text\n",
}

YAML_BYTES = {
    "not utf-8": lambda n: b"a: \xff\n",
    "utf-16": lambda n: "a: 1\n".encode("utf-16"),
}


# --- domU configs --------------------------------------------------------------

CONFIGS = {
    "nul in string": lambda n: 'name = "a\0b"\n',
    "long disk list": lambda n: "disk = [ " + ", ".join(f"'file:/d/{i}.img,0x{i:x},w'" for i in range(2_000 * n)) + " ]\n",
    "deep lists": lambda n: "a = " + "[" * (500 * n) + "]" * (500 * n) + "\n",
    "deep expression": lambda n: "a = " + "-" * (50_000 * n) + "1\n",
    "unterminated string": lambda n: 'name = "abc\n',
    "long line": lambda n: "name = '" + "x" * (100_000 * n) + "'\n",
    "python": lambda n: "import os\nos.system('echo pwned')\n",
    "control characters": lambda n: "".join(chr(c) for c in range(1, 32)) + "\n",
    "disk with newline": lambda n: "disk = [ 'file:/a,0x1,w=\n' ]\n",
}

CONFIG_BYTES = {
    "not utf-8": lambda n: b"name = '\xff'\n",
}
