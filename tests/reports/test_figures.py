"""Report figures against counts worked out by hand on a fixed week (issue 7)."""

import itertools
import re
from collections import Counter
from datetime import date, datetime, timedelta

from booking.domain.opening_hours import zone
from booking.reports import charts
from booking.reports.figures import (
    Cell,
    Interpreting,
    Rate,
    Tally,
    by_day_and_evening,
    cancellation_rate,
    count_by,
    evening_and_weekend,
    heatmap,
    held,
    interpreter_hours,
    lead_times,
    months_in,
    no_show_rate,
    suppress,
    trend,
    week_of,
    weeks_in,
)
from booking.reports.stamps import stamp

AMS = zone("Europe/Amsterdam")


def fact(language, topic, channel, status, local_start, booked_before):
    """One appointment, as a group of one."""
    start = local_start.replace(tzinfo=AMS)
    s = stamp(start, start - booked_before, AMS)
    return Tally(1, status, 1, topic, language, channel, s.local_date, s.local_weekday,
                 s.local_hour, s.lead_days, s.lead_minutes)  # fmt: skip


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


def test_a_lone_hidden_period_or_hour_is_not_left_recoverable_from_the_total():
    # The total of appointments is published in every other table, so a trend or a heatmap
    # with exactly one hidden cell hides the next smallest too.
    weeks = [*WEEK, fact("pl", "A", "online", "done", datetime(2026, 12, 8, 18), timedelta(0))]
    assert [(w, c.shown) for w, c in trend(weeks, week_of)] == [
        ("2026-W49", "-"),
        ("2026-W50", "<5"),
    ]
    grid = heatmap(WEEK[:6] + WEEK[11:])  # 6 on Tuesday 18:00, 1 on Thursday 19:00
    assert grid[1][18] == Cell(6, True) and grid[3][19] == Cell(1, True)


def test_trends_list_every_period_of_the_range_with_zeros():
    assert weeks_in(date(2026, 12, 31), date(2027, 1, 11)) == ["2026-W53", "2027-W01", "2027-W02"]
    assert months_in(date(2026, 11, 30), date(2027, 2, 1)) == [
        "2026-11", "2026-12", "2027-01", "2027-02",
    ]  # fmt: skip
    every = weeks_in(date(2026, 11, 23), date(2026, 12, 13))
    assert [(w, c.shown) for w, c in trend(WEEK, week_of, every)] == [
        ("2026-W48", "0"), ("2026-W49", "10"), ("2026-W50", "0"),
    ]  # fmt: skip


def test_the_heatmap_shows_the_hours_that_have_appointments():
    assert charts.hours_of(heatmap(WEEK)) == list(range(10, 20))
    assert charts.hours_of(heatmap([])) == list(range(8, 22))


def test_long_bar_labels_are_shortened_but_kept_whole_in_the_title():
    name = "Registration in the municipality (BRP/RNI)"
    svg = str(charts.bars("Topics", [(name, Cell(7))]))
    assert ">Registration in the mun…</text>" in svg and f"<title>{name}: 7</title>" in svg


def test_the_week_trend_labels_never_run_into_each_other():
    """Issue 16: thirteen weeks drew "2026-W362026-W37..."; each label now has its width."""
    for weeks in (3, 13, 27, 53):
        labels = [f"2026-W{n:02d}" for n in range(1, weeks + 1)]
        svg = str(charts.line("Per week", [(w, Cell(20)) for w in labels]))
        drawn = re.findall(
            r'<text x="([\d.]+)" y="226" text-anchor="middle"[^>]*>([^<]+)</text>', svg
        )
        assert drawn and drawn[0][1] == labels[0]
        xs = [float(x) for x, _ in drawn]
        width = len(labels[0]) * charts.CHAR_WIDTH
        assert all(b - a >= width + 8 for a, b in itertools.pairwise(xs)), (weeks, xs)


def test_merging_the_hours_of_a_day_keeps_every_figure_of_the_times():
    """by_day_and_evening reads each day's hours as daytime or evening only, like the
    figures do: weeks, months, shares and rates are those of the rows by hour."""
    start = datetime(2026, 10, 24, 8, 0)  # Saturday, the last weekend of summer time
    statuses = ("booked", "arrived", "done", "no_show", "cancelled")
    facts = [
        fact(
            "pl",
            1,
            "online",
            statuses[n % 5],
            start + timedelta(hours=n * 5 % 70),
            timedelta(days=1),
        )
        for n in range(60)
    ]
    merged = by_day_and_evening(facts)
    assert len(merged) < len(facts) and sum(f.count for f in merged) == len(facts)
    for figure in (evening_and_weekend, no_show_rate, cancellation_rate):
        assert figure(merged) == figure(facts)
    weeks = weeks_in(date(2026, 10, 19), date(2026, 11, 1))
    assert trend(merged, week_of, weeks) == trend(facts, week_of, weeks)
