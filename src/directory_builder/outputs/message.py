"""The message to share: ``<lang>/<slug>.message.txt``, plain UTF-8 text to paste into a chat or an SMS."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from directory_builder.i18n import N_
from directory_builder.outputs.base import DistrictOutput
from directory_builder.publish.view import DistrictView, IndexLink
from directory_builder.render.options import RenderOptions


class Message(DistrictOutput):
    name = "message"
    format = "message"
    suffix = ".message.txt"
    link = IndexLink(N_("Message to share (text)"), "sms", "text/plain", position=70)
    opt_in = True

    def manifest_facts(self, data: bytes) -> Mapping[str, Any]:
        """Its length in characters and how it travels as SMS: the segments a sender pays for."""
        from directory_builder.render.message import sms_size

        text = data.decode("utf-8")
        size = sms_size(text)
        return {"characters": len(text), "sms": {"encoding": size.encoding, "segments": size.segments}}

    def render_bytes(self, view: DistrictView, options: RenderOptions) -> bytes:
        from directory_builder.render.message import district_message

        return district_message(view).encode("utf-8")
