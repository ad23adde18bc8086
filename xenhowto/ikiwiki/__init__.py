"""ikiwiki markup for Python-Markdown: directives (one module each under
``directives/``), wikilinks, and the expansion shared by the site and the
wiki export.  ``markdown_extensions: [xenhowto.ikiwiki]`` loads it.

The extension module (and Python-Markdown) is imported only when asked for:
the CLI's guide and export paths do not need it."""


def makeExtension(**kwargs):
    from xenhowto.ikiwiki.extension import IkiwikiExtension

    return IkiwikiExtension(**kwargs)


def __getattr__(name):
    if name == "IkiwikiExtension":
        from xenhowto.ikiwiki.extension import IkiwikiExtension

        return IkiwikiExtension
    raise AttributeError(name)
