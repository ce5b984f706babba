"""Charts as SVG, drawn from query results: stances over time, the rounds, the matrix.

Each chart is first laid out as plain data (:class:`StanceChart`: lanes, spans, marks, rounds), taken
as it is from the positions and timeline results (nothing is recomputed: a span runs from a stance's
``since`` to when it was last voiced, or, for a stance dropped, to the claim that dropped it), then
written as SVG text in which every piece of data is escaped. Colours are the Okabe–Ito palette,
which stays distinct for the common kinds of colour blindness; shapes and dashes carry what colour
carries (a contested position is dashed, a dropped stance paler, a withdrawal a cross), and every
chart has a ``<title>``, a ``<desc>`` and, per element, a ``<title>`` with its words.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import escape

from peacekb import queries as q
from peacekb.dates import FuzzyDate
from peacekb.safe import safe

# Okabe & Ito (2008), black left out (it is the colour of the marks) and grey put in its place
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")
UNKNOWN = "#f2f2f2"
LANE_FILL = ("#f7f7f7", "none")
DARK = {"#0072B2", "#D55E00"}  # the palette's colours on which black text reads poorly
STATUS_FILL = {"agreed": "#0072B2", "converging": "#009E73", "diverging": "#D55E00", "open": "#999999"}

WIDTH = 960
LABEL_W = 190  # the holders' names
RIGHT = 24
TOP = 46  # the rounds' labels
ROW = 14  # one stance of one holder
LANE_GAP = 10
AXIS = 30


FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"


def standalone(svg: str) -> str:
    """A chart as a file of its own (`peacekb chart`): it carries its colours and fonts itself."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"


@functools.lru_cache(maxsize=65536)
def _t(value: object) -> str:
    """Data as SVG text or attribute: unsafe characters escaped as peacekb escapes them, then XML-escaped
    (the same ids, names and dates come back for every mark: kept)."""
    return str(escape(safe(str(value), line=True)))


def _n(x: float) -> str:
    """A coordinate, the same text every build."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def stance_colour(stances: list[str], stance: str | None) -> str:
    """The colour of a stance: its place in the issue's list of stances."""
    if stance is None or stance not in stances:
        return PALETTE[-1]
    return PALETTE[stances.index(stance) % len(PALETTE)]


# --- days -----------------------------------------------------------------------------------------


def start_day(text: str) -> int:
    """The day a date counts from (an open start ``../END`` from END), as an ordinal."""
    return FuzzyDate.parse(text).counts_from.toordinal()


def end_day(text: str) -> int:
    """The last day a date may be (an open end, ``START/..``, ends where it starts)."""
    date = FuzzyDate.parse(text)
    return (date.counts_from if date.open_end else date.latest).toordinal()


