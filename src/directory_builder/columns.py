"""The one table of the template's columns and settings.

The template writer, the reader, the validator, the exports and the column reference in docs/ are all
derived from these tables: adding a column means adding one ``Column`` here (and its translations).
Keys are snake_case Python names; HXL tags are the machine-key row (row 2) of the workbook.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from directory_builder.i18n import N_, gettext_
from directory_builder.vocab import (
    BENEFICIARIES,
    CATEGORIES,
    COST,
    ORG_TYPES,
    PUBLISH,
    STATUS,
    YES_NO,
    Vocabulary,
)

ColumnType = Literal[
    "text",  # one line of free text
    "longtext",  # sentences
    "int",
    "float",
    "bool",  # yes/no
    "date",
    "choice",  # one code from a vocabulary
    "multichoice",  # codes from a vocabulary separated by ';'
    "phones",  # one or more phone numbers separated by ; , / a new line or "or" (parse.split_phone_text)
    "named_phones",  # 'Name: number; Name: number'
    "email",
    "url",
    "district",  # a name from the Districts sheet, or 'All districts'
    "languages",  # ISO 639 codes or language names separated by ';'
]

#: How an output shows a column's value (``publish/present.py`` turns each shown column into a line):
DisplayKind = Literal[
    "paragraph",  # sentences typed in the workbook; line breaks kept
    "line",  # one line: text, a number or a date
    "labels",  # vocabulary codes shown as their translated labels, separated by commas
    "phones",  # numbers to call: a call button on the web page
    "messages",  # numbers for SMS and WhatsApp: a button for each on the web page
    "email",  # a mailto: link
    "link",  # a web address: a link, and a QR code in the booklet
    "place",  # the street address, or the call-first sentence when the address is confidential
    "badge",  # a yes/no shown as the output label's sentence when yes, nothing otherwise
    "person",  # a name, with the phone of the column named in ``with_column``
    "hidden",  # no line of its own: the entry's heading, part of another line, or exports only
]

#: Where a line goes in an entry; the booklet and the card show the sections in this order, the web page
#: puts "contact" (its call buttons) right after the summary.
Section = Literal["notice", "summary", "about", "contact", "place", "staff"]
SECTIONS: tuple[Section, ...] = ("notice", "summary", "about", "contact", "place", "staff")

#: The display kind a column has when its entry does not name one.
DEFAULT_DISPLAY: dict[str, DisplayKind] = {
    "longtext": "paragraph", "text": "line", "int": "line", "float": "line", "date": "line", "bool": "badge",
    "choice": "labels", "multichoice": "labels", "phones": "phones", "named_phones": "hidden", "email": "email",
    "url": "link", "district": "hidden", "languages": "line",
}

#: Who may see a column's values. "public": every edition; "practitioners": the practitioner edition only;
#: "never": no output at all (kept in the workbook for staff).
Visibility = Literal["public", "practitioners", "never"]


@dataclass(frozen=True)
class Column:
    key: str
    hxl: str
    label: str  # English msgid of the row-1 label, without '*' and without the language suffix
    type: ColumnType
    help: str  # English msgid: the input help shown on the header
    required: bool = False
    vocabulary: Vocabulary | None = None
    visibility: Visibility = "public"
    translatable: bool = False
    width: int = 18  # template column width in characters
    example: str = ""  # shown in docs; not written to the template
    # Output meaning: how the booklet, the web page and the card show the value (``publish/present.py``).
    display: DisplayKind | None = None  # None: from the type (DEFAULT_DISPLAY)
    shown_as: str | None = None  # English msgid of the label on outputs; None: ``label``
    icon: str | None = None  # icon name (templates/icons) shown before the line
    section: Section = "about"
    order: int = 100  # place within the section; equal orders keep the table's order
    with_column: str | None = None  # "person": the column holding the person's phone
    json_key: str | None = None  # the key in the JSON export; None: ``key``
    hsds: str | None = None  # the field of HSDS's service table that holds the value as it is, if one does

    @property
    def internal(self) -> bool:
        return self.visibility != "public"

    def published_in(self, edition: str) -> bool:
        """Whether an edition ("public" or "practitioners") may show this column's values."""
        return self.visibility == "public" or (self.visibility == "practitioners" and edition == "practitioners")

    @property
    def kind(self) -> DisplayKind:
        """How outputs show the value: the entry's ``display``, or the default for its type."""
        return self.display or DEFAULT_DISPLAY[self.type]

    @property
    def json_name(self) -> str:
        return self.json_key or self.key

    @property
    def output_label(self) -> str:
        """The English msgid printed before the value on outputs (the template's label unless it says)."""
        return self.shown_as or self.label

    def hxl_for(self, lang: str | None) -> str:
        return f"{self.hxl}+i_{lang}" if self.translatable and lang else self.hxl


