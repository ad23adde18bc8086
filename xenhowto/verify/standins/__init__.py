"""Stand-ins for the commands only NetBSD and Xen have.

The verifier runs a guide's shell steps in a sandbox whose root is a
temporary tree shaped like a NetBSD dom0.  Commands such as ``pkg_add``,
``MAKEDEV``, ``brconfig`` or ``xl`` do not exist on the Linux host, and even
where a namesake exists (``dd``, ``ifconfig``) it has other options.  Each
stand-in here checks the arguments it is given, does to the tree what the real
command would do to the files a later step can see (a package's files, a
device node, a disk image of the right size) and writes one line per call to
a ledger inside the root, which the verifier reads.

These modules run in two places: inside the sandbox (``run.py``, with only
the standard library and this directory on ``sys.path``: the package is then
called ``standins``) and in the verifier (``xenhowto.verify.standins``), so
they import only each other, relatively, and the standard library.
"""
