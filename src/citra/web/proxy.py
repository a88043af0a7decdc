"""Who the client is behind a reverse proxy: X-Forwarded-For and X-Forwarded-Proto are believed only when the
connection comes from a configured trusted proxy (``[web] trusted_proxies``).

uvicorn's own handling (``proxy_headers``) trusts 127.0.0.1 by default, so a client on the same host, or any
client when the proxy forwards headers unchanged, could choose its address by sending X-Forwarded-For and escape
the login limits. `citra serve` turns that off and this middleware decides instead."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(items: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in items)


def _trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in trusted)


def forwarded_client(peer: str, header: str, trusted: tuple[Network, ...]) -> str:
    """The client address: ``peer`` unless it is a trusted proxy; then the rightmost address of X-Forwarded-For
    that is not a trusted proxy (addresses to its left were written by the client and prove nothing)."""
    if not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        client = hop[:64]
        if not _trusted(hop, trusted):
            break
    return client


class ProxyHeadersMiddleware:
    """Rewrites the scope's client address and scheme from a trusted proxy's headers; leaves them untouched for
    every other connection. Must wrap the session and security-header middleware (they read the scheme)."""

    def __init__(self, app: ASGIApp, trusted: Iterable[str] = ()) -> None:
        self.app = app
        self.trusted = networks(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.trusted and scope.get("client"):
            peer = scope["client"][0]
            if _trusted(peer, self.trusted):
                seen: dict[bytes, list[str]] = {b"x-forwarded-for": [], b"x-forwarded-proto": []}
                for key, value in scope["headers"]:
                    if key.lower() in seen:  # several header lines read as one comma-separated list
                        seen[key.lower()].append(value.decode("latin-1"))
                client = forwarded_client(peer, ",".join(seen[b"x-forwarded-for"]), self.trusted)
                scope = dict(scope, client=(client, 0))
                proto = ",".join(seen[b"x-forwarded-proto"]).split(",")[-1].strip().lower()
                if proto in ("http", "https"):
                    scope["scheme"] = proto if scope["type"] == "http" else {"http": "ws", "https": "wss"}[proto]
        await self.app(scope, receive, send)
