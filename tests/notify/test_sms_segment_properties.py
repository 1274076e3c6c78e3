"""SMS encoding and segment counts against an oracle built from 3GPP TS 23.038 (issue 11).

The oracle has its own copy of the GSM 7-bit default alphabet, written out by code position
as the standard's table is, and its extension table reached through ESC (0x1B). It encodes a
text character by character (septets, or UTF-16 code units for UCS-2) and fills the parts of
a concatenated message one whole character at a time, as senders do.
"""

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from booking.notify.gsm import for_sms, is_gsm7, segments

#: TS 23.038 6.2.1, positions 0x00 to 0x7F; 0x1B (ESC) is the escape to the extension table.
DEFAULT_ALPHABET = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
#: TS 23.038 6.2.1.1, the characters of the extension table and their positions.
EXTENSION_TABLE = {
    0x0A: "\f", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\",
    0x3C: "[", 0x3D: "~", 0x3E: "]", 0x40: "|", 0x65: "€",
}  # fmt: skip
ESC = 0x1B
#: Septets (GSM-7) or UTF-16 code units (UCS-2): one part alone, and per part of several
#: (the user data header of a concatenated message takes the rest).
CAPACITY = {"GSM-7": (160, 153), "UCS-2": (70, 67)}


def encode(text: str) -> tuple[str, list[int]]:
    """The encoding and the size of each character in it."""
    extension = set(EXTENSION_TABLE.values())
    septets = []
    for char in text:
        if char in extension:
            septets.append(2)  # ESC, then the character's place in the extension table
        elif char in DEFAULT_ALPHABET and DEFAULT_ALPHABET.index(char) != ESC:
            septets.append(1)
        else:
            units = [len(char.encode("utf-16-le")) // 2 for char in text]
            return "UCS-2", units
    return "GSM-7", septets


def parts(text: str) -> tuple[str, int, bool]:
    """The encoding, the number of parts, and whether a character was moved on whole
    because it would not fit the end of a part."""
    encoding, sizes = encode(text)
    single, per_part = CAPACITY[encoding]
    if sum(sizes) <= single:
        return encoding, 1, False
    count, room, moved = 1, per_part, False
    for size in sizes:
        if size > room:
            count, moved = count + 1, moved or room > 0
            room = per_part
        room -= size
    return encoding, count, moved


CHARACTERS = [*DEFAULT_ALPHABET.replace("\x1b", ""), *EXTENSION_TABLE.values()]
#: Texts as runs of one character, so that lengths near each part's end come up often.
RUNS = st.lists(
    st.tuples(st.sampled_from([*CHARACTERS, "ж", "ł", "ș", "😀"]), st.integers(1, 170)),
    max_size=5,
).map(lambda runs: "".join(char * n for char, n in runs))
GSM_RUNS = st.lists(st.tuples(st.sampled_from(CHARACTERS), st.integers(1, 170)), max_size=5).map(
    lambda runs: "".join(char * n for char, n in runs)
)


@given(st.one_of(RUNS, GSM_RUNS, st.text(st.sampled_from(CHARACTERS))))
@example("a" * 160)
@example("a" * 161)
@example("€" * 80)
@example("a" * 306)
@example("a" * 307)
@example("ж" * 70)
@example("ж" * 71)
@example("ж" * 134)
@example("ж" * 135)
def test_segments_agree_with_the_standard(text):
    encoding, count, _ = parts(text)
    assert is_gsm7(text) == (encoding == "GSM-7")
    assert segments(text) == (encoding, count)


@pytest.mark.parametrize("text", ["a" * 152 + "€" + "a" * 152, "ж" * 66 + "😀" + "ж" * 66])
def test_a_character_that_does_not_fit_the_end_of_a_part_starts_the_next(text):
    encoding, count, moved = parts(text)
    assert moved  # the example is the case it names
    assert segments(text) == (encoding, count)


POLISH = "aąbcćdeęfghijklłmnńoóprsśtuwyzźżAĄBCĆDEĘFGHIJKLŁMNŃOÓPRSŚTUWYZŹŻ"
ROMANIAN = "aăâbcdefghiîjklmnopqrsștțuvwxyzşţAĂÂBCDEFGHIÎJKLMNOPQRSȘTȚUVWXYZŞŢ"


@given(st.text(alphabet=st.sampled_from([*POLISH, " ", ",", "."])))
@example("Zażółć gęślą jaźń")
def test_polish_travels_in_gsm_7_with_one_letter_for_each(text):
    sent = for_sms(text, "pl")
    assert encode(sent)[0] == "GSM-7" and len(sent) == len(text)


@given(st.text(alphabet=st.sampled_from([*ROMANIAN, " ", ",", "."])))
def test_romanian_travels_in_gsm_7_with_one_letter_for_each(text):
    sent = for_sms(text, "ro")
    assert encode(sent)[0] == "GSM-7" and len(sent) == len(text)


@given(st.text(alphabet=st.sampled_from([*"абвгґдеєжзиіїйклмнопрстуфхцчшщьюя", " ", "1"])))
def test_cyrillic_is_never_changed_so_it_stays_ucs_2(text):
    assume(any(char.isalpha() for char in text))
    for language in ("uk", "bg"):
        sent = for_sms(text, language)
        assert sent == text and encode(sent)[0] == "UCS-2"
