"""Answers from the invitees' mail clients, read from a real IMAP mailbox (Dovecot on
loopback, IMAPS): REPLYs shaped as Outlook, Thunderbird and Apple Mail send them, a
COUNTER from Outlook, and mail that is not ours left alone (issue 13)."""

import base64
import quopri
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.db.tables import InviteAttendee
from booking.notify.ical.answers import answers_in
from booking.services.calendars.mailbox import Intake, read_answers
from booking.services.handovers import bookings as handovers
from booking.services.point_setup import Catalog
from booking.settings import get_settings
from tests.conftest import NOW
from tests.local_dovecot import PASSWORD, USERNAME, dovecot
from tests.staff_login import api_token, log_in
from tests.web.test_invite_pages import (
    AGENCY_MAIL,
    CONSULTANT_MAIL,
    POLICY,
    THU_18,
    answers,
    book,
    handover_world,
)

INTERPRETER_MAIL = "ion@tolk.example"
DONE = "Loket-handled"
ZONE = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def mailbox(tmp_path):
    with dovecot(tmp_path) as server:
        yield server


def settings_for(server):
    return replace(
        get_settings(), imap_host="127.0.0.1", imap_port=server.port, imap_security="tls",
        imap_username=USERNAME, imap_password=PASSWORD, imap_timeout_seconds=10,
    )  # fmt: skip


def outlook(uid: str, sequence: int, attendee: str, partstat: str, method: str = "REPLY",
            when: tuple[str, str] = ("20261201T180000", "20261201T190000"),
            comment: str = "") -> bytes:  # fmt: skip
    """Exchange/Outlook: the REPLY as text/calendar; method=REPLY inside
    multipart/alternative, base64, with a Windows zone name and its VTIMEZONE."""
    ics = "\r\n".join([
        "BEGIN:VCALENDAR", f"METHOD:{method}", "PRODID:Microsoft Exchange Server 2010",
        "VERSION:2.0", "BEGIN:VTIMEZONE", "TZID:W. Europe Standard Time", "BEGIN:STANDARD",
        "DTSTART:16010101T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10", "END:STANDARD",
        "BEGIN:DAYLIGHT", "DTSTART:16010101T020000", "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200", "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
        "END:DAYLIGHT", "END:VTIMEZONE", "BEGIN:VEVENT",
        f"ATTENDEE;PARTSTAT={partstat};CN=Intake Gemeente:mailto:{attendee.upper()}",
        f"COMMENT;LANGUAGE=nl-NL:{comment}", "SUMMARY;LANGUAGE=nl-NL:Geaccepteerd: Warme overdracht",
        f"DTSTART;TZID=W. Europe Standard Time:{when[0]}",
        f"DTEND;TZID=W. Europe Standard Time:{when[1]}", f"UID:{uid}", "CLASS:PUBLIC",
        "PRIORITY:5", "DTSTAMP:20261201T090000Z", "TRANSP:OPAQUE", "STATUS:CONFIRMED",
        f"SEQUENCE:{sequence}", f"X-MICROSOFT-CDO-APPT-SEQUENCE:{sequence}",
        "X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY",
        "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE", "X-MICROSOFT-DISALLOW-COUNTER:FALSE",
        "END:VEVENT", "END:VCALENDAR", "",
    ])  # fmt: skip
    body = base64.encodebytes(ics.encode()).decode()
    subject = "Nieuwe tijd voorgesteld" if method == "COUNTER" else "Geaccepteerd"
    return (
        f"From: Intake Gemeente <{attendee}>\r\nTo: Loket <loket@localhost>\r\n"
        f"Subject: {subject}: Warme overdracht\r\nMIME-Version: 1.0\r\n"
        "Thread-Topic: Warme overdracht\r\nX-MS-Has-Attach:\r\nX-MS-TNEF-Correlator:\r\n"
        'Content-Type: multipart/alternative; boundary="_000_AM0PR"\r\n\r\n'
        '--_000_AM0PR\r\nContent-Type: text/plain; charset="us-ascii"\r\n\r\n\r\n'
        '--_000_AM0PR\r\nContent-Type: text/html; charset="us-ascii"\r\n\r\n<html></html>\r\n'
        f'--_000_AM0PR\r\nContent-Type: text/calendar; charset="utf-8"; method={method}\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{body}\r\n--_000_AM0PR--\r\n"
    ).encode()


