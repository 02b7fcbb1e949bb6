"""Published figures protect small groups (DOMAIN.md §3.7): a count from 1 to threshold-1 is
shown as "<5", and enough other figures are withheld (WITHHELD, an en dash) that no hidden
count can be worked out.

Two shapes are published: additive tables with marginals (``suppress_table``; a list with its
total is the one-column case) and nested counts such as a funnel (``suppress_nested``).

What the attacker knows
    Every shown value; that "<5" means 1..threshold-1; that WITHHELD means at least
    ``threshold`` (zeros are always shown and complements are only chosen among counts ≥
    threshold, so a withheld figure is never 0 or small). A table withheld entirely
    (``withheld``) tells nothing but its shape.

suppress_table: the algorithm
    The table with its marginals is an (R+1) by (C+1) grid: cells, row totals in column TOTAL,
    column totals in row TOTAL, the grand total at (TOTAL, TOTAL). Each grid row and column is a
    constraint "the members add up to the total".

    1. Primary: every entry (cell or total) with 1 ≤ value < threshold is hidden as "<5".
    2. Check: a hidden entry is safe when a second table exists that shows exactly the same and
       differs in that entry. We look for it as an alternating cycle of hidden entries along
       grid rows and columns (+1, -1, +1, …, with the totals' signs flipped), which keeps every
       sum right; each entry on it must stay within what its marker says. The constraint matrix
       is a network matrix and the markers are intervals, so such a ±1 cycle exists exactly when
       the entry is not pinned: the check covers solving lines with one unknown, chains of them,
       and every bound from non-negativity and from the markers.
    3. Complementary: while a hidden entry has no cycle, hide one more entry (WITHHELD), chosen
       among the shown entries ≥ threshold in that entry's grid row and column (anywhere, if none is
       left there): first one that makes the entry safe, else any; inner cells before totals,
       then the smallest value. Hiding more never breaks a cycle, so this ends at a fixed point.
    4. If nothing is left to hide and an entry is still pinned, the whole table is withheld.

    In a one-column (one-row) table a cell and its row (column) total are the same number; they
    are hidden together.

suppress_nested: funnels
    Each step is a subset of the one before. Beyond primary suppression two things leak:
    - the difference between two shown steps (with only hidden steps between them) is the
      number who reached the first and not the second, itself a group: it must not be 1..4, or
      the later step is withheld;
    - a hidden step is bounded by the nearest shown steps before and after it and by its marker;
      if those bounds meet, the binding shown neighbour is withheld too.
    Chains may share keys (the prevention branch starts at the same "offered"); the rules run
    over all chains until nothing changes. Rates are only to be shown between two shown counts.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TypeVar

WITHHELD = "\u2013"  # an en dash

Shown = int | str
K = TypeVar("K", bound=Hashable)


class _Total:
    def __repr__(self) -> str:
        return "TOTAL"


TOTAL: Hashable = _Total()  # the row/column key of the marginals in positions
Position = tuple[Hashable, Hashable]


def small_marker(threshold: int) -> str:
    return f"<{threshold}"


def is_hidden(value: Shown) -> bool:
    return isinstance(value, str)


@dataclass(frozen=True)
class SuppressedTable:
    rows: tuple[Hashable, ...]
    cols: tuple[Hashable, ...]
    cells: dict[Position, Shown]
    row_totals: dict[Hashable, Shown]
    col_totals: dict[Hashable, Shown]
    grand_total: Shown
    threshold: int
    withheld: bool = False

    def at(self, row: Hashable, col: Hashable) -> Shown:
        """Any grid position, ``TOTAL`` for the marginals."""
        if row is TOTAL and col is TOTAL:
            return self.grand_total
        if col is TOTAL:
            return self.row_totals[row]
        if row is TOTAL:
            return self.col_totals[col]
        return self.cells[(row, col)]


@dataclass
class _Grid:
    values: dict[tuple[int, int], int]
    n_rows: int  # index n_rows is the total row
    n_cols: int
    threshold: int
    hidden: dict[tuple[int, int], str] = field(default_factory=dict)

    def positions(self) -> Iterable[tuple[int, int]]:
        for i in range(self.n_rows + 1):
            for j in range(self.n_cols + 1):
                yield (i, j)

    def is_total(self, pos: tuple[int, int]) -> bool:
        return pos[0] == self.n_rows or pos[1] == self.n_cols

    def sign(self, pos: tuple[int, int]) -> int:
        return 1 if (pos[0] == self.n_rows) == (pos[1] == self.n_cols) else -1

    def domain(self, pos: tuple[int, int]) -> tuple[int, float]:
        if self.hidden[pos] == WITHHELD:
            return (self.threshold, float("inf"))
        return (1, self.threshold - 1)

    def aliases(self, pos: tuple[int, int]) -> list[tuple[int, int]]:
        i, j = pos
        out = [pos]
        if self.n_cols == 1:
            out.append((i, 1 - j))
        if self.n_rows == 1:
            out += [(1 - a, b) for a, b in out]
        return list(dict.fromkeys(out))

    def hide(self, pos: tuple[int, int], marker: str) -> None:
        for alias in self.aliases(pos):
            self.hidden.setdefault(alias, marker)

    def _may_move(self, pos: tuple[int, int], y_change: int) -> bool:
        lo, hi = self.domain(pos)
        new = self.values[pos] + y_change * self.sign(pos)
        return lo <= new <= hi

    def _arcs(self) -> dict[tuple[str, int], list[tuple[tuple[str, int], tuple[int, int]]]]:
        # Y-change +1 on (i, j) is an arc row i → column j; -1 is column j → row i.
        arcs: dict[tuple[str, int], list] = {}
        for pos in self.hidden:
            r, c = ("r", pos[0]), ("c", pos[1])
            if self._may_move(pos, +1):
                arcs.setdefault(r, []).append((c, pos))
            if self._may_move(pos, -1):
                arcs.setdefault(c, []).append((r, pos))
        return arcs

    @staticmethod
    def _reaches(arcs: dict, start: tuple[str, int], goal: tuple[str, int], skip: object) -> bool:
        seen, queue = {start}, deque([start])
        while queue:
            node = queue.popleft()
            for nxt, pos in arcs.get(node, ()):
                if pos == skip:
                    continue
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return False

    def is_safe(self, pos: tuple[int, int], arcs: dict | None = None) -> bool:
        arcs = self._arcs() if arcs is None else arcs
        r, c = ("r", pos[0]), ("c", pos[1])
        if self._may_move(pos, +1) and self._reaches(arcs, c, r, pos):
            return True
        return self._may_move(pos, -1) and self._reaches(arcs, r, c, pos)

    def first_pinned(self) -> tuple[int, int] | None:
        arcs = self._arcs()
        for pos in sorted(self.hidden, key=lambda p: (self.is_total(p), p)):
            if not self.is_safe(pos, arcs):
                return pos
        return None

    def _candidates(self, near: tuple[int, int] | None) -> list[tuple[int, int]]:
        out = [
            p
            for p in self.positions()
            if p not in self.hidden
            and self.values[p] >= self.threshold
            and (near is None or p[0] == near[0] or p[1] == near[1])
        ]
        return sorted(out, key=lambda p: (self.is_total(p), self.values[p], p))

    def complement(self) -> bool:
        """Hide one more entry for the first pinned one; False when nothing is left to hide."""
        pinned = self.first_pinned()
        if pinned is None:
            return True
        candidates = self._candidates(pinned) or self._candidates(None)
        if not candidates:
            return False
        for candidate in candidates:
            trial = _Grid(self.values, self.n_rows, self.n_cols, self.threshold, dict(self.hidden))
            trial.hide(candidate, WITHHELD)
            if trial.is_safe(pinned):
                self.hide(candidate, WITHHELD)
                return True
        self.hide(candidates[0], WITHHELD)
        return True


def suppress_table(
    cells: Mapping[tuple[Hashable, Hashable], int],
    *,
    threshold: int = 5,
    also_hide: Collection[Position] = (),
) -> SuppressedTable:
    """Primary and complementary suppression of a table with row, column and grand totals.

    ``cells`` maps (row, col) to a count ≥ 0; rows and columns keep the order they first appear
    in; a missing combination counts as 0. ``also_hide`` names grid positions (``TOTAL`` for a
    marginal) that must be withheld because another published table withholds the same number.
    """
    rows = tuple(dict.fromkeys(r for r, _ in cells))
    cols = tuple(dict.fromkeys(c for _, c in cells))
    if any(v < 0 for v in cells.values()):
        raise ValueError("counts cannot be negative")
    ri = {r: i for i, r in enumerate(rows)} | {TOTAL: len(rows)}
    ci = {c: j for j, c in enumerate(cols)} | {TOTAL: len(cols)}
    values = {(i, j): 0 for i in range(len(rows) + 1) for j in range(len(cols) + 1)}
    for (r, c), v in cells.items():
        i, j = ri[r], ci[c]
        values[(i, j)] += v
        values[(i, len(cols))] += v
        values[(len(rows), j)] += v
        values[(len(rows), len(cols))] += v
    grid = _Grid(values, len(rows), len(cols), threshold)
    for pos, v in values.items():
        if 0 < v < threshold:
            grid.hide(pos, small_marker(threshold))
    for r, c in also_hide:
        pos = (ri[r], ci[c])
        if values[pos] > 0 and pos not in grid.hidden:
            grid.hide(pos, WITHHELD if values[pos] >= threshold else small_marker(threshold))
    withheld = False
    while grid.first_pinned() is not None:
        if not grid.complement():
            withheld = True
            break

    def shown(i: int, j: int) -> Shown:
        if withheld:
            return WITHHELD
        return grid.hidden.get((i, j), values[(i, j)])

    n, m = len(rows), len(cols)
    return SuppressedTable(
        rows=rows,
        cols=cols,
        cells={(r, c): shown(ri[r], ci[c]) for r in rows for c in cols},
        row_totals={r: shown(ri[r], m) for r in rows},
        col_totals={c: shown(n, ci[c]) for c in cols},
        grand_total=shown(n, m),
        threshold=threshold,
        withheld=withheld,
    )


def suppress_list(
    counts: Mapping[K, int], *, threshold: int = 5, hide_total: bool = False
) -> tuple[dict[K, Shown], Shown]:
    """A list with its total: the one-column case of ``suppress_table``."""
    col = "n"
    table = suppress_table(
        {(k, col): v for k, v in counts.items()},
        threshold=threshold,
        also_hide=[(TOTAL, TOTAL)] if hide_total else (),
    )
    return {k: table.cells[(k, col)] for k in counts}, table.grand_total


# Nested counts ---------------------------------------------------------------------------------


def _nested_violation(
    chain: Sequence[tuple[K, int]],
    hidden: Mapping[K, str],
    threshold: int,
) -> K | None:
    """The key to withhold next in this chain, or None when the chain is safe."""
    marker = small_marker(threshold)
    shown_at = [k for k, (key, _) in enumerate(chain) if key not in hidden]
    # A shown difference between neighbours among the shown steps is a group of its own.
    for a, b in pairwise(shown_at):
        if 0 < chain[a][1] - chain[b][1] < threshold:
            return chain[b][0]
    # A run of hidden steps is bounded by the shown steps around it and by the markers.
    for k, (key, _) in enumerate(chain):
        if key not in hidden:
            continue
        before = [s for s in shown_at if s < k]
        after = [s for s in shown_at if s > k]
        upper: float = chain[before[-1]][1] if before else float("inf")
        lower: float = chain[after[0]][1] if after else 0
        first = before[-1] + 1 if before else 0
        last = after[0] - 1 if after else len(chain) - 1
        for m in range(first, last + 1):
            lo, hi = (1, threshold - 1) if hidden[chain[m][0]] == marker else (threshold, None)
            if m >= k:
                lower = max(lower, lo)
            if m <= k and hi is not None:
                upper = min(upper, hi)
        if lower >= upper:
            if before and upper == chain[before[-1]][1]:
                return chain[before[-1]][0]
            if after:
                return chain[after[0]][0]
    return None


def suppress_nested(
    chains: Sequence[Sequence[tuple[K, int]]],
    *,
    threshold: int = 5,
    also_hide: Collection[K] = (),
) -> dict[K, Shown]:
    """Suppress nested counts: each chain lists (key, count) from the widest to the narrowest."""
    values: dict[K, int] = {}
    for chain in chains:
        for (key, v), nxt in zip(chain, [*chain[1:], None], strict=True):
            if v < 0 or (nxt is not None and nxt[1] > v):
                raise ValueError("each step must be a count no larger than the step before")
            if values.setdefault(key, v) != v:
                raise ValueError(f"{key!r} has two different counts")
    hidden: dict[K, str] = {
        k: small_marker(threshold) for k, v in values.items() if 0 < v < threshold
    }
    for key in also_hide:
        if values.get(key, 0) > 0:
            hidden.setdefault(
                key, WITHHELD if values[key] >= threshold else small_marker(threshold)
            )
    changed = True
    while changed:
        changed = False
        for chain in chains:
            found = _nested_violation(chain, hidden, threshold)
            if found is not None:
                hidden[found] = WITHHELD
                changed = True
    return {k: hidden.get(k, v) for k, v in values.items()}
