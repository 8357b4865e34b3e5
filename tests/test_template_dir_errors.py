"""A broken file in the user's template folder is named once, before anything is drawn (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

import hostile
from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.util.errors import InputError
from workbook_factory import make_workbook, service

BROKEN = {
    "style": ("pdf/style.yaml", "colours:\n  text: [unclosed\n", "not valid YAML"),
    "style-setting": ("pdf/style.yaml", "colours:\n  txet: '#000000'\n", "unknown setting"),
    "front-matter": ("content/en/frontmatter.yaml", "sections: [\n", "not valid YAML"),
    "page": ("html/district.html", "{% if x %}never closed\n", "line 1"),
}


def _folder(tmp_path: Path, case: str) -> tuple[Path, str, str]:
    rel, text, words = BROKEN[case]
    folder = tmp_path / "my-templates"
    (folder / rel).parent.mkdir(parents=True)
    (folder / rel).write_text(text, encoding="utf-8")
    return folder, rel, words


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_template_file_stops_the_build_before_drawing(tmp_path: Path, case: str) -> None:
    folder, rel, words = _folder(tmp_path, case)
    book = make_workbook(tmp_path / "d.xlsx", services=[service(id="S1")])
    out = tmp_path / "out"
    with pytest.raises(InputError) as caught:
        build_directory(book, BuildOptions(out=out, jobs=1, template_dirs=(folder,)))
    message = str(caught.value)
    assert message.startswith("A file in your template folder cannot be used:")
    assert str(folder / rel) in message and words in message
    assert "\n" not in message and len(message) < 600
    assert not out.exists() or (not any(out.rglob("*.pdf")) and not any(out.rglob("*.html")))


def test_the_command_names_the_file_in_one_sentence(tmp_path: Path) -> None:
    folder, rel, _words = _folder(tmp_path, "style")
    book = make_workbook(tmp_path / "d.xlsx", services=[service(id="S1")])
    run = hostile.run_cli("build", book, "--out", tmp_path / "out", "--template-dir", folder, "--jobs", "1")
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "Error:" not in run.stderr
    assert "cannot be used" in run.stderr and rel in run.stderr


def test_a_template_folder_with_good_files_builds(tmp_path: Path) -> None:
    folder = tmp_path / "my-templates"
    (folder / "pdf").mkdir(parents=True)
    (folder / "pdf" / "style.yaml").write_text("colours:\n  accent: '#123456'\n", encoding="utf-8")
    book = make_workbook(tmp_path / "d.xlsx", services=[service(id="S1")])
    result = build_directory(book, BuildOptions(out=tmp_path / "out", jobs=1, template_dirs=(folder,)))
    assert result.built and not result.failures and result.rebuilt
