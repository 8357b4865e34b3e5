"""Compile the gettext catalogs (.po -> .mo) when a wheel is built, so installs need no Babel step.

The top-level templates/ folder needs no hook: pyproject.toml force-includes it as directory_builder/templates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root) / "src" / "directory_builder" / "locales"
        for po_path in sorted(root.glob("*/LC_MESSAGES/messages.po")):
            with po_path.open("rb") as fh:
                catalog = read_po(fh)
            mo_path = po_path.with_suffix(".mo")
            with mo_path.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
            rel = mo_path.relative_to(self.root).as_posix()
            build_data["force_include"][str(mo_path)] = rel.removeprefix("src/")
