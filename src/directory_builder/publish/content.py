"""The front matter: plain-language pages (what trafficking is, your rights, FAQ) read from editable YAML.

The text lives in ``templates/content/<lang>/frontmatter.yaml`` so an NGO can reword it, or add a
language, without touching Python: they copy one file into a ``--template-dir`` folder and edit it.
Because those files come from outside, loading is defensive: ``yaml.safe_load`` only, a size cap,
no YAML aliases, a strict schema, and every failure is a ``ValueError`` naming the file and the problem.

The text is plain text, never markup: renderers escape it like any workbook value.
The returned models are frozen (tuples, not lists) because one cached instance is shared by every build job.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from directory_builder.i18n import DEFAULT_LANGUAGE
from directory_builder.util.templates_path import find_template

#: Section ids the shipped files use, in order. Renderers may anchor or style sections by these ids.
SECTION_IDS: tuple[str, ...] = ("what-is-trafficking", "forms", "stories", "rights", "witness", "faq")

#: Refuse bigger files: front matter is a few KB; anything near this is a mistake or an attack.
MAX_FILE_BYTES = 1_000_000

_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SectionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class _Block(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    #: "paragraph" | "list" | "story" | "qa": what a renderer switches on.
    kind: ClassVar[str]


class Paragraph(_Block):
    """``- paragraph: "..."``"""

    kind: ClassVar[Literal["paragraph"]] = "paragraph"
    text: Text = Field(alias="paragraph")


class BulletList(_Block):
    """``- list: ["...", "..."]``"""

    kind: ClassVar[Literal["list"]] = "list"
    items: tuple[Text, ...] = Field(alias="list", min_length=1)


class Story(_Block):
    """``- story: {title: "...", text: "..."}``, flattened so renderers read ``block.title``."""

    kind: ClassVar[Literal["story"]] = "story"
    title: Text
    text: Text

    @model_validator(mode="before")
    @classmethod
    def _unwrap(cls, data: Any) -> Any:
        return _unwrap_one(data, "story")


class QA(_Block):
    """``- qa: {q: "...", a: "..."}``, flattened to ``block.question`` and ``block.answer``."""

    kind: ClassVar[Literal["qa"]] = "qa"
    question: Text = Field(alias="q")
    answer: Text = Field(alias="a")

    @model_validator(mode="before")
    @classmethod
    def _unwrap(cls, data: Any) -> Any:
        return _unwrap_one(data, "qa")


def _unwrap_one(data: Any, key: str) -> Any:
    """``{key: {...}}`` -> ``{...}``; anything else is left for the schema to reject."""
    if isinstance(data, dict) and set(data) == {key}:
        return data[key]
    return data


_BLOCK_KINDS = ("paragraph", "list", "story", "qa")


def _block_kind(data: Any) -> str | None:
    """Which block a YAML mapping is: its single key. None makes pydantic report a clear error."""
    if isinstance(data, _Block):
        return data.kind
    if isinstance(data, dict) and len(data) == 1:
        (key,) = data
        if key in _BLOCK_KINDS:
            return str(key)
    return None


Block = Annotated[
    Annotated[Paragraph, Tag("paragraph")]
    | Annotated[BulletList, Tag("list")]
    | Annotated[Story, Tag("story")]
    | Annotated[QA, Tag("qa")],
    Discriminator(
        _block_kind,
        custom_error_type="block_kind",
        custom_error_message="each block must have exactly one key: paragraph, list, story or qa",
    ),
]


class Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: SectionId
    title: Text
    blocks: tuple[Block, ...] = Field(min_length=1)


class FrontMatter(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    language: Annotated[str, StringConstraints(pattern=_LANG_RE.pattern)]
    #: True while a translation has not been checked by a native speaker; renderers may flag drafts.
    needs_review: bool = False
    #: With ``needs_review``: the texts a reviewer has checked, by place (``translations import`` writes it).
    reviewed: tuple[str, ...] = ()
    how_to_use: tuple[Text, ...]
    sections: tuple[Section, ...]

    @field_validator("sections")
    @classmethod
    def _unique_section_ids(cls, sections: tuple[Section, ...]) -> tuple[Section, ...]:
        ids = [s.id for s in sections]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"section ids must be unique; repeated: {', '.join(duplicates)}")
        return sections

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)

    def section(self, section_id: str) -> Section | None:
        """The section with ``section_id``, or None when an edited file left it out."""
        return next((s for s in self.sections if s.id == section_id), None)


def load_front_matter(lang: str, template_dirs: Sequence[Path] = ()) -> FrontMatter:
    """The front matter for ``lang``: a user template folder first, then the built-in text.

    A language with no file anywhere gets the English text (its ``language`` field says "en", so a
    caller can tell). Raises ValueError, naming the file, when a file exists but is broken.
    """
    if not _LANG_RE.match(lang):
        raise ValueError(f"not a language code: {lang!r}")
    try:
        path = find_template(f"content/{lang}/frontmatter.yaml", template_dirs)
        expected = lang
    except FileNotFoundError:
        if lang == DEFAULT_LANGUAGE:
            raise
        path = find_template(f"content/{DEFAULT_LANGUAGE}/frontmatter.yaml", template_dirs)
        expected = DEFAULT_LANGUAGE
    resolved = path.resolve()
    stat = resolved.stat()
    return _load_cached(expected, str(resolved), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _load_cached(lang: str, path: str, mtime_ns: int, size: int) -> FrontMatter:
    """Parse once per (language, file, modification time); an edited file is read again."""
    del mtime_ns, size  # cache key only
    return parse_front_matter(Path(path), lang)


def parse_front_matter(path: Path, lang: str | None = None) -> FrontMatter:
    """Read and validate one front-matter file; ``lang``, if given, must match its ``language``."""
    data = _read_yaml(path)
    try:
        front = FrontMatter.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"{path}: not a valid front-matter file:\n{_describe(exc)}") from exc
    if lang is not None and front.language != lang:
        raise ValueError(
            f"{path}: says 'language: {front.language}' but is the file for {lang!r}; "
            f"set 'language: {lang}' or move the file to content/{front.language}/"
        )
    return front


def _read_yaml(path: Path) -> dict[str, Any]:
    """Bounded, safe YAML: size cap, UTF-8, no aliases (no "billion laughs"), a mapping at the top."""
    with path.open("rb") as fh:
        raw = fh.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(
            f"{path}: file is larger than {MAX_FILE_BYTES} bytes; front matter should be a few KB"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
        ) from exc
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AliasToken | yaml.AnchorToken):
                mark = token.start_mark
                raise ValueError(
                    f"{path}: line {mark.line + 1}: YAML anchors and aliases (& and *) are not allowed; "
                    "write the text out in full"
                )
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ValueError(f"{path}: not valid YAML{where}: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    except RecursionError as exc:
        raise ValueError(f"{path}: YAML is nested too deeply") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with language, how_to_use and sections at the top")
    return data


def _describe(exc: ValidationError) -> str:
    """One line per problem, with a readable location such as ``sections[2].blocks[0].title``."""
    errors = exc.errors(include_url=False)
    lines = []
    for err in errors:
        if err["type"] == "too_short" and _has_deeper(err["loc"], errors):
            continue  # "blocks is empty" only because every block in it failed: already reported
        where = ""
        previous: object = None
        for part in err["loc"]:
            if isinstance(part, int):
                where += f"[{part}]"
            elif isinstance(previous, int) and part in _BLOCK_KINDS:
                pass  # the union tag right after a block's index repeats the block's own key
            else:
                where += f".{part}" if where else str(part)
            previous = part
        lines.append(f"  {where or '(top)'}: {err['msg']}")
    return "\n".join(lines)


def _has_deeper(loc: tuple[int | str, ...], errors: Sequence[Any]) -> bool:
    return any(len(e["loc"]) > len(loc) and tuple(e["loc"][: len(loc)]) == loc for e in errors)
