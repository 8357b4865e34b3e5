"""Keep the checked directory small in memory: one copy of what every service repeats.

pydantic gives every model instance its own ``__pydantic_fields_set__`` (the names of the fields it was
given): for a Service that is a set of about 30 names, 2.2 KB, and each of its seven texts and each phone
number has one more. With 100,000 services those sets alone took 430 MB, more
than the whole text of the workbook. Validation gives every field of a service its value (a checked
value or the documented default), so each service, text and phone number here shares one set per model
naming every field; an empty text is the same for every service, so all share one.

Nothing visible changes: equality, ``repr`` and every output are the same (pydantic compares and prints
field values, not these sets), and setting a field later adds a name the shared set already holds.
Only ``model_fields_set``, which the tool never reads, now names every field.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from directory_builder.model import Phone, Service, Text

#: Texts up to this long are kept once (codes, district names, yes/no...); longer ones rarely repeat.
SHARED_TEXT_CHARS = 48
#: The Service fields that hold a Text.
TEXT_FIELDS = tuple(name for name, info in Service.model_fields.items() if info.annotation is Text)
#: The Service fields that hold a list of phone numbers.
PHONE_FIELDS = tuple(name for name, info in Service.model_fields.items() if info.annotation == list[Phone])


_set_fields = BaseModel.__dict__["__pydantic_fields_set__"].__set__  # the slot's setter, without the lookup


class Compactor:
    """Shares one field-name set per model, and one empty text, among the services it is given."""

    def __init__(self) -> None:
        self._sets: dict[type, set[str]] = {}
        self._strings: dict[str, str] = {}
        self._empty_text = Text()
        self._share_set(self._empty_text)

    def _share_set(self, model: Any) -> None:
        cls = type(model)
        shared = self._sets.get(cls)
        if shared is None:
            shared = self._sets[cls] = set(cls.model_fields)
        _set_fields(model, shared)

    def _str(self, value: Any) -> Any:
        if type(value) is str and len(value) <= SHARED_TEXT_CHARS:
            return self._strings.setdefault(value, value)
        return value

    def service(self, service: Service, *, unpickled: bool = False) -> Service:
        """``service`` itself, its sets shared (changed in place; nothing a caller sees differs).

        ``unpickled``: the service was read back from a pickle (the row cache, a forked checker), so its
        codes, names and language keys are copies of their own, shared here too. (A service just made
        shares them already: the reader keeps each short text once, and codes are the vocabulary's.)
        """
        self._share_set(service)
        values = service.__dict__
        if unpickled:
            for name, value in values.items():
                if type(value) is str:
                    values[name] = self._str(value)
                elif type(value) is list and value and type(value[0]) is str:
                    value[:] = [self._str(v) for v in value]
        for name in TEXT_FIELDS:
            text = values[name]
            if not text.values:
                values[name] = self._empty_text
            else:
                self._share_set(text)
                if unpickled:
                    shared = {self._str(k): v for k, v in text.values.items()}
                    text.values.clear()
                    text.values.update(shared)
        for name in PHONE_FIELDS:
            for phone in values.get(name) or ():
                if isinstance(phone, Phone):
                    self._share_set(phone)
        return service
