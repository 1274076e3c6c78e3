"""Bad input is a clear 4xx, never a 500 (issue 10): ids past the engines' range on every id
route, dates outside 2000-2100, JSON nested 100,000 deep, and NUL or other control
characters in every text field of the API and in the pages' forms and queries. The
PostgreSQL run matters most: it refuses NUL and integers past 2^31 where SQLite does not."""

import json
import re

import pytest

from booking.app import create_app
from booking.db.tables import Appointment, MigrantContact
from booking.services.auth.accounts import create_account
from booking.web.input_guard import MAX_DEPTH
from tests.staff_login import PASSWORD, api_token, csrf, log_in
from tests.web import test_handover_api
from tests.web.test_handover_api import body

world = test_handover_api.world  # the fixture

#: Past PostgreSQL's integer, past SQLite's, and past both by far.
TOO_BIG = (2**31, 2**63, 10**30)
INT_PARAMETER = re.compile(r"\{[^}:]+:int\}")
#: What a person reads when a form holds a control character, written out (not the code's
#: own gettext call, which would agree with an untranslated or wrong message too).
UNSTORABLE = {
    "nl": "Wat u hebt ingevuld bevat tekens die niet kunnen worden opgeslagen. Haal ze weg.",
    "pl": "Wpisany tekst zawiera znaki, których nie można zapisać. Usuń je.",
}


@pytest.fixture
async def admin(world):
    await create_account(email="admin@example.nl", name="Admin", password=PASSWORD, role="admin")
    return world


def id_routes(settings) -> list[tuple[str, str]]:
    """Every (method, path) of the app with an integer in its path."""
    return [
        (method, route.path)
        for route in create_app(settings).routes
        if INT_PARAMETER.search(route.path)
        for method in sorted(route.methods)
        if method in ("GET", "POST")
    ]


async def test_ids_past_the_range_are_refused_on_every_id_route(client, admin, settings):
    routes = id_routes(settings)
    assert len(routes) >= 40, routes
    await log_in(client, "admin@example.nl")
    token = await csrf(client, "/staff/")
    bearer = await api_token(client, "admin@example.nl")
    for method, template in routes:
        for value in TOO_BIG:
            path = INT_PARAMETER.sub(str(value), template)
            if method == "GET":
                response = await client.get(path, headers=bearer)
            elif path.startswith("/api"):
                response = await client.post(path, json={}, headers=bearer)
            else:
                response = await client.post(path, data={"_csrf_token": token})
            assert response.status_code in (404, 422), (method, path, response.text[:300])
            if path.startswith("/api"):
                assert response.json()["code"] in ("invalid_input", "not_found"), response.text


FAR_DAYS = ("0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31")


async def test_days_outside_2000_to_2100_are_a_422_naming_the_field(client, world):
    auth = await api_token(client, "agnieszka@example.nl")
    ids = {"point": world["veghel"], "topic": world["topic"]}
    for day in FAR_DAYS:
        asked = [
            ("/api/staff/agenda", {"point": world["veghel"], "day": day}, "day"),
            ("/api/slots", {**ids, "language": "pl", "from": day, "to": day}, "from"),
            ("/api/handovers", {"from": day, "to": day}, "from"),
            ("/api/handovers/slots", {**ids, "agency": world["agency"], "from": day, "to": day},
             "from"),
            ("/api/slots", {**ids, "language": "pl", "from": "2026-12-01", "to": day}, "to"),
        ]  # fmt: skip
        for url, params, field in asked:
            response = await client.get(url, params=params, headers=auth)
            assert response.status_code == 422, (url, day, response.text)
            assert response.json()["field"] == field, (url, day, response.text)


async def test_times_outside_2000_to_2100_are_a_422_naming_the_field(client, world):
    auth = await api_token(client, "agnieszka@example.nl")
    for start in ("0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59-23:59"):
        asked = [
            ("/api/handovers", body(world, start=start)),
            ("/api/staff/appointments", {"point": world["veghel"], "topic": world["topic"],
             "language": "pl", "channel": "phone", "start": start, "phone": "+48601234567"}),
            ("/api/appointments", {"point": world["veghel"], "topic": world["topic"],
             "language": "pl", "start": start, "phone": "+48601234567"}),
        ]  # fmt: skip
        for url, sent in asked:
            response = await client.post(url, json=sent, headers=auth)
            assert response.status_code == 422, (url, start, response.text)
            assert response.json()["field"] == "start", (url, start, response.text)


async def test_far_days_on_staff_pages_are_refused_or_ignored_without_a_500(client, world):
    await log_in(client, "agnieszka@example.nl")
    for day in FAR_DAYS:
        for url in (
            f"/staff/agenda?day={day}",
            f"/staff/points/{world['veghel']}/agenda?day={day}",
            f"/staff/points/{world['veghel']}/book?day={day}",
            f"/pl/t/registration/p/veghel/{day}",
        ):
            response = await client.get(url)
            assert response.status_code in (200, 404, 422), (url, response.text[:300])


def deep(depth: int, opener: str = "[", closer: str = "]") -> str:
    return opener * depth + closer * depth


