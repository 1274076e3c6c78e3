"""Replies in the person's own words, through Twilio's signed webhook (issue 14): every
keyword of every language, in capitals and bare lower case, answered in the number's
language; "NIE" cancels and "tak" confirms the reminded appointment."""

import unicodedata

from booking.db.tables import Appointment, Message, MigrantContact, SmsOptOut
from booking.domain.keywords import KEYWORDS, Reply
from booking.i18n import UI_LANGUAGES
from booking.notify import texts
from tests.notify.test_notices import confirmed_appointment
from tests.web.test_webhooks import from_twilio, twilio_client, twiml_text, veghel  # noqa: F401

INBOUND = "/webhooks/twilio/inbound"


def bare_lower(word: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn"
    )


async def test_every_keyword_of_every_language_answers_in_the_numbers_language(twilio_client):  # noqa: F811
    phones = {lang: f"+48601{n:06d}" for n, lang in enumerate(UI_LANGUAGES)}
    for language, phone in phones.items():
        await MigrantContact.insert(MigrantContact(phone=phone, language=language))
    for language, actions in KEYWORDS.items():
        speaker = "en" if language == "any" else language
        phone = phones[speaker]
        for action, words in actions.items():
            for word in words:
                for variant in (word.upper() + "!", bare_lower(word)):
                    answer = twiml_text(
                        await from_twilio(twilio_client, INBOUND, {"From": phone, "Body": variant})
                    )
                    expected = {
                        Reply.STOP: texts.REPLY_STOPPED,
                        Reply.START: texts.REPLY_STARTED,
                        Reply.HELP: texts.REPLY_HELP,
                    }.get(action, texts.REPLY_NOTHING)  # 1 or 2 with no reminder to answer
                    assert answer == texts.render(expected, speaker), (language, variant)
                    if action is Reply.STOP:
                        assert await SmsOptOut.count() == 1, variant
                        await from_twilio(twilio_client, INBOUND, {"From": phone, "Body": "START"})
                    assert await SmsOptOut.count() == 0, variant
    unknown = await from_twilio(twilio_client, INBOUND, {"From": phones["ar"], "Body": "مرحبا"})
    assert twiml_text(unknown) == texts.render(texts.REPLY_HELP, "ar")


async def test_tak_confirms_and_nie_cancels_the_reminded_appointment(twilio_client, veghel, client):  # noqa: F811
    held = await confirmed_appointment(client, veghel, "2026-12-03", pick=4)
    await Message.update({Message.status: Message.SENT}).where(
        (Message.appointment == held["id"]) & (Message.kind == Message.REMINDER)
    )
    yes = await from_twilio(twilio_client, INBOUND, {"From": "+48601234567", "Body": "Tak!"})
    assert twiml_text(yes) == "Loket: dziekujemy, do zobaczenia czw. 3 gru, 10:00."
    no = await from_twilio(twilio_client, INBOUND, {"From": "+48601234567", "Body": "nie"})
    assert twiml_text(no) == ""  # the cancellation text answers, through the outbox
    assert (await Appointment.select(Appointment.status).first())["status"] == "cancelled"
    assert await Message.count().where(Message.kind == "cancellation") == 1
