"""E-mail through the outbox: composed invites, a real SMTP server, retries, the dev page (issue 6)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email import message_from_string, policy

import httpx
import pytest
from icalendar import Calendar, Event, vCalAddress

from booking.app import create_app
from booking.db.tables import Appointment, Message
from booking.domain.policy import Policy
from booking.notify import outbox
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import EmbeddedMailer, SmtpSender, compose, headers
from booking.notify.sms import EmbeddedSender
from booking.settings import Settings, SettingsError
from tests import factories
from tests.conftest import NOW
from tests.local_smtp import PASSWORD, USERNAME, LocalSmtp, client_context, free_port, self_signed

AGENCY = "intake@gemeente.test"
SUBJECT = "Uitnodiging: warme overdracht – Łukasz, gemeente ’s-Hertogenbosch"


def invite(method: str = "REQUEST", sequence: int = 0) -> bytes:
    event = Event.new(
        uid="handover-7@loket.test",
        summary="Overdracht: inschrijving BRP – tolk Pools (język polski)",
        start=datetime(2026, 12, 3, 17, 0, tzinfo=UTC),
        end=datetime(2026, 12, 3, 17, 30, tzinfo=UTC),
        stamp=NOW,
        sequence=sequence,
        organizer=vCalAddress.new("loket@loket.test", cn="Loket"),
        attendees=[vCalAddress.new(AGENCY, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION")],
    )
    calendar = Calendar.new(
        uid="calendar-handover-7", prodid="-//Loket//test//EN", method=method, subcomponents=[event]
    )
    return calendar.to_ical()


def message(calendar: bytes | None = None, method: str | None = None, to: str = AGENCY) -> str:
    return compose(
        sender="Loket Brabant <loket@loket.test>",
        to=to,
        subject=SUBJECT,
        text="Beste collega,\nzie de uitnodiging. Groet, Łukasz",
        calendar=calendar,
        method=method,
        domain="loket.test",
        date=NOW,
    )


def test_an_invite_has_the_shape_calendar_clients_act_on():
    raw = message(invite())
    assert raw.isascii()  # 7bit, quoted-printable, base64, RFC 2047: no SMTPUTF8 needed
    parsed = message_from_string(raw, policy=policy.default)
    assert parsed["Subject"] == SUBJECT
    assert parsed["Message-ID"].endswith("@loket.test>")
    assert parsed["Date"].datetime == NOW
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, attachment = parsed.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"  # first: Outlook looks there
    text, itip = alternative.iter_parts()
    assert text.get_content() == "Beste collega,\r\nzie de uitnodiging. Groet, Łukasz\r\n"
    assert (itip.get_content_type(), itip.get_param("method"), itip.get_content_charset()) == (
        "text/calendar",
        "REQUEST",
        "utf-8",
    )
    assert itip["Content-Transfer-Encoding"] == "base64"  # the file is not ASCII
    assert itip.get_content().encode() == invite()
    assert (attachment.get_content_type(), attachment.get_filename()) == (
        "application/ics",
        "invite.ics",
    )
    assert attachment.get_content() == invite()
    assert Calendar.from_ical(attachment.get_content())["METHOD"] == "REQUEST"
    assert "MIME-Version" not in itip and "MIME-Version" not in attachment


def test_an_ascii_calendar_stays_readable_and_a_plain_message_has_one_part():
    ascii_invite = invite().replace("–".encode(), b"-").replace("język polski".encode(), b"pl")
    itip = message_from_string(message(ascii_invite), policy=policy.default).get_body(("calendar",))
    assert itip["Content-Transfer-Encoding"] == "7bit"
    assert "METHOD:REQUEST\r\n" in message(ascii_invite)
    plain = message_from_string(message(), policy=policy.default)
    assert plain.get_content_type() == "text/plain" and not plain.is_multipart()


def test_the_method_must_match_the_calendar():
    assert 'method="CANCEL"' in message(invite("CANCEL"))  # taken from METHOD when not given
    with pytest.raises(ValueError, match="contradicts"):
        message(invite("CANCEL"), method="REQUEST")
    with pytest.raises(ValueError, match="no METHOD"):
        message(invite().replace(b"METHOD:REQUEST\r\n", b""))


def test_smtp_settings_default_to_the_embedded_mailer_and_name_what_is_wrong():
    embedded = Settings.from_env({})
    assert (embedded.smtp_host, embedded.smtp_port, embedded.smtp_security) == ("", 587, "starttls")
    assert (embedded.mail_from_address, embedded.mail_domain) == ("loket@localhost", "localhost")
    smtps = Settings.from_env(
        {"SMTP_SECURITY": "tls", "SMTP_USERNAME": "loket", "SMTP_PASSWORD": "hunter22"}
    )
    assert smtps.smtp_port == 465 and "hunter22" not in repr(smtps)
    for env, named in [
        ({"SMTP_SECURITY": "ssl"}, "SMTP_SECURITY"),
        ({"SMTP_PORT": "70000"}, "SMTP_PORT"),
        ({"SMTP_TIMEOUT_SECONDS": "0"}, "SMTP_TIMEOUT_SECONDS"),
        ({"SMTP_PASSWORD": "hunter22"}, "SMTP_USERNAME"),
        ({"MAIL_FROM": "Loket"}, "MAIL_FROM"),
        ({"MAIL_FROM": "Loket <loket@bmip-één.example>"}, "MAIL_FROM"),
    ]:
        with pytest.raises(SettingsError, match=named):
            Settings.from_env(env)


@pytest.fixture
def smtp():
    server = LocalSmtp()
    controller = server.start()
    yield server
    controller.stop()


def smtp_settings(settings, port: int, **changes):
    plain = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_timeout_seconds": 5,
        "mail_from": "Loket Brabant <loket@loket.test>",
    }
    return replace(settings, **{**plain, **changes})


def dispatcher(clock, settings, mail) -> Dispatcher:
    return Dispatcher(EmbeddedSender(), clock, Policy.from_settings(settings), mail=mail)


async def queue_email(body: str, *, to: str | None = AGENCY, **more) -> int:
    return await outbox.enqueue(
        channel=Message.EMAIL,
        kind=Message.INVITE,
        language="nl",
        email=to,
        body=body,
        due_at=NOW,
        **more,
    )


async def row(message_id: int) -> dict:
    return await Message.select().where(Message.id == message_id).first()


async def test_an_invite_from_the_outbox_arrives_at_a_real_smtp_server(db, smtp, clock, settings):
    body = message(invite())
    queued = await queue_email(body)

    sent = dispatcher(clock, settings, SmtpSender(smtp_settings(settings, smtp.port)))
    assert await sent.run_once() == 1

    [received] = smtp.received
    assert (received.mail_from, received.rcpt_tos) == ("loket@loket.test", [AGENCY])
    parsed = received.parsed()
    assert parsed["Subject"] == SUBJECT and parsed["To"] == AGENCY
    itip = parsed.get_body(("calendar",))
    assert itip.get_param("method") == "REQUEST"
    assert Calendar.from_ical(itip.get_content())["METHOD"] == "REQUEST"
    [attachment] = parsed.iter_attachments()
    assert attachment.get_content() == invite()
    stored = await row(queued)
    assert (stored["status"], stored["attempts"], stored["last_error"]) == ("sent", 1, None)
    assert stored["provider_id"] == headers(body)["Message-ID"] == parsed["Message-ID"]
    assert stored["sent_at"] == NOW


async def test_a_refused_recipient_fails_for_good(db, smtp, clock, settings):
    smtp.rcpt_reply = "550 5.1.1 <intake@gemeente.test>: mailbox unknown"
    queued = await queue_email(message(invite()))
    mailer = SmtpSender(smtp_settings(settings, smtp.port))
    await dispatcher(clock, settings, mailer).run_once()
    stored = await row(queued)
    assert (stored["status"], stored["last_error"]) == (
        "failed",
        "smtp 550 5.1.1 recipient refused",
    )
    assert smtp.received == []


@pytest.mark.parametrize("trouble", ["451 4.7.1 greylisted, try again later", "no server"])
async def test_a_busy_or_absent_server_means_trying_again_later(db, smtp, clock, settings, trouble):
    if trouble == "no server":
        port = free_port()  # nothing listens there: connection refused
    else:
        smtp.rcpt_reply, port = trouble, smtp.port
    queued = await queue_email(message(invite()))
    await dispatcher(clock, settings, SmtpSender(smtp_settings(settings, port))).run_once()
    stored = await row(queued)
    assert stored["status"] == "pending" and stored["attempts"] == 1
    assert timedelta(seconds=20) < stored["due_at"] - NOW < timedelta(seconds=40)
    assert stored["last_error"] == (
        "smtp 451 4.7.1 recipient refused"
        if trouble.startswith("451")
        else "smtp transport: SMTPConnectError"
    )

    smtp.rcpt_reply = None
    clock.now += timedelta(minutes=1)
    await dispatcher(clock, settings, SmtpSender(smtp_settings(settings, smtp.port))).run_once()
    assert (await row(queued))["status"] == "sent" and len(smtp.received) == 1


@pytest.fixture
def certificate(tmp_path):
    pem = self_signed(tmp_path)
    if pem is None:
        pytest.skip("the openssl tool is needed to make a test certificate")
    return pem


async def test_starttls_and_login(db, clock, settings, certificate):
    server = LocalSmtp()
    controller = server.start(certificate=certificate)
    try:
        secure = smtp_settings(
            settings,
            server.port,
            smtp_security="starttls",
            smtp_username=USERNAME,
            smtp_password=PASSWORD,
        )
        good = await queue_email(message(invite()))
        tls = client_context(certificate)
        await dispatcher(clock, settings, SmtpSender(secure, tls_context=tls)).run_once()
        assert (await row(good))["status"] == "sent"
        assert [r.login for r in server.received] == [USERNAME.encode()]

        wrong = await queue_email(message(invite()))
        mailer = SmtpSender(replace(secure, smtp_password="wrong"), tls_context=tls)
        await dispatcher(clock, settings, mailer).run_once()
        stored = await row(wrong)  # the set-up is wrong, not the message: retried
        assert (stored["status"], stored["last_error"]) == (
            "pending",
            "smtp 535 SMTPAuthenticationError",
        )
        untrusted = SmtpSender(secure)  # the system's CAs do not know the test certificate
        clock.now += timedelta(hours=1)
        await dispatcher(clock, settings, untrusted).run_once()
        assert (await row(wrong))["status"] == "pending"
        assert len(server.received) == 1
    finally:
        controller.stop()


async def test_tls_from_the_first_byte(db, clock, settings, certificate):
    server = LocalSmtp()
    controller = server.start(certificate=certificate, implicit_tls=True)
    try:
        mailer = SmtpSender(
            smtp_settings(settings, server.port, smtp_security="tls"),
            tls_context=client_context(certificate),
        )
        queued = await queue_email(message(invite()))
        await dispatcher(clock, settings, mailer).run_once()
        assert (await row(queued))["status"] == "sent" and len(server.received) == 1
    finally:
        controller.stop()


async def test_email_keeps_none_of_the_sms_rules_but_needs_an_address(db, smtp, clock, settings):
    """A CANCEL goes out after the cancellation, at night, whatever the sequence (iTIP)."""
    point = await factories.point(await factories.region())
    [appointment] = await Appointment.insert(
        Appointment(
            point=point,
            topic=await factories.topic(),
            language="pl",
            channel=Appointment.HANDOVER,
            status=Appointment.CANCELLED,
            starts_at=datetime(2026, 12, 3, 17, 0, tzinfo=UTC),
            ends_at=datetime(2026, 12, 3, 17, 30, tzinfo=UTC),
            sequence=2,
        )
    )
    request = await queue_email(
        message(invite()), appointment_id=appointment["id"], appointment_sequence=0
    )
    cancel = await queue_email(
        message(invite("CANCEL", 2)), appointment_id=appointment["id"], appointment_sequence=2
    )
    nowhere = await queue_email(message(invite()), to=None)
    clock.now = datetime(2026, 12, 2, 22, 30, tzinfo=UTC)  # 23:30 in Amsterdam
    await dispatcher(clock, settings, SmtpSender(smtp_settings(settings, smtp.port))).run_once()
    assert [(await row(m))["status"] for m in (request, cancel, nowhere)] == [
        "sent",
        "sent",
        "skipped",
    ]
    assert (await row(nowhere))["last_error"] == "no e-mail address"
    methods = sorted(r.parsed().get_body(("calendar",)).get_param("method") for r in smtp.received)
    assert methods == ["CANCEL", "REQUEST"]


async def test_the_embedded_mailer_keeps_the_message_for_the_dev_page(db, clock, settings):
    queued = await queue_email(message(invite()))
    await dispatcher(clock, settings, EmbeddedMailer()).run_once()
    stored = await row(queued)
    assert stored["status"] == "sent" and stored["provider_id"].startswith("embedded-")

    app = create_app(replace(settings, dev_pages=True), clock=clock)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://loket.test"
    ) as http:
        page = (await http.get("/dev/messages")).text
        assert AGENCY in page and SUBJECT in page
        assert f'href="/dev/messages/{queued}/invite.ics"' in page
        source = await http.get(f"/dev/messages/{queued}/message.eml")
        assert source.headers["content-type"].startswith("text/plain")
        assert source.text == stored["body"]
        ics = await http.get(f"/dev/messages/{queued}/invite.ics")
        assert ics.text.encode() == invite()
        assert (await http.get("/dev/messages/99999/message.eml")).status_code == 404

    closed = create_app(settings, clock=clock)  # LOKET_DEV_PAGES off: no such pages
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=closed), base_url="http://loket.test"
    ) as http:
        assert (await http.get(f"/dev/messages/{queued}/message.eml")).status_code == 404
