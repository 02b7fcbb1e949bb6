"""Suppression must hold against someone who does arithmetic on what is shown.

Two attackers, written independently of the algorithm:
- ``interval_attack`` solves every row and column (with its total) for what it can, using
  non-negativity and what the markers say ("<5" is 1-4, a dash at least 5), and repeats until
  nothing changes; a hidden entry whose bounds meet is recovered.
- ``exhaustive_attack`` (small tables) tries every filling of the hidden cells near the truth
  and recovers an entry when only one value fits everything shown.
Both must never recover anything from ``suppress_table``; and they do recover from primary
suppression alone, so they are not toothless.
"""

import itertools
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sporskifte.insights.suppression import (
    TOTAL,
    WITHHELD,
    SuppressedTable,
    is_hidden,
    suppress_list,
    suppress_nested,
    suppress_table,
)

T = 5
INF = math.inf


def grid_positions(table):
    rows, cols = [*table.rows, TOTAL], [*table.cols, TOTAL]
    return [(r, c) for r in rows for c in cols]


def lines(table):
    out = []
    for r in [*table.rows, TOTAL]:
        out.append(([(r, c) for c in table.cols], (r, TOTAL)))
    for c in [*table.cols, TOTAL]:
        out.append(([(r, c) for r in table.rows], (TOTAL, c)))
    return out


def domain(table, value):
    if not is_hidden(value):
        return (value, value)
    if table.withheld:
        return (0, INF)
    return (1, T - 1) if value == f"<{T}" else (T, INF)


def interval_attack(table):
    bounds = {p: domain(table, table.at(*p)) for p in grid_positions(table)}
    for _ in range(500):
        changed = False
        for members, total in lines(table):
            if not members:
                continue
            lo_sum = sum(bounds[m][0] for m in members)
            hi_sum = sum(bounds[m][1] for m in members)
            t_lo, t_hi = bounds[total]
            new_t = (max(t_lo, lo_sum), min(t_hi, hi_sum))
            if new_t != bounds[total]:
                bounds[total], changed = new_t, True
            t_lo, t_hi = bounds[total]
            for m in members:
                others_lo = lo_sum - bounds[m][0]
                others_hi = hi_sum - bounds[m][1] if bounds[m][1] != INF else None
                lo = t_lo - (others_hi if others_hi is not None else INF)
                hi = t_hi - others_lo
                new = (max(bounds[m][0], lo), min(bounds[m][1], hi))
                if new != bounds[m]:
                    bounds[m], changed = new, True
        if not changed:
            break
    return {
        p for p in grid_positions(table) if is_hidden(table.at(*p)) and bounds[p][0] == bounds[p][1]
    }


def exhaustive_attack(table, truth, radius=2):
    inner = [(r, c) for r in table.rows for c in table.cols]
    hidden = [p for p in inner if is_hidden(table.at(*p))]
    ranges = []
    for p in hidden:
        lo, hi = domain(table, table.at(*p))
        ranges.append(range(max(lo, truth[p] - radius), int(min(hi, truth[p] + radius)) + 1))
    seen = {p: set() for p in grid_positions(table) if is_hidden(table.at(*p))}
    for combo in itertools.product(*ranges):
        values = {p: truth[p] for p in inner} | dict(zip(hidden, combo, strict=True))
        full = dict(values)
        for r in table.rows:
            full[(r, TOTAL)] = sum(values[(r, c)] for c in table.cols)
        for c in table.cols:
            full[(TOTAL, c)] = sum(values[(r, c)] for r in table.rows)
        full[(TOTAL, TOTAL)] = sum(values.values())
        if all(
            domain(table, table.at(*p))[0] <= v <= domain(table, table.at(*p))[1]
            for p, v in full.items()
        ):
            for p in seen:
                seen[p].add(full[p])
    return {p for p, values in seen.items() if len(values) == 1}


def truth_of(cells, table):
    full = {(r, c): cells.get((r, c), 0) for r in table.rows for c in table.cols}
    for r in table.rows:
        full[(r, TOTAL)] = sum(full[(r, c)] for c in table.cols)
    for c in table.cols:
        full[(TOTAL, c)] = sum(full[(r, c)] for r in table.rows)
    full[(TOTAL, TOTAL)] = sum(full[(r, c)] for r in table.rows for c in table.cols)
    return full


def assert_honest(table, truth):
    for p in grid_positions(table):
        shown, value = table.at(*p), truth[p]
        if table.withheld:
            assert shown == WITHHELD
        elif 0 < value < T:
            assert shown == f"<{T}", (p, value)
        elif is_hidden(shown):
            assert shown == WITHHELD and value >= T, (p, value, shown)
        else:
            assert shown == value


counts = st.one_of(st.integers(0, 4), st.integers(0, 40))


@st.composite
def tables(draw, max_rows=4, max_cols=4):
    n, m = draw(st.integers(1, max_rows)), draw(st.integers(1, max_cols))
    return {(f"r{i}", f"c{j}"): draw(counts) for i in range(n) for j in range(m)}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_hidden_entry_can_be_worked_out_by_line_arithmetic_and_bounds(cells):
    table = suppress_table(cells, threshold=T)
    truth = truth_of(cells, table)
    assert_honest(table, truth)
    assert interval_attack(table) == set()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_rows=2, max_cols=3))
def test_no_hidden_entry_is_the_only_one_that_fits(cells):
    table = suppress_table(cells, threshold=T)
    assert exhaustive_attack(table, truth_of(cells, table)) == set()


