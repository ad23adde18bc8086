"""Publishing system for the NetBSD/Xen HOWTO.

The logic lives here; MkDocs hooks (``hooks/``), the ``howto`` CLI and the tests
are thin callers of it.  Subpackages:

- ``xenhowto.ikiwiki``: ikiwiki markup (directives, wikilinks) as a Python-Markdown
  extension, plus the expansion used by ``howto export``.
"""
