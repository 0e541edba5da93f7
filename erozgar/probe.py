"""A container's health check: ``python -m erozgar.probe [PATH] [PORT]`` exits 0 when the
portal, on 127.0.0.1, answers PATH (default ``/healthz``) with 200.

A health check runs inside the container and dials 127.0.0.1, but Django answers 400 to a
Host header it does not allow, and production redirects plain http to https. So the probe
names the first host of ``ALLOWED_HOSTS`` (whatever the deployment's ``.env`` allows) and
says, as the TLS proxy in front would, that the request arrived over https. Standard library
only: it starts in milliseconds and needs no settings.
"""

from __future__ import annotations

import http.client
import os
import sys


def probe_host(allowed_hosts: str) -> str:
    """The first host Django will accept: '.example.pk' (a domain and its subdomains) becomes
    'example.pk'; '*' or nothing leaves 'localhost'."""
    for host in (part.strip() for part in allowed_hosts.split(",")):
        if host and host != "*":
            return host.lstrip(".")
    return "localhost"


def probe(path: str = "/healthz", port: int = 8000, *, timeout: float = 5.0) -> int:
    """The HTTP status the portal answers (0 when it does not answer at all)."""
    host = probe_host(os.environ.get("ALLOWED_HOSTS", ""))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": host, "X-Forwarded-Proto": "https"})
        return connection.getresponse().status
    except OSError:
        return 0
    finally:
        connection.close()


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "/healthz"
    port = int(argv[2]) if len(argv) > 2 else int(os.environ.get("PORT", "8000"))
    status = probe(path, port)
    if status != 200:
        print(f"{path} answered {status or 'nothing'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
