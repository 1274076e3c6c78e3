"""Development-only pages: what the embedded SMS and e-mail backends "sent" (LOKET_DEV_PAGES=on).

E-mails are shown as their raw source (the outbox keeps the whole message) and their calendar
file, so an invite can be checked, or imported into a calendar client, without an SMTP server.
A text is shown as it went out when this process's embedded backend kept it, else with its
link and (while it waits) its code put in. Production refuses to start with these pages on
(booking.settings.refuse_unsafe_production).
"""

from __future__ import annotations

from email import message_from_string, policy

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.response import Template

from booking.db.tables import Message
from booking.domain.phone import masked
from booking.domain.policy import Policy
from booking.notify import placeholders
from booking.notify.mail import headers
from booking.notify.sms import kept_text
from booking.settings import Settings
from booking.web.bounds import PathId
from booking.web.templating import page

PLAIN = "text/plain; charset=utf-8"


class DevPages(Controller):
    path = "/dev"
    include_in_schema = False

    @get("/messages")
    async def messages(
        self, request: Request, settings: NamedDependency[Settings], policy: NamedDependency[Policy]
    ) -> Template:
        rows = (
            await Message.select(
                Message.id,
                Message.channel,
                Message.created_at,
                Message.kind,
                Message.status,
                Message.email,
                Message.body,
                Message.seed,
                Message.provider_id,
                Message.appointment.manage_salt.as_alias("salt"),
                Message.contact.phone.as_alias("phone"),
            )
            .order_by(Message.id, ascending=False)
            .limit(50)
        )
        texts, emails = [], []
        for r in rows:
            if r["channel"] == Message.EMAIL:
                subject = headers(r["body"])["Subject"] if r["body"] else None
                emails.append({**r, "to": r["email"] or "-", "subject": subject or "-"})
            else:
                texts.append(
                    {
                        **r,
                        "body": _as_sent(r, policy),
                        "to": masked(r["phone"]) if r["phone"] else "-",
                    }
                )
        return page(request, "dev_messages.html", messages=texts, emails=emails)

    @get("/messages/{message_id:int}/message.eml")
    async def source(self, message_id: PathId) -> Response[str]:
        """The message exactly as stored and sent, as text so the browser shows it."""
        return Response(await _email_body(message_id), media_type=PLAIN)

    @get("/messages/{message_id:int}/invite.ics")
    async def calendar(self, message_id: PathId) -> Response[str]:
        """The iMIP part, decoded: what a calendar client acts on."""
        parsed = message_from_string(await _email_body(message_id), policy=policy.default)
        for part in parsed.walk():
            if part.get_content_type() == "text/calendar":
                return Response(part.get_content(), media_type=PLAIN)
        raise NotFoundException("this e-mail carries no calendar")


def _as_sent(row: dict, policy: Policy) -> str:
    """The text as the embedded backend sent it, or as it will be sent: development only."""
    link = placeholders.manage_link(policy, row["salt"])
    return (
        kept_text(row["provider_id"])
        or placeholders.fill(policy, row["body"], link=link, seed=row["seed"])
        or row["body"]
    )


async def _email_body(message_id: int) -> str:
    row = (
        await Message.select(Message.body)
        .where((Message.id == message_id) & (Message.channel == Message.EMAIL))
        .first()
    )
    if row is None:
        raise NotFoundException("no such e-mail")
    return row["body"]
