"""ikiwiki markup for Python-Markdown: directives (one module each under
``directives/``), wikilinks, and the expansion shared by the site and the
wiki export.  ``markdown_extensions: [xenhowto.ikiwiki]`` loads it."""
from xenhowto.ikiwiki.extension import IkiwikiExtension, makeExtension  # noqa: F401
