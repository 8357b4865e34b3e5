"""Errors that stop a command before validation can even start (exit code 2 in the CLI)."""

from __future__ import annotations


class InputError(Exception):
    """An unreadable or unusable input file. ``str(err)`` is one plain sentence for staff: what and what to do."""

    exit_code = 2
