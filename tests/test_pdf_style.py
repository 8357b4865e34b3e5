"""templates/pdf/style.yaml: complete, typed, and overridable key by key from a --template-dir."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from directory_builder.render.pdf_style import SCHEMA, STYLE_FILE, StyleError, load_style
from directory_builder.util.templates_path import BUILTIN_TEMPLATES

MM = 72 / 25.4


def user_dir(tmp_path: Path, text: str) -> Path:
    (tmp_path / "pdf").mkdir(parents=True, exist_ok=True)
    (tmp_path / STYLE_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_builtin_file_matches_the_schema() -> None:
    data = yaml.safe_load((BUILTIN_TEMPLATES / STYLE_FILE).read_text(encoding="utf-8"))

    def keys(d: Mapping[str, Any], prefix: str = "") -> set[str]:
        out: set[str] = set()
        for k, v in d.items():
            out |= keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k}
        return out

    assert keys(data) == keys(SCHEMA)


def test_builtin_values() -> None:
    style = load_style()
    a5 = style.paper("a5")
    assert a5.size == pytest.approx((148 * MM, 210 * MM), abs=0.01)
    assert style.font("body") >= 11
    assert style.leading(style.font("body")) >= 1.3 * style.font("body")
    assert style.layout("category_new_page") is False  # kinds of help flow on; a style file may ask for new pages


def test_partial_override_deep_merges(tmp_path: Path) -> None:
    folder = user_dir(tmp_path, 'fonts:\n  body: 13\ncolours:\n  accent: "#5a1a1a"\npaper:\n  a4: {left: 1in}\n')
    style = load_style([folder])
    assert style.font("body") == 13
    assert style.font("heading") == load_style().font("heading")
    assert style.colour("accent").hexval().lower() == "0x5a1a1a"
    assert style.paper("a4").left == pytest.approx(72)
    assert style.paper("a4").right == load_style().paper("a4").right


def test_first_template_dir_wins(tmp_path: Path) -> None:
    first = user_dir(tmp_path / "one", "fonts:\n  body: 12\n")
    second = user_dir(tmp_path / "two", "fonts:\n  body: 14\n  small: 9\n")
    style = load_style([first, second])
    assert style.font("body") == 12
    assert style.font("small") == 9


def test_edited_file_is_read_again(tmp_path: Path) -> None:
    folder = user_dir(tmp_path, "fonts:\n  body: 12\n")
    assert load_style([folder]).font("body") == 12
    (folder / STYLE_FILE).write_text("fonts:\n  body: 12.75\n", encoding="utf-8")
    assert load_style([folder]).font("body") == 12.75


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fonts:\n  bdy: 12\n", "unknown setting 'fonts.bdy'"),
        ("colors:\n  text: '#000000'\n", "unknown setting 'colors'"),
        ("fonts: 12\n", "must hold settings"),
        ("fonts:\n  body: big\n", "fonts.body must be a number"),
        ("fonts:\n  body: 500\n", "out of range"),
        ("colours:\n  text: red\n", "must be a colour"),
        ("paper:\n  a5: {left: 3 furlongs}\n", "must be a length"),
        ("layout:\n  category_new_page: maybe\n", "true or false"),
        ("fonts: [1, 2\n", "not valid YAML"),
        ("- just\n- a list\n", "expected settings"),
    ],
)
def test_bad_files_name_the_setting(tmp_path: Path, text: str, message: str) -> None:
    folder = user_dir(tmp_path, text)
    with pytest.raises(StyleError, match=message) as info:
        load_style([folder])
    assert str(folder) in str(info.value)


def test_units(tmp_path: Path) -> None:
    folder = user_dir(tmp_path, "paper:\n  letter: {top: 2.54cm, bottom: 36pt, left: 10mm, right: 20}\n")
    paper = load_style([folder]).paper("letter")
    assert (paper.top, paper.bottom, paper.left, paper.right) == pytest.approx((72, 36, 10 * MM, 20), abs=0.01)
