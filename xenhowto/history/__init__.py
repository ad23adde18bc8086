"""The HOWTO's history: the days on which a fact changed what the page says,
the page as of each of them, and what changed between two of them.

- ``candidates``: the days on which the page may change (every date of the
  facts model, by ``xenhowto.facts.timeline``), and which of them change the
  page's fact directives' text;
- ``fragments``: a page split into its top-level HTML blocks, and a table of
  blocks shared by every day (an unchanged block is stored once);
- ``build``: the whole history of a page (renders cached by digest);
- ``publish``: the history as the JSON file the site's date switcher reads,
  and the markdown of the site's history page.
"""
