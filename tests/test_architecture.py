"""The import rules of the pipeline (docs/developer-guide.md), checked on the code itself.

Privacy is enforced by construction only if output modules cannot reach the raw model: a renderer, an
exporter or the public changelog that imports ``model``, ``workbook/`` or ``check/`` could print a field
the published view left out. A module that uses another module's underscore names depends on what its
author said was private, so a change there breaks it silently. Each failure names the module and the import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "directory_builder"
SRC = Path(__file__).resolve().parent.parent / "src" / PACKAGE

#: Folders and modules whose output reaches readers: they see only the published view from ``publish/``.
OUTPUT_MODULES = ("render", "export", "outputs", "lifecycle.changelog")
#: What an output module must not import.
RAW_LAYERS = ("model", "workbook", "check")
#: What ``util/`` must not import: every stage of the pipeline.
PIPELINE = ("cli", "columns", "model", "vocab", "workbook", "check", "publish", "render", "export", "lifecycle",
            "build")

#: What the model must not import: the stages that make it or use it.
STAGES = ("cli", "workbook", "check", "publish", "render", "export", "lifecycle", "build")

#: Violations left for another branch, each with its reason. The lead empties this list after merging the
#: branch that moves the exporters and renderers onto the published view ('cols'); an entry that is no longer
#: a violation fails the test too, so the list can only shrink.
#: Known violations, each with the reason it is tolerated; the list can only shrink (test below). Empty.
ALLOWED: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted, without the package name ("render.html")
    target: str  # the imported module, dotted, without the package name ("model")
    names: tuple[str, ...]  # names imported from it ("from x import a, b"), or attributes used ("x.a")
    line: int

    def __str__(self) -> str:
        names = f" ({', '.join(self.names)})" if self.names else ""
        return f"{self.module} imports {self.target}{names} (line {self.line})"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str | None:
    """The absolute dotted name (without the package) that ``node`` imports from, or None if not ours."""
    if node.level:
        base = module.split(".") if module else []
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        return ".".join([*base, *(node.module.split(".") if node.module else [])])
    name = node.module or ""
    if name == PACKAGE:
        return ""
    if name.startswith(PACKAGE + "."):
        return name[len(PACKAGE) + 1:]
    return None


def modules() -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        yield module_name(path), path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def imports(module: str, path: Path, tree: ast.Module) -> Iterator[Import]:
    """Every import of one of our modules in ``tree`` (at the top or inside functions), and every
    attribute used on a name bound to one of our modules (``validate._Checker``)."""
    is_package = path.name == "__init__.py"
    bound: dict[str, str] = {}  # local name -> our module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    target = alias.name[len(PACKAGE) + 1:]
                    yield Import(module, target, (), node.lineno)
                    if alias.asname:
                        bound[alias.asname] = target
        elif isinstance(node, ast.ImportFrom):
            target = resolve(module, is_package, node)
            if target is None:
                continue
            names = tuple(a.name for a in node.names)
            yield Import(module, target, names, node.lineno)
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                if (SRC / sub.replace(".", "/")).with_suffix(".py").exists() or (SRC / sub.replace(".", "/")).is_dir():
                    bound[alias.asname or alias.name] = sub
                    yield Import(module, sub, (), node.lineno)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound:
            yield Import(module, bound[node.value.id], (node.attr,), node.lineno)


def is_private(name: str) -> bool:
    """An underscore name; ``_`` (gettext) and dunders (``__version__``) are public by convention."""
    return name.startswith("_") and name != "_" and not (name.startswith("__") and name.endswith("__"))


def within(module: str, layer: str) -> bool:
    return module == layer or module.startswith(layer + ".")


def private_uses() -> list[Import]:
    """Another module's underscore names, imported or used as an attribute."""
    found = []
    for module, path, tree in modules():
        for imp in imports(module, path, tree):
            if imp.target != module and any(is_private(n) for n in imp.names):
                found.append(imp)
    return found


def breaks_a_rule(module: str, target: str) -> bool:
    """Output modules see only the published view; ``publish/`` does not read the workbook; ``util/`` serves
    every stage and depends on none; the model is what the checker makes, so it depends on no stage either."""
    if any(within(module, out) for out in OUTPUT_MODULES):
        return any(within(target, raw) for raw in RAW_LAYERS)
    if within(module, "publish"):
        return within(target, "workbook")
    if within(module, "util"):
        return any(within(target, stage) for stage in PIPELINE)
    if module == "model":
        return any(within(target, stage) for stage in STAGES)
    return False


def layer_violations() -> list[Import]:
    """Imports that cross the pipeline's one-way rules."""
    return [imp for module, path, tree in modules() for imp in imports(module, path, tree)
            if breaks_a_rule(module, imp.target)]


def test_no_module_uses_another_modules_underscore_names() -> None:
    found = private_uses()
    assert not found, "Underscore names are private to their module; make them public or move them:\n" + \
        "\n".join(f"  {imp}" for imp in found)


def test_output_modules_see_only_the_published_view() -> None:
    unexpected = [imp for imp in layer_violations() if not allowed(imp)]
    assert not unexpected, "Imports that break the pipeline's rules (docs/developer-guide.md):\n" + \
        "\n".join(f"  {imp}" for imp in unexpected)


def allowed(imp: Import) -> bool:
    return (imp.module, imp.target) in ALLOWED


def test_the_allow_list_only_holds_real_violations() -> None:
    """An entry that no longer matches a violation must go, so the list can only shrink."""
    seen = {(imp.module, imp.target) for imp in layer_violations()}
    stale = [key for key in ALLOWED if key not in seen]
    assert not stale, f"No longer violations, remove them from ALLOWED: {stale}"


@pytest.mark.parametrize(("source", "module", "expected"), [
    ("from directory_builder.check.validate import _Checker\n", "lifecycle.diff",
     "lifecycle.diff imports check.validate (_Checker) (line 1)"),
    ("from directory_builder.check import validate\nvalidate._months_before(1, 2)\n", "lifecycle.report",
     "lifecycle.report imports check.validate (_months_before) (line 2)"),
    ("from ..i18n import _babel_locale\n", "lifecycle.report", "lifecycle.report imports i18n (_babel_locale) (line 1)"),
])
def test_a_private_use_is_found_and_named(source: str, module: str, expected: str) -> None:
    path = SRC / (module.replace(".", "/") + ".py")
    found = [imp for imp in imports(module, path, ast.parse(source)) if any(is_private(n) for n in imp.names)]
    assert [str(imp) for imp in found] == [expected]


def test_an_output_module_importing_the_model_is_named() -> None:
    module = "render.html"
    found = list(imports(module, SRC / "render/html.py", ast.parse("from directory_builder.model import Service\n")))
    assert [str(imp) for imp in found if any(within(imp.target, raw) for raw in RAW_LAYERS)] == \
        ["render.html imports model (Service) (line 1)"]
