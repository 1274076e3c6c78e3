"""Report figures against counts worked out by hand on a fixed week (issue 7)."""

from collections import Counter
from datetime import datetime, timedelta

from booking.domain.opening_hours import zone
from booking.reports import charts
from booking.reports.figures import (
    Cell,
    Fact,
    Interpreting,
    Rate,
    cancellation_rate,
    count_by,
    evening_and_weekend,
    heatmap,
    held,
    interpreter_hours,
    lead_times,
    no_show_rate,
    suppress,
    trend,
    week_of,
)

AMS = zone("Europe/Amsterdam")


def fact(language, topic, channel, status, local_start, booked_before):
    start = local_start.replace(tzinfo=AMS)
    return Fact(1, topic, language, channel, status, start, start + timedelta(minutes=30),
                start - booked_before, AMS)  # fmt: skip


#: The week of 30 November 2026, by hand:
#: 6 Polish on Tuesday 18:00 (done, booked 2 hours before), 3 Romanian on Saturday 10:00
#: (2 done, 1 no-show, booked 2 days before), 2 Bulgarian on Wednesday 11:00 (cancelled),
#: 1 Ukrainian handover on Thursday 19:00 (arrived, booked 10 days before).
WEEK = (
    [fact("pl", "A", "online", "done", datetime(2026, 12, 1, 18), timedelta(hours=2))] * 6
    + [fact("ro", "B", "phone", s, datetime(2026, 12, 5, 10), timedelta(days=2))
       for s in ("done", "done", "no_show")]
    + [fact("bg", "A", "walk_in", "cancelled", datetime(2026, 12, 2, 11), timedelta(days=1))] * 2
    + [fact("uk", "B", "handover", "arrived", datetime(2026, 12, 3, 19), timedelta(days=10))]
)  # fmt: skip


def test_counts_by_language_hide_small_ones():
    table = suppress(count_by(held(WEEK), lambda f: f.language))
    assert table.shown() == [("pl", "6"), ("ro", "<5"), ("uk", "<5")]
    assert table.total == Cell(10)


def test_one_hidden_count_beside_a_total_hides_the_next_smallest_too():
    table = suppress(count_by(held(WEEK), lambda f: f.topic_id))
    assert table.shown() == [("A", "-"), ("B", "<5")]  # else B = 10 - 6
    assert suppress(count_by(held(WEEK), lambda f: f.topic_id), with_total=False).shown() == [
        ("A", "6"),
        ("B", "<5"),
    ]
    assert suppress(Counter({"x": 0, "y": 7})).shown() == [("y", "7"), ("x", "0")]


def test_shares_of_evening_weekend_no_shows_and_cancellations():
    shares = evening_and_weekend(WEEK)
    assert shares["evening"] == Rate(7, 10) and shares["evening"].shown == "70%"
    assert shares["weekend"].shown == "<5"
    assert shares["evening_or_weekend"].shown == "100%"
    assert no_show_rate(WEEK) == Rate(1, 10) and no_show_rate(WEEK).shown == "<5"
    assert cancellation_rate(WEEK) == Rate(2, 12) and cancellation_rate(WEEK).shown == "<5"
    assert Rate(0, 3).shown == "-" and Rate(5, 20).shown == "25%"


def test_lead_times_heatmap_and_trend():
    buckets, middle = lead_times(WEEK)
    assert buckets.shown() == [
        ("same day", "6"), ("1-2 days", "<5"), ("3-7 days", "0"), ("8-14 days", "<5"),
        ("15+ days", "0"),
    ]  # fmt: skip
    assert middle == 0.1  # six of ten booked two hours ahead
    grid = heatmap(WEEK)
    assert grid[1][18] == Cell(6) and grid[5][10] == Cell(3, True) and grid[3][19] == Cell(1, True)
    assert sum(c.count for row in grid for c in row) == 10
    assert trend(WEEK, week_of) == [("2026-W49", Cell(10))]


def test_interpreter_hours_need_five_sessions():
    sessions = [Interpreting("ro", 1.0)] * 5 + [Interpreting("bg", 0.5)] * 2
    assert interpreter_hours(sessions) == {"bg": None, "ro": 5.0}


def test_charts_draw_hidden_counts_without_giving_them_away():
    table = suppress(count_by(held(WEEK), lambda f: f.language))
    svg = str(charts.bars("By <language>", [(k, c) for k, c in table.rows]))
    assert svg.startswith("<svg") and "By &lt;language&gt;" in svg
    assert svg.count('fill="#d8d8d8"') == 2 and "&lt;5" in svg
    map_svg = str(charts.heatmap("Week", heatmap(WEEK), ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]))
    assert ">6</text>" in map_svg and ">3</text>" not in map_svg and ">1</text>" not in map_svg
    assert "<polyline" in str(charts.line("Trend", [("W1", Cell(9)), ("W2", Cell(12))]))
