"""Errors that stop a command with one plain sentence instead of a traceback (exit code 2 in the CLI)."""

from __future__ import annotations


class InputError(Exception):
    """An unreadable or unusable input file. ``str(err)`` is one plain sentence for staff: what and what to do."""

    exit_code = 2


class OutputError(InputError, OSError):
    """An output could not be written (disk full, no permission, read-only folder); the old file is kept.

    It is an InputError so the CLI shows its sentence and exits 2 without a traceback, and an OSError so
    callers that catch file-system errors still do (``errno`` is the original one).
    """

    def __init__(self, errno: int, message: str) -> None:
        super().__init__(errno, message)
        self.message = message

    def __str__(self) -> str:
        return self.message
