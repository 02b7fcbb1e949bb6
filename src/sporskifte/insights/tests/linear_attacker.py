"""An attacker of suppressed figures who combines every view a role can ask for.

Each true count is a named unknown ≥ 0. What a view shows narrows it ("<5" is 1..4, the
withheld dash at least the threshold where the suppression promises that, an exact figure is
itself; the same number seen in two views is one unknown), and every relation the attacker
knows between counts narrows the others: a total is the sum of its parts, a later step is at
most the step before, a count seen today is the one seen yesterday plus what was added since.
Bounds are pushed through the relations until none moves (interval reasoning, as in
``attacker.py`` for the referral figures). A hidden count is *pinned* when one value is left.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import pairwise

from sporskifte.insights.suppression import WITHHELD, small_marker

INF = 10**9


class Attacker:
    def __init__(self, threshold: int = 5, *, withheld_at_least: int | None = None) -> None:
        self.threshold = threshold
        # A table's complementary suppression withholds only counts ≥ threshold; a nested
        # chain may withhold any count. The caller says which it faces.
        self.withheld_at_least = threshold if withheld_at_least is None else withheld_at_least
        self.box: dict[Hashable, list[int]] = {}
        self.hidden: set[Hashable] = set()
        self.sums: list[tuple[Hashable, tuple[Hashable, ...]]] = []
        self.order: list[tuple[Hashable, Hashable]] = []

    def _get(self, name: Hashable) -> list[int]:
        return self.box.setdefault(name, [0, INF])

    def know(self, name: Hashable, lo: int, hi: int) -> None:
        b = self._get(name)
        b[0], b[1] = max(b[0], lo), min(b[1], hi)
        assert b[0] <= b[1], (name, b)

    def see(self, name: Hashable, shown: object) -> None:
        if shown == small_marker(self.threshold):
            self.hidden.add(name)
            self.know(name, 1, self.threshold - 1)
        elif shown == WITHHELD or shown is None:
            self.hidden.add(name)
            self.know(name, self.withheld_at_least if shown == WITHHELD else 0, INF)
        else:
            assert isinstance(shown, int | float), (name, shown)
            self.know(name, int(shown), int(shown))

    def see_all(self, shown: Mapping[Hashable, object], prefix: Hashable = ()) -> None:
        for key, value in shown.items():
            self.see((prefix, key), value)

    def total(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        parts = tuple(parts)
        for name in (total, *parts):
            self._get(name)
        self.sums.append((total, parts))

    def at_most(self, smaller: Hashable, larger: Hashable) -> None:
        self._get(smaller), self._get(larger)
        self.order.append((smaller, larger))

    def solve(self) -> dict[Hashable, tuple[int, int]]:
        changed = True

        def narrow(name: Hashable, lo: int, hi: int) -> None:
            nonlocal changed
            b = self.box[name]
            hi = INF if hi >= INF // 2 else hi  # unbounded stays unbounded
            if lo > b[0]:
                b[0], changed = lo, True
            if hi < b[1]:
                b[1], changed = hi, True
            assert b[0] <= b[1], ("the attacker ruled out the truth", name, b)

        while changed:
            changed = False
            for total, parts in self.sums:
                lo = sum(self.box[p][0] for p in parts)
                hi = min(INF, sum(self.box[p][1] for p in parts))
                narrow(total, lo, hi)
                t_lo, t_hi = self.box[total]
                for i, p in enumerate(parts):
                    rest_hi = min(INF, sum(self.box[q][1] for j, q in enumerate(parts) if j != i))
                    narrow(p, max(0, t_lo - rest_hi), t_hi - (lo - self.box[p][0]))
            for smaller, larger in self.order:
                narrow(smaller, self.box[smaller][0], self.box[larger][1])
                narrow(larger, self.box[smaller][0], self.box[larger][1])
        return {k: (b[0], b[1]) for k, b in self.box.items()}

    def pinned(self) -> dict[Hashable, int]:
        """The hidden counts the attacker knows exactly."""
        found = self.solve()
        return {k: found[k][0] for k in self.hidden if found[k][0] == found[k][1]}


def funnel(attacker: Attacker, steps: Sequence[Hashable]) -> None:
    """Each step of a funnel is at most the step before."""
    for wider, narrower in pairwise(steps):
        attacker.at_most(narrower, wider)
