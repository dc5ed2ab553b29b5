"""Serve the dashboard: Solara's Starlette app on uvicorn behind a guard, front-end assets from the local cache only.

Solara reads its settings from the environment when it is imported, so ``serve`` sets
them first: the app module, production mode (no update check, no calls home), no
telemetry. Nothing here reaches the internet.

Two things are changed in Solara's app:

- ``/_solara/cdn/`` serves the packed asset cache read-only (``assets.lookup``); Solara's own
  handler fetches unknown paths from the public CDN into the cache and deletes a folder asked for.
- ``Guard``, an ASGI middleware around the app, answers only the host names the server was
  started for (against DNS rebinding), accepts a websocket only from the dashboard's own page
  (its Origin) and no request whose Origin is another site, and, on a bind other than
  loopback, only a browser that came with the token printed at start (in the first URL, then a
  cookie). Everything else gets 403 (a websocket is refused before it opens).
"""

from __future__ import annotations

import errno
import hmac
import ipaddress
import os
import secrets
import socket
import sys
import threading
import warnings
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any, Awaitable, Callable, Iterable
from urllib.parse import parse_qsl, urlencode

SETTINGS = {
    "SOLARA_APP": "dashboards.app",
    "SOLARA_MODE": "production",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_THEME_VARIANT": "light",
    "SOLARA_ASSETS_PROXY": "True",  # the page loads its assets from this server (/_solara/cdn/), never from the CDN
}
NOTE = "Synthetic population: a tool for exploring policy, never for assessing real people."
CDN_PATH = "/_solara/cdn"
WILDCARDS = ("0.0.0.0", "::", "")
LISTEN_BACKLOG = 2048  # uvicorn's own default

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]


def configure() -> None:
    """Solara's settings, before Solara is imported."""
    os.environ.update(SETTINGS)


def warm_up() -> None:
    """Compute what the workshop and network pages show first, so they open fast."""
    from . import compute
    from .pages import network

    try:
        compute.what_if({}, "2026")
        network.graphs(network.scenario.value, network.seed.value, network.month.value)
    except compute.Stopping:  # the dashboard was stopped before the pages were ready: nothing to warm up for
        pass


# --- which requests are let through -----------------------------------------------------------------

def host_name(header: str) -> str:
    """The host of a Host header or of an origin's authority, without its port, lower case ('' if malformed)."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        rest = header[end + 1:]
        if end < 0 or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return ""
        return header[1:end]
    name, sep, port = header.partition(":")
    return "" if sep and not port.isdigit() else name


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def own_address(name: str) -> bool:
    """Whether ``name`` is an IP address of this machine (one a socket can be bound to), not a wildcard or multicast."""
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if address.is_unspecified or address.is_multicast:
        return False
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((str(address), 0))
        return True
    except OSError:
        return False


@dataclass(frozen=True)
class Policy:
    """What the guard lets through: the host names answered, and the token (None: none needed)."""

    names: frozenset[str]
    own_addresses: bool  # any address of this machine too (a wildcard bind)
    token: str | None
    cookie: str  # the name of the token's cookie

    @classmethod
    def for_bind(cls, host: str, port: int, allow_hosts: Iterable[str] = ()) -> "Policy":
        """Loopback: the bound address and localhost. Any other bind: those names, a token, and for a wildcard
        bind (0.0.0.0, ::) every address of this machine. Plus the ``allow_hosts`` names in every case."""
        bound = host.strip("[]").lower()
        names = {name.strip("[]").lower() for name in allow_hosts} | {"localhost"}
        if bound not in WILDCARDS:
            names.add(bound)
        if bound == "localhost":
            names |= {"127.0.0.1", "::1"}
        needs_token = not is_loopback(bound)
        return cls(frozenset(names), bound in WILDCARDS, secrets.token_urlsafe(32) if needs_token else None,
                   f"reintegration_dashboard_{port}")

    def allows_host(self, name: str) -> bool:
        return bool(name) and (name in self.names or (self.own_addresses and own_address(name)))

    def has_token(self, cookies: str, query: dict[str, str]) -> bool:
        if self.token is None:
            return True
        jar = SimpleCookie()
        try:
            jar.load(cookies)
        except Exception:  # a malformed Cookie header: no token
            jar = SimpleCookie()
        given = [query.get("token", ""), jar[self.cookie].value if self.cookie in jar else ""]
        return any(hmac.compare_digest(value.encode(), self.token.encode()) for value in given if value)


def same_origin(origin: str, host: str) -> bool:
    """Whether an Origin header names the site that the Host header names (scheme http or https)."""
    scheme, sep, authority = origin.strip().lower().partition("://")
    return bool(sep) and scheme in ("http", "https") and authority == host.strip().lower()


class Guard:
    """ASGI middleware: refuses (403) what ``policy`` does not let through, before Solara sees it."""

    def __init__(self, app: ASGIApp, policy: Policy):
        self.app, self.policy = app, policy

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)  # lifespan
            return
        headers = {}
        for key, value in scope.get("headers", []):
            headers.setdefault(key.decode("latin-1").lower(), []).append(value.decode("latin-1"))
        host = headers.get("host", [""])
        origin = headers.get("origin")
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        problem = None
        if len(host) != 1 or not self.policy.allows_host(host_name(host[0])):
            problem = "this dashboard does not answer to that host name"
        elif scope["type"] == "websocket" and not origin:
            problem = "a websocket must come from the dashboard's own page"
        elif origin and (len(origin) != 1 or not same_origin(origin[0], host[0])):
            problem = "requests from other sites are refused"
        elif not self.policy.has_token("; ".join(headers.get("cookie", [])), query):
            problem = "open the dashboard with the address (and its token) printed when it started"
        if problem:
            await refuse(scope, receive, send, problem)
        elif scope["type"] == "http" and "token" in query and self.policy.token is not None:
            await self.keep_token(scope, send, query)
        else:
            await self.app(scope, receive, send)

    async def keep_token(self, scope: Scope, send: Callable, query: dict[str, str]) -> None:
        """The token from the URL into a cookie, then the same page without the token in its address."""
        rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
        location = scope.get("root_path", "") + scope["path"] + (f"?{rest}" if rest else "")
        cookie = f"{self.policy.cookie}={self.policy.token}; Path=/; HttpOnly; SameSite=Strict"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode("latin-1")),
                                (b"content-length", b"0"), (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": b""})


async def refuse(scope: Scope, receive: Callable, send: Callable, reason: str) -> None:
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008})  # before accepting: the server answers 403
        return
    body = f"Forbidden: {reason}.\n".encode()
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# --- the app -------------------------------------------------------------------------------------

def build(policy: Policy) -> ASGIApp:
    """Solara's app (settings already configured), its asset route replaced by the read-only cache, behind Guard."""
    from solara.server import starlette as solara_starlette
    from starlette.routing import Mount

    from . import assets

    class PackedAssets(solara_starlette.StaticCdn):
        """Solara's asset route (compression, immutable caching of exact versions) with a read-only lookup."""

        def lookup_path(self, path: str):
            found = assets.lookup(path)
            return (str(found), os.stat(found)) if found else ("", None)

    app = solara_starlette.app
    served = Mount(CDN_PATH, app=PackedAssets(directory=assets.cache_dir(), check_dir=False))
    routes = app.router.routes
    for k, route in enumerate(routes):
        if isinstance(route, Mount) and route.path == CDN_PATH:
            routes[k] = served
            break
    else:
        routes.insert(0, served)
    return Guard(app, policy)


