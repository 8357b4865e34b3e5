"""The controlled vocabularies behind every drop-down: codes are stable, labels come from the catalogs.

The codes are the contract (spec/workbook.md); the tool's own lists, not the workbook's ``Lists`` sheet,
decide what is valid. Labels are marked with ``N_`` and translated when shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory_builder.i18n import N_, SHIPPED_LANGUAGES, gettext_


@dataclass(frozen=True)
class Term:
    code: str
    label: str  # English msgid; translate with gettext_
    explanation: str = ""  # one plain line, shown where the term opens a section


@dataclass(frozen=True)
class Vocabulary:
    name: str
    terms: tuple[Term, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def term(self, code: str) -> Term:
        for t in self.terms:
            if t.code == code:
                return t
        raise KeyError(code)

    def label(self, code: str, lang: str | None = None) -> str:
        return gettext_(self.term(code).label, lang)


CATEGORIES = Vocabulary(
    "categories",
    (
        Term("hotline", N_("Hotlines"), N_("Phone lines you can call for help. Many are free.")),
        Term("shelter", N_("Safe place to stay"), N_("A safe place to sleep and live for a while.")),
        Term("medical", N_("Health care"), N_("Doctors, nurses and clinics that can treat you.")),
        Term("mental_health", N_("Counselling"), N_("People you can talk to about your feelings and worries.")),
        Term("legal", N_("Legal help"), N_("Lawyers and legal advisers who explain your rights and help you in court.")),
        Term("police", N_("Police"), N_("Police units that protect you and investigate trafficking.")),
        Term("documents", N_("Identity documents"), N_("Help to get or replace your ID card, passport or other papers.")),
        Term("return_home", N_("Going home"), N_("Help to travel home safely to your family or country.")),
        Term("family", N_("Family support"), N_("Help to find, contact and support your family.")),
        Term("education", N_("School and education"), N_("Help to go back to school or continue learning.")),
        Term("work_training", N_("Work and training"), N_("Job training, help to find safe work, or start a small business.")),
        Term("material_aid", N_("Food, clothes and money"), N_("Food, clothes, transport or small amounts of money.")),
        Term("child_protection", N_("Child protection"), N_("Services that protect and care for children under 18.")),
        Term("interpretation", N_("Interpreters"), N_("People who translate so you can speak in your own language.")),
        Term("case_management", N_("Case workers"), N_("A social worker who helps you plan and get all the help you need.")),
        Term("compensation", N_("Compensation"), N_("Help to claim money for the harm done to you.")),
    ),
)

ORG_TYPES = Vocabulary(
    "organization_types",
    (
        Term("government", N_("Government")),
        Term("ngo", N_("Non-governmental organization (NGO)")),
        Term("international", N_("International organization")),
        Term("community", N_("Community group")),
        Term("religious", N_("Religious organization")),
        Term("private", N_("Private provider")),
    ),
)

BENEFICIARIES = Vocabulary(
    "beneficiaries",
    (
        Term("women", N_("Women")),
        Term("men", N_("Men")),
        Term("girls", N_("Girls")),
        Term("boys", N_("Boys")),
        Term("children", N_("Children")),
        Term("adults", N_("Adults")),
        Term("families", N_("Families")),
        Term("migrant_workers", N_("Migrant workers")),
        Term("foreign_nationals", N_("Foreign nationals")),
        Term("persons_with_disabilities", N_("Persons with disabilities")),
        Term("lgbtqi", N_("LGBTQI people")),
        Term("everyone", N_("Everyone")),
    ),
)

COST = Vocabulary(
    "cost",
    (
        Term("free", N_("Free")),
        Term("low_cost", N_("Low cost")),
        Term("paid", N_("Paid")),
    ),
)

STATUS = Vocabulary(
    "status",
    (
        Term("active", N_("Active")),
        Term("temporarily_closed", N_("Temporarily closed")),
        Term("closed", N_("Closed")),
    ),
)

PUBLISH = Vocabulary(
    "publish",
    (
        Term("public", N_("Public")),
        Term("practitioners", N_("Practitioners only")),
        Term("no", N_("Do not publish")),
    ),
)

YES_NO = Vocabulary("yes_no", (Term("yes", N_("Yes")), Term("no", N_("No"))))

EDITIONS = ("public", "practitioners")

VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v for v in (CATEGORIES, ORG_TYPES, BENEFICIARIES, COST, STATUS, PUBLISH, YES_NO)
}

#: Words accepted for yes/no beyond the labels, in every shipped language (lower case).
_EXTRA_YES = {"y", "true", "1", "ya", "iya", "có", "co", "ใช่", "x", "✓"}
_EXTRA_NO = {"n", "false", "0", "tidak", "tak", "không", "khong", "ไม่", "ไม่ใช่", "-"}


def normalise_key(text: str) -> str:
    """Lower-case, collapse spaces, drop a trailing '*': how people's typing is compared to labels."""
    return " ".join(text.replace("_", " ").replace("*", " ").split()).casefold()


def _build_lookup(vocab: Vocabulary) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for term in vocab.terms:
        lookup[normalise_key(term.code)] = term.code
        for lang in SHIPPED_LANGUAGES:
            lookup.setdefault(normalise_key(gettext_(term.label, lang)), term.code)
    return lookup


_LOOKUPS: dict[str, dict[str, str]] = {}


def lookup(vocab: Vocabulary, text: str) -> str | None:
    """The code for ``text`` typed as a code or as a label in any shipped language, else None."""
    table = _LOOKUPS.get(vocab.name)
    if table is None:
        table = _LOOKUPS[vocab.name] = _build_lookup(vocab)
    return table.get(normalise_key(text))


def parse_yes_no(text: str) -> bool | None:
    key = normalise_key(text)
    code = lookup(YES_NO, key)
    if code is not None:
        return code == "yes"
    if key in _EXTRA_YES:
        return True
    if key in _EXTRA_NO:
        return False
    return None