SERVICES_COLUMNS: tuple[Column, ...] = (
    Column("id", "#meta+id", N_("ID"), "text",
           N_("A stable code for this entry, kept from one edition to the next. Leave it blank for a new entry: "
              "directory-builder makes one."), width=12, example="JKT-001",
           display="hidden"),
    Column("organization", "#org+name", N_("Organization"), "text",
           N_("The full name of the organization that gives the service."), required=True, width=28,
           example="Yayasan Harapan Baru",
           display="hidden"),
    Column("organization_type", "#org+type", N_("Organization type"), "choice",
           N_("Choose from the list: government, NGO, international, community, religious or private."),
           required=True, vocabulary=ORG_TYPES, width=20, example="ngo",
           display="hidden"),
    Column("service_name", "#service+name", N_("Service name"), "text",
           N_("A short name in plain words, for example 'Safe house for women'."), required=True,
           translatable=True, width=28, example="Safe house for women and girls",
           display="hidden", json_key="name", hsds="name"),
    Column("categories", "#sector+code", N_("Categories"), "multichoice",
           N_("One or more categories from the list, separated by ';'. The first one is the main category."),
           required=True, vocabulary=CATEGORIES, width=22, example="shelter; case_management",
           display="hidden"),
    Column("trafficking_specific", "#service+trafficking", N_("Trafficking-specific"), "bool",
           N_("Yes if the service is made for trafficking victims."), vocabulary=YES_NO, width=12, example="yes",
           shown_as=N_("Specialised in helping trafficking victims"), icon="check", section="notice", order=20),
    Column("district", "#adm2+name", N_("District"), "district",
           N_("A district from the Districts sheet, or 'All districts' for a service that appears in every "
              "directory."), required=True, width=20, example="Jakarta Pusat",
           display="hidden"),
    Column("description", "#description", N_("Description"), "longtext",
           N_("Two or three short sentences: what they do for victims. Use simple words."), required=True,
           translatable=True, width=48, example="We give women a safe place to stay for up to three months.",
           shown_as=N_("What they do"), section="summary", hsds="description"),
    Column("beneficiaries", "#beneficiary+type", N_("Who can use it"), "multichoice",
           N_("Who the service is for, from the list, separated by ';'. Leave blank if everyone."),
           vocabulary=BENEFICIARIES, width=22, example="women; girls",
           icon="people", order=20),
    Column("min_age", "#beneficiary+age+min", N_("Minimum age"), "int",
           N_("Youngest age accepted, in years (a whole number). Leave blank if there is no limit."), width=10,
           example="12",
           display="hidden", hsds="minimum_age"),
    Column("max_age", "#beneficiary+age+max", N_("Maximum age"), "int",
           N_("Oldest age accepted, in years (a whole number). Leave blank if there is no limit."), width=10,
           display="hidden", hsds="maximum_age"),
    Column("how_to_get_help", "#service+access", N_("How to get help"), "longtext",
           N_("The steps, for example 'Call first. A social worker meets you.'"), translatable=True, width=36,
           example="Call first. A social worker meets you.",
           icon="info", order=40),
    Column("referral_needed", "#service+referral", N_("Referral needed"), "bool",
           N_("Yes if people need a letter from another service before they come."), vocabulary=YES_NO,
           width=12, example="no",
           display="hidden"),
    Column("documents", "#service+documents", N_("Documents to bring"), "text",
           N_("Papers to bring, if any. Say if they can come without papers."), translatable=True, width=28,
           icon="document", order=50),
    Column("cost", "#service+cost", N_("Cost"), "choice", N_("Choose from the list: free, low cost or paid."),
           required=True, vocabulary=COST, width=12, example="free",
           icon="cost", order=30),
    Column("cost_details", "#service+cost+details", N_("Cost details"), "text",
           N_("What costs money, and how much, in plain words."), translatable=True, width=24,
           display="hidden", hsds="fees_description"),
    Column("phone", "#contact+phone", N_("Phone"), "phones",
           N_("One or more phone numbers, separated by ';'. Type them as text so the first 0 is kept."),
           width=22, example="021 3190 0110; 0812 3456 7890",
           icon="phone", section="contact", order=10, json_key="phones"),
    Column("hotline", "#contact+phone+hotline", N_("Hotline 24 hours"), "phones",
           N_("Numbers answered day and night, separated by ';'. Short codes like 129 are fine."), width=18,
           example="129",
           shown_as=N_("Hotline, 24 hours"), icon="hotline", section="contact", order=20,
           json_key="hotlines"),
    Column("sms", "#contact+phone+sms", N_("WhatsApp / SMS"), "phones",
           N_("Numbers for WhatsApp or text messages, separated by ';'."), width=18,
           display="messages", icon="sms", section="contact", order=30),
    Column("email", "#contact+email", N_("Email"), "email", N_("An email address that is read every week."),
           width=26, example="help@example.org",
           icon="email", section="contact", order=40, hsds="email"),
    Column("website", "#contact+url", N_("Website"), "url",
           N_("The web address, starting with https:// or www."), width=26, example="www.example.org",
           icon="website", section="contact", order=50, hsds="url"),
    Column("hours", "#service+hours", N_("Opening hours"), "text",
           N_("For example 'Mon-Fri 08:00-16:00'."), translatable=True, width=22,
           example="Mon-Fri 08:00-16:00",
           icon="clock", order=60),
    Column("open_24h", "#service+hours+24h", N_("Open 24 hours"), "bool",
           N_("Yes if someone is there day and night."), vocabulary=YES_NO, width=10,
           display="hidden"),
    Column("languages_spoken", "#service+languages", N_("Languages spoken"), "languages",
           N_("Languages the staff speak, as codes (id, en) or names, separated by ';'."), width=18,
           example="id; en",
           icon="language", order=70),
    Column("accessibility", "#service+accessibility", N_("Accessibility"), "text",
           N_("For example wheelchair access, sign language."), translatable=True, width=22,
           icon="accessibility", order=80),
    Column("address", "#loc+address", N_("Address"), "text",
           N_("Street address. Leave blank for a phone-only service. If the place must stay secret, still "
              "mark 'Address is confidential' as yes."), width=32,
           display="place", icon="location", section="place"),
    Column("confidential", "#loc+confidential", N_("Address is confidential"), "bool",
           N_("Yes for a shelter or any place whose address must stay secret. Then the address is never "
              "printed."), required=True, vocabulary=YES_NO, width=14, example="no",
           display="hidden"),
    Column("latitude", "#geo+lat", N_("Latitude"), "float",
           N_("Decimal degrees, for example -6.1754. Optional."), width=12,
           display="hidden"),
    Column("longitude", "#geo+lon", N_("Longitude"), "float",
           N_("Decimal degrees, for example 106.8272. Optional."), width=12,
           display="hidden"),
    Column("status", "#status", N_("Status"), "choice",
           N_("Active, temporarily closed or closed. Closed entries are not printed."), required=True,
           vocabulary=STATUS, width=16, example="active",
           display="hidden", section="notice", order=10),
    Column("publish", "#meta+publish", N_("Publish"), "choice",
           N_("Public: in every directory. Practitioners: only in the edition for staff. No: never printed."),
           required=True, vocabulary=PUBLISH, width=16, example="public",
           display="hidden"),
    Column("focal_point", "#contact+name+internal", N_("Focal point (internal)"), "text",
           N_("The person to call to check this entry. Never printed in the public directory."),
           visibility="practitioners", width=22,
           display="person", shown_as=N_("Focal point"), icon="people", section="staff",
           with_column="focal_point_phone"),
    Column("focal_point_phone", "#contact+phone+internal", N_("Focal point phone (internal)"), "phones",
           N_("The focal point's phone. Never printed in the public directory."), visibility="practitioners",
           width=20,
           display="hidden"),
    Column("last_verified", "#date+verified", N_("Last verified"), "date",
           N_("The date you last checked this entry with the provider, as 2026-03-31 or 31/03/2026."),
           required=True, width=14, example="2026-03-31",
           display="hidden", hsds="assured_date"),
    Column("verified_by", "#meta+verifier+internal", N_("Verified by (internal)"), "text",
           N_("Who checked it. Never printed."), visibility="never", width=18,
           display="hidden"),
    Column("notes", "#meta+notes+internal", N_("Notes (internal)"), "longtext",
           N_("Notes for your team. Never printed anywhere."), visibility="never", width=32,
           display="hidden"),
)

