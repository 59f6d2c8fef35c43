"""The completion rate: complete responses as a share of all responses. No Flask.

The rule (the small-numbers rule of `app.evidence.suppression`, applied to a rate):

- The rate is published to a whole percentage when both the complete and the unfinished
  responses are at least `threshold` (10): nothing is hidden, so rounding hides nothing.
- When one of them is fewer than 10, a rate to the nearest percent would pin it: beside
  386 responses, "99%" says 2 to 5 were unfinished. What is already published says only
  that fewer than 10 were unfinished, which with the total N already means the rate is
  above (N - 10) / N. So the page says that bound, rounded outward to a whole percentage
  ("more than 97%"), and in words what is hidden ("fewer than 10 people started without
  finishing"); the bound tells nobody anything that "fewer than 10" beside the total did
  not. The same, the other way, when fewer than 10 finished ("less than 3%").
- When both are fewer than 10, or the total itself is hidden, no rate is given, only the
  words.
- When a service's rate is hidden so that a sibling service's small count cannot be
  worked out from the provider's (`protected`, from the family table), its page says so
  without a bound: its own counts are not small, so "fewer than 10" would be untrue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.evidence.suppression import SmallNumbers
from app.evidence.tables import Share
from app.figures import Figure

NOT_SHOWN = "not shown"


@dataclass(frozen=True)
class Completion:
    """A completion rate as published: `rate` a `Share`, a bound ("more than 97%") or
    "not shown"; `words` what is hidden, or "" when nothing is."""

    rate: Figure | str
    words: str = ""


def completion(
    complete: int, responses: int, people: int, rule: SmallNumbers, *, protected: bool = False
) -> Completion:
    """The completion rate of `responses` (from `people` people), `complete` of them
    complete, under the rule in this module's docstring."""
    few = f"fewer than {rule.threshold}"
    if rule.hides(people) or rule.hides(responses):
        return Completion(NOT_SHOWN, f"{few} people answered")
    if protected:
        return Completion(
            NOT_SHOWN,
            "not shown, so that the figures of this provider's other services cannot be "
            "worked out from it",
        )
    unfinished = responses - complete
    done_small, left_small = rule.hides(complete), rule.hides(unfinished)
    if done_small and left_small:
        return Completion(NOT_SHOWN, f"{few} people finished, and {few} started without finishing")
    if left_small:
        above = math.floor(100 * (responses - rule.threshold) / responses)
        return Completion(f"more than {above}%", f"{few} people started without finishing")
    if done_small:
        below = math.ceil(100 * rule.threshold / responses)
        return Completion(f"less than {below}%", f"{few} people finished")
    return Completion(Share(complete / responses))


__all__ = ["NOT_SHOWN", "Completion", "completion"]
