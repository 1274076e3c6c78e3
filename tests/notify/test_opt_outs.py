"""README: "Opt-outs are kept per number as keyed hashes" (issue 11): STOP leaves no number
behind, and only this installation's key recognises the number again."""

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

from booking.db.tables import SmsOptOut
from booking.domain.policy import Policy
from booking.notify import opt_out

NUMBER = "+48601234567"
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


async def test_stop_keeps_a_keyed_hash_and_no_number(db, settings):
    policy = Policy.from_settings(settings)
    await opt_out.stop(policy, NUMBER, NOW)
    await opt_out.stop(policy, NUMBER, NOW)  # twice is once
    rows = await SmsOptOut.select()
    assert len(rows) == 1
    stored = " ".join(str(v) for v in rows[0].values())
    assert "601234567" not in stored and "601 234 567" not in stored
    plain = {hashlib.new(name, text.encode()).hexdigest() for name in ("sha256", "sha1", "md5")
             for text in (NUMBER, NUMBER[1:])}  # fmt: skip
    assert rows[0]["key_hash"] not in plain
    assert await opt_out.stopped(policy, [NUMBER, "+40721234567"]) == {NUMBER}
    elsewhere = replace(policy, secret=b"another installation's key")
    assert await opt_out.stopped(elsewhere, [NUMBER]) == set()
    await opt_out.start(policy, NUMBER)
    assert await SmsOptOut.count() == 0
