"""The top-level templates/ folder: found in a checkout, carried by the sdist and the wheel, hashed for caches.

The wheel test builds the sdist and then the wheel from the unpacked sdist (the path pip takes), in a
temporary folder, so the checkout is never written to; it then runs the tool from the unpacked wheel,
outside the repository, to prove the installed layout finds its templates.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from directory_builder.i18n import SHIPPED_LANGUAGES
from directory_builder.util import fingerprint, templates_path
from directory_builder.util.templates_path import BUILTIN_TEMPLATES, blank_workbook_name, find_template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
EXAMPLE = ROOT / "examples" / "jakarta-westjava.xlsx"

#: One file of each kind an NGO adapts, relative to templates/.
KINDS = ("html/base.html", "html/style.css", "html/macros.html", "pdf/style.yaml", "content/id/frontmatter.yaml",
         "icons/shelter.svg", "report/report.html",
         *(f"workbooks/{blank_workbook_name(lang)}" for lang in SHIPPED_LANGUAGES))


def _python(code: str, cwd: Path, pythonpath: Path) -> str:
    """Run ``code`` in a fresh interpreter that imports directory_builder from ``pythonpath`` only first."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


# ---------------------------------------------------------------------------------------------- checkout


def test_the_package_holds_no_templates_folder() -> None:
    assert not (ROOT / "src" / "directory_builder" / "templates").exists()
    assert all((TEMPLATES / kind).is_file() for kind in KINDS)


def test_a_source_checkout_finds_the_top_level_folder(tmp_path: Path) -> None:
    out = _python("from directory_builder.util.templates_path import BUILTIN_TEMPLATES, find_template\n"
                  "print(BUILTIN_TEMPLATES); print(find_template('html/base.html'))", tmp_path, ROOT / "src")
    folder, base = out.splitlines()
    assert Path(folder).resolve() == TEMPLATES.resolve()
    assert Path(base).resolve() == (TEMPLATES / "html" / "base.html").resolve()


def test_the_template_dir_still_comes_first(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "style.css").write_text("body {}\n", encoding="utf-8")
    assert find_template("html/style.css", [tmp_path]) == tmp_path / "html" / "style.css"
    assert find_template("html/base.html", [tmp_path]) == BUILTIN_TEMPLATES / "html" / "base.html"


def test_a_packaged_copy_wins_over_the_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed wheel reads its own copy, never a templates/ folder that happens to lie above it."""
    monkeypatch.setattr(templates_path.resources, "files", lambda _package: tmp_path)
    assert templates_path.builtin_templates_folder().resolve() == TEMPLATES.resolve()  # no copy: the checkout
    (tmp_path / "templates").mkdir()
    assert templates_path.builtin_templates_folder() == tmp_path / "templates"


# ---------------------------------------------------------------------------------------------- fingerprint


def test_the_fingerprint_covers_every_template() -> None:
    names = {name for name, _path in fingerprint._tool_files()}
    for path in TEMPLATES.rglob("*"):
        if path.is_file():
            assert "templates/" + path.relative_to(TEMPLATES).as_posix() in names
    assert "util/templates_path.py" in names


def test_an_edited_template_changes_the_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "templates"
    (folder / "html").mkdir(parents=True)
    css = folder / "html" / "style.css"
    css.write_text("body { color: black }\n", encoding="utf-8")
    monkeypatch.setattr(fingerprint, "BUILTIN_TEMPLATES", folder)
    before = fingerprint.tool_digest.__wrapped__()
    css.write_text("body { color: navy }\n", encoding="utf-8")
    assert fingerprint.tool_digest.__wrapped__() != before


# ---------------------------------------------------------------------------------------------- packaging


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sdist")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(out)], cwd=ROOT,
                   check=True, capture_output=True, timeout=300)
    (archive,) = out.glob("*.tar.gz")
    return archive


@pytest.fixture(scope="module")
def wheel(sdist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    with tarfile.open(sdist) as tar:
        tar.extractall(work, filter="data")
    (source,) = (p for p in work.iterdir() if p.is_dir())
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "-w", str(work / "dist"), "--no-deps",
                    "--no-build-isolation", "--disable-pip-version-check", "-q"],
                   cwd=work, check=True, capture_output=True, timeout=300)
    (built,) = (work / "dist").glob("*.whl")
    return built


@pytest.mark.slow
def test_the_sdist_carries_the_templates(sdist: Path) -> None:
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert {f"templates/{kind}" for kind in KINDS} <= names
    assert {"babel.cfg", "hatch_build.py", "scripts/template_workbooks.py"} <= names


@pytest.mark.slow
def test_the_wheel_carries_the_templates_inside_the_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {f"directory_builder/templates/{kind}" for kind in KINDS} <= names
    shipped = {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.is_file()}
    packaged = {n.removeprefix("directory_builder/templates/") for n in names
                if n.startswith("directory_builder/templates/")}
    assert packaged == shipped
    assert not any(n.startswith("templates/") for n in names)  # nothing outside the package
    assert {f"directory_builder/locales/{lang}/LC_MESSAGES/messages.mo" for lang in SHIPPED_LANGUAGES} <= names


@pytest.mark.slow
def test_the_installed_wheel_finds_and_uses_its_templates(wheel: Path, tmp_path: Path) -> None:
    """Unpacked as pip installs it, run from outside the repository: the packaged templates are used."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    report = tmp_path / "report.html"
    out = _python(
        "import directory_builder, sys\n"
        "from directory_builder.util.templates_path import BUILTIN_TEMPLATES\n"
        "from directory_builder.util.fingerprint import _tool_files\n"
        "from directory_builder.cli import run\n"
        "print(directory_builder.__file__); print(BUILTIN_TEMPLATES)\n"
        "print(sum(name.startswith('templates/') for name, _ in _tool_files()))\n"
        f"sys.argv = ['directory-builder', 'report', {str(EXAMPLE)!r}, '--format', 'html']\n"
        f"sys.stdout = open({str(report)!r}, 'w', encoding='utf-8')\n"
        "run()\n", tmp_path, site)
    module, folder, hashed = out.splitlines()[:3]
    assert Path(module).is_relative_to(site)
    assert Path(folder) == site / "directory_builder" / "templates"
    assert int(hashed) == sum(1 for p in TEMPLATES.rglob("*") if p.is_file())
    assert "<html" in report.read_text(encoding="utf-8")
