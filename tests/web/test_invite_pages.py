"""The pages behind the invites' accept and decline links (issue 6): opening one changes nothing."""

import re
from datetime import UTC, datetime, timedelta
from email import message_from_string
from email import policy as mime

import pytest

from booking.db.tables import Handover, InviteAttendee, Message
from booking.domain.policy import Policy
from booking.services import changes
from booking.services.auth import accounts
from booking.services.handovers import bookings as handovers
from booking.services.handovers.plans import HandoverRequest
from booking.services.point_setup import Catalog
from booking.settings import get_settings
from tests import factories
from tests.conftest import NOW
from tests.staff_login import CSRF, PASSWORD, api_token

#: Tuesday 1 December 2026, 18:00 and Thursday 3 December, 18:00 in Veghel.
TUE_18 = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
THU_18 = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
AGENCY_MAIL = "intake@gemeente.example"
CONSULTANT_MAIL = "agnieszka@bmip.example"
NOTE = "Needs a BSN; works nights at the warehouse."
DUTCH, ENGLISH = None, "en-GB,en;q=0.9,nl;q=0.5"


POLICY = Policy.from_settings(get_settings())


async def handover_world() -> dict[str, int]:
    """A point in Veghel, the municipality taking handovers there, a consultant with a login
    and a Romanian interpreter: what every handover test here books with."""
    north = await factories.region()
    veghel = await factories.point(north)
    topic = await factories.topic("registration")
    agency = await factories.agency(north, topics=[topic])
    agnieszka = await factories.staff(
        veghel, ["pl", "nl"], name="Agnieszka", email=CONSULTANT_MAIL, region=north
    )
    ion = await factories.staff(
        veghel, ["ro"], "interpreter", name="Ion", modes=["on_site", "phone"],
        email="ion@tolk.example", region=north,
    )  # fmt: skip
    await accounts.create_account(
        email="agnieszka@example.nl", name="Agnieszka", password=PASSWORD, role="consultant",
        region_id=north, staff_id=agnieszka,
    )  # fmt: skip
    return {"region": north, "veghel": veghel, "topic": topic, "agency": agency,
            "agnieszka": agnieszka, "ion": ion}  # fmt: skip


async def book(world, start=TUE_18, **changes) -> int:
    wanted = {
        "point_id": world["veghel"], "agency_id": world["agency"], "topic_id": world["topic"],
        "place": "agency", "duration": timedelta(minutes=60),
        "consultant_id": world["agnieszka"], "interpreter_language": "ro",
        "interpreter_mode": "on_site", "note": NOTE, "phone": "+40712345678", "language": "ro",
        **changes,
    }  # fmt: skip
    return await handovers.book(Catalog(), POLICY, HandoverRequest(**wanted), start, now=NOW)


async def mails(appointment_id: int) -> list[tuple[str, str, str]]:
    """Every e-mail queued for a handover, oldest first: (to, text part, calendar part)."""
    rows = await (
        Message.select(Message.email, Message.body)
        .where((Message.appointment == appointment_id) & (Message.channel == Message.EMAIL))
        .order_by(Message.id)
    )
    found = []
    for row in rows:
        parsed = message_from_string(row["body"], policy=mime.default)
        parts = {p.get_content_type(): p for p in parsed.walk()}
        text, calendar = parts["text/plain"], parts["text/calendar"]
        assert calendar.get_param("method") in ("REQUEST", "CANCEL")
        found.append((row["email"], text.get_content(), calendar.get_content()))
    return found


async def reply_token(appointment_id: int, email: str) -> str:
    """The token of the newest invite's links to ``email``."""
    text = [t for to, t, _ in await mails(appointment_id) if to == email][-1]
    return re.search(r"/invites/([^?\s]+)\?answer=accept", text).group(1)


async def answers(appointment_id: int) -> dict[str, str]:
    rows = await InviteAttendee.select().where(InviteAttendee.appointment == appointment_id)
    return {r["email"]: r["partstat"] for r in rows if r["active"]}


async def declined_at(appointment_id: int):
    row = (
        await Handover.select(Handover.declined_at)
        .where(Handover.appointment == appointment_id)
        .first()
    )
    return row["declined_at"]


async def post_answer(client, token: str, answer: str, language: str | None = DUTCH):
    headers = {"accept-language": language} if language else {}
    page = await client.get(f"/invites/{token}", headers=headers)
    form = {"_csrf_token": CSRF.search(page.text).group(1), "answer": answer}
    return await client.post(f"/invites/{token}", data=form, headers=headers)


def button(html: str, answer: str) -> str:
    return re.search(rf'<button[^>]*value="{answer}"[^>]*>', html).group(0)


async def test_opening_a_link_shows_the_invitation_and_changes_nothing(client):
    world = await handover_world()
    appointment_id = await book(world)
    token = await reply_token(appointment_id, AGENCY_MAIL)
    before = await answers(appointment_id)

    # What a mail scanner does: fetch every link, each without cookies or a language.
    for answer in ("decline", "accept", "", "maybe"):
        client.cookies.clear()
        response = await client.get(f"/invites/{token}?answer={answer}")
        assert response.status_code == 200, response.text

    assert await answers(appointment_id) == before
    assert set(before.values()) == {InviteAttendee.NEEDS_ACTION}
    assert await declined_at(appointment_id) is None

    page = await client.get(f"/invites/{token}?answer=decline")
    html = page.text
    assert '<html lang="nl" dir="ltr">' in html
    assert "Gemeente Gemeente" in html and "Agnieszka" not in html
    assert "dinsdag, 1 december 2026, 18:00–19:00" in html  # Dutch, in Veghel's time
    assert "Wanneer" in html
    assert 'method="post"' in html and f'action="/invites/{token}"' in html
    assert "autofocus" in button(html, "decline") and "secondary" in button(html, "accept")
    assert NOTE not in html and "712345678" not in html
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    # The language picker stays on this page.
    assert f'href="/invites/{token}?lang=en&amp;answer=decline"' in html
    english = await client.get(f"/invites/{token}?lang=en")
    assert (
        '<html lang="en" dir="ltr">' in english.text and "Tuesday, 1 December 2026" in english.text
    )