DISTRICTS_COLUMNS: tuple[Column, ...] = (
    Column("district", "#adm2+name", N_("District"), "text",
           N_("The district name as it should be printed. Each district gets its own directory."),
           required=True, width=28, example="Jakarta Pusat"),
    Column("province", "#adm1+name", N_("Province"), "text", N_("The province of the district."),
           required=True, width=24, example="DKI Jakarta"),
    Column("district_code", "#adm2+code", N_("District code"), "text",
           N_("The official code or P-code, if you use one."), width=14, example="ID3171"),
    Column("emergency", "#contact+phone+emergency", N_("Local emergency numbers"), "named_phones",
           N_("Local numbers as 'Name: number', separated by ';'. For example 'Police: 110; Ambulance: 118'."),
           translatable=True, width=40, example="Police: 110; Ambulance: 118"),
)


@dataclass(frozen=True)
class Setting:
    key: str
    label: str  # English msgid shown in column A of the Directory sheet
    type: ColumnType
    help: str
    required: bool = False
    translatable: bool = False
    default: str = ""
    example: str = ""


SETTINGS: tuple[Setting, ...] = (
    Setting("title", N_("Title"), "text",
            N_("The title printed on the cover. One row per language: 'Title (en)', 'Title (id)'..."),
            required=True, translatable=True, example=N_("Directory of Services for Trafficking Victims")),
    Setting("country", N_("Country"), "text",
            N_("Two-letter country code (ID for Indonesia, MY, VN, TH...). Phone numbers are read for this "
               "country."), required=True, example="ID"),
    Setting("languages", N_("Languages"), "text",
            N_("Language codes separated by commas; the first is the main language. For example 'id, en'."),
            required=True, example="id, en"),
    Setting("edition", N_("Edition"), "text", N_("For example 'Second edition'."), required=True,
            translatable=True, example=N_("First edition")),
    Setting("published", N_("Published"), "date", N_("The publication date, as 2026-03-31 or 31/03/2026."),
            required=True, example="2026-03-31"),
    Setting("publisher", N_("Publisher"), "text", N_("The organization that publishes the directory."),
            required=True, translatable=True, example=N_("Anti-Trafficking Task Force")),
    Setting("corrections_contact", N_("Corrections contact"), "text",
            N_("A phone number or email where people can report wrong information."),
            example="corrections@example.org"),
    Setting("national_hotlines", N_("National hotlines"), "named_phones",
            N_("'Name: number' pairs separated by ';', printed on every cover and page."),
            translatable=True, example=N_("Police: 110; Child helpline: 129")),
    Setting("review_after_months", N_("Review after (months)"), "int",
            N_("Entries checked longer ago than this are flagged as stale. Default 12."), default="12",
            example="12"),
    Setting("neutral_title", N_("Neutral title"), "text",
            N_("The title used instead with 'build --neutral-title', for people who must not be seen reading about "
               "trafficking. Leave blank for 'Useful services'. One row per language."),
            translatable=True, example=N_("Useful services")),
    Setting("quick_exit", N_("Quick exit page"), "url",
            N_("The web address the 'Quick exit' button of the web pages opens: an ordinary page nobody would "
               "question. Leave blank for a weather search in the page's language. One row per language."),
            translatable=True, example="https://www.google.com/search?q=weather"),
    Setting("contact_name", N_("Contact name"), "text",
            N_("The name each number gets in the contacts file for phones, numbered: 'Help line 1', 'Help line "
               "2'... Someone who checks the phone sees only this name. Leave blank for 'Help line'. One row per "
               "language."),
            translatable=True, example=N_("Help line")),
    Setting("contact_full_names", N_("Full names in contacts"), "bool",
            N_("'yes': the contacts file names each number (Police, a shelter's name...). Only when the phones it "
               "is sent to are safe. Default 'no': the neutral contact name."),
            example="no"),
)

