"""Options every renderer accepts; part of the incremental-build input hash."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Paper = Literal["a4", "a5", "letter"]


@dataclass(frozen=True)
class RenderOptions:
    paper: Paper = "a5"
    template_dirs: tuple[Path, ...] = ()  # user folders searched before the built-in templates/
    neutral_title: bool = False  # HTML public edition: a <title> that does not say "trafficking"
    print_shop: bool = False  # booklet and card: bleed, crop marks, TrimBox/BleedBox (render/print_shop.py)
    creep_mm: float = 0.0  # imposed booklet: how far the innermost sheet's pages move towards the fold
    share: tuple[str, ...] = ()  # phone files built beside the web page, which it shows or links (share_panel)