async def test_accept_and_decline_are_recorded_and_a_decline_reaches_the_consultant(client):
    world = await handover_world()
    appointment_id = await book(world)
    agency_token = await reply_token(appointment_id, AGENCY_MAIL)
    consultant_token = await reply_token(appointment_id, CONSULTANT_MAIL)

    accepted = await post_answer(client, consultant_token, "accept", ENGLISH)
    assert accepted.status_code == 200, accepted.text
    assert "Thank you. You have accepted the invitation." in accepted.text
    declined = await post_answer(client, agency_token, "decline")
    assert declined.status_code == 200, declined.text
    assert '<html lang="nl" dir="ltr">' in declined.text

    found = await answers(appointment_id)
    assert found[CONSULTANT_MAIL] == InviteAttendee.ACCEPTED
    assert found[AGENCY_MAIL] == InviteAttendee.DECLINED
    assert found["burgerzaken@gemeente.example"] == InviteAttendee.NEEDS_ACTION
    auth = await api_token(client, "agnieszka@example.nl")
    seen = (await client.get(f"/api/handovers/{appointment_id}", headers=auth)).json()
    assert seen["declined"] is True
    assert {i["email"]: i["answer"] for i in seen["invitees"]}[AGENCY_MAIL] == "DECLINED"

    # A change of mind on the thank-you page clears the flag again.
    again = await post_answer(client, agency_token, "accept")
    assert again.status_code == 200
    seen = (await client.get(f"/api/handovers/{appointment_id}", headers=auth)).json()
    assert seen["declined"] is False


async def test_a_post_without_the_form_token_or_with_a_strange_answer_changes_nothing(client):
    world = await handover_world()
    appointment_id = await book(world)
    token = await reply_token(appointment_id, AGENCY_MAIL)

    forged = await client.post(f"/invites/{token}", data={"answer": "decline"})
    assert forged.status_code == 403
    strange = await post_answer(client, token, "maybe", ENGLISH)
    assert strange.status_code == 422
    assert "Please check what you entered." in strange.text

    assert set((await answers(appointment_id)).values()) == {InviteAttendee.NEEDS_ACTION}
    assert await declined_at(appointment_id) is None


@pytest.mark.parametrize(
    ("accept", "words"),
    [
        (DUTCH, {404: "Deze link werkt niet meer.", 409: "Dit is niet gelukt",
                 "changed": "Deze uitnodiging is inmiddels gewijzigd."}),
        ("fr-FR, de;q=0.8", {404: "Deze link werkt niet meer.", 409: "Dit is niet gelukt",
                             "changed": "Deze uitnodiging is inmiddels gewijzigd."}),
        (ENGLISH, {404: "This link is not valid any more.", 409: "This did not work",
                   "changed": "This invitation has changed since it was sent."}),
    ],
)  # fmt: skip
async def test_forged_expired_changed_and_cancelled_links_get_a_page_in_the_readers_language(
    client, clock, accept, words
):
    world = await handover_world()
    headers = {"accept-language": accept} if accept else {}
    moved_id = await book(world)
    cancelled_id = await book(world, TUE_18 + timedelta(hours=1))
    token = await reply_token(moved_id, AGENCY_MAIL)
    other = await reply_token(cancelled_id, AGENCY_MAIL)
    attendee, rest = token.split(".", 1)
    forged = f"{int(attendee) + 1}.{rest}"

    for bad in (forged, "12.0.99999999999.AAAA", "nonsense", token[:-1] + "A"):
        response = await client.get(f"/invites/{bad}", headers=headers)
        assert response.status_code == 404, bad
        assert words[404] in response.text
    refused = await client.post(f"/invites/{forged}", data={"answer": "accept"}, headers=headers)
    assert refused.status_code in (403, 404)  # no form token for a page that does not exist

    await handovers.reschedule(Catalog(), POLICY, moved_id, THU_18, now=NOW)
    changed = await client.get(f"/invites/{token}", headers=headers)
    assert changed.status_code == 409
    assert words[409] in changed.text and words["changed"] in changed.text
    assert await reply_token(moved_id, AGENCY_MAIL) != token  # the update brought a new link

    await changes.cancel(Catalog(), POLICY, cancelled_id, now=NOW)
    cancelled = await client.get(f"/invites/{other}", headers=headers)
    assert cancelled.status_code == 409 and words[409] in cancelled.text
    if accept == ENGLISH:
        assert "This warm handover has been cancelled." in cancelled.text

    clock.now = THU_18 + timedelta(hours=2)  # the new link outlives the handover by nothing
    expired = await client.get(f"/invites/{await reply_token(moved_id, AGENCY_MAIL)}")
    assert expired.status_code == 404
    assert await declined_at(moved_id) is None
