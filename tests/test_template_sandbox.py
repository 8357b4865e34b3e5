"""--template-dir pages run in Jinja's sandbox, may load nothing from outside the page, and use only sound icons.

Each refusal happens before anything is drawn: exit 2 (InputError), one sentence naming the user's file,
and no page written. Links the reader follows (``<a href="https://...">``) stay allowed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import hostile
from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.util.errors import InputError
from directory_builder.util.templates_path import BUILTIN_TEMPLATES
from workbook_factory import make_workbook, service

BASE = (BUILTIN_TEMPLATES / "html" / "base.html").read_text(encoding="utf-8")
STYLE = (BUILTIN_TEMPLATES / "html" / "style.css").read_text(encoding="utf-8")

#: name: markup put into a copy of base.html (before </body>); each makes the page load something.
LOADS = {
    "stylesheet link": '<link rel="stylesheet" href="https://cdn.example.com/site.css">',
    "preload link": '<link rel="preload" as="font" href="//fonts.example.com/f.woff2">',
    "image": '<img src="http://img.example.com/logo.png" alt="">',
    "protocol-relative script": '<script src="//cdn.example.com/track.js"></script>',
    "srcset": '<img src="data:image/gif;base64,R0lGOD==" srcset="https://img.example.com/2x.png 2x" alt="">',
    "object": '<object data="https://x.example.com/movie.swf"></object>',
    "iframe": '<iframe src="https://maps.example.com/embed"></iframe>',
    "base": '<base href="https://evil.example.com/">',
    "style block url": "<style>body{background:url('https://img.example.com/bg.png')}</style>",
    "style block import": '<style>@import "https://fonts.example.com/css";</style>',
    "style attribute": '<div style="background-image:url(//img.example.com/a.png)">x</div>',
    "meta refresh": '<meta http-equiv="refresh" content="0; url=https://evil.example.com/">',
    "svg image": '<svg><image href="https://img.example.com/a.png" width="1" height="1"/></svg>',
    "built by the template": '{% set host = "img.exa" ~ "mple.com" %}<img src="https://{{ host }}/x.png" alt="">',
}


def _templates(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "my-templates"
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def _base_with(markup: str) -> str:
    assert "</body>" in BASE
    return BASE.replace("</body>", markup + "\n</body>", 1)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workbook(tmp_path_factory.mktemp("wb") / "d.xlsx",
                         services=[service(id="S1", website="https://www.example.org")])


def _refused(book: Path, out: Path, folder: Path, formats: tuple[str, ...] = ("html",)) -> str:
    with pytest.raises(InputError) as caught:
        build_directory(book, BuildOptions(out=out, jobs=1, formats=formats, template_dirs=(folder,)))
    message = str(caught.value)
    assert message.startswith("A file in your template folder cannot be used:"), message
    assert "\n" not in message and len(message) < 700, message
    assert not out.exists() or not any(p for p in out.rglob("*") if p.suffix in (".html", ".pdf"))
    return message


@pytest.mark.parametrize("case", list(LOADS))
def test_a_page_that_loads_from_outside_is_refused(case: str, book: Path, tmp_path: Path) -> None:
    folder = _templates(tmp_path, {"html/base.html": _base_with(LOADS[case])})
    message = _refused(book, tmp_path / "out", folder)
    assert str(folder / "html" / "base.html") in message, message
    assert "example.com" in message and "from outside" in message, message


@pytest.mark.parametrize("rule", [
    "body{background:url(https://img.example.com/bg.png)}",
    "@import url('//fonts.example.com/css');",
    "@font-face{font-family:X;src:url(\"https://fonts.example.com/x.woff2\")}",
])
def test_a_stylesheet_that_loads_from_outside_is_refused(rule: str, book: Path, tmp_path: Path) -> None:
    folder = _templates(tmp_path, {"html/style.css": STYLE + "\n" + rule + "\n"})
    message = _refused(book, tmp_path / "out", folder)
    assert str(folder / "html" / "style.css") in message and "example.com" in message, message


def test_links_to_follow_and_inline_images_are_allowed(book: Path, tmp_path: Path) -> None:
    markup = ('<p><a href="https://www.example.org/about">About us</a></p>'
              '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">')
    folder = _templates(tmp_path, {"html/base.html": _base_with(markup)})
    out = tmp_path / "out"
    result = build_directory(book, BuildOptions(out=out, jobs=1, formats=("html",), template_dirs=(folder,)))
    assert result.built and not result.failures
    page = next(out.rglob("jakarta-pusat.html"))
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("a", href="https://www.example.org/about") is not None
    assert soup.find("a", href="https://www.example.org") is not None  # the service's website


@pytest.mark.parametrize("expression", [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ (lambda_ is defined) or ''.__class__.__base__.__subclasses__() }}",
])
def test_user_templates_run_in_the_sandbox(expression: str, book: Path, tmp_path: Path) -> None:
    """Before: the template printed Python internals into the page. Now: refused, the file named."""
    folder = _templates(tmp_path, {"html/base.html": _base_with(f"<p>{expression}</p>")})
    message = _refused(book, tmp_path / "out", folder)
    assert str(folder / "html" / "base.html") in message and "unsafe" in message, message


ICONS = {
    "not well-formed": ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0L24 24"</svg>',
                        "well-formed"),
    "external image": ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
                       '<image href="https://img.example.com/a.png" width="24" height="24"/></svg>', "<image>"),
    "external use": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                     'viewBox="0 0 24 24"><path d="M0 0L24 24" xlink:href="https://x.example.com/s.svg#a"/></svg>',
                     "not allowed"),
    "style with url": ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" '
                       'style="background:url(https://x.example.com/a.png)"><path d="M0 0L24 24"/></svg>', "style"),
}


@pytest.mark.parametrize("formats", [("html",), ("pdf",)])
@pytest.mark.parametrize("case", list(ICONS))
def test_a_broken_icon_stops_the_build_naming_it(case: str, formats: tuple[str, ...], book: Path,
                                                 tmp_path: Path) -> None:
    """Before: every district failed, one by one, with a program error, and the command went on."""
    svg, words = ICONS[case]
    folder = _templates(tmp_path, {"icons/phone.svg": svg})
    message = _refused(book, tmp_path / "out", folder, formats)
    assert str(folder / "icons" / "phone.svg") in message and words in message, message


def test_the_command_says_it_in_one_sentence(book: Path, tmp_path: Path) -> None:
    folder = _templates(tmp_path, {"html/base.html": _base_with(LOADS["stylesheet link"]),
                                   "icons/email.svg": ICONS["not well-formed"][0]})
    run = hostile.run_cli("build", book, "--out", tmp_path / "out", "--template-dir", folder, "--jobs", "1")
    assert run.returncode == 2, run.stderr
    message = run.stderr.strip()
    assert "\n" not in message and "Traceback" not in message and "unexpected" not in message, message
    assert "cannot be used" in message and "email.svg" in message, message
