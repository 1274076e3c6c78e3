"""A wrong code on the code page says how many tries are left, in the person's language
with its plural forms (the API: tests/web/test_verification.py)."""

import html

import pytest

from tests import factories
from tests.web.test_pages import form_post, hold_via_pages, veghel  # noqa: F401

LEFT = {
    "pl": {
        4: "zostały Ci 4 próby.",
        3: "zostały Ci 3 próby.",
        2: "zostały Ci 2 próby.",
        1: "została Ci 1 próba.",
    },
    "nl": {4: "u kunt het nog 4 keer proberen.", 1: "u kunt het nog 1 keer proberen."},
    "en": {4: "4 tries left.", 1: "1 try left."},
}
PHONES = {"pl": "+48 601 234 567", "nl": "+31 6 12345678", "en": "+40 721 234 567"}


@pytest.mark.parametrize("language", list(LEFT))
async def test_each_wrong_code_says_how_many_tries_are_left(client, veghel, language):  # noqa: F811
    code_page = await hold_via_pages(client, lang=language, phone=PHONES[language])
    wrong = "000000" if await factories.sms_code() != "000000" else "111111"
    for left in (4, 3, 2, 1):
        page = await form_post(client, code_page, code_page, code=wrong)
        assert page.status_code == 422
        if left in LEFT[language]:
            assert LEFT[language][left] in html.unescape(page.text), (language, left)
