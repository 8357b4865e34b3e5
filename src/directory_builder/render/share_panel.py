"""What the web page shows of the phone files built beside it: the message, and a link to the contacts.

The page shows the message in full (a ``<pre>`` block anyone can read and select, no JavaScript needed;
a small script adds a copy button) and links the contacts file, but only when the build makes those
files (``RenderOptions.share``): a page never links a file that is not there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from directory_builder.publish.view import DistrictView
from directory_builder.render.options import RenderOptions

#: The ``--format`` values of the phone files the web page shows or links.
SHARED_ON_PAGE = ("message", "contacts")


@dataclass(frozen=True)
class SharePanel:
    message: str | None  # the text of ``<slug>.message.txt``
    contacts_href: str | None  # "<slug>.vcf", relative to the page
    contact_name: str | None  # the neutral name the contacts get, None when the workbook chose full names

    @property
    def message_markup(self) -> Markup:
        """The message, escaped, each phone number in a span that never breaks across lines (seen at 320 px:
        '+62 812-5550-' / '0170'); the block's text, which the copy button copies, is unchanged."""
        text, parts, pos = self.message or "", [], 0
        for m in _NUMBER_RUN.finditer(text):  # on the plain text: an escaped "&#39;" holds digits too
            parts += [str(escape(text[pos:m.start()])), f'<span class="tel-run">{escape(m.group())}</span>']
            pos = m.end()
        return Markup("".join([*parts, str(escape(text[pos:]))]))


#: A phone number as the message writes it: '+62 812-5550-0170', '(022) 5550105', '110'.
_NUMBER_RUN = re.compile(r"\+?\(?\d[\d \-()]*\d")


def share_panel(view: DistrictView, options: RenderOptions) -> SharePanel | None:
    """The page's share section, or None when the build makes neither file."""
    if not any(f in options.share for f in SHARED_ON_PAGE):
        return None
    from directory_builder.render.message import district_message
    from directory_builder.render.vcard import contact_name

    contacts = "contacts" in options.share
    return SharePanel(
        message=district_message(view) if "message" in options.share else None,
        contacts_href=f"{view.district_slug}.vcf" if contacts else None,
        contact_name=contact_name(view) if contacts and not view.contact_full_names else None,
    )
