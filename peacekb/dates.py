"""Dates with a precision: day (2026-02-18), month (2025-08) or year (2025).

Sources are often vague ("last August", "around 20 November", "19-20
December"); a statement or a round keeps the precision its source gives,
written in a subset of ISO 8601 / EDTF: the shortest form that says it,
``~`` after a date that a source gives as approximate (``2025-11-20~``),
``A/B`` for a span within which it happened (``2025-12-19/2025-12-20``), and
``../B``, the open start of EDTF (ISO 8601-2), for what is known only to have
happened by B (``../2026-02-23``: a remark an undated report gives, by the
report's date: "before B"), and ``A/..``, its open end, for what is known only
to have happened on or after A (``2016-10-02/..``: "after the vote").

An open start has no earliest day: :attr:`FuzzyDate.earliest` is the first day
there is (``datetime.date.min``): a window opening on or before B (``--since``)
finds it, nothing is strictly before it, and only what is after B is strictly
after it (a later claim contradicting it drops it only then). It is counted in
from B on, where it is known to have happened: a cut at a date (``--as-of``,
``--until``) takes it in from B's last day (:attr:`FuzzyDate.counts_from`), and
it sorts by that day.

An open end has no latest day: :attr:`FuzzyDate.latest` is the last day there
is (``datetime.date.max``). Like a span, it counts from its start (A's first
day): a cut at a date on or after A takes it in, a window (``--since``) opening
at any time after A still finds it, and nothing is strictly after it, so a
later claim never contradicts it; it contradicts only what ended before A.
"""

from __future__ import annotations

import calendar
import functools
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import PlainValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

Precision = Literal["day", "month", "year"]

_FORM = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~)?$")
OPEN = "../"  # an open start: ``../END``, known only to have happened by END
OPEN_END = "/.."  # an open end: ``START/..``, known only to have happened on or after START
# for JSON Schema (editors): the forms above, with months 01-12 and days 01-31; the calendar
# (no 30 February) and the order of a span are checked by the parser alone
_ONE = r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?~?"
PATTERN = rf"^(\.\./{_ONE}|{_ONE}(/({_ONE}|\.\.))?)$"
FORMS = ("YYYY-MM-DD, YYYY-MM or YYYY, with ~ when approximate, START/END for a span, "
         "../END when known only to be by END, or START/.. when known only to be on or after START")


