"""`howto check`: everything CI and editors need to know is wrong, as findings
with file:line.  One module per job:

- ``examples``: collect every example of a page (typed, generated, or an untyped
  block of a wikisrc page typed by its content) and judge it with the
  validators of xenhowto.validators;
- ``run``: the whole check (data, pages, guides, staleness).
"""
