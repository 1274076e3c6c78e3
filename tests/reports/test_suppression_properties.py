"""Small-count suppression against an attacker who reads the published table (issue 11).

The oracle knows nothing of how ``suppress`` chooses cells: it reads only what a report shows
(numbers, "<5" for 1 to 4, "-" for a hidden count of 5 or more, and the total) and works out,
by interval arithmetic over the total, every value each hidden cell could have. A hidden cell
whose value it can pin down is a leak.
"""

from collections import Counter

from hypothesis import example, given
from hypothesis import strategies as st

from booking.reports.figures import suppress

SMALL_RANGE = (1, 4)
#: "-" says "5 or more"; the total bounds it from above.
LARGE_FLOOR = 5


def possible_values(shown: list[tuple[str, str]], total: str) -> dict[str, tuple[int, int]]:
    """For every hidden cell, the smallest and largest count consistent with the page."""
    exact = sum(int(value) for _, value in shown if value.isdigit())
    bounds = {
        key: SMALL_RANGE if value == "<5" else (LARGE_FLOOR, 10**9)
        for key, value in shown
        if not value.isdigit()
    }
    if total.isdigit():
        left = (int(total) - exact, int(total) - exact)
    else:
        left = (
            (SMALL_RANGE[0] - exact, SMALL_RANGE[1] - exact)
            if total == "<5"
            else (LARGE_FLOOR - exact, 10**9)
        )
    found = {}
    for key, (low, high) in bounds.items():
        others_low = sum(lo for k, (lo, _) in bounds.items() if k != key)
        others_high = sum(hi for k, (_, hi) in bounds.items() if k != key)
        found[key] = (max(low, left[0] - others_high), min(high, left[1] - others_low))
    return found


counts = st.dictionaries(
    st.sampled_from("ABCDEFGH"),
    st.one_of(st.integers(0, 12), st.integers(0, 200)),
    max_size=8,
).map(Counter)


@given(counts)
@example(Counter({"A": 20, "B": 5, "C": 1}))  # the lone 1 and the 5 hidden beside it sum to 6
@example(Counter({"A": 10, "B": 1, "C": 1}))  # two hidden ones that can only be 1 each
@example(Counter({"A": 4, "B": 4}))  # a total of 8 over two hidden cells: both 4
@example(Counter({"A": 1, "B": 1, "C": 1, "D": 1}))  # a total "<5" over four "<5": all 1
def test_no_hidden_count_can_be_worked_out_from_what_is_shown(table_counts):
    table = suppress(table_counts)
    shown, total = table.shown(), table.total.shown
    for key, value in shown:
        true = table_counts[key]
        if value.isdigit():
            assert int(value) == true and not 0 < true < 5
        else:
            assert value == ("<5" if 0 < true < 5 else "-") and true > 0
    assert total == str(sum(table_counts.values())) or not total.isdigit()
    for key, (low, high) in possible_values(shown, total).items():
        assert low <= table_counts[key] <= high, (key, low, high)
        assert low < high, f"{key} = {low} can be worked out from {shown}, total {total}"


@given(counts)
@example(Counter({"A": 6, "B": 6, "C": 4}))  # largest first: hidden B <= A = 6, so C = 4
def test_the_place_of_a_hidden_row_says_nothing_about_its_size(table_counts):
    """Rows are largest first, but hidden ones follow the shown ones in the order of their
    names, so a hidden row's place cannot bound it by its neighbours."""
    shown = suppress(table_counts).shown()
    hidden = [i for i, (_, value) in enumerate(shown) if not value.isdigit()]
    nonzero = [i for i, (_, value) in enumerate(shown) if value.isdigit() and value != "0"]
    assert all(i < j for i in nonzero for j in hidden)
    names = [str(shown[i][0]) for i in hidden]
    assert names == sorted(names)
    numbers = [int(value) for i, (_, value) in enumerate(shown) if i in nonzero]
    assert numbers == sorted(numbers, reverse=True)


@given(counts)
def test_without_a_total_only_the_small_counts_are_hidden(table_counts):
    for key, value in suppress(table_counts, with_total=False).shown():
        assert value == ("<5" if 0 < table_counts[key] < 5 else str(table_counts[key]))
