"""A body past the 10 MB limit is refused by Litestar before any handler reads it; the 413
must still be Loket's own answer: the staff or the migrant error page in the reader's
language, or the API's problem JSON, never Litestar's English default, nothing written."""

from booking.db.tables import Appointment, Point
from booking.web.bounds import MAX_BODY_BYTES
from tests.web.test_onboarding import XLSX, coordinator, upload  # noqa: F401  (the fixture)
from tests.web.test_staff import world  # noqa: F401  (the fixture)

TOO_LARGE = {
    "nl": "Wat u hebt gestuurd is te groot (hoogstens 10 MB). Stuur een kleiner bestand.",
    "pl": "Przesłane dane są za duże (najwyżej 10 MB). Wyślij mniejszy plik.",
}


def english_default(text: str) -> bool:
    return "Request Entity Too Large" in text or '"status_code"' in text


async def test_an_upload_of_10_mb_and_a_byte_is_a_413_on_the_staff_error_page(
    client,
    coordinator,  # noqa: F811
):
    assert MAX_BODY_BYTES == 10_000_000
    sheet = ("region.xlsx", b"x" * (MAX_BODY_BYTES + 1), XLSX)
    refused = await upload(client, coordinator, sheet)
    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith("text/html")
    assert 'lang="nl"' in refused.text and TOO_LARGE["nl"] in refused.text
    assert 'href="/staff/"' in refused.text  # the back office's way back
    assert not english_default(refused.text)
    assert await Point.count() == 0


async def test_a_migrant_page_answers_a_too_large_form_in_their_language(client, world):  # noqa: F811
    refused = await client.post(
        "/pl/t/housing/p/veghel/book",
        content=b"phone=" + b"1" * MAX_BODY_BYTES,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert refused.status_code == 413
    assert 'lang="pl"' in refused.text and TOO_LARGE["pl"] in refused.text
    assert 'href="/pl/"' in refused.text
    assert not english_default(refused.text)
    assert await Appointment.count() == 0


async def test_the_api_answers_a_too_large_body_with_its_problem_json(client, world):  # noqa: F811
    refused = await client.post(
        "/api/appointments",
        content=b'{"phone": "' + b"1" * MAX_BODY_BYTES + b'"}',
        headers={"content-type": "application/json", "accept-language": "pl"},
    )
    assert refused.status_code == 413
    assert refused.json() == {"code": "too_large", "message": TOO_LARGE["pl"], "field": None}