def thunderbird(uid: str, sequence: int, attendee: str, partstat: str) -> bytes:
    """Thunderbird (Lightning): text and text/calendar; method=REPLY side by side, and the
    same file again as an application/ics attachment."""
    ics = "\r\n".join([
        "BEGIN:VCALENDAR", "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
        "VERSION:2.0", "METHOD:REPLY", "BEGIN:VTIMEZONE", "TZID:Europe/Amsterdam",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
        "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
        "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "END:STANDARD", "END:VTIMEZONE", "BEGIN:VEVENT", "CREATED:20261201T090000Z",
        "LAST-MODIFIED:20261201T091500Z", "DTSTAMP:20261201T091500Z", f"UID:{uid}",
        "SUMMARY:Warme overdracht met Gemeente Gemeente",
        'ORGANIZER;CN="Informatiepunt Veghel":mailto:loket@localhost',
        f"ATTENDEE;CN=Ion;PARTSTAT={partstat};ROLE=REQ-PARTICIPANT;CUTYPE=INDIVIDUAL:mailto:{attendee}",
        "DTSTART;TZID=Europe/Amsterdam:20261201T180000",
        "DTEND;TZID=Europe/Amsterdam:20261201T190000", f"SEQUENCE:{sequence}",
        "X-MOZ-RECEIVED-SEQUENCE:0", "X-MOZ-RECEIVED-DTSTAMP:20261201T080000Z",
        "END:VEVENT", "END:VCALENDAR", "",
    ])  # fmt: skip
    attached = base64.encodebytes(ics.encode()).decode()
    return (
        f"From: Ion <{attendee}>\r\nTo: loket@localhost\r\n"
        "Subject: Afgewezen: Warme overdracht\r\nMIME-Version: 1.0\r\n"
        "User-Agent: Mozilla Thunderbird\r\n"
        'Content-Type: multipart/mixed; boundary="------------tb1"\r\n\r\n'
        '--------------tb1\r\nContent-Type: multipart/alternative; boundary="------------tb2"'
        "\r\n\r\n--------------tb2\r\nContent-Type: text/plain; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: 7bit\r\n\r\nIon has declined your event invitation.\r\n"
        "--------------tb2\r\nContent-Type: text/calendar; method=REPLY; charset=UTF-8\r\n"
        f"Content-Transfer-Encoding: 8bit\r\n\r\n{ics}\r\n--------------tb2--\r\n"
        '--------------tb1\r\nContent-Type: application/ics; name="invite.ics"\r\n'
        'Content-Disposition: attachment; filename="invite.ics"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{attached}\r\n--------------tb1--\r\n"
    ).encode()


def apple_mail(uid: str, sequence: int, attendee: str, partstat: str) -> bytes:
    """Apple Mail (Calendar on macOS): a short text and an iCal-....ics attachment,
    quoted-printable, with EMAIL= on the ATTENDEE."""
    ics = "\r\n".join([
        "BEGIN:VCALENDAR", "CALSCALE:GREGORIAN", "PRODID:-//Apple Inc.//macOS 14.6//EN",
        "VERSION:2.0", "METHOD:REPLY", "BEGIN:VTIMEZONE", "TZID:Europe/Amsterdam",
        "BEGIN:DAYLIGHT", "DTSTART:19810329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "TZNAME:CEST", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "END:DAYLIGHT",
        "BEGIN:STANDARD", "DTSTART:19961027T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "TZNAME:CET", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD",
        "END:VTIMEZONE", "BEGIN:VEVENT",
        f'ATTENDEE;CN="Agnieszka";CUTYPE=INDIVIDUAL;EMAIL="{attendee}";PARTSTAT={partstat}:mailto:{attendee}',
        "DTEND;TZID=Europe/Amsterdam:20261201T190000", "DTSTAMP:20261201T093000Z",
        "DTSTART;TZID=Europe/Amsterdam:20261201T180000",
        'ORGANIZER;CN="Informatiepunt Veghel":mailto:loket@localhost',
        f"SEQUENCE:{sequence}", "SUMMARY:Warme overdracht", f"UID:{uid}",
        "END:VEVENT", "END:VCALENDAR", "",
    ])  # fmt: skip
    attached = quopri.encodestring(ics.encode()).decode()
    return (
        f"From: Agnieszka <{attendee}>\r\nTo: loket@localhost\r\n"
        "Subject: Invitation: Warme overdracht (Accepted)\r\nMIME-Version: 1.0 (Mac OS X Mail 16.0)\r\n"
        'Content-Type: multipart/mixed; boundary="Apple-Mail=_5A7C"\r\n\r\n'
        "--Apple-Mail=_5A7C\r\nContent-Transfer-Encoding: 7bit\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\nAgnieszka has accepted.\r\n"
        "--Apple-Mail=_5A7C\r\nContent-Disposition: attachment; filename=iCal-20261201-093000.ics\r\n"
        'Content-Type: text/calendar; x-unix-mode=0644; name="iCal-20261201-093000.ics"\r\n'
        f"Content-Transfer-Encoding: quoted-printable\r\n\r\n{attached}\r\n--Apple-Mail=_5A7C--\r\n"
    ).encode()


PLAIN = (
    b"From: someone@example.org\r\nTo: loket@localhost\r\nSubject: Vraag over openingstijden\r\n"
    b"\r\nZijn jullie zaterdag open?\r\n"
)


