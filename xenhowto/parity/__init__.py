"""Parity with the NetBSD wiki: render our export with the real ikiwiki
(``ikiwiki_render``) and compare it with the MkDocs site page by page
(``outline``), so the site shows what the wiki will show."""
