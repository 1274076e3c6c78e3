"""WhatsApp's choices without a network: free-form, template or SMS; the templates' variables
match the words; the settings that name the sender and the templates stop bad start-ups."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.notify import placeholders, texts
from booking.notify.whatsapp import delivery, templates
from booking.notify.whatsapp.route import WINDOW, route
from booking.settings import Settings, SettingsError
from booking.settings.sections import WHATSAPP_TEMPLATES

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
SID = "HX" + "ab" * 16
names = st.sampled_from(WHATSAPP_TEMPLATES)
languages = st.sampled_from(["pl", "ro", "uk", "nl"])
ago = st.one_of(st.none(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)))
configured = st.dictionaries(names, st.dictionaries(languages, st.just(SID), max_size=3))


@given(name=names, language=languages, since=ago, known=configured)
def test_free_form_in_the_window_else_a_template_else_sms(name, language, since, known):
    seen = None if since is None else NOW - since
    way = route(name, language, seen, NOW, known)
    if since is not None and since < WINDOW:
        assert (way.by_sms, way.content_sid) == (False, None)
    elif language in known.get(name, {}):
        assert (way.by_sms, way.content_sid) == (False, SID)
    else:
        assert way.by_sms and way.content_sid is None


def test_the_window_closes_after_exactly_24_hours_and_never_opens_ahead():
    known = {"reminder": {"pl": SID}}
    assert (
        route("reminder", "pl", NOW - WINDOW + timedelta(seconds=1), NOW, known).content_sid is None
    )
    assert route("reminder", "pl", NOW - WINDOW, NOW, known).content_sid == SID
    assert route("reminder", "pl", NOW + timedelta(minutes=1), NOW, known).content_sid == SID


def test_every_template_name_is_configurable_and_its_variables_are_in_its_words():
    assert set(templates.NAMES.values()) == set(templates.VARIABLES) == set(WHATSAPP_TEMPLATES)
    for words, name in templates.NAMES.items():
        for variable in templates.VARIABLES[name]:
            assert f"%({variable})s" in words, (name, variable)


def test_stored_variables_are_numbered_and_keep_the_placeholders():
    name, stored = templates.stored(texts.CODE, "pl", code=placeholders.CODE, minutes=10)
    assert (name, json.loads(stored)) == ("code", {"1": placeholders.CODE, "2": "10"})
    assert templates.stored(texts.REPLY_HELP, "pl") == (None, None)  # answers need none


@pytest.mark.parametrize(
    ("status", "code", "falls"),
    [("failed", "63003", True), ("undelivered", "63016", True), ("failed", "63018", False),
     ("delivered", None, False), ("failed", None, False), ("sent", "63003", False)],
)  # fmt: skip
def test_which_whatsapp_failures_turn_into_an_sms(status, code, falls):
    assert delivery.falls_back(status, code) is falls


def test_the_sender_and_templates_are_read_inline_or_from_a_file(tmp_path):
    inline = Settings.from_env(
        {
            "TWILIO_WHATSAPP_FROM": "+31850000001",
            "TWILIO_WHATSAPP_TEMPLATES": json.dumps({"code": {"pl": SID}}),
        }
    )
    assert inline.twilio_whatsapp_from == "whatsapp:+31850000001"
    assert inline.twilio_whatsapp_templates == {"code": {"pl": SID}}
    file = tmp_path / "templates.json"
    file.write_text(json.dumps({"reminder": {"uk": SID, "pt-BR": SID}}), encoding="utf-8")
    read = Settings.from_env(
        {"TWILIO_WHATSAPP_FROM": "whatsapp:+31850000001", "TWILIO_WHATSAPP_TEMPLATES": str(file)}
    )
    assert read.twilio_whatsapp_from == "whatsapp:+31850000001"
    assert read.twilio_whatsapp_templates == {"reminder": {"uk": SID, "pt-BR": SID}}
    assert Settings.from_env({}).twilio_whatsapp_templates == {}


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"TWILIO_WHATSAPP_FROM": "Loket"}, "TWILIO_WHATSAPP_FROM must be a number"),
        ({"TWILIO_WHATSAPP_TEMPLATES": "{not json"}, "is not valid JSON"),
        ({"TWILIO_WHATSAPP_TEMPLATES": "[]"}, "must be a JSON object"),
        ({"TWILIO_WHATSAPP_TEMPLATES": '["code"]'}, "must be a JSON object"),
        (
            {"TWILIO_WHATSAPP_TEMPLATES": json.dumps({"remindr": {"pl": SID}})},
            "'remindr' is not one of",
        ),
        ({"TWILIO_WHATSAPP_TEMPLATES": json.dumps({"code": SID})}, "must map languages"),
        (
            {"TWILIO_WHATSAPP_TEMPLATES": '{"code": {"pl": "SM123"}}'},
            "code.pl must be a Content SID",
        ),
        (
            {"TWILIO_WHATSAPP_TEMPLATES": "/nowhere/templates.json"},
            "names a file that cannot be read",
        ),
    ],
)
def test_bad_whatsapp_settings_stop_start_up_with_a_sentence(env, says):
    with pytest.raises(SettingsError, match=says):
        Settings.from_env(env)