ALL_DISTRICTS = N_("All districts")

# Sheet names: English msgids; a template in another language uses the translated name.
SHEET_INSTRUCTIONS = N_("Instructions")
SHEET_DIRECTORY = N_("Directory")
SHEET_DISTRICTS = N_("Districts")
SHEET_SERVICES = N_("Services")
SHEET_LISTS = N_("Lists")
SETTING_HEADER = N_("Setting")
VALUE_HEADER = N_("Value")
HELP_HEADER = N_("Help")
DIRECTORY_HXL = ("#meta+setting", "#meta+value")

SHEET_COLUMNS: dict[str, tuple[Column, ...]] = {
    SHEET_SERVICES: SERVICES_COLUMNS,
    SHEET_DISTRICTS: DISTRICTS_COLUMNS,
}

_HXL_RE = re.compile(r"^\s*#([a-z0-9_]+)((?:\s*\+\s*[a-z0-9_]+)*)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class HxlTag:
    hashtag: str
    attributes: frozenset[str]
    lang: str | None

    @classmethod
    def parse(cls, text: str) -> HxlTag | None:
        """'#service +name +i_en' -> hashtag 'service', attributes {'name'}, lang 'en'. Order-free."""
        match = _HXL_RE.match(text or "")
        if not match:
            return None
        attrs = {a.strip().lower() for a in match.group(2).split("+") if a.strip()}
        langs = sorted(a[2:] for a in attrs if a.startswith("i_") and len(a) > 2)
        attrs = {a for a in attrs if not a.startswith("i_")}
        return cls(match.group(1).lower(), frozenset(attrs), langs[0] if langs else None)

    @property
    def key(self) -> tuple[str, frozenset[str]]:
        return (self.hashtag, self.attributes)


@dataclass(frozen=True)
class HeaderCell:
    """One column of a table sheet as written in the template: row-1 label and row-2 HXL tag.

    Here, not in the template writer, because the HXL export writes the same two rows without openpyxl.
    """

    column: Column
    lang: str | None  # the language of a translatable column
    label: str
    hxl: str
    marked_required: bool


def table_headers(columns: Sequence[Column], languages: Sequence[str], lang: str) -> list[HeaderCell]:
    """Row 1 and row 2 of a table sheet: translatable columns once per language, '*' on required ones.

    Only the default (first) language's copy of a required translatable column is marked '*': the other
    languages fall back to it, so they are optional.
    """
    cells: list[HeaderCell] = []
    for col in columns:
        base = gettext_(col.label, lang)
        if col.translatable:
            for i, code in enumerate(languages):
                required = col.required and i == 0
                label = f"{base} ({code})" + (" *" if required else "")
                cells.append(HeaderCell(col, code, label, col.hxl_for(code), required))
        else:
            label = base + (" *" if col.required else "")
            cells.append(HeaderCell(col, None, label, col.hxl, col.required))
    return cells


def column_by_key(columns: tuple[Column, ...], key: str) -> Column:
    for col in columns:
        if col.key == key:
            return col
    raise KeyError(key)


def hxl_index(columns: tuple[Column, ...]) -> dict[tuple[str, frozenset[str]], Column]:
    index: dict[tuple[str, frozenset[str]], Column] = {}
    for col in columns:
        tag = HxlTag.parse(col.hxl)
        assert tag is not None, col.hxl
        index[tag.key] = col
    return index


CONTACT_KEYS = ("phone", "hotline", "sms", "email", "website")
PLACE_CATEGORIES = ("shelter", "medical", "mental_health", "legal", "police", "documents", "case_management")
