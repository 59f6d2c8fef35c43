"""Small numbers: no published figure may tell anyone about fewer than 10 people. No Flask.

The rule (shared INSTRUMENTS.md, "Small numbers") is data: `SmallNumbers(threshold)`, read
from the `SMALL_NUMBERS_THRESHOLD` setting, default 10. Three layers:

1. Primary: a count of fewer than `threshold` people, and any mean, SD or share worked out
   from fewer than `threshold` people, becomes `Suppressed`. Zero is "fewer than 10" too:
   an empty cell is as telling as a cell of one.
2. Secondary: in a row whose cells add up to a published total (bands, languages, modes,
   campaigns), total minus the shown cells is the sum of the hidden ones. So a row never
   hides exactly one cell, and keeps hiding the next smallest cell until the hidden cells
   add up to at least `threshold` (so their sum is not itself a small number) and are not
   all at the top of the "fewer than 10" range (two hidden 9s in a sum of 18 would be
   exact). A share of a whole (improved / not improved) hides when either side is small.
3. Differencing: a filtered view (one language, one service of a provider, a shorter
   stretch of time inside a longer one) subtracted from its parent view gives the figures
   of the rest. A filtered view is published only when its own size and the size of the
   rest are both at least `threshold` (or the rest is empty), which `available_subsets`
   decides for a whole dimension at once with the row rule, so no two or three views can
   be combined to isolate a small category. Inside a published filtered view, a cell is
   hidden when the same cell of the parent minus it is a small number (`subset_row`).
   Periods are not nested (`periods` puts them on one grid), so two period views never
   subtract; a longer window over the same data is a parent view and goes through
   `subset_row`.

Every hidden figure renders the same way ("fewer than 10") whatever hid it: a different
wording for secondary cells would tell a reader those are 10 or more and undo the
protection. Pages and exports carry `SUPPRESSION_NOTE` to say so.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from app.figures import (
    DEFAULT_THRESHOLD,
    DIFFERENCING,
    PRIMARY,
    SECONDARY,
    Figure,
    K,
    Row,
    Suppressed,
    display,
    is_suppressed,
)

SETTING = "SMALL_NUMBERS_THRESHOLD"

SUPPRESSION_NOTE = (
    "Figures about fewer than {threshold} people are not shown. Some larger figures are "
    "also hidden, so that a hidden figure cannot be worked out from a total, from another "
    "service of the same provider, or from another view, period or download: every view "
    "of a provider is cut from one table with the same cells hidden. Shares are rounded "
    "to whole percentages."
)


@dataclass(frozen=True)
class SmallNumbers:
    """The small-numbers rule: figures about fewer than `threshold` people are hidden."""

    threshold: int = DEFAULT_THRESHOLD

    def __post_init__(self):
        if not isinstance(self.threshold, int) or self.threshold < 1:
            raise ValueError(
                f"the small-numbers threshold must be a whole number above 0, "
                f"not {self.threshold!r}"
            )

    @classmethod
    def from_settings(cls, settings: Mapping[str, object]) -> SmallNumbers:
        """The rule from an app's config (or any mapping), default 10."""
        return cls(int(settings.get(SETTING, DEFAULT_THRESHOLD)))

    def hides(self, people: int) -> bool:
        """True when a figure about this many people must be hidden."""
        return people < self.threshold

    def hidden(self, reason: str = PRIMARY) -> Suppressed:
        return Suppressed(self.threshold, reason)

    def count(self, value: int, people: int | None = None) -> Figure:
        """A count, hidden when it (or the number of people behind it) is small."""
        return self.hidden() if self.hides(value if people is None else people) else value

    def statistic(self, value: float | None, people: int) -> Figure | None:
        """A mean, SD, interval end or test result worked out from `people` people."""
        if self.hides(people):
            return self.hidden()
        return value

    def share(self, part: int, whole: int) -> Figure:
        """part / whole, hidden when the whole, the part or the rest is small: 38 of 40
        improved would tell the reader that 2 did not."""
        if self.hides(whole) or self.hides(part) or self.hides(whole - part):
            return self.hidden()
        return part / whole

    def row(
        self,
        cells: Mapping[K, int],
        total: int | None = None,
        *,
        people: Mapping[K, int] | None = None,
        partition: bool = True,
        already: Collection[K] = (),
    ) -> Row[K]:
        """Suppress a row of counts that add up to `total` (default: their sum).

        `people` gives, per cell, how many people the count is about when that differs
        from the count (responses from linked participants); primary suppression uses it.
        `partition=False` is for cells that do not add up to the total (each option of a
        multiple-choice question): each cell is then a share of the total on its own.
        `already` names cells another table hides: hidden here too, and protected likewise.
        """
        total = sum(cells.values()) if total is None else total
        if self.hides(total):
            return Row({key: self.hidden() for key in cells}, self.hidden())
        bases = people or cells
        if not partition:
            return Row(
                {
                    key: self.hidden()
                    if self.hides(bases[key]) or self.hides(total - value)
                    else value
                    for key, value in cells.items()
                },
                total,
            )
        hidden = {key: SECONDARY for key in already if key in cells}
        hidden |= {key: PRIMARY for key in cells if self.hides(bases[key])}
        return self._completed_row(cells, hidden, total)

    def available_subsets(self, sizes: Mapping[K, int], total: int | None = None) -> set[K]:
        """The categories of one dimension (languages, services of a provider) whose
        filtered views may be published: those the row rule leaves visible. Subtracting
        any published views from the total then leaves a group of at least `threshold`."""
        row = self.row(sizes, total)
        if is_suppressed(row.total):
            return set()
        return set(sizes) - row.hidden()

    def subset_row(
        self,
        parent: Mapping[K, int],
        parent_total: int,
        cells: Mapping[K, int],
        total: int,
        *,
        partition: bool = True,
        people: Mapping[K, int] | None = None,
        people_total: int | None = None,
    ) -> Row[K]:
        """A row of a filtered view, safe to publish beside its parent's row.

        Hidden whole when the view or the rest of the parent is small; otherwise each cell
        is hidden when the parent's cell minus it (the rest's cell) is small, then the row
        rule runs again so one hidden cell cannot be recovered from the view's own total.
        `people` and `people_total` say how many people the counts are about, when those
        differ from the counts (responses): a view of 11 responses from 9 people is small.
        """
        rest = parent_total - total
        size = total if people_total is None else people_total
        if self.hides(total) or self.hides(size) or 0 < rest < self.threshold:
            return Row({key: self.hidden(DIFFERENCING) for key in cells}, self.hidden(DIFFERENCING))
        row = self.row(cells, total, partition=partition, people=people)
        if rest == 0:
            return row  # the view is the whole of its parent: nothing to subtract
        hidden = {
            key: (value.reason if is_suppressed(value) else DIFFERENCING)
            for key, value in row.cells.items()
            if is_suppressed(value) or self.hides(parent.get(key, 0) - cells[key])
        }
        if not partition:
            return Row(
                {k: self.hidden(hidden[k]) if k in hidden else v for k, v in cells.items()}, total
            )
        return self._completed_row(cells, hidden, total)

    def _completed_row(self, cells: Mapping[K, int], hidden: dict[K, str], total) -> Row[K]:
        # When even hiding every cell leaves them unsafe beside the total (a row of 31 in
        # four cells of "fewer than 10": each at least 4), the breakdown is withheld.
        shown = self._complete(cells, hidden)
        if hidden and not self.safe_together([cells[k] for k in hidden]):
            return Row(shown, total, withheld=True)
        return Row(shown, total)

    def _complete(self, cells: Mapping[K, int], hidden: dict[K, str]) -> dict[K, Figure]:
        # Keep hiding the smallest shown cell until the hidden ones are safe together.
        while hidden and not self.safe_together([cells[k] for k in hidden]):
            shown = [key for key in cells if key not in hidden]
            if not shown:
                break
            smallest = min(shown, key=lambda key: cells[key])
            hidden[smallest] = SECONDARY
        return {
            key: self.hidden(hidden[key]) if key in hidden else value
            for key, value in cells.items()
        }

    def safe_together(self, values: list[int]) -> bool:
        """True when these hidden cells of one line cannot be narrowed below `threshold`
        values from the line's total, even by a reader who takes "fewer than" literally."""
        # Total minus shown cells = sum of hidden cells. One hidden cell is then exact; a
        # small sum is itself a small number. A reader who takes "fewer than 10" literally
        # knows each of k hidden cells is 0..9, so a sum above 9 * (k - 1) narrows every one
        # of them (16 in two cells: each 7..9); a sum above 9 * k tells them some hidden
        # cells are large, and then none of them can be bounded.
        total, k, top = sum(values), len(values), self.threshold - 1
        return k >= 2 and total >= self.threshold and (total <= (k - 1) * top or total > k * top)


__all__ = [
    "DEFAULT_THRESHOLD",
    "DIFFERENCING",
    "PRIMARY",
    "SECONDARY",
    "SETTING",
    "SUPPRESSION_NOTE",
    "Figure",
    "Row",
    "SmallNumbers",
    "Suppressed",
    "display",
    "is_suppressed",
]
