"""Two-way with the live wiki: the wiki's edits come back into docs/, drift is
caught, nothing is lost.  One module per job:

- ``last_synced``: the last synchronised text of each page, committed in
  wiki-sync/ (what the wiki and the sources last agreed on);
- ``merge``: the three-way comparison of that text, the wiki's page and the
  page the sources export now (merge3), in hunks;
- ``patch``: a wiki hunk as an edit of the page source, through the export's
  source map (xenhowto.ikiwiki.sourcemap), or the reason it cannot be one;
- ``run``: ``howto sync`` and ``howto export --check``, no CVS involved
  (the wiki directory is a checkout the editor updates and commits).
"""
