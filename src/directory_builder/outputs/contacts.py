"""The contacts file: ``<lang>/<slug>.vcf``, the emergency numbers and hotlines as vCard 3.0 contacts."""

from __future__ import annotations

from directory_builder.i18n import N_
from directory_builder.outputs.base import DistrictOutput
from directory_builder.publish.view import DistrictView, IndexLink
from directory_builder.render.options import RenderOptions


class Contacts(DistrictOutput):
    name = "contacts"
    format = "contacts"
    suffix = ".vcf"
    link = IndexLink(N_("Numbers for the phone's contacts (vCard)"), "phone", "text/vcard", position=80)
    opt_in = True

    def render_bytes(self, view: DistrictView, options: RenderOptions) -> bytes:
        from directory_builder.render.vcard import render_vcard

        return render_vcard(view)
