"""The consultant's desk: the day's agenda, arrivals, walk-ins, booking for a caller,
and call-back requests. Every view of a migrant's data is written to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.middleware import DefineMiddleware
from litestar.params import Body
from litestar.response import Redirect, Response, Template

from booking.db.tables import Appointment, CallbackRequest
from booking.domain.errors import (
    N_,
    AppointmentNotFound,
    LoketError,
    NoSuchPoint,
    NotFound,
    UnknownPoint,
)
from booking.domain.languages import SERVICE_LANGUAGES
from booking.domain.opening_hours import local_day_bounds, zone
from booking.domain.policy import Policy
from booking.domain.week_layout import week_label
from booking.i18n import current_language, gettext, language_name, names_in
from booking.services import agenda, changes, today, views
from booking.services.audit import trail
from booking.services.calendars import sources as busy_sources
from booking.services.handovers import views as handover_views
from booking.services.handovers.views import HandoverView
from booking.services.point_setup import Catalog, PointInfo, current_revision
from booking.services.queue import entries as queue_entries
from booking.web.bounds import MAX_ID, PathId, supported
from booking.web.context import Clock
from booking.web.staff.auth import (
    StaffAuthentication,
    account,
    require_region,
)
from booking.web.staff.handovers.places import PLACES as HANDOVER_PLACES
from booking.web.templating import page, redirect_see_other

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
WALK_IN_STARTED = N_("The walk-in has started.")
BOOKED = N_("Booked; the caller gets a text message.")


def labels() -> dict[str, dict[str, str]]:
    """Names of statuses, channels and roles in the staff member's language."""
    return {
        "statuses": {
            "held": gettext("Waiting for the code"),
            "confirmed": gettext("Booked"),
            "cancelled": gettext("Cancelled"),
            "arrived": gettext("Arrived"),
            "no_show": gettext("Did not come"),
            "done": gettext("Done"),
        },
        "channels": {
            "online": gettext("Online"),
            "phone": gettext("By phone"),
            "walk_in": gettext("Walk-in"),
            "handover": gettext("Handover"),
        },
        "roles": {
            "consultant": gettext("Consultant"),
            "interpreter": gettext("Interpreter"),
            "agency": gettext("Agency"),
        },
    }


def staff_page(request: Request, template: str, **context: Any) -> Template:
    return page(
        request,
        template,
        **{"me": request.scope.get("user"), "notice": None, "error": None, **context},
    )


async def visible_points(catalog: Catalog, request: Request) -> list[PointInfo]:
    me = account(request)
    infos = await catalog.point_infos(await current_revision())
    return sorted(
        (p for p in infos.values() if p.active and me.may_see_region(p.region_id)),
        key=lambda p: p.name,
    )


async def point_of(
    catalog: Catalog, request: Request, point_id: int, missing: LoketError | None = None
) -> PointInfo:
    """The point, if the account's region has it; else ``missing`` (by default the error of
    an unknown point), whether it does not exist or belongs to another region."""
    missing = missing or UnknownPoint("point")
    point = (await catalog.point_infos(await current_revision())).get(point_id)
    if point is None:
        raise missing
    require_region(account(request), point.region_id, missing)
    return point


async def desk_point(catalog: Catalog, request: Request, point_id: int) -> PointInfo:
    """The point a desk page (``/staff/points/<id>/...``) or a queue call names: another
    region's is a 404 exactly like a point that does not exist."""
    return await point_of(catalog, request, point_id, NoSuchPoint("point"))


@dataclass(frozen=True, slots=True)
class WalkInForm:
    """What the desk's walk-in forms send, to start now or to take a number in the queue."""

    topic_id: int
    language: str
    phone: str | None
    first_name: str | None

    @classmethod
    def read(cls, data: dict[str, str]) -> WalkInForm:
        return cls(
            topic_id=number(data.get("topic")),
            language=data.get("language", ""),
            phone=data.get("phone", "").strip()[:32] or None,
            first_name=data.get("first_name", "")[:200] or None,
        )


