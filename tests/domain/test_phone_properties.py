"""Phone numbers as people type them, against the national numbering plans (issue 11).

The oracle is not libphonenumber: it builds numbers from the mobile ranges the regulators
publish (Dutch 06-1 to 06-5 and 06-8, Polish, Romanian, Bulgarian and Ukrainian mobile
prefixes), writes them the ways people do, and knows the E.164 form it put together.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.domain.errors import InvalidPhone
from booking.domain.phone import masked, mobile_e164

#: Country code, mobile prefixes after it, and how many digits follow the prefix.
MOBILE_PLANS = {
    "31": (("61", "62", "63", "64", "65", "68"), 7),
    "48": (("45", "50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"), 7),
    "40": (("72", "73", "74", "75", "76", "77"), 7),
    "359": (("87", "88", "89"), 7),
    "380": (("50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"), 7),
}
#: Dutch geographic numbers (Rotterdam, Amsterdam, Utrecht, Eindhoven, 's-Hertogenbosch,
#: Veghel, Uden): a fixed line takes no text message.
DUTCH_AREA_CODES = ("10", "20", "30", "40", "73", "413")

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@st.composite
def mobile(draw, country: str | None = None):
    """(national significant number, country code) of a mobile number."""
    country = country or draw(st.sampled_from(sorted(MOBILE_PLANS)))
    prefixes, rest = MOBILE_PLANS[country]
    tail = "".join(draw(st.lists(digits, min_size=rest, max_size=rest)))
    return country, draw(st.sampled_from(prefixes)) + tail


@st.composite
def written(draw, country: str, national: str) -> str:
    """The number as a person might type it: international or (Dutch only) national form,
    with spaces, dashes, dots or nothing between groups, and stray spaces around it."""
    forms = [f"+{country}", f"00{country}"]
    if country == "31":
        forms += ["0", "+31 (0)"]
    start = draw(st.sampled_from(forms))
    separator = draw(st.sampled_from(["", " ", "-", ".", "  "]))
    cuts = sorted(draw(st.sets(st.integers(1, len(national) - 1), max_size=3)))
    groups = [national[a:b] for a, b in zip([0, *cuts], [*cuts, len(national)], strict=True)]
    padding = draw(st.sampled_from(["", " ", "\t"]))
    return f"{padding}{start}{draw(st.sampled_from(['', ' ']))}{separator.join(groups)}{padding}"


@given(st.data())
def test_every_way_of_writing_a_mobile_number_gives_its_e164_form(data):
    country, national = data.draw(mobile())
    typed = data.draw(written(country, national))
    assert mobile_e164(typed) == f"+{country}{national}", typed


@given(mobile())
def test_the_e164_form_reads_back_as_itself_and_masks_all_but_three_digits(number):
    country, national = number
    e164 = f"+{country}{national}"
    assert mobile_e164(e164) == e164
    assert masked(e164) == f"+{country} *** *** {national[-3:]}"


@given(st.sampled_from(DUTCH_AREA_CODES), st.data())
def test_dutch_fixed_lines_are_refused(area, data):
    rest = "".join(data.draw(st.lists(digits, min_size=9 - len(area), max_size=9 - len(area))))
    for typed in (f"0{area}{rest}", f"+31{area}{rest}"):
        with pytest.raises(InvalidPhone):
            mobile_e164(typed)


@given(mobile(), st.sampled_from(["drop", "add"]), digits)
def test_a_digit_too_few_or_too_many_is_refused(number, change, digit):
    country, national = number
    wrong = national[:-1] if change == "drop" else national + digit
    with pytest.raises(InvalidPhone):
        mobile_e164(f"+{country}{wrong}")


@given(st.text(max_size=40))
def test_anything_else_is_refused_or_a_clean_e164_number(text):
    try:
        e164 = mobile_e164(text)
    except InvalidPhone:
        return
    assert e164.startswith("+") and e164[1:].isdigit() and 8 <= len(e164) <= 16
