"""The docs stay true: the column reference is generated, and every command and option is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from directory_builder.cli import app
from directory_builder.workbook.docs_gen import column_reference

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_column_reference_is_up_to_date() -> None:
    current = (DOCS / "columns.md").read_text(encoding="utf-8")
    assert current.strip() == column_reference().strip(), (
        "docs/columns.md is out of date: run `python -m directory_builder.workbook.docs_gen > docs/columns.md`"
    )


def test_every_command_and_option_is_documented() -> None:
    text = (DOCS / "commands.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    assert hasattr(group, "commands")
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f"## `{name}`" in text, f"command {name} missing from docs/commands.md"
        section = text.split(f"## `{name}`", 1)[1].split("\n## ", 1)[0]
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt not in ("--help", "--ui-lang"):  # --ui-lang: at the top
                    assert opt in section, f"{name} {opt} missing from docs/commands.md"
    for param in group.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert opt in text, f"global option {opt} missing from docs/commands.md"


def test_every_command_has_an_example_in_its_help() -> None:
    group = typer.main.get_command(app)
    assert hasattr(group, "commands")
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert re.search(r"Example: directory-builder " + name, command.help or ""), name
