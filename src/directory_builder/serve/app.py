"""The Starlette application of the staff page, and the server that runs it on 127.0.0.1.

Starlette (routing, forms through python-multipart) served by uvicorn: small, well kept, no JavaScript
framework. ``create_app`` is what the tests drive; ``run_server`` is what ``directory-builder serve`` calls.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import threading
import webbrowser
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from directory_builder.i18n import gettext_
from directory_builder.serve.pages import render
from directory_builder.serve.security import ASGIApp, Guard, Receive, Scope, Send, with_security_headers
from directory_builder.serve.views import Views
from directory_builder.serve.workspace import Workspace

HOST = "127.0.0.1"


def create_app(workspace: Workspace, guard: Guard, language: str, stop: Callable[[], None] = lambda: None) -> ASGIApp:
    """The application: the guard first, then the screens, every answer with the security headers."""
    views = Views(workspace, language, stop)
    routes = [
        Route("/", views.home),
        Route("/static/{name}", views.static),
        Route("/template/{lang}.xlsx", views.blank_template),
        Route("/upload", views.upload, methods=["POST"]),
        Route("/stop", views.stop, methods=["POST"]),
        Route("/compare", views.compare),
        Route("/u/{upload}", views.workbook),
        Route("/u/{upload}/checked.xlsx", views.annotated),
        Route("/u/{upload}/report", views.report),
        Route("/u/{upload}/preview", views.start_preview, methods=["POST"]),
        Route("/u/{upload}/build", views.start_build, methods=["POST"]),
        Route("/p/{job}", views.preview),
        Route("/p/{job}/page.html", views.preview_page),
        Route("/p/{job}/page-{n:int}.png", views.preview_image),
        Route("/b/{job}", views.build),
        Route("/b/{job}/status.json", views.build_status),
        Route("/b/{job}/all.zip", views.download_all),
        Route("/b/{job}/district-{n:int}.zip", views.download_district),
    ]
    screens = Starlette(routes=routes)

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await screens(scope, receive, send)
            return
        refusal = guard.refusal(scope)
        if refusal is not None:
            text = gettext_(refusal, language)
            html = render("message.html", language, path="", title=gettext_("Refused", language), text=text)
            await Response(html, status_code=403, media_type="text/html; charset=utf-8")(scope, receive, send)
            return
        if guard.opens_with_token(scope):  # the key becomes a cookie; the address bar loses the key
            response = RedirectResponse("/", status_code=303, headers={"set-cookie": guard.session_cookie()})
            await response(scope, receive, send)
            return
        await screens(scope, receive, send)

    return with_security_headers(guarded)


def free_socket() -> socket.socket:
    """A listening socket on 127.0.0.1 and a port the system chose free (never another interface)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((HOST, 0))
    sock.listen(64)
    return sock


def run_server(language: str, *, open_browser: bool = True, announce: Callable[[str], None] = print) -> None:
    """Serve until Ctrl-C or the Stop button; the temporary folder is removed in every case."""
    import uvicorn

    from directory_builder.util import startmethod

    # Builds run in threads beside the server's: a forked worker would copy whatever lock another thread
    # holds. The fork server starts workers from a clean process (spawn where there is none).
    if "forkserver" in multiprocessing.get_all_start_methods():
        os.environ.setdefault(startmethod.ENV_VARIABLE, "forkserver")
    sock = free_socket()
    port = sock.getsockname()[1]
    guard = Guard(port)
    workspace = Workspace()
    server: uvicorn.Server | None = None

    def stop() -> None:
        if server is not None:
            server.should_exit = True

    try:
        app = create_app(workspace, guard, language, stop)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                server_header=False, date_header=False)
        server = uvicorn.Server(config)
        announce(guard.opening_address)
        if open_browser:
            threading.Timer(0.5, webbrowser.open, args=(guard.opening_address,)).start()
        server.run(sockets=[sock])
    finally:
        sock.close()
        workspace.remove()
