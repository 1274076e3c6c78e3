"""The waiting list in the JSON API: join, confirm with the SMS code, see, leave; and an
offered time behind its link's token: see it, book it, let it pass."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from booking.domain.errors import InvalidInput
from booking.domain.policy import Policy
from booking.domain.waitlist import Windows
from booking.services.point_setup import Catalog
from booking.services.waitlist import joining, offers
from booking.services.waitlist.joining import MAX_WEEKS, JoinRequest
from booking.web.api import TokenPath, appointment_out
from booking.web.bounds import Id
from booking.web.context import Clock
from booking.web.schemas import AppointmentOut, LanguageCode, VerifyIn
from booking.worker import InProcess


class JoinIn(msgspec.Struct, forbid_unknown_fields=True):
    topic: Id
    language: LanguageCode
    phone: Annotated[str, msgspec.Meta(min_length=3, max_length=32)]
    #: The times that suit, e.g. "mo-fr 18:00-24:00; sa" (weekdays mo..su, local time).
    windows: Annotated[str, msgspec.Meta(min_length=2, max_length=200)]
    #: One point, or any point of a region: give exactly one.
    point: Id | None = None
    region: Id | None = None
    weeks: Annotated[int, msgspec.Meta(ge=1, le=MAX_WEEKS)] = MAX_WEEKS
    #: How the person wants our texts, the code and the offers included.
    text_channel: Literal["sms", "whatsapp"] = "sms"


class EntryOut(msgspec.Struct):
    status: str
    windows: str
    expires_at: datetime
    #: Only in the answer to joining: the entry's token is never stored.
    token: str | None = None


class OfferOut(msgspec.Struct):
    #: live, booked, passed or withdrawn.
    status: str
    until: datetime
    appointment: AppointmentOut


def _windows(text: str) -> Windows:
    try:
        return Windows.parse(text)
    except ValueError:
        raise InvalidInput("windows") from None


async def _offer_out(catalog: Catalog, policy: Policy, token: str) -> OfferOut:
    view, status, until = await offers.offer_view(catalog, token)
    return OfferOut(status, until.astimezone(view.point.tz), appointment_out(view, policy))


class WaitlistController(Controller):
    path = "/api/waitlist"
    tags = ["waiting list"]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Join the waiting list; an SMS code confirms the number",
        description="POST the code to /api/waitlist/{token}/verify; from then on the worker"
        " texts a link when a time that suits comes free (see /api/offers/{token}).",
    )
    async def join(
        self,
        data: JSONBody[JoinIn],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> EntryOut:
        request = JoinRequest(
            phone=data.phone,
            language=data.language,
            topic_id=data.topic,
            windows=_windows(data.windows),
            weeks=data.weeks,
            point_id=data.point,
            region_id=data.region,
            text_channel=data.text_channel,
        )
        joined = await joining.join(catalog, policy, request, now=clock())
        worker.wake()
        return await self._out(joined.token, reveal=True)

    @post("/{token:str}/verify", status_code=HTTP_200_OK, summary="Confirm with the SMS code")
    async def verify(
        self,
        token: TokenPath,
        data: JSONBody[VerifyIn],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> EntryOut:
        await joining.verify(policy, token, data.code, now=clock())
        return await self._out(token)

    @get("/{token:str}", summary="The entry: waiting, booked, left or expired")
    async def show(self, token: TokenPath) -> EntryOut:
        return await self._out(token)

    @delete("/{token:str}", status_code=HTTP_204_NO_CONTENT, summary="Leave the waiting list")
    async def leave(self, token: TokenPath, clock: NamedDependency[Clock]) -> None:
        await joining.leave(token, now=clock())

    async def _out(self, token: str, *, reveal: bool = False) -> EntryOut:
        row = await joining.entry(token)
        return EntryOut(
            status=row["status"],
            windows=row["windows"],
            expires_at=row["expires_at"],
            token=token if reveal else None,
        )


class OfferController(Controller):
    path = "/api/offers"
    tags = ["waiting list"]

    @get("/{token:str}", summary="A time offered from the waiting list (the text's link)")
    async def show(
        self,
        token: TokenPath,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
    ) -> OfferOut:
        return await _offer_out(catalog, policy, token)

    @post("/{token:str}/book", status_code=HTTP_200_OK, summary="Book the offered time")
    async def book(
        self,
        token: TokenPath,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> OfferOut:
        await offers.book(catalog, policy, token, now=clock())
        worker.wake()
        return await _offer_out(catalog, policy, token)

    @post("/{token:str}/pass", status_code=HTTP_200_OK, summary="Let the offered time pass")
    async def let_pass(
        self,
        token: TokenPath,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> OfferOut:
        await offers.let_pass(token, now=clock())
        return await _offer_out(catalog, policy, token)
