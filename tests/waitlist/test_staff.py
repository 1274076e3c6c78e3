"""Staff see the waiting list per point and topic (login needed, numbers masked, audited),
and the report counts who waited, was offered, booked and expired, small counts hidden."""

from datetime import timedelta

from booking.db.tables import AuditEntry, Region
from booking.services import changes
from booking.services.auth.accounts import create_account
from booking.services.point_setup import Catalog
from booking.services.reports import Period, build
from booking.services.waitlist import offers
from tests.conftest import NOW
from tests.staff_login import PASSWORD, log_in
from tests.waitlist.world import evening_point, fill, offers_sent, on_the_list, policy


async def test_staff_see_the_line_per_point_and_topic(client, db):
    point, topic = await evening_point()
    await fill(point, topic, NOW)
    await on_the_list(point, topic, "+48601000001", "pl", NOW)
    await on_the_list(point, topic, "+40721000002", "ro", NOW + timedelta(minutes=1))
    assert (await client.get("/staff/waitlist/")).status_code in (302, 303, 401)
    [region] = await Region.select(Region.id)
    await create_account(
        email="ola@example.nl",
        name="Ola",
        password=PASSWORD,
        role="consultant",
        region_id=region["id"],
    )
    await log_in(client, "ola@example.nl")
    page = await client.get("/staff/waitlist/")
    assert page.status_code == 200
    assert "Point veghel · Housing" in page.text or "Point veghel · Wonen" in page.text
    assert page.text.index("Polski") < page.text.index("Română")
    assert "+48 *** *** 001" in page.text and "+48601000001" not in page.text
    assert "mo-fr 18:00-24:00" in page.text
    assert await AuditEntry.count().where(AuditEntry.action == "viewed_waitlist") == 1


async def test_the_report_counts_the_list_and_hides_small_counts(db):
    point, topic = await evening_point()
    booked = await fill(point, topic, NOW)
    for n in range(7):
        await on_the_list(point, topic, f"+4860100{n:04d}", "pl", NOW + timedelta(seconds=n))
    now = NOW + timedelta(minutes=1)
    for appointment in booked[:6]:
        await changes.cancel(Catalog(), policy(), appointment.manage_token, now=now)
    assert await offers.offer_round(Catalog(), policy(), now=now) == 6
    for sent in (await offers_sent())[:5]:
        await offers.book(Catalog(), policy(), sent["token"], now=now)
    # Four weeks on, the last person's stay ends.
    await offers.close_ended(NOW + timedelta(weeks=4, minutes=1))
    report = await build(Catalog(), None, Period(NOW.date(), NOW.date()))
    shown = {name: cell.shown for name, cell in report.waitlist}
    assert shown == {"waiting": "0", "offered": "6", "booked": "5", "expired": "<5"}