def _primary_only(cells):
    rows = tuple(dict.fromkeys(r for r, _ in cells))
    cols = tuple(dict.fromkeys(c for _, c in cells))
    probe = suppress_table({}, threshold=T)
    assert probe.grand_total == 0
    truth = {}
    tmp = SuppressedTable(rows, cols, {}, {}, {}, 0, T)
    truth = truth_of(cells, tmp)

    def show(v):
        return f"<{T}" if 0 < v < T else v

    return SuppressedTable(
        rows=rows,
        cols=cols,
        cells={(r, c): show(truth[(r, c)]) for r in rows for c in cols},
        row_totals={r: show(truth[(r, TOTAL)]) for r in rows},
        col_totals={c: show(truth[(TOTAL, c)]) for c in cols},
        grand_total=show(truth[(TOTAL, TOTAL)]),
        threshold=T,
    )


def test_the_attackers_do_recover_from_primary_suppression_alone():
    cells = {("a", "x"): 3, ("a", "y"): 10, ("b", "x"): 7, ("b", "y"): 8}
    naive = _primary_only(cells)
    assert interval_attack(naive) == {("a", "x")}
    assert exhaustive_attack(naive, truth_of(cells, naive)) == {("a", "x")}


def test_a_1_next_to_a_5_needs_more_than_the_5_hidden():
    # 1 + 5 = 6 shown: "<5" and a dash (at least 5) would pin the 1. The total goes too.
    values, total = suppress_list({"jan": 1, "feb": 5}, threshold=T)
    assert values == {"jan": "<5", "feb": 5}
    assert total == WITHHELD


def test_small_counts_are_hidden_and_zeros_are_shown():
    table = suppress_table(
        {("a", "x"): 0, ("a", "y"): 12, ("b", "x"): 3, ("b", "y"): 20}, threshold=T
    )
    assert table.cells[("a", "x")] == 0
    assert table.cells[("b", "x")] == "<5"
    assert table.row_totals["a"] == 12
    hidden = [p for p in grid_positions(table) if is_hidden(table.at(*p))]
    assert len(hidden) >= 4  # the small cell, its partner in the row, and a cycle back


def test_one_cell_table_hides_everything_that_equals_it():
    table = suppress_table({("a", "x"): 3}, threshold=T)
    assert {table.cells[("a", "x")], table.row_totals["a"], table.col_totals["x"]} == {"<5"}
    assert table.grand_total == "<5"


def test_also_hide_withholds_a_total_another_table_withholds():
    values, total = suppress_list({"jan": 10, "feb": 12, "mar": 9}, hide_total=True)
    assert total == WITHHELD
    # Otherwise the total would follow from the months.
    assert values == {"jan": 10, "feb": 12, "mar": WITHHELD}


def test_nothing_small_means_nothing_hidden():
    table = suppress_table({("a", "x"): 10, ("a", "y"): 0, ("b", "x"): 6, ("b", "y"): 7})
    assert not any(is_hidden(table.at(*p)) for p in grid_positions(table))


# Nested counts (funnels) -----------------------------------------------------------------------


def nested_attack(chains, shown, truth, radius=2):
    keys = [k for k in shown if is_hidden(shown[k])]

    def dom(k):
        return (1, T - 1) if shown[k] == f"<{T}" else (T, INF)

    ranges = [
        range(max(dom(k)[0], truth[k] - radius), int(min(dom(k)[1], truth[k] + radius)) + 1)
        for k in keys
    ]
    seen = {k: set() for k in keys}
    for combo in itertools.product(*ranges):
        values = {k: v for k, v in shown.items() if not is_hidden(v)} | dict(
            zip(keys, combo, strict=True)
        )
        if all(
            values[a] >= values[b]
            for chain in chains
            for (a, _), (b, _) in itertools.pairwise(chain)
        ):
            for k, v in zip(keys, combo, strict=True):
                seen[k].add(v)
    return {k for k, v in seen.items() if len(v) == 1}


@st.composite
def funnels(draw):
    start = draw(st.integers(0, 60))
    main = [("offered", start)]
    for key in ("yes", "referred", "contact", "first", "further"):
        main.append((key, draw(st.integers(0, main[-1][1]))))
    chains = [main]
    if draw(st.booleans()):
        prev = draw(st.integers(0, start))
        chains.append([("offered", start), ("prevention", prev)])
    return chains


@settings(max_examples=300, deadline=None)
@given(funnels(), st.booleans())
def test_no_hidden_step_can_be_worked_out_and_no_small_difference_is_shown(chains, hide_root):
    shown = suppress_nested(chains, threshold=T, also_hide={"offered"} if hide_root else ())
    truth = {k: v for chain in chains for k, v in chain}
    for key, value in truth.items():
        if 0 < value < T:
            assert shown[key] == "<5"
        elif not is_hidden(shown[key]):
            assert shown[key] == value
        else:
            assert shown[key] == WITHHELD and value >= T
    for chain in chains:
        visible = [v for k, v in chain if not is_hidden(shown[k])]
        for a, b in itertools.pairwise(visible):
            assert not 0 < a - b < T, (chain, shown)
    assert nested_attack(chains, shown, truth) == set()


def test_funnel_withholds_a_step_whose_difference_to_the_one_before_is_small():
    chains = [[("offered", 100), ("yes", 25), ("referred", 25), ("contact", 22), ("first", 10)]]
    shown = suppress_nested(chains, threshold=T)
    assert shown == {
        "offered": 100,
        "yes": 25,
        "referred": 25,
        "contact": WITHHELD,
        "first": 10,
    }


def test_funnel_withholds_the_neighbour_that_would_pin_a_hidden_step():
    # "referred" withheld elsewhere: with yes = 5 shown it could only be 5.
    shown = suppress_nested(
        [[("offered", 20), ("yes", 5), ("referred", 5)]], also_hide={"referred"}
    )
    assert shown["yes"] == WITHHELD
