"""Scoring: answers to scores, bands and change, from the instrument's data. No Flask."""

from app.scoring.change import meaningful_change, reliable_change, score_change
from app.scoring.totals import Answer, Score, is_answered, score, validate_answers

__all__ = [
    "Answer",
    "Score",
    "is_answered",
    "meaningful_change",
    "reliable_change",
    "score",
    "score_change",
    "validate_answers",
]
