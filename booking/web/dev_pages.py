"""Development-only page: the texts the embedded SMS backend "sent" (LOKET_DEV_PAGES=on)."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Template

from booking.db.tables import Message
from booking.domain.phone import masked
from booking.web.templating import page


class DevPages(Controller):
    path = "/dev"
    include_in_schema = False

    @get("/messages")
    async def messages(self, request: Request) -> Template:
        rows = (
            await Message.select(
                Message.created_at,
                Message.kind,
                Message.status,
                Message.body,
                Message.contact.phone.as_alias("phone"),
            )
            .order_by(Message.id, ascending=False)
            .limit(50)
        )
        shown = [{**r, "to": masked(r["phone"]) if r["phone"] else "-"} for r in rows]
        return page(request, "dev_messages.html", messages=shown)