class Scale:
    """Days to x across the plot."""

    def __init__(self, first: int, last: int, left: float, right: float) -> None:
        if last <= first:
            first, last = first - 15, last + 15
        self.first, self.last, self.left, self.right = first, last, left, right

    def x(self, day: int) -> float:
        return self.left + (day - self.first) * (self.right - self.left) / (self.last - self.first)

    def ticks(self) -> list[tuple[int, str]]:
        """Year starts, or month starts across a short span."""
        a, b = dt.date.fromordinal(self.first), dt.date.fromordinal(self.last)
        months = (b.year - a.year) * 12 + b.month - a.month
        found = []
        if months <= 18:
            y, m = a.year, a.month
            while (y, m) <= (b.year, b.month):
                day = dt.date(y, m, 1).toordinal()
                if self.first <= day <= self.last:
                    found.append((day, f"{y}-{m:02d}"))
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            step = max(1, len(found) // 10 + (1 if len(found) > 10 else 0))
            return found[::step]
        step = max(1, (b.year - a.year) // 12 + 1)
        for y in range(a.year, b.year + 1, step):
            day = dt.date(y, 1, 1).toordinal()
            if self.first <= day <= self.last:
                found.append((day, str(y)))
        return found


# --- stances over time ----------------------------------------------------------------------------


@dataclass
class Span:
    holder: str
    stance: str
    label: str
    since: str
    until: str  # when last voiced (held) or when dropped (past)
    held: bool  # held now; else dropped
    contested: bool
    dropped_by: str | None = None
    withdrawn: bool = False


@dataclass
class Mark:
    holder: str
    statement: str  # the evidence's id
    date: str
    stance: str | None
    change: str
    who: str  # words for its title


@dataclass
class RoundLine:
    id: str
    title: str
    start: str


@dataclass
class Lane:
    holder: str
    name: str
    status: str
    stances: list[str]  # one row each, in the order first held
    spans: list[Span] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


@dataclass
class StanceChart:
    issue: str
    title: str
    stances: list[str]  # the issue's stances, for colours
    labels: dict[str, str]
    lanes: list[Lane]
    rounds: list[RoundLine]

    @property
    def spans(self) -> list[Span]:
        return [s for lane in self.lanes for s in lane.spans]

    @property
    def marks(self) -> list[Mark]:
        return [m for lane in self.lanes for m in lane.marks]


def stance_chart(block: q.IssuePositions, stances: list[q.StanceInfo], entries: list[q.TimelineEntry], rounds: list[RoundLine]) -> StanceChart:
    """The chart of one issue from its positions (``block``), its stances, every timeline entry on
    it (``timeline(every=True)``, the issue's own) and the rounds to draw."""
    order = [s.id for s in stances]
    labels = {s.id: s.label for s in stances}
    lanes: dict[str, Lane] = {}
    for p in block.positions:
        lane = Lane(p.holder, p.holder_name, p.status, [])
        for x in p.past:
            lane.spans.append(Span(p.holder, x.stance, x.label, x.since, x.until, False, False, x.dropped_by, x.withdrawn))
        for h in p.held:
            lane.spans.append(Span(p.holder, h.stance, h.label, h.since, h.last, True, p.status == "contested"))
        lane.spans.sort(key=lambda s: (start_day(s.since), not s.held, s.stance))
        lane.stances = list(dict.fromkeys(s.stance for s in lane.spans))
        for stance in [*p.stances]:
            labels.setdefault(stance, stance)
        lanes[p.holder] = lane
    for e in entries:
        lane = lanes.get(e.holder)
        if lane is None:  # a holder the positions do not list (cannot happen for the same results)
            continue
        lane.marks.append(Mark(e.holder, e.evidence.id, e.date, e.stance, e.change, _who(e.evidence)))
        for stance in (e.stance, *e.dropped):
            if stance is not None:
                labels.setdefault(stance, stance)
    shown = [lane for lane in lanes.values() if lane.spans or lane.marks]
    return StanceChart(block.issue, block.title, order, labels, shown, rounds)


def _who(e: q.Evidence) -> str:
    if e.kind == "document":
        return (e.document or e.id) + (f", point {e.provision}" if e.provision else "")
    return e.speaker_name or " and ".join(e.party_names)


def _days(chart: StanceChart) -> list[int]:
    found = [start_day(s.since) for s in chart.spans] + [end_day(s.until) for s in chart.spans]
    found += [start_day(m.date) for m in chart.marks]
    return found


def _lane_rows(lane: Lane) -> int:
    return max(1, len(lane.stances))


def stance_svg(chart: StanceChart, link: Callable[[str], str | None], round_link: Callable[[str], str | None] = lambda r: None) -> str:
    """The chart as SVG: one lane per holder (a row per stance it held), time across."""
    days = _days(chart)
    height_plot = sum(_lane_rows(lane) * ROW + LANE_GAP for lane in chart.lanes) or ROW
    height = TOP + height_plot + AXIS
    title = f"Stances on {chart.title} over time"
    if not days:
        desc = "No holder has taken a stance on this issue."
        return (f'<svg xmlns="http://www.w3.org/2000/svg" font-family="{FONT}" font-size="11" class="chart stance-chart" viewBox="0 0 {WIDTH} 60" role="img" '
                f'aria-labelledby="chart-title-{_t(chart.issue)} chart-desc-{_t(chart.issue)}">'
                f'<title id="chart-title-{_t(chart.issue)}">{_t(title)}</title><desc id="chart-desc-{_t(chart.issue)}">{_t(desc)}</desc>'
                f'<text x="10" y="30" class="empty">{_t(desc)}</text></svg>')
    first, last = min(days), max(days)
    rounds = [r for r in chart.rounds if first <= start_day(r.start) <= last]
    scale = Scale(first, last, LABEL_W, WIDTH - RIGHT)
    desc = describe(chart)
    ident = _t(chart.issue)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" font-family="{FONT}" font-size="11" class="chart stance-chart" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'role="img" aria-labelledby="chart-title-{ident} chart-desc-{ident}" data-issue="{ident}">',
        f'<title id="chart-title-{ident}">{_t(title)}</title>',
        f'<desc id="chart-desc-{ident}">{_t(desc)}</desc>',
    ]
    bottom = TOP + height_plot
    out.append('<g class="axis">')
    for day, text in scale.ticks():
        x = _n(scale.x(day))
        out.append(f'<line x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{_n(bottom)}" class="tick" stroke="#e5e5e5"/>')
        out.append(f'<text x="{x}" y="{_n(bottom + 16)}" text-anchor="middle" fill="#555">{_t(text)}</text>')
    out.append("</g>")
    out.append('<g class="rounds">')
    last_label = -1e9
    for r in rounds:
        x = scale.x(start_day(r.start))
        line = (f'<g class="round" data-round="{_t(r.id)}" data-date="{_t(r.start)}"><title>{_t(r.title)}, {_t(r.start)}</title>'
                f'<line x1="{_n(x)}" y1="{TOP - 8}" x2="{_n(x)}" y2="{_n(bottom)}" stroke="#555" stroke-dasharray="2 3"/>')
        near_end = x > WIDTH - RIGHT - 70  # a label at the right edge reads leftwards, so it needs twice the room
        if x - last_label >= (140 if near_end else 70):
            anchor_end = ' text-anchor="end"' if near_end else ""
            line += (f'<text x="{_n(x - 2 if near_end else x + 2)}" y="{TOP - 12}" font-size="10" fill="#333"'
                     f'{anchor_end}>{_t(_short(r.title, 14))}</text>')
            last_label = x
        line += "</g>"
        href = round_link(r.id)
        out.append(f'<a href="{_t(href)}">{line}</a>' if href else line)
    out.append("</g>")
    y = TOP
    for n, lane in enumerate(chart.lanes):
        rows = _lane_rows(lane)
        lane_h = rows * ROW
        words = lane.name + (" (contested)" if lane.status == "contested" else "")
        out.append(f'<g class="lane" data-holder="{_t(lane.holder)}" data-status="{_t(lane.status)}">')
        out.append(f'<rect x="0" y="{_n(y - LANE_GAP / 2)}" width="{WIDTH}" height="{_n(lane_h + LANE_GAP)}" class="lane-bg" fill="{LANE_FILL[n % 2]}"/>')
        out.append(f'<text x="{LABEL_W - 8}" y="{_n(y + lane_h / 2 + 4)}" text-anchor="end" class="holder">{_t(_short(words, 26))}</text>')
        for s in lane.spans:
            row = lane.stances.index(s.stance)
            x1, x2 = scale.x(start_day(s.since)), scale.x(end_day(s.until))
            width = max(x2 - x1, 3.0)
            x1 = min(x1, scale.right - width)  # a span of a day at the right end stays inside
            state = "held" if s.held else ("withdrawn" if s.withdrawn else "dropped")
            words = (f"{lane.name}: {s.label} ({s.stance}), since {s.since}, " +
                     (f"last voiced {s.until}" if s.held else f"{'withdrawn' if s.withdrawn else 'dropped'} {s.until}") +
                     (", contested" if s.contested else ""))
            dash = ' stroke-dasharray="4 2"' if s.contested else ""
            opacity = "" if s.held else ' fill-opacity="0.45"'
            if s.held and x1 + width < scale.right - 1:  # held still, though not voiced since: a thin line on to the end
                ym = _n(y + row * ROW + ROW / 2)
                out.append(f'<line class="still-held" x1="{_n(x1 + width)}" y1="{ym}" x2="{_n(scale.right)}" y2="{ym}" '
                           f'stroke="{stance_colour(chart.stances, s.stance)}" stroke-width="2" stroke-dasharray="1 3"/>')
            out.append(
                f'<rect class="span {state}" x="{_n(x1)}" y="{_n(y + row * ROW + 2)}" width="{_n(width)}" height="{ROW - 4}" '
                f'fill="{stance_colour(chart.stances, s.stance)}" stroke="#000" stroke-width="0.5"{opacity}{dash} data-holder="{_t(s.holder)}" data-stance="{_t(s.stance)}" '
                f'data-since="{_t(s.since)}" data-until="{_t(s.until)}" data-state="{state}"><title>{_t(words)}</title></rect>'
            )
        for m in lane.marks:
            row = lane.stances.index(m.stance) if m.stance in lane.stances else None
            cy = y + (row * ROW + ROW / 2 if row is not None else lane_h / 2)
            cx = scale.x(start_day(m.date))
            what = f"{m.who}, {m.date}: " + (f"{chart.labels.get(m.stance, m.stance)} ({m.stance})" if m.stance else m.change)
            attrs = f'class="mark {_t(m.change)}" data-holder="{_t(m.holder)}" data-statement="{_t(m.statement)}" data-date="{_t(m.date)}"'
            if m.change == "withdrawn":
                shape = (f'<path {attrs} d="M{_n(cx - 3.5)} {_n(cy - 3.5)}l7 7m0 -7l-7 7" stroke="#000" stroke-width="1.5"><title>{_t(what)}</title></path>')
            else:
                fill = "none" if m.stance is None else "#000"
                shape = f'<circle {attrs} cx="{_n(cx)}" cy="{_n(cy)}" r="3" fill="{fill}" stroke="#000"><title>{_t(what)}</title></circle>'
            href = link(m.statement)
            out.append(f'<a href="{_t(href)}">{shape}</a>' if href else shape)
        out.append("</g>")
        y += lane_h + LANE_GAP
    out.append("</svg>")
    return "".join(out)


def describe(chart: StanceChart) -> str:
    """The chart in words, for its <desc>."""
    parts = []
    for lane in chart.lanes:
        held = [s for s in lane.spans if s.held]
        words = ", ".join(f"{s.label} since {s.since}" for s in held) or "no stance held now"
        if lane.status == "contested":
            words = "contested: " + words
        dropped = [s for s in lane.spans if not s.held]
        if dropped:
            words += "; before: " + ", ".join(f"{s.label} {s.since} to {s.until}" for s in dropped)
        parts.append(f"{lane.name}: {words}")
    return f"{len(chart.lanes)} holders, {len(chart.marks)} statements and documents. " + ". ".join(parts) + "."


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the rounds -----------------------------------------------------------------------------------

ROUND_FILL = {"held": "#0072B2", "planned": "#E69F00", "postponed": "#CC79A7", "cancelled": "#D55E00"}


def rounds_svg(rows: list[q.RoundRow], link: Callable[[str], str | None]) -> str:
    """Every round on one time axis, a mark each (its status by colour and shape), linked to its page."""
    height = 110
    title = "Rounds over time"
    if not rows:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" font-family="{FONT}" font-size="11" class="chart rounds-chart" viewBox="0 0 {WIDTH} 40" role="img">'
                f'<title>{title}</title><desc>No rounds recorded.</desc></svg>')
    days = [start_day(r.start) for r in rows] + [end_day(r.end or r.start) for r in rows]
    scale = Scale(min(days), max(days), 20, WIDTH - 20)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    desc = f"{len(rows)} rounds from {rows[0].start} to {rows[-1].start}: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + "."
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" font-family="{FONT}" font-size="11" class="chart rounds-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-labelledby="rounds-title rounds-desc"><title id="rounds-title">{title}</title><desc id="rounds-desc">{_t(desc)}</desc>',
           '<g class="axis">']
    for day, text in scale.ticks():
        x = _n(scale.x(day))
        out.append(f'<line x1="{x}" y1="20" x2="{x}" y2="80" class="tick" stroke="#e5e5e5"/><text x="{x}" y="96" text-anchor="middle" fill="#555">{_t(text)}</text>')
    out.append('</g><line x1="20" y1="50" x2="{0}" y2="50" class="baseline" stroke="#999"/>'.format(WIDTH - 20))
    for n, r in enumerate(rows):
        x1, x2 = scale.x(start_day(r.start)), scale.x(end_day(r.end or r.start))
        y = 50 + (-12 if n % 2 else 12) if len(rows) < 200 else 50
        fill = ROUND_FILL.get(r.status, "#999999")
        words = f"{r.title}, {r.start}" + (f" to {r.end}" if r.end else "") + f", {r.status}" + (f", {r.location}" if r.location else "")
        shape = "circle" if r.status == "held" else "rect"
        attrs = f'class="round {_t(r.status)}" data-round="{_t(r.id)}" data-date="{_t(r.start)}"'
        if shape == "circle":
            body = f'<circle {attrs} cx="{_n((x1 + x2) / 2)}" cy="{_n(y)}" r="5" fill="{fill}"><title>{_t(words)}</title></circle>'
        else:
            body = f'<rect {attrs} x="{_n((x1 + x2) / 2 - 4.5)}" y="{_n(y - 4.5)}" width="9" height="9" fill="{fill}"><title>{_t(words)}</title></rect>'
        href = link(r.id)
        out.append(f'<a href="{_t(href)}">{body}</a>' if href else body)
    out.append("</svg>")
    return "".join(out)


