"""A running dashboard is closed to other websites and never touches its asset cache.

Each test starts ``python run.py dashboard`` in a subprocess on a free port and speaks HTTP
(``http.client``, which sends paths and Host headers exactly as given) and websockets to it.

- The asset route serves the packed files read-only: an asset folder, an unknown package or
  file, and path tricks get 404, nothing is fetched from the CDN (a local fake one here, which
  records what it is asked) and nothing in the cache changes.
- A loopback bind answers only its own address, ``localhost`` and ``--allow-host`` names, and
  accepts only same-origin websockets.
- A wildcard bind warns, prints a token in its first URL, and refuses every page, asset and
  websocket without that token (as a query parameter, then a cookie).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import http.server
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest
from browser_helpers import ROOT, free_port
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from dashboards import assets

ALLOWED = "dash.example"  # the name every server here is started with (--allow-host)
VUETIFY = "@widgetti/solara-vuetify-app@10.1.1"


@dataclass
class Server:
    port: int
    first_line: str
    log: object  # the server's stderr, a temporary file
    token: str | None = None
    cookie: str | None = None  # 'name=value', as the server set it for the token

    def stderr(self) -> str:
        self.log.seek(0)
        return self.log.read()


@contextlib.contextmanager
def serving(args: list[str], env: dict[str, str]) -> Iterator[Server]:
    """``run.py dashboard ARGS`` on a free port until it answers; stops it and its worker processes after."""
    port = free_port()
    log = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "dashboard", "--port", str(port), *args], cwd=ROOT,
                            env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=log, text=True,
                            start_new_session=True)
    try:
        first = proc.stdout.readline()
        token = re.search(r"[?&]token=([\w-]+)", first)
        server = Server(port, first, log, token and token.group(1))
        end = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                break
            except OSError:
                if time.monotonic() > end or proc.poll() is not None:
                    raise RuntimeError(f"the dashboard did not start: {first!r}\n{server.stderr()[-3000:]}")
                time.sleep(0.1)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()


def request(port: int, path: str, host: str | None = "127.0.0.1", method: str = "GET",
            headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    """One HTTP request, path and Host header sent as given (host None: HTTP/1.0 with no Host header)."""
    if host is None:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            lines = [f"{method} {path} HTTP/1.0", *(f"{k}: {v}" for k, v in (headers or {}).items()), "", ""]
            sock.sendall("\r\n".join(lines).encode())
            response = http.client.HTTPResponse(sock)
            response.begin()
            response.body = response.read()
            return response
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, headers={"Host": host if ":" in host else f"{host}:{port}", **(headers or {})})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def websocket(port: int, host: str = "127.0.0.1", origin: str | None = "same",
              headers: dict[str, str] | None = None) -> int:
    """Open the kernel websocket with this Host and Origin ('same': the Host's own origin): 101 or the refusal's status."""
    host = host if ":" in host else f"{host}:{port}"
    if origin == "same":
        origin = f"http://{host}"
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    uri = f"ws://{host}/jupyter/api/kernels/{uuid.uuid4()}/channels?session_id={uuid.uuid4()}"
    try:
        with connect(uri, sock=sock, origin=origin, additional_headers=headers, proxy=None, open_timeout=30):
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code
    finally:
        sock.close()


# --- the asset cache and a fake CDN --------------------------------------------------------------

class FakeCdn(http.server.ThreadingHTTPServer):
    """Answers every GET with a small file and records the paths asked for."""

    def __init__(self):
        self.asked: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(handler):  # noqa: N805
                self.asked.append(handler.path)
                handler.send_response(200)
                handler.send_header("Content-Length", "16")
                handler.end_headers()
                handler.wfile.write(b"fetched from cdn")

            def log_message(handler, *args):  # noqa: N805
                pass

        super().__init__(("127.0.0.1", 0), Handler)


def fake_cache(cache: Path, outside: Path) -> None:
    """Every packed folder with a package.json (the vuetify app with a bundle), the aliases, and a link out."""
    for name, version in assets.PACKAGES:
        (cache / f"{name}@{version}").mkdir(parents=True)
        (cache / f"{name}@{version}" / "package.json").write_text("{}")
    (cache / VUETIFY / "dist").mkdir()
    (cache / VUETIFY / "dist" / "main.js").write_text("// the vuetify app")
    (cache / "requirejs@2.3.6" / "require.js").write_text("// require")
    for name in (*assets.ALIASES, *assets.LOCAL_FILES):
        (cache / name).parent.mkdir(parents=True, exist_ok=True)
        (cache / name).write_text(f"// {name}")
    outside.write_text("a file outside the cache")
    os.symlink(outside, cache / "requirejs@2.3.6" / "outside.js")


def snapshot(cache: Path) -> dict[str, str]:
    """Every entry under the cache: its kind and, for files, a hash of the content."""
    found = {}
    for path in sorted(cache.rglob("*")):
        rel = str(path.relative_to(cache))
        if path.is_symlink():
            found[rel] = "link:" + os.readlink(path)
        elif path.is_dir():
            found[rel] = "dir"
        else:
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@dataclass
class Loopback:
    server: Server
    cache: Path
    cdn: FakeCdn
    files: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def loopback(tmp_path_factory) -> Iterator[Loopback]:
    """A dashboard on 127.0.0.1 with --allow-host, a fake asset cache, and a fake CDN to catch any fetch."""
    tmp = tmp_path_factory.mktemp("guard")
    cache = tmp / "cdn"
    fake_cache(cache, tmp / "secret.txt")
    cdn = FakeCdn()
    threading.Thread(target=cdn.serve_forever, daemon=True).start()
    env = {"SOLARA_ASSETS_PROXY_CACHE_DIR": str(cache), "SOLARA_ASSETS_CDN": f"http://127.0.0.1:{cdn.server_port}/"}
    try:
        with serving(["--allow-host", ALLOWED], env) as server:
            yield Loopback(server, cache, cdn)
    finally:
        cdn.shutdown()
        cdn.server_close()


# path asked for: the status wanted (the content of a known file is checked too)
ASSET_CASES = {
    f"/_solara/cdn/{VUETIFY}": 404,  # Solara's handler deletes this folder
    f"/_solara/cdn/{VUETIFY}/": 404,
    "/_solara/cdn/requirejs@2.3.6": 404,  # a bare package: Solara fetches its main file from the CDN
    "/_solara/cdn/left-pad@1.3.0/index.js": 404,  # not packed: Solara fetches and writes it under the venv
    "/_solara/cdn/requirejs@2.3.6/not-there.js": 404,
    "/_solara/cdn//etc/hostname": 404,
    "/_solara/cdn/requirejs@2.3.6/../../../../../etc/passwd": 404,
    "/_solara/cdn/requirejs@2.3.6/%2e%2e/%2e%2e/%2e%2e/etc/passwd": 404,
    "/_solara/cdn/requirejs@2.3.6/outside.js": 404,  # a link out of the cache
    "/_solara/cdn/requirejs@2.3.6/require.js": 200,
    f"/_solara/cdn/{VUETIFY}/dist/main.js": 200,
    f"/_solara/cdn/{assets.PLOTLY_BUNDLE}": 200,
}


@pytest.mark.parametrize("path", list(ASSET_CASES))
def test_the_asset_route_serves_packed_files_read_only(loopback, path):
    shutil.rmtree(loopback.cache)  # each case on the same cache, whatever an earlier one did to it
    fake_cache(loopback.cache, loopback.cache.parent / "secret.txt")
    before = snapshot(loopback.cache)
    loopback.cdn.asked.clear()
    response = request(loopback.server.port, path)
    assert response.status == ASSET_CASES[path]
    if response.status == 200:
        rel = path.removeprefix("/_solara/cdn/")
        assert response.body == (loopback.cache / rel).read_bytes()
    assert loopback.cdn.asked == []  # nothing fetched
    assert snapshot(loopback.cache) == before  # nothing deleted or written


# (Host header, method, path, extra headers): the status wanted; hosts without a port get the server's port
HTTP_CASES = {
    ("127.0.0.1", "GET", "/", ()): 200,
    ("localhost", "GET", "/", ()): 200,
    (ALLOWED, "GET", "/", ()): 200,
    ("LOCALHOST", "GET", "/workshop", ()): 200,  # host names are case-insensitive
    ("evil.example", "GET", "/", ()): 403,  # DNS rebinding: a page on evil.example, its name now pointing here
    ("evil.example:80", "GET", "/", ()): 403,
    ("192.0.2.77", "GET", "/", ()): 403,  # an address this loopback server is not bound to
    ("dash.example.evil.example", "GET", "/", ()): 403,
    ("evil.example", "GET", "/_solara/cdn/requirejs@2.3.6/require.js", ()): 403,
    (None, "GET", "/", ()): 403,  # HTTP/1.0 without a Host header
    ("[::1]", "GET", "/", ()): 403,  # loopback, but not the address this server is bound to
    ("127.0.0.1:http", "GET", "/", ()): 403,  # malformed
    ("127.0.0.1", "POST", f"/_solara/api/close/{uuid.UUID(int=1)}", (("Origin", "http://evil.example"),)): 403,
    ("127.0.0.1", "POST", f"/_solara/api/close/{uuid.UUID(int=2)}", (("Origin", "null"),)): 403,
}


@pytest.mark.parametrize("host, method, path, headers", list(HTTP_CASES))
def test_pages_answer_only_the_hosts_the_server_was_started_for(loopback, host, method, path, headers):
    response = request(loopback.server.port, path, host, method, dict(headers))
    assert response.status == HTTP_CASES[host, method, path, headers]


# (Host header, Origin header; 'same': the Host's own origin, None: no Origin; {port}: the server's port,
# {other}: another port): 101 accepted or 403 refused
WEBSOCKET_CASES = {
    ("127.0.0.1", "same"): 101,
    ("localhost", "same"): 101,
    (ALLOWED, "same"): 101,
    ("127.0.0.1", "http://evil.example"): 403,
    ("127.0.0.1", "null"): 403,
    ("127.0.0.1", None): 403,
    ("127.0.0.1", "http://127.0.0.1:{other}"): 403,  # another port of this machine: another site
    ("127.0.0.1", "http://127.0.0.1"): 403,
    ("127.0.0.1", "http://127.0.0.1:{port}.evil.example"): 403,
    ("127.0.0.1", "file://"): 403,
    ("localhost", "http://127.0.0.1:{port}"): 403,  # the same server under another name is another origin
    ("evil.example", "same"): 403,  # DNS rebinding: same-origin for the browser, but not a name of this server
}


@pytest.mark.parametrize("host, origin", list(WEBSOCKET_CASES))
def test_the_kernel_websocket_accepts_only_same_origin_pages_of_an_allowed_host(loopback, host, origin):
    port = loopback.server.port
    sent = origin.format(port=port, other=port + 1) if origin else origin
    assert websocket(port, host, sent) == WEBSOCKET_CASES[host, origin]


# --- a wildcard bind -------------------------------------------------------------------------------

def own_address() -> str:
    """An address of this machine other than loopback if it has one (the source address of a route out)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent
            return s.getsockname()[0]
        except OSError:
            return "127.0.0.1"


@pytest.fixture(scope="module")
def wildcard() -> Iterator[Server]:
    with serving(["--host", "0.0.0.0", "--allow-host", ALLOWED], {}) as server:
        if server.token:
            response = request(server.port, f"/?token={server.token}")
            set_cookie = response.getheader("Set-Cookie") or ""
            server.cookie = set_cookie.split(";")[0] or None
        yield server


def check_wildcard(server: Server, case: str) -> bool:
    port, token, cookie = server.port, server.token, {"Cookie": server.cookie or "none=none"}
    status = lambda path="/", host="127.0.0.1", headers=cookie: request(port, path, host, headers=headers).status  # noqa: E731
    match case:
        case "a warning names the shared network":
            return "warning" in server.stderr() and "network" in server.stderr()
        case "the first URL carries a long random token":
            return token is not None and len(token) >= 32 and "0.0.0.0" not in server.first_line
        case "the token in the URL sets a cookie and redirects to the page without it":
            response = request(port, f"/workshop?token={token}")
            return (response.status in (302, 303, 307) and response.getheader("Location") == "/workshop"
                    and "HttpOnly" in (response.getheader("Set-Cookie") or "")
                    and "SameSite=strict" in (response.getheader("Set-Cookie") or "").replace("Strict", "strict"))
        case "a page with the cookie is answered":
            return server.cookie is not None and status() == 200
        case "a page without the token is refused":
            return status(headers={}) == 403
        case "a page with a wrong token is refused":
            return request(port, "/?token=" + "0" * 43).status == 403
        case "a page with a wrong cookie is refused":
            return status(headers={"Cookie": (server.cookie or "x=").split("=")[0] + "=" + "0" * 43}) == 403
        case "an asset without the token is refused":
            return status("/_solara/cdn/requirejs@2.3.6/require.js", headers={}) == 403
        case "an asset with the cookie is answered":
            return server.cookie is not None and status("/_solara/cdn/requirejs@2.3.6/require.js") == 200
        case "a same-origin websocket without the token is refused":
            return websocket(port) == 403
        case "a same-origin websocket with the cookie is accepted":
            return server.cookie is not None and websocket(port, headers=cookie) == 101
        case "a cross-origin websocket with the cookie is refused":
            return websocket(port, origin="http://evil.example", headers=cookie) == 403
        case "the machine's own address is answered":
            return server.cookie is not None and status(host=own_address()) == 200
        case "an --allow-host name is answered":
            return server.cookie is not None and status(host=ALLOWED) == 200
        case "another name is refused, even with the cookie":
            return status(host="evil.example") == 403
        case "an address of another machine is refused, even with the cookie":
            return status(host="192.0.2.77") == 403
    raise AssertionError(case)


WILDCARD_CASES = [
    "a warning names the shared network", "the first URL carries a long random token",
    "the token in the URL sets a cookie and redirects to the page without it", "a page with the cookie is answered",
    "a page without the token is refused", "a page with a wrong token is refused", "a page with a wrong cookie is refused",
    "an asset without the token is refused", "an asset with the cookie is answered",
    "a same-origin websocket without the token is refused", "a same-origin websocket with the cookie is accepted",
    "a cross-origin websocket with the cookie is refused", "the machine's own address is answered",
    "an --allow-host name is answered", "another name is refused, even with the cookie",
    "an address of another machine is refused, even with the cookie",
]


@pytest.mark.parametrize("case", WILDCARD_CASES)
def test_a_wildcard_bind_requires_the_token_printed_at_start(wildcard, case):
    assert check_wildcard(wildcard, case)
