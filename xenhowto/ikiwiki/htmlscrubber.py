"""ikiwiki's htmlscrubber (IkiWiki/Plugin/htmlscrubber.pm), which the NetBSD
wiki runs on every page: the tags, attributes and URL schemes it lets
through, applied with nh3 (ammonia, a maintained HTML sanitizer) instead of
HTML::Scrubber.  Raw HTML written in a page therefore does on our site what
it does on the wiki: ``<script>``, ``on*=`` handlers, ``style=`` and
``javascript:`` URLs are gone, ``<b>``, ``<table>`` and plain links stay.

``scrub(html)`` cleans a rendered page; ``SAFE_URL`` is the wiki's rule for a
URL (a known scheme, an image ``data:`` URL, or a relative URL), also used
for wikilink targets.
"""
from __future__ import annotations

import re

import nh3

# htmlscrubber's allow list (feedparser's, with the HTML5 tags it adds).
TAGS = frozenset("""
    a abbr acronym address area b big blockquote br button caption center cite
    code col colgroup dd del dfn dir div dl dt em fieldset font form h1 h2 h3
    h4 h5 h6 hr i img input ins kbd label legend li map menu ol optgroup
    option p pre q s samp select small span strike strong sub sup table tbody
    td textarea tfoot th thead tr tt u ul var
    video audio source section nav article aside hgroup header footer figure
    figcaption time mark canvas datalist progress meter ruby rt rp details
    summary
""".split())

# Allowed on every tag (htmlscrubber's "default" list).
ATTRIBUTES = frozenset("""
    abbr accept accept-charset accesskey align alt axis border cellpadding
    cellspacing char charoff charset checked class clear cols colspan color
    compact coords datetime dir disabled enctype for frame headers height
    hreflang hspace id ismap label lang maxlength media method multiple name
    nohref noshade nowrap prompt readonly rel rev rows rowspan rules scope
    selected shape size span start summary tabindex target title type valign
    value vspace width autofocus autoplay preload loopstart loopend end
    playcount controls pubdate loop muted placeholder min max step low high
    optimum form required autocomplete novalidate pattern list formenctype
    formmethod formnovalidate formtarget reversed spellcheck open hidden
""".split())

# Allowed when their value passes SAFE_URL.
URL_ATTRIBUTES = frozenset("href src action formaction cite longdesc poster usemap".split())

# The URL schemes htmlscrubber accepts (IANA registered, then its unofficial ones).
SCHEMES = frozenset("""
    http https ftp mailto file telnet gopher aaa aaas acap cap cid crid dav
    dict dns fax go h323 im imap ldap mid news nfs nntp pop pres sip sips snmp
    tel urn wais xmpp z39.50r z39.50s
    aim callto cvs ed2k feed fish gg irc ircs lastfm ldaps magnet mms msnim
    notes rsync secondlife skype ssh sftp smb sms snews webcal ymsgr bitcoin
    git svn bzr darcs hg
""".split())

# A known scheme, a data: image, or a relative URL (no ':' before the first
# '/', '?' or '#'), or an anchor: htmlscrubber's $safe_url_regexp.
SAFE_URL = re.compile(
    r"^(?:(?:" + "|".join(re.escape(s) for s in sorted(SCHEMES)) + r"):"
    r"|data:image/(?:png|jpeg|gif)|[^:]+(?:$|[/?#]))|^#", re.I)

# What the project's own markup adds (xenhowto.examples.render_markdown): the
# caption of an example, shown by the site's CSS from these attributes.
PROJECT_ATTRIBUTES = {"div": frozenset({"data-kind", "data-label", "data-path", "data-host"})}


def _url_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES and not SAFE_URL.match(value.strip()):
        return None
    return value


_cleaner = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags={"script", "style"},  # HTML::Scrubber drops their content too
    attributes={"*": set(ATTRIBUTES | URL_ATTRIBUTES),
                **{tag: set(names) for tag, names in PROJECT_ATTRIBUTES.items()}},
    attribute_filter=_url_filter,
    url_schemes=set(SCHEMES | {"data"}),  # data: narrowed to images by _url_filter
    link_rel=None,  # the page keeps its own rel= (htmlscrubber adds none)
    strip_comments=True,
)


def scrub(html: str) -> str:
    """``html`` with only what htmlscrubber allows."""
    return _cleaner.clean(html)


def inert_text(text: str) -> str:
    """Plain text for an HTML context that MkDocs' themes print unescaped
    (page titles in <title>, the header, the nav): no tag survives."""
    import html

    return html.escape(text, quote=True)
