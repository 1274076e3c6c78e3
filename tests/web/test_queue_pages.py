"""The queue's pages over HTTP: the kiosk in the person's language, the desk calling from
the agenda, the waiting-room screen without personal data, and who may make kiosk links."""

import re

import pytest

from booking.db.tables import Appointment, KioskLink, Message, QueueEntry
from booking.services.queue import kiosk
from tests.conftest import NOW
from tests.page_rules import BOOKING_PAGE_BUDGET, outside_references, policy_problems
from tests.staff_login import csrf, log_in
from tests.web.test_pages import form_post, gzipped
from tests.web.test_staff import world  # noqa: F401  (the fixture)

PHONE = "+48 601 234 567"


@pytest.fixture
async def kiosk_url(world):  # noqa: F811
    return f"/kiosk/{await kiosk.create(world['veghel'], None, NOW)}"


async def test_the_kiosk_asks_the_language_first_and_gives_a_number(client, world, kiosk_url):  # noqa: F811
    picker = await client.get(kiosk_url)
    assert picker.status_code == 200
    assert f'href="{kiosk_url}/pl"' in picker.text and "Polski" in picker.text
    joined = await form_post(
        client, f"{kiosk_url}/pl", f"{kiosk_url}/pl", topic=str(world["topic"]), phone=PHONE
    )
    assert joined.status_code == 200 and 'lang="pl"' in joined.text
    assert re.search(r'id="number">1<', joined.text)
    assert f'url={kiosk_url}"' in joined.text  # back to the picker for the next person
    [entry] = await QueueEntry.select()
    assert (entry["language"], entry["number"], entry["contact"] is not None) == ("pl", 1, True)
    # First in line: the "you are next" text is in the outbox, in Polish.
    [text] = await Message.select().where(Message.kind == Message.QUEUE_NEXT)
    assert text["language"] == "pl"


async def test_a_bad_phone_number_is_a_clear_400_in_the_kiosk_language(client, world, kiosk_url):  # noqa: F811
    refused = await form_post(
        client, f"{kiosk_url}/ro", f"{kiosk_url}/ro", topic=str(world["topic"]), phone="12"
    )
    assert refused.status_code == 400 and 'class="alert"' in refused.text
    assert await QueueEntry.count() == 0


async def test_a_revoked_or_wrong_kiosk_link_opens_nothing(client, world, kiosk_url):  # noqa: F811
    assert (await client.get("/kiosk/not-a-token")).status_code == 404
    [link] = await KioskLink.select(KioskLink.id)
    await kiosk.revoke(link["id"], world["veghel"], NOW)
    assert (await client.get(kiosk_url)).status_code == 404


async def test_the_desk_calls_from_the_agenda_and_the_screen_shows_only_numbers(
    client,
    world,  # noqa: F811
    kiosk_url,
):
    for lang in ("pl", "nl"):
        await form_post(
            client, f"{kiosk_url}/{lang}", f"{kiosk_url}/{lang}", topic=str(world["topic"]),
            phone=PHONE,
        )  # fmt: skip
    await log_in(client, "agnieszka@example.nl")
    agenda = await client.get(f"/staff/points/{world['veghel']}/agenda")
    assert 'id="queue-1"' in agenda.text and 'id="queue-2"' in agenda.text
    called = await client.post(
        f"/staff/points/{world['veghel']}/queue/call",
        data={"_csrf_token": await csrf(client, "/staff/"), "desk": "Desk 3"},
    )
    assert called.status_code == 303
    [walk_in] = await Appointment.select()
    assert (walk_in["channel"], walk_in["waited_minutes"]) == ("walk_in", 0)
    # Number 2 is next now: a Dutch text.
    texts = await Message.select(Message.language).where(Message.kind == Message.QUEUE_NEXT)
    assert sorted(t["language"] for t in texts) == ["nl", "pl"]
    screen = await client.get(f"/screen/{world['veghel']}")
    assert screen.status_code == 200 and 'http-equiv="refresh"' in screen.text
    assert re.search(r'id="now">1<', screen.text) and "Desk 3" in screen.text
    for private in ("601", "234 567", "Agnieszka", "+48"):
        assert private not in screen.text
    assert "<script" not in screen.text


async def test_only_coordinators_make_kiosk_links_and_the_token_is_shown_once(client, world):  # noqa: F811
    await log_in(client, "agnieszka@example.nl")
    page = f"/staff/points/{world['veghel']}/kiosks"
    assert (await client.get(page)).status_code == 403
    await client.post("/staff/logout", data={"_csrf_token": await csrf(client, "/staff/")})
    client.cookies.clear()
    await log_in(client, "coordinator@example.nl")
    made = await client.post(page, data={"_csrf_token": await csrf(client, page)})
    assert made.status_code in (200, 201)
    url = re.search(r'id="kiosk-link" class="link">([^<]+)<', made.text).group(1)
    token = url.rsplit("/", 1)[1]
    [link] = await KioskLink.select()
    assert token not in str(link.values())
    assert token not in (await client.get(page)).text


async def test_kiosk_and_screen_pages_stay_small_and_strict(client, world, kiosk_url, settings):  # noqa: F811
    for url in (kiosk_url, f"{kiosk_url}/uk", f"/screen/{world['veghel']}"):
        sent, html, headers = await gzipped(client, url)
        assert sent < BOOKING_PAGE_BUDGET, (url, sent)
        assert outside_references(html, settings.public_base_url) == [], url
        assert policy_problems(headers["content-security-policy"]) == [], url
        assert "<script" not in html


async def test_kiosk_and_screen_answers_are_never_stored(client, world, kiosk_url):  # noqa: F811
    """A shared tablet must not keep someone's number, nor a screen show a stale call."""
    answers = [
        await client.get(kiosk_url),
        await client.get(f"{kiosk_url}/pl"),
        await form_post(
            client, f"{kiosk_url}/pl", f"{kiosk_url}/pl", topic=str(world["topic"]), phone=PHONE
        ),
        await form_post(
            client, f"{kiosk_url}/pl", f"{kiosk_url}/pl", topic=str(world["topic"]), phone="12"
        ),
        await client.get("/kiosk/not-a-token"),
        await client.get(f"/screen/{world['veghel']}"),
        # The waiting list's and the offer's links carry tokens as the manage link does.
        await client.get("/pl/w/not-a-token"),
        await client.get("/o/not-a-token"),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 400, 404, 200, 404, 404]
    for answer in answers:
        assert answer.headers["cache-control"] == "no-store", answer.url
    assert "no-store" not in (await client.get("/pl/")).headers.get("cache-control", "")
