"""Domain vocabularies that need no database: kinds of point and marker levels."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What sort of contribution a point is (seed 000 sorts feedback this way)."""

    POINT = "point"
    QUESTION = "question"
    POSITIVE = "positive"
    NEGATIVE = "negative"
    CONCERN = "concern"
    SOLUTION = "solution"
    ACTION = "action"  # something agreed: what, who, by when (listed in the minutes)

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def plural(self) -> str:
        return KIND_PLURALS[self]


KIND_LABELS: dict[Kind, str] = {
    Kind.POINT: "Point",
    Kind.QUESTION: "Question",
    Kind.POSITIVE: "Positive",
    Kind.NEGATIVE: "Negative",
    Kind.CONCERN: "Concern",
    Kind.SOLUTION: "Solution",
    Kind.ACTION: "Action",
}

KIND_PLURALS: dict[Kind, str] = {
    Kind.POINT: "Points",
    Kind.QUESTION: "Questions",
    Kind.POSITIVE: "Positives",
    Kind.NEGATIVE: "Negatives",
    Kind.CONCERN: "Concerns",
    Kind.SOLUTION: "Solutions",
    Kind.ACTION: "Actions",
}


class MarkerLevel(StrEnum):
    """NNPCF markers of good practice come at two levels."""

    MINIMUM = "minimum"
    DEVELOPMENT = "development"