@dataclass(frozen=True)
class FuzzyDate:
    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    until: FuzzyDate | None = None  # the end of a span; this date is then its start
    open_start: bool = False  # ``../END``: this date is END, the earliest is unknown
    open_end: bool = False  # ``START/..``: this date is START, the latest is unknown

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    # dates are parsed once per text and shared, so their bounds are worth computing once (sorting
    # a large knowledge base by date asks for them hundreds of thousands of times)
    @functools.cached_property
    def earliest(self) -> dt.date:
        if self.open_start:
            return dt.date.min  # unknown: it may have happened any time before its end
        return dt.date(self.year, self.month or 1, self.day or 1)

    @functools.cached_property
    def latest(self) -> dt.date:
        if self.open_end:
            return dt.date.max  # unknown: it may have happened any time after its start
        if self.until is not None:
            return self.until.latest
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    @functools.cached_property
    def counts_from(self) -> dt.date:
        """The first day from which this date counts as passed: a cut at a date (``--as-of``,
        ``--until``) takes it in when this day is not after the cut, and dates sort by it first.
        The earliest day, except for an open start (``../END``), which counts from the last day of
        END, by which it is known to have happened."""
        return self.latest if self.open_start else self.earliest

    def sort_key(self) -> tuple[dt.date, dt.date]:
        """(counts_from, latest): oldest first, a vaguer date before the days it contains."""
        return self.order

    @functools.cached_property
    def order(self) -> tuple[dt.date, dt.date]:
        """:meth:`sort_key` as an attribute, for ``operator.attrgetter("date.order")``."""
        return (self.counts_from, self.latest)

    def __lt__(self, other: FuzzyDate) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: FuzzyDate) -> bool:
        return self.sort_key() <= other.sort_key()

    @property
    def is_span(self) -> bool:
        return self.until is not None

    @property
    def open(self) -> bool:
        """Whether one bound is unknown (``../END`` or ``START/..``)."""
        return self.open_start or self.open_end

    def __str__(self) -> str:
        return self._text

    @functools.cached_property
    def _text(self) -> str:
        text = OPEN if self.open_start else ""
        text += f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.approximate:
            text += "~"
        if self.until is not None:
            text += f"/{self.until}"
        if self.open_end:
            text += OPEN_END
        return text

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse the forms described above; raise ValueError with a readable reason."""
        return _parse_cached(text)

    @classmethod
    def _parse(cls, text: str) -> FuzzyDate:
        if text.startswith(OPEN):
            end = text[len(OPEN):]
            if not end:
                raise ValueError(f"`{text}` is not a date: an open start needs the date it is known by, `../END` (`../2026-02-18`)")
            if ".." in end or "/" in end:
                raise ValueError(f"`{text}` is not a date: an open start `../END` has one date after `../`, not a span")
            one = cls._parse_one(end, text)
            return cls(one.year, one.month, one.day, one.approximate, open_start=True)
        if text.endswith(OPEN_END):
            start = text[: -len(OPEN_END)]
            if not start:
                raise ValueError(f"`{text}` is not a date: an open end needs the date it is known to be on or after, `START/..` (`2016-10-02/..`)")
            if ".." in start or "/" in start:
                raise ValueError(f"`{text}` is not a date: an open end `START/..` has one date before `/..`, not a span")
            one = cls._parse_one(start, text)
            return cls(one.year, one.month, one.day, one.approximate, open_end=True)
        if ".." in text:
            raise ValueError(f"`{text}` is not a date: `..` (an unknown bound) stands first, before a slash and the end (`../2026-02-18`: by that date), or last, after the start and a slash (`2016-10-02/..`: on or after it)")
        if "/" in text:
            first, _, last = text.partition("/")
            if not first:
                raise ValueError(f"`{text}` is not a date: a span needs its start, START/END; for one known only to be by END, write `../END`")
            start, end = cls._parse_one(first, text), cls._parse_one(last, text)
            if end.latest < start.earliest:
                raise ValueError(f"`{text}` is not a date span: it ends before it starts")
            return cls(start.year, start.month, start.day, start.approximate, end)
        return cls._parse_one(text, text)

    @classmethod
    def _parse_one(cls, text: str, whole: str) -> FuzzyDate:
        match = _FORM.match(text)
        if not match:
            raise ValueError(f"`{whole}` is not a date: write {FORMS}")
        year, month, day = (int(g) if g else None for g in match.groups()[:3])
        approximate = bool(match.group(4))
        if year < 1:
            raise ValueError(f"`{whole}` is not a date: there is no year 0")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"`{whole}` is not a date: there is no month {month}")
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(
                    f"`{whole}` is not a date: {calendar.month_name[month]} {year} has {last} days"
                )
        return cls(year, month, day, approximate)

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
        raise ValueError(f"a date must be written {FORMS}, not {type(value).__name__}")


@functools.lru_cache(maxsize=1 << 16)  # a large knowledge base has tens of thousands of distinct dates
def _parse_cached(text: str) -> FuzzyDate:
    return FuzzyDate._parse(text.strip())


def _validate(value: Any) -> FuzzyDate:
    if type(value) is str:  # the usual case, kept short: dates repeat, so parsing is cached
        try:
            return _parse_cached(value)
        except ValueError as exc:
            raise PydanticCustomError("invalid_date", str(exc)) from None
    try:
        return FuzzyDate.of(value)
    except ValueError as exc:
        raise PydanticCustomError("invalid_date", str(exc)) from None


Date = Annotated[
    FuzzyDate,
    PlainValidator(_validate),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "pattern": PATTERN},
            {"type": "integer", "minimum": 1, "maximum": 9999},  # YAML reads a bare year (2025) as a number
        ],
        "description": FORMS,
    }),
]
"""A FuzzyDate field for pydantic models: parsed from YAML, written back as text."""
