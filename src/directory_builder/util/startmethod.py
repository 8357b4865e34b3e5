"""How worker processes are started: ``fork`` where it is the platform's fast, safe way (Linux), ``spawn``
everywhere else (Windows has no fork; on macOS fork is unsafe with the system libraries, Python's default
there is spawn too).

``DIRECTORY_BUILDER_START_METHOD=spawn`` (or ``fork``, ``forkserver``) forces a method, to test on Linux what
a Windows laptop does, or to stay away from fork in a program that runs threads. A method the platform
does not have falls back to the default, never to an error: the start method changes how fast a build
is, never what it makes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from multiprocessing.context import BaseContext

ENV_VARIABLE = "DIRECTORY_BUILDER_START_METHOD"


def default_method() -> str:
    """``fork`` on Linux (workers share the fonts and the model already loaded), ``spawn`` elsewhere."""
    return "fork" if sys.platform.startswith("linux") and hasattr(os, "fork") else "spawn"


def start_method() -> str:
    """The method asked for in ``DIRECTORY_BUILDER_START_METHOD`` when this platform has it, else the default."""
    wanted = os.environ.get(ENV_VARIABLE, "").strip().lower()
    if wanted and wanted in multiprocessing.get_all_start_methods():
        return wanted
    return default_method()


def uses_fork() -> bool:
    """True when worker processes are forked copies of this one (they inherit what it loaded)."""
    return start_method() == "fork"


def context() -> BaseContext:
    """The ``multiprocessing`` context for worker pools."""
    return multiprocessing.get_context(start_method())
