"""booking/sealing.py: what is sealed opens only under this installation's key, for its
purpose and for the row it belongs to, and unchanged; the sealed text never shows the
plaintext."""

import pytest

from booking import sealing

KEY = b"this installation's secret key, 32+ bytes"


def test_a_sealed_value_opens_for_its_purpose_and_owner_only():
    sealed = sealing.seal(KEY, "sms-code", "sms-code", "123456")
    assert sealing.unseal(KEY, "sms-code", "sms-code", sealed) == "123456"
    assert "123456" not in sealed and sealed.isascii()
    assert sealing.seal(KEY, "sms-code", "sms-code", "123456") != sealed  # a fresh nonce
    with pytest.raises(sealing.Unsealable):
        sealing.unseal(KEY, "totp", "sms-code", sealed)
    with pytest.raises(sealing.Unsealable):
        sealing.unseal(KEY, "sms-code", "account:12", sealed)


@pytest.mark.parametrize("change", [lambda s: s[:-2] + ("AA" if s[-2:] != "AA" else "BB"),
                                    lambda s: s.removeprefix("s1."), lambda s: "s1.%%%"])  # fmt: skip
def test_a_changed_value_does_not_open(change):
    sealed = sealing.seal(KEY, "sms-code", "sms-code", "123456")
    with pytest.raises(sealing.Unsealable):
        sealing.unseal(KEY, "sms-code", "sms-code", change(sealed))


def test_another_key_does_not_open_it():
    sealed = sealing.seal(KEY, "sms-code", "sms-code", "123456")
    with pytest.raises(sealing.Unsealable):
        sealing.unseal(b"another installation's key", "sms-code", "sms-code", sealed)