def shown_address(host: str) -> str:
    """The address to print for a bind: a wildcard's outward address of this machine (or loopback without a network)."""
    if host.strip("[]") in WILDCARDS:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect(("192.0.2.1", 9))  # picks the outward interface; no packet is sent
                host = probe.getsockname()[0]
            except OSError:
                host = "127.0.0.1"
    host = host.strip("[]")
    return f"[{host}]" if ":" in host else host


class StartError(ValueError):
    """The dashboard cannot start (the port is taken, the host name does not resolve): one line, before any address
    is printed."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (the first address the name resolves to), or StartError naming why.

    Bound here, before the address is printed, and handed to uvicorn, so that nothing is promised that cannot be
    served and no other process can take the port in between."""
    name = host.strip("[]")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(name or None, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise StartError(f"--host {host}: cannot be resolved to an address of this machine "
                         f"({getattr(exc, 'strerror', None) or exc}); give an IP address or a name it has") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a just-closed port is free
        sock.bind(address)
        sock.listen(LISTEN_BACKLOG)
    except OSError as exc:
        sock.close()
        reason = {errno.EADDRINUSE: f"port {port} is already in use on {name or 'this machine'} (another dashboard?); "
                                    "choose another --port",
                  errno.EACCES: f"port {port} needs administrator rights; choose a --port above 1023",
                  errno.EADDRNOTAVAIL: f"{name} is not an address of this machine"}.get(exc.errno, exc.strerror)
        raise StartError(f"--host {host} --port {port}: cannot listen: {reason}") from None
    return sock


def serve(host: str = "127.0.0.1", port: int = 8765, allow_hosts: Iterable[str] = ()) -> None:
    """Start the dashboard and print its address; blocks until interrupted."""
    listening = bind(host, port)  # first: a port in use or a host that does not resolve fails here, in one line
    configure()
    import uvicorn

    from . import assets, compute

    policy = Policy.for_bind(host, port, allow_hosts)
    gaps = assets.missing()
    if gaps:
        print(f"warning: front-end assets missing from {assets.cache_dir()}: {', '.join(gaps)}; without internet the "
              "page will not load. Fill the cache once with: python -m dashboards.assets", file=sys.stderr)
    if policy.token:
        where = "every network interface" if policy.own_addresses else f"{host}, which is not loopback"
        print(f"warning: listening on {where}: anyone on the network who has the address below, with its token, can "
              "use this dashboard. Share it only in the room; it answers to this machine's addresses"
              f"{' and ' + ', '.join(sorted(policy.names)) if policy.names else ''} (more names: --allow-host NAME).",
              file=sys.stderr, flush=True)
    app = build(policy)
    compute.pool()  # from the main thread: worker processes die with the dashboard
    threading.Thread(target=warm_up, daemon=True).start()
    token = f"?token={policy.token}" if policy.token else ""
    print(f"Dashboard at http://{shown_address(host)}:{port}/{token}", flush=True)
    print(NOTE, flush=True)
    # Solara warns on every page load over plain http to a name other than localhost (cookies fall back to lax)
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)
    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:  # Ctrl-C or SIGTERM: sessions' work ends quietly
            compute.stopping.set()
            super().handle_exit(sig, frame)

    Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])
