"""The validated directory: pydantic v2 models for settings, districts and services.

Everything here has been parsed and checked by ``validate.py``; internal fields are still present
(staff need them for reports and the practitioner edition). Only ``selection.py`` decides what is published.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from directory_builder.columns import SERVICES_COLUMNS, Column, ColumnType
from directory_builder.util.phoneformat import phone_formats


class Phone(BaseModel):
    """A checked number. The printed forms are worked out when first shown, not when the workbook is checked.

    Formatting is a third of the time of checking a national workbook, and ``validate`` never shows them.
    """

    model_config = ConfigDict(frozen=True)

    raw: str
    dial: str  # E.164 or the short code
    region: str = "ZZ"  # the Directory's country, which 'raw' was read for
    short_code: bool = False
    extension: str | None = None  # "12" of "ext. 12": never part of 'dial'

    @property
    def international(self) -> str:
        """'+62 21 5555 0101' (with its extension, if any)."""
        return self.dial if self.short_code else _formats(self.raw, self.region)[0]

    @property
    def local(self) -> str:
        """'(021) 5555 0101', as dialled inside the country."""
        return self.dial if self.short_code else _formats(self.raw, self.region)[1]


@functools.lru_cache(maxsize=65536)
def _formats(raw: str, region: str) -> tuple[str, str]:
    return phone_formats(raw, region)


class NamedNumber(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    phone: Phone
    #: The name in other languages, as staff typed it ("National hotlines (en)", a "+i_en" column).
    names: dict[str, str] = Field(default_factory=dict)


class Text(BaseModel):
    """A translatable value: one text per language code."""

    model_config = ConfigDict(frozen=True)

    values: dict[str, str] = Field(default_factory=dict)

    def get(self, lang: str, default_lang: str) -> str | None:
        return self.values.get(lang) or self.values.get(default_lang) or next(iter(self.values.values()), None)

    def __bool__(self) -> bool:
        return bool(self.values)


class Settings(BaseModel):
    title: Text
    #: Shown instead of the title with --neutral-title (neutral.py); empty: the catalog's "Useful services".
    neutral_title: Text = Field(default_factory=Text)
    country: str
    languages: list[str]
    edition: Text
    published: dt.date
    publisher: Text
    corrections_contact: str | None = None
    national_hotlines: list[NamedNumber] = Field(default_factory=list)
    review_after_months: int = 12
    #: Where the web page's quick-exit button goes, per language; empty: a weather search in that language.
    quick_exit: Text = Field(default_factory=Text)
    #: The neutral name of the numbers in the contacts file, per language; empty: the catalog's "Help line".
    contact_name: Text = Field(default_factory=Text)
    #: The contacts file names each number in full (opt-in: a phone may be checked by a trafficker).
    contact_full_names: bool = False

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def edition_name(self) -> str:
        """The edition in the main language (staff messages, diff, exports)."""
        return self.edition.get(self.default_language, self.default_language) or ""

    @property
    def publisher_name(self) -> str:
        """The publisher in the main language."""
        return self.publisher.get(self.default_language, self.default_language) or ""


class District(BaseModel):
    name: str
    province: str
    code: str | None = None
    emergency: list[NamedNumber] = Field(default_factory=list)
    row: int = 0
    slug: str = ""


class _DeclaredService(BaseModel):
    """The Services columns the code names, typed for readers and mypy; ``Service`` adds the rest.

    Each declared column field must have the type the table gives it (checked below at import), and any
    other field is refused (``extra="forbid"``): a column cannot be read and then silently dropped.
    """

    model_config = ConfigDict(extra="forbid")

    id: str
    id_generated: bool = False
    row: int = 0
    organization: str
    organization_type: str
    service_name: Text
    categories: list[str]
    trafficking_specific: bool | None = None
    district: str  # the district's name as on the Districts sheet, or "" for all districts
    all_districts: bool = False
    description: Text
    beneficiaries: list[str] = Field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None
    how_to_get_help: Text = Field(default_factory=Text)
    referral_needed: bool | None = None
    documents: Text = Field(default_factory=Text)
    cost: str
    cost_details: Text = Field(default_factory=Text)
    phone: list[Phone] = Field(default_factory=list)
    hotline: list[Phone] = Field(default_factory=list)
    sms: list[Phone] = Field(default_factory=list)
    email: str | None = None
    website: str | None = None
    hours: Text = Field(default_factory=Text)
    open_24h: bool | None = None
    languages_spoken: list[str] = Field(default_factory=list)  # ISO codes, or names we could not map
    accessibility: Text = Field(default_factory=Text)
    address: str | None = None
    confidential: bool
    latitude: float | None = None
    longitude: float | None = None
    status: str
    publish: str
    focal_point: str | None = None
    focal_point_phone: list[Phone] = Field(default_factory=list)
    last_verified: dt.date
    verified_by: str | None = None
    notes: str | None = None


#: Service fields that are not columns: facts the checker works out about a row.
ROW_FIELDS = ("id_generated", "row", "all_districts")
#: Optional columns the checker always fills: a blank ID gets a generated one.
FILLED_BY_CHECKER = ("id",)

_VALUE_TYPES: dict[ColumnType, Any] = {
    "text": str, "longtext": str, "int": int, "float": float, "bool": bool, "date": dt.date, "choice": str,
    "multichoice": list[str], "phones": list[Phone], "named_phones": list[NamedNumber], "email": str, "url": str,
    "district": str, "languages": list[str],
}


def column_field(column: Column) -> tuple[Any, Any]:
    """The (type, default) of the Service field that holds a column's parsed value."""
    if column.translatable:
        return (Text, ... if column.required else Field(default_factory=Text))
    value_type = _VALUE_TYPES[column.type]
    if column.required or column.key in FILLED_BY_CHECKER:
        return (value_type, ...)
    if getattr(value_type, "__origin__", None) is list:
        return (value_type, Field(default_factory=list))
    return (value_type | None, None)


def table_mismatches(model: type[BaseModel], columns: tuple[Column, ...] = SERVICES_COLUMNS) -> list[str]:
    """What differs between the model's fields and the column table (empty when they agree)."""
    keys = {c.key for c in columns}
    problems = [f"{name}: a field that is no column" for name in model.model_fields
                if name not in keys and name not in ROW_FIELDS]
    for column in columns:
        field = model.model_fields.get(column.key)
        if field is None:
            problems.append(f"{column.key}: a column with no field")
        elif field.annotation != column_field(column)[0] or field.is_required() != (column.required or column.key in FILLED_BY_CHECKER):
            problems.append(f"{column.key}: the field is {field.annotation}, the table says {column_field(column)[0]}")
    return problems


def _service_model(columns: tuple[Column, ...] = SERVICES_COLUMNS) -> type[_DeclaredService]:
    """``Service``: the declared fields plus one per column the code does not name, built from the table."""
    declared = _DeclaredService.model_fields
    fields: Any = {c.key: column_field(c) for c in columns if c.key not in declared}
    model = create_model("Service", __base__=_DeclaredService, __module__=__name__, **fields)
    problems = table_mismatches(model, columns)
    if problems:
        raise TypeError("model.Service does not match columns.SERVICES_COLUMNS: " + "; ".join(problems))
    return model


if TYPE_CHECKING:
    Service = _DeclaredService
else:
    Service = _service_model()


class Directory(BaseModel):
    settings: Settings
    districts: list[District]
    services: list[Service]

    def district(self, name: str) -> District | None:
        for d in self.districts:
            if d.name == name:
                return d
        return None
