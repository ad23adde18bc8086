"""Shared by the browser tests: the site on 127.0.0.1 with every request to
another host answered here, so that no test depends on the network.  The
HOWTO's markup (as on the wiki) shows a screenshot from www.netbsd.org: an
image request elsewhere gets a 1x1 PNG, any other request elsewhere fails
at once; each is recorded for the tests that say the site asks no other host."""
from __future__ import annotations

import base64
from dataclasses import dataclass, field

# a valid 1x1 transparent PNG
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


@dataclass
class OtherHosts:
    asked: list[tuple[str, str]] = field(default_factory=list)  # (url, resource type)

    def handle(self, route) -> None:
        request = route.request
        self.asked.append((request.url, request.resource_type))
        if request.resource_type == "image":
            route.fulfill(status=200, content_type="image/png", body=PNG)
        else:
            route.abort()


def stub_other_hosts(context, *local: str) -> OtherHosts:
    """Route every request of the context whose URL does not start with one
    of ``local`` to the stub; returns the record of what was asked."""
    hosts = OtherHosts()
    context.route(lambda url: not url.startswith(local), hosts.handle)
    return hosts
