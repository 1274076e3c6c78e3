"""The phone-number pattern of the log scan: it finds numbers as people and code write them,
and leaves masked numbers, ids, timestamps and tokens alone."""

import logging

import pytest

from tests.log_scan import hits, mask, numbers_in, session_log


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("embedded SMS to +48601234567", "+48601234567"),
        ("To: +48 601 234 567, body", "+48 601 234 567"),
        ("form={'To': '+40712345678'}", "+40712345678"),
        ("call +31 6-1234 5678 back", "+31 6-1234 5678"),
        ("phone=0612345678", "0612345678"),
        ("bel 06-12345678 terug", "06-12345678"),
        ("06 1234 5678", "06 1234 5678"),
        ("GET /api/x?phone=%2B48601234567 HTTP/1.1", "+48601234567"),
        ("body To=%2B48%20601%20234%20567&Body=hi", "+48 601 234 567"),
    ],
)
def test_a_number_in_a_line_is_found(line, number):
    assert numbers_in(line) == [number]


@pytest.mark.parametrize(
    "line",
    [
        "embedded SMS (code, 61 chars) to +48•••••567",
        "embedded SMS (reminder, 80 chars) to +48 *** *** 567",
        "2026-12-01 08:00:00,123 INFO booking.worker ended 3 expired holds",
        "starts 2026-12-01T18:00:00+01:00 ends 2026-12-01T19:00:00+0100",
        "subject appointment:12345678901 at 1764576000",
        "provider id SM00000000000000000000000000000001, embedded-0612345678abcdef",
        "GET /en/m/aB3x0612345678yZ 200, token 06123456789012345",
        "uuid 123e4567-e89b-12d3-a456-426614174000, version 1.38.0",
    ],
)
def test_masked_numbers_ids_timestamps_and_tokens_are_not_numbers(line):
    assert numbers_in(line) == []


def test_the_report_masks_what_it_found(tmp_path):
    log = tmp_path / "run.log"
    log.write_text("fine\nsent to +48601234567 twice\n", encoding="utf-8")
    assert list(hits([log])) == ["run.log:2: sent to +48•••••567 twice"]
    assert mask("0612345678") == "061•••••678"


def test_info_records_of_the_run_reach_the_scanned_log():
    """The scan proves something only if INFO records are really written (tests/conftest.py)."""
    logging.getLogger("booking.log_scan_check").info("log scan marker 7f3a")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "log scan marker 7f3a" in session_log().read_text(encoding="utf-8")