# --- the matrix -----------------------------------------------------------------------------------

CELL_W, CELL_H, ISSUE_W, STATUS_W = 120, 24, 230, 90


def matrix_svg(m, stances_of: Callable[[str], list[str]], link: Callable[[str], str | None]) -> str:
    """The common-ground matrix as a heatmap: issues down, parties across, each cell coloured by the
    stance held (its colour on the issue's chart), hatched where contested, pale where unknown; each
    row's status (agreed, converging, diverging, open) at its end."""
    cols = len(m.parties)
    width = ISSUE_W + cols * CELL_W + STATUS_W
    height = 60 + len(m.rows) * CELL_H
    desc = (f"{len(m.rows)} issues by {cols} parties: "
            + ", ".join(f"{sum(1 for r in m.rows if r.status == s)} {s}" for s in STATUS_FILL) + ".")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" font-family="{FONT}" font-size="11" class="chart matrix-chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-labelledby="matrix-title matrix-desc"><title id="matrix-title">Common ground: issues by parties</title>'
           f'<desc id="matrix-desc">{_t(desc)}</desc>',
           '<defs><pattern id="contested" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2"/></pattern></defs>']
    for i, name in enumerate(m.party_names):
        x = ISSUE_W + i * CELL_W + CELL_W / 2
        out.append(f'<text x="{_n(x)}" y="40" text-anchor="middle" class="party">{_t(_short(name, 16))}</text>')
    for j, row in enumerate(m.rows):
        y = 50 + j * CELL_H
        order = stances_of(row.issue)
        label = ("  " * row.depth) + row.title
        href = link(row.issue)
        text = f'<text x="{ISSUE_W - 8}" y="{_n(y + 16)}" text-anchor="end" class="issue">{_t(_short(label, 34))}</text>'
        out.append(f'<a href="{_t(href)}">{text}</a>' if href else text)
        for i, cell in enumerate(row.cells):
            x = ISSUE_W + i * CELL_W
            fill = stance_colour(order, cell.stances[0]) if cell.stances else UNKNOWN
            words = f"{row.title}, {m.party_names[i]}: " + (
                ("contested: " + " / ".join(cell.labels)) if cell.status == "contested" else " + ".join(cell.labels) or "no recorded position")
            out.append(f'<g class="cell" data-issue="{_t(row.issue)}" data-party="{_t(cell.party)}" data-status="{_t(cell.status)}" '
                       f'data-stances="{_t(" ".join(cell.stances))}"><title>{_t(words)}</title>'
                       f'<rect x="{_n(x + 1)}" y="{_n(y + 1)}" width="{CELL_W - 2}" height="{CELL_H - 2}" fill="{fill}"/>')
            if cell.status == "contested":
                out.append(f'<rect x="{_n(x + 1)}" y="{_n(y + 1)}" width="{CELL_W - 2}" height="{CELL_H - 2}" fill="url(#contested)" opacity="0.35"/>')
            if cell.stances:
                ink = "#fff" if fill in DARK else "#000"
                out.append(f'<text x="{_n(x + CELL_W / 2)}" y="{_n(y + 16)}" text-anchor="middle" class="cell-text" font-size="10" fill="{ink}">'
                           f'{_t(_short(" / ".join(cell.stances), 17))}</text>')
            out.append("</g>")
        sx = ISSUE_W + cols * CELL_W + 6
        out.append(f'<text x="{sx}" y="{_n(y + 16)}" class="row-status {_t(row.status)}" font-weight="600" fill="{STATUS_FILL.get(row.status, "#555")}">{_t(row.status)}</text>')
    out.append("</svg>")
    return "".join(out)
