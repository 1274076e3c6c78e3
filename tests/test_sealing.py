"""booking/sealing.py: what is sealed opens only for its purpose, under this installation's
key, and unchanged; the sealed text never shows the plaintext."""

from dataclasses import replace

import pytest

from booking import sealing
from booking.settings import get_settings


def test_a_sealed_value_opens_for_its_purpose_only():
    sealed = sealing.seal("sms-code", "123456")
    assert sealing.unseal("sms-code", sealed) == "123456"
    assert "123456" not in sealed and sealed.isascii()
    assert sealing.seal("sms-code", "123456") != sealed  # a fresh nonce every time
    with pytest.raises(sealing.Unsealable):
        sealing.unseal("totp-secret", sealed)


@pytest.mark.parametrize("change", [lambda s: s[:-2] + ("AA" if s[-2:] != "AA" else "BB"),
                                    lambda s: s.removeprefix("s1."), lambda s: "s1.%%%"])  # fmt: skip
def test_a_changed_value_does_not_open(change):
    with pytest.raises(sealing.Unsealable):
        sealing.unseal("sms-code", change(sealing.seal("sms-code", "123456")))


def test_another_key_does_not_open_it(monkeypatch):
    sealed = sealing.seal("sms-code", "123456")
    other = replace(get_settings(), secret_key="another-installation-" + "k" * 32)
    monkeypatch.setattr(sealing, "get_settings", lambda: other)
    with pytest.raises(sealing.Unsealable):
        sealing.unseal("sms-code", sealed)
