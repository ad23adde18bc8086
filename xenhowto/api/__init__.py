"""The facts for other tools, in the spirit of endoflife.date: JSON files
under api/ with a published JSON Schema each, an Atom feed of fact changes
and an iCalendar file of upcoming ends of support.  One module per job:

- ``records``: any fact object as JSON and its JSON Schema, read off the
  facts model (xenhowto/facts/model.py), so new fields appear by themselves;
- ``fields``: the sentence that documents each field (every published field
  has one; a test keeps it so);
- ``endpoints``: which files there are and what each adds to the recorded
  facts (the state at the as-of date: status, in pkgsrc, recommended...);
- ``feed``: the Atom feed; ``calendar``: the iCalendar file;
- ``docs``: the site's page that documents it all;
- ``publish``: every file of api/, as bytes.
"""
