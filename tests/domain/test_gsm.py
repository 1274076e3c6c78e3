"""SMS encoding and length."""

from booking.notify.gsm import for_sms, is_gsm7, segments


def test_polish_and_romanian_lose_only_their_diacritics():
    assert for_sms("Środa, 2 października, Łódź", "pl") == "Sroda, 2 pazdziernika, Lodz"
    assert for_sms("Mâine, în Ștefănești: țară", "ro") == "Maine, in Stefanesti: tara"
    assert is_gsm7(for_sms("Zażółć gęślą jaźń", "pl"))


def test_cyrillic_stays_and_cldr_spaces_become_plain():
    assert for_sms("вівторок, 1\u202fгрудня\u00a018:30", "uk") == "вівторок, 1 грудня 18:30"
    assert not is_gsm7(for_sms("вівторок", "uk"))
    assert for_sms("18:30\u202fPM", "en") == "18:30 PM"


def test_segments_follow_the_encoding():
    assert segments("a" * 160) == ("GSM-7", 1)
    assert segments("a" * 161) == ("GSM-7", 2)
    assert segments("€" * 80) == ("GSM-7", 1)
    assert segments("€" * 81) == ("GSM-7", 2)
    assert segments("ж" * 70) == ("UCS-2", 1)
    assert segments("ж" * 71) == ("UCS-2", 2)
    assert segments("ж" * 134) == ("UCS-2", 2)
    assert segments("ж" * 135) == ("UCS-2", 3)
