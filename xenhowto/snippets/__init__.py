"""Snippets rendered from data: Jinja2 templates (templates/*.j2) and the
variables they see (variables.py), shared by the page's examples and guides."""
