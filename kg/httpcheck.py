"""Who may talk to ``kg serve``: the Host a request names, the page (Origin) that sent it, and
the framing of its body, decided on the parsed headers before anything runs.

A browser lets any web page send requests to ``http://127.0.0.1:7878``: a form posted from a
foreign page runs a query or an update (cross-site request forgery), and a name the attacker
points at 127.0.0.1 (DNS rebinding) makes the answers readable to the attacker's page. So a request
must name this server in its ``Host`` header (its bound address, the loopback names when bound to
loopback, any IP address when bound to every interface, or a name given with ``--allow-host``), and
a request that comes from a page (an ``Origin`` header, or ``Sec-Fetch-Site`` saying another site)
must come from this server's own origin or the one ``--cors`` origin. Clients that are not
browsers send no ``Origin`` and are unaffected.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urlsplit

from .errors import UsageError

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("", "0.0.0.0", "::")
DEFAULT_PORTS = {"http": 80, "https": 443}


class Refused(UsageError):
    """A request refused before it runs: ``status`` and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def split_host(text: str) -> tuple[str, int | None]:
    """(host, port) of a ``Host`` value (``name``, ``name:port``, ``[v6]:port``); ``Refused``
    when it is not one. The host is lower-case, without brackets."""
    value = text.strip().lower()
    if value.startswith("["):
        host, close, rest = value[1:].partition("]")
        if not close or (rest and not rest.startswith(":")):
            raise Refused(400, f"bad Host header {text[:100]!r}")
        port = rest[1:]
    else:
        host, _, port = value.partition(":") if value.count(":") <= 1 else (value, "", "")
    if not host or any(c in host for c in "/@\\ \t") or (port and not (port.isascii() and port.isdigit())):
        raise Refused(400, f"bad Host header {text[:100]!r}")
    return host.rstrip("."), int(port) if port else None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def origin_key(text: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin (``http://name:port``), or None when it is not one."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment or parts.username is not None:
        return None
    return parts.scheme, parts.hostname.rstrip("."), port or DEFAULT_PORTS[parts.scheme]


def cors_origin(text: str) -> str:
    """A ``--cors`` value checked and normalised (``scheme://host[:port]``); ``UsageError`` otherwise."""
    key = origin_key(text)
    if key is None:
        raise UsageError(f"--cors {text!r}: give an origin such as http://localhost:3000 (scheme, host, port)")
    scheme, host, port = key
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" + ("" if port == DEFAULT_PORTS[scheme] else f":{port}")


@dataclass
class Policy:
    """The names and origins a server answers to."""

    bound: str
    port: int
    allow_hosts: tuple[str, ...] = ()
    cors: str | None = None
    names: set[tuple[str, int]] = field(default_factory=set)

    def __post_init__(self) -> None:
        bound = self.bound.lower().strip("[]")
        hosts = {bound} | (set(LOOPBACK_NAMES) if bound in LOOPBACK_NAMES or bound in WILDCARDS else set())
        self.names = {(h, self.port) for h in hosts if h not in WILDCARDS}
        for extra in self.allow_hosts:
            host, port = split_host(extra)
            self.names.add((host, port or self.port))
        self.any_ip = bound in WILDCARDS
        self.cors_key = origin_key(self.cors) if self.cors else None

    def host_ok(self, host: str, port: int | None) -> bool:
        port = port or 80
        return (host, port) in self.names or (self.any_ip and port == self.port and _is_ip(host))

    def check(self, headers: Message) -> None:
        """``Refused`` (421 for a foreign Host, 403 for a foreign page) unless the request may run."""
        hosts = headers.get_all("Host") or []
        if len(hosts) > 1:
            raise Refused(400, "more than one Host header")
        if hosts and not self.host_ok(*split_host(hosts[0])):
            raise Refused(421, f"refused: Host {hosts[0][:100]!r} is not this server "
                               f"(start kg serve with --allow-host NAME to answer to another name)")
        origins = headers.get_all("Origin") or []
        if len(origins) > 1:
            raise Refused(400, "more than one Origin header")
        if origins:
            key = origin_key(origins[0])
            if key is None or not self.origin_ok(key):
                raise Refused(403, f"refused: a page from {origins[0][:100]!r} may not use this endpoint "
                                   f"(start kg serve with --cors ORIGIN to allow one)")
        site = (headers.get("Sec-Fetch-Site") or "").strip().lower()
        if site in ("cross-site", "same-site") and not (origins and origin_key(origins[0]) == self.cors_key):
            raise Refused(403, f"refused: a {site} request from a web page (Sec-Fetch-Site)")

    def origin_ok(self, key: tuple[str, str, int]) -> bool:
        scheme, host, port = key
        return key == self.cors_key or (scheme == "http" and self.host_ok(host, port))

    def cors_headers(self, headers: Message) -> dict[str, str]:
        """Access-Control headers for a request from the ``--cors`` origin (none otherwise)."""
        origin = headers.get("Origin")
        if self.cors is None or origin is None or origin_key(origin) != self.cors_key:
            return {}
        return {"Access-Control-Allow-Origin": origin.strip(), "Vary": "Origin",
                "Access-Control-Expose-Headers": "X-KG-Truncated"}

    def preflight(self, headers: Message) -> dict[str, str]:
        """Headers answering a CORS preflight (OPTIONS) from the ``--cors`` origin."""
        allowed = self.cors_headers(headers)
        wanted = (headers.get("Access-Control-Request-Method") or "").strip().upper()
        if not allowed or wanted not in ("GET", "POST", ""):
            raise Refused(403, "refused: a preflight from an origin that is not --cors, or for a method other "
                               "than GET or POST")
        return {**allowed, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, Accept", "Access-Control-Max-Age": "600"}


def content_length(headers: Message) -> int:
    """The body's length from ``Content-Length``: 0 when absent; ``Refused`` (400) when it is not
    a plain number or several headers disagree (a proxy and this server could frame the body
    differently: request smuggling)."""
    values = headers.get_all("Content-Length") or []
    if not values:
        return 0
    texts = {v.strip() for v in values}
    if len(texts) > 1:
        raise Refused(400, f"bad Content-Length: {len(values)} different values")
    text = texts.pop()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise Refused(400, f"bad Content-Length {text[:40]!r}")
    return int(text)
