"""The attacker of the published figures: everything an audience can be shown, worked through
with interval reasoning until nothing changes.

A *world* is a set of records (offers), each with its attributes, the last funnel step it
reached and its record key. A *cell* is one count an audience can ask for: a value or ``ALL``
per attribute, and a step. The attacker sees every cell's published value and knows the method
(``protection.possible_counts``); it then uses every relation between cells:

- a cell with ``ALL`` in an attribute is the sum of the cells for each value of it;
- a later step is at most the step before.

Each cell starts with the values its published figure allows and is narrowed by each relation
(the bounds of a sum follow from the bounds of its parts, and the other way round) until no
bound moves. A hidden cell is *pinned* when one value is left.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sporskifte.insights.protection import Cell, possible_counts, protect
from sporskifte.insights.suppression import Shown

ALL = "*"
CellId = tuple[object, ...]  # one value (or ALL) per attribute, then the step


@dataclass(frozen=True)
class Record:
    attributes: tuple[int, ...]
    reached: int  # the last step reached: 0 is the first
    key: int


def cells(sizes: Sequence[int], steps: int) -> list[CellId]:
    choices = [[*range(n), ALL] for n in sizes]
    return [(*combo, step) for combo in itertools.product(*choices) for step in range(steps)]


def raw(records: Sequence[Record], cell: CellId) -> Cell:
    *attrs, step = cell
    members = [
        r
        for r in records
        if r.reached >= step
        and all(a in (ALL, v) for a, v in zip(attrs, r.attributes, strict=True))
    ]
    return Cell(len(members), sum(r.key for r in members))


def publish(
    records: Sequence[Record],
    sizes: Sequence[int],
    steps: int,
    method: Callable[[Cell], Shown] = protect,
) -> dict[CellId, Shown]:
    return {c: method(raw(records, c)) for c in cells(sizes, steps)}


def _relations(sizes: Sequence[int], steps: int) -> list[tuple[CellId, list[CellId]]]:
    out = []
    for cell in cells(sizes, steps):
        *attrs, step = cell
        for i, value in enumerate(attrs):
            if value == ALL:
                parts = [(*attrs[:i], v, *attrs[i + 1 :], step) for v in range(sizes[i])]
                out.append((cell, parts))
    return out


def bounds(
    published: Mapping[CellId, Shown],
    sizes: Sequence[int],
    steps: int,
    possible: Callable[[Shown], range] = possible_counts,
) -> dict[CellId, tuple[int, int]]:
    """The narrowest interval per cell that interval reasoning over every relation gives;
    ``possible`` is what the attacker reads into one published figure."""
    box: dict[CellId, list[int]] = {}
    for cell, shown in published.items():
        r = possible(shown)
        box[cell] = [r.start, r.stop - 1]
    sums = _relations(sizes, steps)
    nested = [((*c[:-1], c[-1] - 1), c) for c in published if c[-1]]
    changed = True
    while changed:
        changed = False

        def narrow(cell: CellId, lo: int, hi: int) -> None:
            nonlocal changed
            b = box[cell]
            if lo > b[0]:
                b[0], changed = lo, True
            if hi < b[1]:
                b[1], changed = hi, True

        for total, parts in sums:
            lo_sum = sum(box[p][0] for p in parts)
            hi_sum = sum(box[p][1] for p in parts)
            narrow(total, lo_sum, hi_sum)
            t_lo, t_hi = box[total]
            for p in parts:
                narrow(p, t_lo - (hi_sum - box[p][1]), t_hi - (lo_sum - box[p][0]))
        for parent, child in nested:
            narrow(child, box[child][0], box[parent][1])
            narrow(parent, box[child][0], box[parent][1])
    return {c: (b[0], b[1]) for c, b in box.items()}


def pinned_hidden(
    records: Sequence[Record],
    sizes: Sequence[int],
    steps: int,
    method: Callable[[Cell], Shown] = protect,
    possible: Callable[[Shown], range] = possible_counts,
) -> list[tuple[CellId, int]]:
    """The hidden cells the attacker pins, with the value; checks on the way that reasoning
    never rules out the truth (else the attacker, or ``possible_counts``, would be wrong)."""
    published = publish(records, sizes, steps, method)
    found = bounds(published, sizes, steps, possible)
    out = []
    for cell, (lo, hi) in found.items():
        true = raw(records, cell).count
        assert lo <= true <= hi, (cell, lo, true, hi)
        if isinstance(published[cell], str) and lo == hi:
            out.append((cell, true))
    return out
