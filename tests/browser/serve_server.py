"""A real ``directory-builder serve`` server in a thread, on a free port (for browser tests and screenshots)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from directory_builder.serve.app import create_app, free_socket
from directory_builder.serve.security import Guard
from directory_builder.serve.workspace import Workspace


@dataclass
class Running:
    guard: Guard
    workspace: Workspace

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.guard.port}"


@contextlib.contextmanager
def running_server(parent: Path, language: str = "en") -> Iterator[Running]:
    sock = free_socket()
    guard = Guard(sock.getsockname()[1])
    workspace = Workspace(parent)
    holder: dict[str, uvicorn.Server] = {}

    def stop() -> None:
        holder["server"].should_exit = True

    config = uvicorn.Config(create_app(workspace, guard, language, stop), log_level="warning", lifespan="off")
    server = holder["server"] = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _attempt in range(100):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield Running(guard, workspace)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        workspace.remove()
