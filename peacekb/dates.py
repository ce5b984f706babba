"""Dates with a precision: day (2026-02-18), month (2025-08) or year (2025).

Sources are often vague ("last August"); a statement or a round keeps the
precision its source gives, written in the shortest ISO form that says it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import PlainValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

Precision = Literal["day", "month", "year"]

_FORM = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@dataclass(frozen=True)
class FuzzyDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def sort_key(self) -> tuple[dt.date, dt.date]:
        return (self.earliest, self.latest)

    def __lt__(self, other: FuzzyDate) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: FuzzyDate) -> bool:
        return self.sort_key() <= other.sort_key()

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse YYYY, YYYY-MM or YYYY-MM-DD; raise ValueError with a readable reason."""
        match = _FORM.match(text.strip())
        if not match:
            raise ValueError(f"`{text}` is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"`{text}` is not a date: there is no month {month}")
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(
                    f"`{text}` is not a date: {calendar.month_name[month]} {year} has {last} days"
                )
        return cls(year, month, day)

    @classmethod
    def of(cls, value: Any) -> FuzzyDate:
        """Coerce what a YAML parser may give for a date into a FuzzyDate."""
        if isinstance(value, FuzzyDate):
            return value
        if isinstance(value, dt.datetime):
            raise ValueError(f"`{value.isoformat()}` has a time of day: give the date alone")
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            return cls.parse(f"{value:04d}") if 0 <= value <= 9999 else cls.parse(str(value))
        if isinstance(value, str):
            return cls.parse(value)
        raise ValueError(f"a date must be written YYYY-MM-DD, YYYY-MM or YYYY, not {type(value).__name__}")


def _validate(value: Any) -> FuzzyDate:
    try:
        return FuzzyDate.of(value)
    except ValueError as exc:
        raise PydanticCustomError("invalid_date", str(exc)) from None


Date = Annotated[
    FuzzyDate,
    PlainValidator(_validate),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": PATTERN, "description": "YYYY-MM-DD, YYYY-MM or YYYY"}),
]
"""A FuzzyDate field for pydantic models: parsed from YAML, written back as text."""
