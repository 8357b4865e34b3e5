"""The rules every request to the staff page passes, before any view runs.

- Host must be ``127.0.0.1:PORT`` or ``localhost:PORT``: a web site that rebinds its own name to this
  machine (DNS rebinding) is refused.
- The opening address carries a random token; it is exchanged once for an HttpOnly, SameSite=Strict
  cookie and the browser is sent on to an address without it. Without that cookie nothing is answered.
- A request that changes something (POST) must come from this page: its Origin must be this server and
  Sec-Fetch-Site, when the browser sends it, ``same-origin``. No other web site can post here.
- Every answer forbids framing, external loads and caching (the pages show confidential data).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from directory_builder.i18n import N_

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "directory_builder_session"
#: Headers on every answer. Previews of victim-facing pages add their own sandbox (views.py).
SECURITY_HEADERS = {
    "content-security-policy": ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
                                "form-action 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'"),
    "x-frame-options": "SAMEORIGIN",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # "no-referrer" would make the browser send "Origin: null"
    "cache-control": "no-store",
    "cross-origin-resource-policy": "same-origin",
}
SAFE_METHODS = {"GET", "HEAD"}
REFUSED_HOST = N_("This page answers only at its own address on this computer. Open the address that "
                  "'directory-builder serve' printed.")
REFUSED_TOKEN = N_("This page needs the address with its key. Open the address that 'directory-builder serve' "
                   "printed in its window (it ends with ?token=...), or start it again.")
REFUSED_ORIGIN = N_("This request did not come from the directory-builder page itself, so it was refused. Use "
                    "the buttons on the page.")


class Guard:
    """The token, the session cookie and the addresses this server answers at."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.token = token or secrets.token_urlsafe(24)
        self.session = secrets.token_urlsafe(32)
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    @property
    def opening_address(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    def refusal(self, scope: Scope) -> str | None:
        """Why this request is refused (a msgid), or None when it may go on."""
        headers = _headers(scope)
        if headers.get("host") not in self.hosts:
            return REFUSED_HOST
        if not self._has_session(headers) and not self.opens_with_token(scope):
            return REFUSED_TOKEN
        if scope.get("method", "GET") not in SAFE_METHODS and not self._same_origin(headers):
            return REFUSED_ORIGIN
        return None

    def opens_with_token(self, scope: Scope) -> bool:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = query.get("token", [""])[0]
        return scope.get("method") == "GET" and bool(given) and secrets.compare_digest(given, self.token)

    def _has_session(self, headers: dict[str, str]) -> bool:
        for part in headers.get("cookie", "").split(";"):
            name, _sep, value = part.strip().partition("=")
            if name == COOKIE and secrets.compare_digest(value, self.session):
                return True
        return False

    def _same_origin(self, headers: dict[str, str]) -> bool:
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return False
        return headers.get("origin") in self.origins

    def session_cookie(self) -> str:
        return f"{COOKIE}={self.session}; Path=/; HttpOnly; SameSite=Strict"


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def with_security_headers(app: ASGIApp) -> ASGIApp:
    """Add ``SECURITY_HEADERS`` to every answer (a view's own CSP, e.g. a sandboxed preview, is kept)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.decode("latin-1").lower() for k, _v in message.get("headers", [])}
                added = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k not in present]
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped
