"""Protected counts: the cell-key method with random rounding (docs/figures-protection.md).

Any count published to an audience that may not see exact figures (council members, the
public page, police beyond their programme's feedback level, and the apps to come) goes
through ``protect``: it is rounded to a multiple of ``BASE`` (5), up or down, and a count that
rounds to 0 is shown as "<5".

Which way a count rounds is decided by its *cell key*: the sum of the record keys of the
records counted, modulo the key range (each offer draws its key once, at random;
``Offer.record_key``). A count 5q + r rounds up when the cell key is below r/5, so rounding is
unbiased (the mean error is 0) and the same group of records is always rounded the same way,
however it is asked for: by programme, by period, as the total across programmes. Asking again
or differencing views gains nothing; a total is a cell of its own, never the sum of shown cells.

Why rounding and not a hard line at 5 with small noise on the rest: with a hard line a reader
knows that every shown count is at least 5 and every hidden one at most 4, and across the many
views an audience can ask for those bounds pin hidden counts (the attacker test found pins in 1
of 10 random worlds with noise of ±2). With rounding a shown 5 may be 1 to 9 and "<5" is 0 to 4:
the ranges overlap, and zeros look like the small counts they sit among.

Selectors produce the raw cells (count and key sum); this module does not care where they came
from.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sporskifte.insights.suppression import Shown, small_marker
from sporskifte.referrals.models import RECORD_KEY_RANGE

THRESHOLD = 5
BASE = THRESHOLD  # the rounding base; a count that rounds to 0 is shown as "<5"


@dataclass(frozen=True)
class Cell:
    """A raw count and the sum of its records' keys (any integer; only its residue counts)."""

    count: int
    key_sum: int


def cell_key(key_sum: int) -> Fraction:
    """The cell key in [0, 1): the records' keys added up modulo the key range."""
    return Fraction(key_sum % RECORD_KEY_RANGE, RECORD_KEY_RANGE)


def rounded(cell: Cell) -> int:
    """The count rounded to a multiple of ``BASE``: up when the cell key is below the share of
    the remainder, so the expected value is the count itself."""
    if cell.count < 0:
        raise ValueError("counts cannot be negative")
    remainder = cell.count % BASE
    down = cell.count - remainder
    return down + BASE if cell_key(cell.key_sum) < Fraction(remainder, BASE) else down


def protect(cell: Cell) -> Shown:
    value = rounded(cell)
    return value if value else small_marker(THRESHOLD)


def possible_counts(shown: Shown) -> range:
    """What a reader who knows this method can tell about the true count from what is shown:
    the attacker's view, used by the tests and the design note."""
    if shown == small_marker(THRESHOLD):
        return range(0, BASE)
    if isinstance(shown, str):  # withheld: nothing
        return range(0, 10**9)
    return range(max(0, shown - BASE + 1), shown + BASE)
