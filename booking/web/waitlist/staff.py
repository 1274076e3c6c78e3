"""Staff's view of the waiting list: who waits per point and topic, longest first (login
needed; a consultant sees their region). Numbers are masked; the view is audited."""

from __future__ import annotations

from itertools import groupby

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.response import Template

from booking.domain.opening_hours import zone
from booking.i18n import current_language, language_name, names_in
from booking.services.audit import trail
from booking.services.point_setup import Catalog, current_revision
from booking.services.waitlist import listing
from booking.web.context import Clock
from booking.web.staff.auth import StaffAuthentication, account
from booking.web.staff.desk import staff_page, visible_points


class StaffWaitlist(Controller):
    path = "/staff/waitlist"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]

    @get("/")
    async def waiting(
        self, request: Request, catalog: NamedDependency[Catalog], clock: NamedDependency[Clock]
    ) -> Template:
        me, now = account(request), clock()
        points = await visible_points(catalog, request)
        regions = {p.region_id for p in points}
        people = await listing.line([p.id for p in points], regions, now)
        await trail.record(me.id, trail.VIEWED_WAITLIST, f"waitlist:{me.region_id or 'all'}", now)
        topics = await catalog.topics(await current_revision())
        names = {p.id: p.name for p in points}
        language = current_language.get()

        def place(w: listing.Waiting) -> str:
            return names.get(w.point_id, "") if w.point_id else w.region or ""

        def key(w: listing.Waiting) -> tuple[str, str]:
            topic = topics.get(w.topic_id)
            return place(w), names_in(topic.name, language) if topic else f"#{w.topic_id}"

        groups = [
            (where, topic, list(found))
            for (where, topic), found in groupby(sorted(people, key=key), key=key)
        ]
        return staff_page(
            request,
            "staff/waitlist.html",
            groups=groups,
            language_name=language_name,
            tz=points[0].tz if points else zone("Europe/Amsterdam"),
        )