def test_the_three_shapes_read_alike():
    uid = "handover-7@127.0.0.1"
    assert [(a.method, a.uid, a.sequence, a.attendee, a.partstat) for a in
            answers_in(outlook(uid, 2, AGENCY_MAIL, "ACCEPTED"))] == [
        ("REPLY", uid, 2, AGENCY_MAIL, "ACCEPTED")]  # fmt: skip
    # Thunderbird's two copies of the same answer count once.
    assert len(answers_in(thunderbird(uid, 0, INTERPRETER_MAIL, "DECLINED"))) == 1
    assert (
        answers_in(apple_mail(uid, 1, CONSULTANT_MAIL, "ACCEPTED"))[0].attendee == CONSULTANT_MAIL
    )
    assert answers_in(PLAIN) == []


async def test_answers_in_the_mailbox_are_recorded_and_moved_and_other_mail_stays(client, mailbox):
    world = await handover_world()
    appointment_id = await book(world)
    uid = f"handover-{appointment_id}@127.0.0.1"
    mailbox.deliver(outlook(uid, 0, AGENCY_MAIL, "ACCEPTED"))
    mailbox.deliver(thunderbird(uid, 0, INTERPRETER_MAIL, "DECLINED"))
    mailbox.deliver(apple_mail(uid, 0, CONSULTANT_MAIL, "ACCEPTED"))
    mailbox.deliver(PLAIN)
    mailbox.deliver(outlook("040000008200E00074C5B7101A82E008@example.org", 0, AGENCY_MAIL,
                            "ACCEPTED"))  # fmt: skip
    mailbox.deliver(outlook(uid, 0, "stranger@example.org", "ACCEPTED"))
    settings, intake = settings_for(mailbox), Intake()
    done = await read_answers(settings, POLICY, NOW, intake, context=mailbox.tls())
    assert (done.recorded, done.moved, done.left) == (3, 3, 3)
    assert len(mailbox.subjects(DONE)) == 3
    assert mailbox.subjects("INBOX") == sorted(
        ["Vraag over openingstijden", "Geaccepteerd: Warme overdracht",
         "Geaccepteerd: Warme overdracht"]
    )  # fmt: skip

    found = (await client.get(f"/api/handovers/{appointment_id}",
                              headers=await api_token(client, "agnieszka@example.nl"))).json()  # fmt: skip
    by_mail = {i["email"]: i["answer"] for i in found["invitees"]}
    assert by_mail == {
        "burgerzaken@gemeente.example": InviteAttendee.NEEDS_ACTION,
        AGENCY_MAIL: InviteAttendee.ACCEPTED,
        INTERPRETER_MAIL: InviteAttendee.DECLINED,
        CONSULTANT_MAIL: InviteAttendee.ACCEPTED,
    }
    # The decline raises the same alert as the decline link.
    assert found["declined"] is True
    await log_in(client, "agnieszka@example.nl")
    page = await client.get(f"/staff/handovers/{appointment_id}")
    assert "Ion" in page.text and 'role="alert"' in page.text

    # Nothing new: the mail left alone is not read again.
    again = await read_answers(settings, POLICY, NOW, intake, context=mailbox.tls())
    assert (again.recorded, again.moved, again.left) == (0, 0, 0)


async def test_an_outdated_reply_is_moved_unrecorded_and_a_counter_is_shown(client, mailbox):
    world = await handover_world()
    appointment_id = await book(world)
    await handovers.reschedule(Catalog(), POLICY, appointment_id, THU_18, now=NOW)
    uid = f"handover-{appointment_id}@127.0.0.1"
    mailbox.deliver(outlook(uid, 0, AGENCY_MAIL, "DECLINED"))  # answers the old time
    mailbox.deliver(
        outlook(uid, 1, AGENCY_MAIL, "TENTATIVE", method="COUNTER",
                when=("20261203T190000", "20261203T200000"), comment="Liever een uur later")
    )  # fmt: skip
    done = await read_answers(settings_for(mailbox), POLICY, NOW, Intake(), context=mailbox.tls())
    assert (done.recorded, done.moved, done.left) == (1, 2, 0)
    assert (await answers(appointment_id))[AGENCY_MAIL] == InviteAttendee.NEEDS_ACTION

    headers = await api_token(client, "agnieszka@example.nl")
    found = (await client.get(f"/api/handovers/{appointment_id}", headers=headers)).json()
    assert found["declined"] is False
    [proposal] = found["proposals"]
    assert proposal["start"] == (THU_18 + timedelta(hours=1)).astimezone(ZONE).isoformat()
    assert proposal["comment"] == "Liever een uur later"
    await log_in(client, "agnieszka@example.nl")
    page = await client.get(f"/staff/handovers/{appointment_id}")
    assert 'id="proposals"' in page.text and "Liever een uur later" in page.text
