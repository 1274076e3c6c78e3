"""Twilio's calls to Loket: delivery statuses and replies, each checked by its signature;
SMS at /webhooks/twilio/..., WhatsApp at /webhooks/twilio/whatsapp/... with the same reply
handler, and TwiML answers that Twilio sends back on the channel the reply came by.

Twilio signs the exact public URL it called; behind a proxy Loket rebuilds it from
PUBLIC_BASE_URL (PITFALLS.md). Without a Twilio auth token nothing can be checked, so
every call is refused.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, MediaType, Request, Response, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.openapi import ResponseSpec
from litestar.params import Body
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT, HTTP_403_FORBIDDEN
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from booking.domain.errors import InvalidInput
from booking.domain.phone import mobile_e164
from booking.domain.policy import Policy
from booking.notify import outbox
from booking.notify.whatsapp import delivery, inbound
from booking.services import replies
from booking.services.point_setup import Catalog
from booking.settings import Settings
from booking.web.context import Clock

TwilioForm = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def signed_by_twilio(request: Request, form: dict[str, str], settings: Settings) -> bool:
    if not settings.twilio_auth_token:
        return False
    url = settings.public_base_url + request.url.path
    if request.url.query:
        url += f"?{request.url.query}"
    signature = request.headers.get("x-twilio-signature", "")
    return RequestValidator(settings.twilio_auth_token).validate(url, form, signature)


#: What the schema says besides the input errors every route documents (booking/web/openapi.py).
ANSWERS = {
    HTTP_204_NO_CONTENT: ResponseSpec(
        None, generate_examples=False, description="Recorded (or not ours); no body."
    ),
    HTTP_403_FORBIDDEN: ResponseSpec(
        None, generate_examples=False, description="The signature is not Twilio's; no body."
    ),
}


def refused() -> Response:
    return Response(content=b"", status_code=HTTP_403_FORBIDDEN)


class TwilioWebhooks(Controller):
    path = "/webhooks/twilio"
    tags = ["webhooks"]

    @post(
        "/status",
        status_code=HTTP_200_OK,
        summary="Twilio delivery status callback",
        responses=ANSWERS,
    )
    async def status(
        self, request: Request, data: TwilioForm, settings: NamedDependency[Settings]
    ) -> Response:
        if not signed_by_twilio(request, data, settings):
            return refused()
        sid, status = data.get("MessageSid", ""), data.get("MessageStatus", "")
        if sid and status:
            await outbox.record_delivery(sid, status, data.get("ErrorCode"))
        return Response(content=b"", status_code=HTTP_204_NO_CONTENT)

    @post(
        "/inbound",
        status_code=HTTP_200_OK,
        media_type=MediaType.XML,
        summary="Twilio incoming SMS: STOP, START, HELP, 1 or 2 (TwiML answers)",
        responses={HTTP_403_FORBIDDEN: ANSWERS[HTTP_403_FORBIDDEN]},
    )
    async def inbound(
        self,
        request: Request,
        data: TwilioForm,
        settings: NamedDependency[Settings],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Response:
        if not signed_by_twilio(request, data, settings):
            return refused()
        return await answered(data, catalog, policy, clock(), phone=sender(data, ""))

    @post(
        "/whatsapp/status",
        status_code=HTTP_200_OK,
        summary="Twilio WhatsApp delivery status callback (a permanent failure: sent by SMS)",
        responses=ANSWERS,
    )
    async def whatsapp_status(
        self,
        request: Request,
        data: TwilioForm,
        settings: NamedDependency[Settings],
        clock: NamedDependency[Clock],
    ) -> Response:
        if not signed_by_twilio(request, data, settings):
            return refused()
        sid, status = data.get("MessageSid", ""), data.get("MessageStatus", "")
        if sid and status:
            await delivery.record(sid, status, data.get("ErrorCode"), clock())
        return Response(content=b"", status_code=HTTP_204_NO_CONTENT)

    @post(
        "/whatsapp/inbound",
        status_code=HTTP_200_OK,
        media_type=MediaType.XML,
        summary="Twilio incoming WhatsApp: as SMS, and it opens the 24-hour window",
        responses={HTTP_403_FORBIDDEN: ANSWERS[HTTP_403_FORBIDDEN]},
    )
    async def whatsapp_inbound(
        self,
        request: Request,
        data: TwilioForm,
        settings: NamedDependency[Settings],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Response:
        if not signed_by_twilio(request, data, settings):
            return refused()
        now, phone = clock(), sender(data, "whatsapp:")
        if phone:
            await inbound.seen(phone, now)
        return await answered(data, catalog, policy, now, phone=phone)


def sender(data: dict[str, str], prefix: str) -> str | None:
    """The E.164 number a message came from (``From``, after ``prefix``), if it is one."""
    raw = data.get("From", "")
    if not raw.startswith(prefix):
        return None
    try:
        return mobile_e164(raw.removeprefix(prefix))
    except InvalidInput:
        return None


async def answered(
    data: dict[str, str], catalog: Catalog, policy: Policy, now: datetime, *, phone: str | None
) -> Response:
    """The reply handler's answer to ``Body`` as TwiML: Twilio sends it on the same channel."""
    twiml = MessagingResponse()
    if phone:
        text = await replies.answer(catalog, policy, phone, data.get("Body", "")[:500], now)
        if text:
            twiml.message(text)
    return Response(content=str(twiml), media_type="application/xml")
