"""Which approved template carries a text on WhatsApp, and the values of its variables.

Meta approves each template per language and Twilio names it by a Content SID;
TWILIO_WHATSAPP_TEMPLATES maps a text's name and language to that SID. The variables are
numbered in the order of VARIABLES (README's template table lists them), so a template is
written to match: "Loket reminder: {{1}}. Reply 1 = I come, 2 = cancel. {{2}}", where {{1}} is the time
and the place ("Tue 1 Dec, 18:30, Kennedylaan 21, Veghel").
"""

from __future__ import annotations

import json

from booking.notify import texts

#: A text's words -> the name its template is configured under.
NAMES = {
    texts.CODE: "code",
    texts.CONFIRMATION: "confirmation",
    texts.HANDOVER: "handover",
    texts.HANDOVER_INTERPRETED: "handover_interpreted",
    texts.REMINDER: "reminder",
    texts.CHANGE: "change",
    texts.CANCELLATION: "cancellation",
    texts.OFFER: "offer",
    texts.QUEUE_NEXT: "queue_next",
}
#: Each template's variables {{1}}, {{2}}... in order; the names are those of
#: booking/settings/sections.py WHATSAPP_TEMPLATES (tests/notify/test_whatsapp.py checks).
VARIABLES = {
    "code": ("code", "minutes"),
    "confirmation": ("at", "link"),
    "handover": ("agency", "at", "link"),
    "handover_interpreted": ("agency", "at", "link"),
    "reminder": ("at", "link"),
    "change": ("at", "link"),
    "cancellation": ("when", "link"),
    "offer": ("at", "minutes", "link"),
    "queue_next": ("number",),
}


def stored(
    template: str, language: str, about: texts.About | None = None, **params: object
) -> tuple[str | None, str | None]:
    """The template's name and its variables as JSON, kept with the queued text; the link
    and the code stay placeholders there too (booking/notify/placeholders.py)."""
    name = NAMES.get(template)
    if name is None:
        return None, None
    found = texts.values(language, about, **params)
    numbered = {str(i): str(found[key]) for i, key in enumerate(VARIABLES[name], 1)}
    return name, json.dumps(numbered, ensure_ascii=False)
