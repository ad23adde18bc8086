"""Tailored guides: the setup a reader states, the conditions the page's
fragments carry, and the guide composed from them."""