@pytest.mark.parametrize("url", ["/api/appointments", "/api/staff/appointments", "/api/handovers"])
async def test_json_nested_100_000_deep_is_refused_before_it_is_decoded(client, world, url):
    auth = await api_token(client, "agnieszka@example.nl")
    for sent in (
        deep(100_000),
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        '{"point": ' + deep(MAX_DEPTH + 1) + "}",
    ):
        # Litestar decodes JSON whatever the content type says.
        for content_type in ("application/json", "text/plain", "application/x-json"):
            response = await client.post(
                url, content=sent, headers={**auth, "content-type": content_type}
            )
            assert response.status_code == 422, (content_type, response.text[:300])
            assert response.json()["code"] == "too_deep"
    # Brackets inside strings are text, not nesting.
    within = await client.post(url, json={"first_name": "[" * 1000}, headers=auth)
    assert within.status_code == 422 and within.json()["code"] != "too_deep", within.text


CONTROL = ("\x00", "\x07", "\x1b", "\x7f")


def text_fields(schema: dict) -> list[tuple[str, str, str]]:
    """(method, path, field) for every string property of every JSON request body."""
    components = schema["components"]["schemas"]
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            if not ref:
                continue
            properties = components[ref.rsplit("/", 1)[1]].get("properties", {})
            for name, spec in properties.items():
                kinds = str([spec.get("type"), *(s.get("type") for s in spec.get("oneOf", []))])
                if "string" in kinds:
                    found.append((method.upper(), path, name))
    return found


async def test_control_characters_in_every_api_text_field_are_a_422_naming_it(client, world):
    auth = await api_token(client, "agnieszka@example.nl")
    schema = (await client.get("/schema/openapi.json")).json()
    fields = text_fields(schema)
    assert len(fields) >= 25, fields
    for method, template, field in fields:
        if "login" in template:
            continue  # a failed login: tests/web/test_staff.py
        path = re.sub(r"\{[^}]+\}", lambda m: "1" if "id" in m.group() else "t" * 32, template)
        for character in CONTROL:
            sent = json.dumps({field: f"a{character}b"})
            for content_type in ("application/json", "text/plain"):
                response = await client.request(
                    method, path, content=sent, headers={**auth, "content-type": content_type}
                )
                assert response.status_code == 422, (path, field, response.text)
                assert response.json()["code"] == "unstorable", (path, field, response.text)
                assert response.json()["field"] == field


async def test_control_characters_in_queries_and_paths_are_a_422(client, world):
    auth = await api_token(client, "agnieszka@example.nl")
    for url in (
        f"/api/slots?point={world['veghel']}&topic=1&language=p%00l&from=2026-12-01&to=2026-12-01",
        "/api/appointments/" + "a" * 20 + "%00",
        "/api/topics?lang=%1b",
        "/pl/t/registration%00/p/veghel",
    ):
        response = await client.get(url, headers=auth)
        assert response.status_code in (404, 422), (url, response.text[:300])
        assert response.status_code == 422 or url.startswith("/pl"), url


async def test_control_characters_in_page_forms_are_refused_with_nothing_written(client, world):
    await log_in(client, "agnieszka@example.nl")
    token = await csrf(client, "/staff/")
    for url, form in (
        (f"/staff/points/{world['veghel']}/walk-in",
         {"topic": str(world["topic"]), "language": "pl", "first_name": "Jan\x00"}),
        ("/staff/handovers/", {"note": "line one\x00", "phone": "+48601234567"}),
        ("/staff/subject-access", {"phone": "+48601\x00234567"}),
    ):  # fmt: skip
        response = await client.post(url, data={"_csrf_token": token, **form})
        assert response.status_code == 422, (url, response.text[:300])
        assert UNSTORABLE["nl"] in response.text  # the account's language
    client.cookies.clear()
    booked = await client.post(
        "/pl/t/registration/p/veghel/book", data={"phone": "+48601234567", "first_name": "J\x00"}
    )
    assert booked.status_code == 422, booked.text[:300]
    assert UNSTORABLE["pl"] in booked.text
    assert await Appointment.count() == 0 and await MigrantContact.count() == 0


async def test_ids_past_the_range_in_page_forms_and_queries_are_no_such_id(client, world):
    await log_in(client, "agnieszka@example.nl")
    token = await csrf(client, "/staff/")
    veghel = world["veghel"]
    for value in (str(2**31), str(10**30)):
        for method, url, form in (
            ("POST", f"/staff/points/{veghel}/walk-in", {"topic": value, "language": "pl"}),
            ("GET", f"/staff/points/{veghel}/book?topic={value}&day=2026-12-01", None),
            ("GET", f"/staff/handovers/new?appointment={value}&point={value}", None),
            ("POST", "/staff/handovers/", {"appointment": value, "point": value,
                                            "agency": value, "topic": value}),
        ):  # fmt: skip
            data = {"_csrf_token": token, **form} if form else None
            response = await client.request(method, url, data=data)
            assert response.status_code in (200, 404, 422), (url, response.text[:300])