async def topic_names(catalog: Catalog) -> dict[int, str]:
    topics = await catalog.topics(await current_revision())
    ordered = sorted(topics.values(), key=lambda t: (t.position, t.id))
    return {t.id: names_in(t.name, current_language.get()) for t in ordered}


async def declined_handovers(
    points: list[PointInfo], now: datetime, policy: Policy
) -> list[HandoverView]:
    """Handovers ahead that an invitee declined: the consultant should choose another time."""
    return await handover_views.handovers(
        [p.id for p in points], starting=now, before=now + policy.rules.horizon, declined_only=True
    )


def service_languages() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in SERVICE_LANGUAGES]


def safe_next(target: str | None) -> str:
    """Only back into the back office, never to another site."""
    path = urlsplit(target or "").path
    return path if path.startswith("/staff/") and "//" not in path else "/staff/"


class StaffDesk(Controller):
    path = "/staff"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]

    @get("/")
    async def home(
        self,
        request: Request,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        points = await visible_points(catalog, request)
        me = account(request)
        tz = points[0].tz if points else zone("Europe/Amsterdam")
        day = clock().astimezone(tz).date()
        counts = await today.counts([p.id for p in points], local_day_bounds(day, day, tz), clock())
        return staff_page(
            request,
            "staff/home.html",
            points=points,
            today=day,
            counts=counts,
            total=sum(counts.values(), today.Counts()),
            declined=len(await declined_handovers(points, clock(), policy)),
            unread_calendars=await busy_sources.failing(None if me.is_admin else me.region_id)
            if me.is_coordinator
            else [],
            tz=tz,
        )

    async def _agenda(
        self,
        request: Request,
        catalog: Catalog,
        clock: Clock,
        *,
        point: PointInfo | None,
        point_ids: list[int],
        staff_id: int | None,
        heading: str,
        timezone: str,
    ) -> Template:
        me = account(request)
        asked = request.query_params.get("day")
        try:
            day = supported(date.fromisoformat(asked), "day") if asked else clock().date()
        except ValueError:
            day = clock().date()
        items = await agenda.day(day=day, timezone=timezone, point_ids=point_ids, staff_id=staff_id)
        today = day == clock().date()
        subject = f"agenda:{point.id if point else 'staff-' + str(staff_id)}:{day}"
        await trail.record(me.id, trail.VIEWED_AGENDA, subject, clock())
        text = labels()
        return staff_page(
            request,
            "staff/agenda.html",
            heading=heading,
            point=point,
            day=day,
            previous=day - timedelta(days=1),
            next=day + timedelta(days=1),
            items=items,
            tz=point.tz if point else zone(timezone),
            topics=await topic_names(catalog),
            languages=service_languages(),
            statuses=text["statuses"],
            channels=text["channels"],
            actions=_actions(),
            point_names={p.id: p.name for p in await visible_points(catalog, request)},
            places={k: gettext(v) for k, v in HANDOVER_PLACES.items()},
            back=request.url.path + (f"?day={day}" if asked else ""),
            week=week_label(day),
            print="print" in request.query_params,
            queue=await queue_entries.waiting(point, clock()) if today and point else None,
        )

    @get("/points/{point_id:int}/agenda")
    async def point_agenda(
        self,
        request: Request,
        point_id: PathId,
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> Template:
        point = await desk_point(catalog, request, point_id)
        return await self._agenda(
            request,
            catalog,
            clock,
            point=point,
            point_ids=[point.id],
            staff_id=None,
            heading=point.name,
            timezone=point.timezone,
        )

    @get("/agenda")
    async def my_agenda(
        self, request: Request, catalog: NamedDependency[Catalog], clock: NamedDependency[Clock]
    ) -> Template | Redirect:
        me = account(request)
        if me.staff_id is None:
            return Redirect("/staff/")
        points = await visible_points(catalog, request)
        return await self._agenda(
            request,
            catalog,
            clock,
            point=None,
            point_ids=[p.id for p in points],
            staff_id=me.staff_id,
            heading=me.name,
            timezone=points[0].timezone if points else "Europe/Amsterdam",
        )

    @get("/appointments/{appointment_id:int}")
    async def appointment(
        self,
        request: Request,
        appointment_id: PathId,
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> Template:
        me = account(request)
        view = await views.get(catalog, appointment_id)
        require_region(me, view.point.region_id, AppointmentNotFound("token"))
        contact = await (
            Appointment.select(
                Appointment.contact.phone.as_alias("phone"),
                Appointment.contact.first_name.as_alias("first_name"),
            )
            .where(Appointment.id == appointment_id)
            .first()
        )
        await trail.record(
            me.id, trail.VIEWED_APPOINTMENT, f"appointment:{appointment_id}", clock()
        )
        text = labels()
        return staff_page(
            request,
            "staff/appointment.html",
            appointment=view,
            tz=view.point.tz,
            day=view.starts_at.astimezone(view.point.tz).date(),
            phone=contact["phone"],
            first_name=contact["first_name"],
            statuses=text["statuses"],
            channels=text["channels"],
            roles=text["roles"],
            actions=_actions(),
            week=week_label(view.starts_at.astimezone(view.point.tz).date()),
        )

    @post("/appointments/{appointment_id:int}/status")
    async def status(
        self,
        request: Request,
        appointment_id: PathId,
        data: Form,
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> Response:
        me = account(request)
        view = await views.get(catalog, appointment_id)
        require_region(me, view.point.region_id, AppointmentNotFound("token"))
        await changes.set_status(appointment_id, data.get("status", ""), now=clock())
        await trail.record(
            me.id,
            trail.CHANGED_STATUS,
            f"appointment:{appointment_id}:{data.get('status', '')}"[:80],
            clock(),
        )
        back = safe_next(data.get("back"))
        return redirect_see_other(f"{back}#appointment-{appointment_id}")

    @get("/callbacks")
    async def callbacks(
        self, request: Request, catalog: NamedDependency[Catalog], clock: NamedDependency[Clock]
    ) -> Template:
        me = account(request)
        points = await visible_points(catalog, request)
        waiting = await agenda.open_callbacks([p.id for p in points if p.kind == "phone"])
        await trail.record(
            me.id, trail.VIEWED_CALLBACKS, f"callbacks:{me.region_id or 'all'}", clock()
        )
        return staff_page(
            request,
            "staff/callbacks.html",
            callbacks=waiting,
            points={p.id: p.name for p in points},
            tz=points[0].tz if points else zone("Europe/Amsterdam"),
        )

    @post("/callbacks/{callback_id:int}/done")
    async def callback_done(
        self,
        request: Request,
        callback_id: PathId,
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> Response:
        me = account(request)
        waiting = (
            await CallbackRequest.select(CallbackRequest.point)
            .where(CallbackRequest.id == callback_id)
            .first()
        )
        missing = NotFound("callback")
        if waiting is None:
            raise missing
        await point_of(catalog, request, waiting["point"], missing)
        await agenda.close_callback(callback_id, me.id, clock())
        return redirect_see_other("/staff/callbacks")


def _actions() -> dict[str, list[tuple[str, str]]]:
    text = labels()["statuses"]
    return {
        "confirmed": [("arrived", text["arrived"]), ("no_show", text["no_show"])],
        "no_show": [("arrived", text["arrived"])],
        "arrived": [("done", text["done"])],
    }


def number(raw: str | None) -> int:
    """An id typed or posted in a form; 0 (no such id) when it is none or out of range."""
    try:
        value = int(raw or 0)
    except ValueError:
        return 0
    return value if 1 <= value <= MAX_ID else 0
