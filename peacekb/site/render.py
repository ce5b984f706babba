"""Pages as HTML, through Jinja2 templates with autoescaping on: data never becomes markup.

Every value a template prints passes :func:`_finalize` first, which escapes the characters a reader
would not see as they are (controls, bidi overrides, zero-width characters: :mod:`peacekb.safe`),
then Jinja2 escapes it for HTML. What goes in as markup was built from escaped text: the charts'
SVG (:mod:`.charts`), and the pieces a large site shows hundreds of thousands of times, composed
here with every piece of data through :func:`_text` (a stance, a cited source, a row of a positions
table, a statement in one line).
"""

from __future__ import annotations

import functools

import jinja2
from markupsafe import Markup, escape

from peacekb.cli.views import human_date, possessive
from peacekb.safe import safe
from peacekb.site import charts
from peacekb.site.links import Links, anchor
from peacekb.site.pages import Page, Site


def _finalize(value):
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return safe(value)
    return value


def span(start: str, end: str | None) -> str:
    """`2026-01-23 – 2026-01-24`, an open date in words."""
    start_text = human_date(start)
    return start_text if not end or end == start else f"{start_text} – {human_date(end)}"


def who(e) -> str:
    """Who said it, or which document; for whom where that is not the speaker's party."""
    if e.kind == "document":
        words = (e.document or e.id) + (f", point {e.provision}" if e.provision else "")
    elif e.joint:
        words = (f"{e.speaker_name}, " if e.speaker_name else "") + "joint statement (" + " and ".join(e.party_names) + ")"
    else:
        words = e.speaker_name or " and ".join(e.party_names)
        if e.speaker_name and e.party_names:
            words += " (" + " and ".join(e.party_names) + ")"
    if e.holders != e.parties:
        words += f" on {possessive(' and '.join(e.holder_names))} position"
    return words


def _text(value: str) -> str:
    """Data as HTML text: what :func:`_finalize` and autoescaping make of it in a template."""
    return str(escape(safe(value)))


def on_record(block) -> list:
    """The rows of a positions table that hold or held a stance (the headline names the others)."""
    return [p for p in block.positions if p.status != "unknown" or p.past]


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("peacekb.site", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = human_date
    env.globals.update(span=span, who=who, anchor=anchor, colour=charts.stance_colour, on_record=on_record)
    return env


class Renderer:
    """Renders the pages of one site."""

    def __init__(self, site: Site, base_url: str | None = None, search: bool = True) -> None:
        self.site = site
        self.base_url = base_url
        self.known = site.known()
        self.search = search
        self.stances = {i.id: [s.id for s in i.stances] for i in site.kb.issues.values()}
        self._compact: dict[tuple, Markup] = {}
        self._rows: dict[tuple, tuple[object, Markup]] = {}
        self._issue: dict[tuple, Markup] = {}
        self._stance: dict[tuple[str, str], Markup] = {}
        self._source: dict[tuple[str, str], Markup] = {}

    def links(self, path: str) -> Links:
        return Links(path, self.base_url, self.known)

    def render(self, page: Page) -> str:
        env = environment()
        links = self.links(page.path)
        kb = self.site.kb
        context = dict(page.context)
        context.update(
            L=links, page=page, kb=kb, search=self.search, site_title="peacekb",
            src=kb.sources.get, event_kind=self.site.event_kind,
            chart_svg=functools.partial(self._charts, links, page),
            compact=functools.partial(self.compact, links), home=functools.partial(self.home, links),
            compact_list=functools.partial(self.compact_list, links), position_row=functools.partial(self.position_row, links),
            stance_html=self.stance, source_link=functools.partial(self.source_link, links),
            source_list=functools.partial(self.source_list, links), issue_stances=functools.partial(self.issue_stances, links),
        )
        return env.get_template(page.template).render(context)

    def stance(self, issue: str, ident: str) -> Markup:
        """A stance id with its colour (its place in the issue's stances, as on the charts)."""
        key = (issue, ident)
        found = self._stance.get(key)
        if found is None:
            colour = charts.stance_colour(self.stances.get(issue, []), ident)
            found = self._stance[key] = Markup('<span class="stance" style="--c: {}">{}</span>').format(colour, safe(ident))
        return found

    def source_link(self, links: Links, ident: str) -> Markup:
        """A source as cited: its title linked to its page, its publisher, a low reliability marked,
        and a link to its address."""
        key = (ident, links.root)
        found = self._source.get(key)
        if found is None:
            s = self.site.kb.sources.get(ident)
            title = safe(s.title if s and s.title else ident)
            parts = [Markup('<a href="{}">{}</a>').format(links.to("sources", ident), title) if links.has("sources", ident) else Markup.escape(title)]
            if s and s.publisher:
                parts.append(Markup(", {}").format(safe(s.publisher)))
            if s and s.reliability == "low":
                parts.append(Markup(' <span class="badge low">low reliability</span>'))
            if s and s.url:
                parts.append(Markup(' <a class="ext" href="{}" rel="nofollow noopener noreferrer">source ↗</a>').format(s.url))
            found = self._source[key] = Markup('<span class="source">{}</span>').format(Markup("").join(parts))
        return found

    def source_list(self, links: Links, ids: list[str]) -> Markup:
        """Sources as a list, each as :meth:`source_link` cites it."""
        if not ids:
            return Markup("")
        items = Markup("").join(Markup("<li>{}</li>\n").format(self.source_link(links, i)) for i in ids)
        return Markup('<ul class="sources">\n{}</ul>').format(items)

    def issue_stances(self, links: Links, e) -> Markup:
        """A statement's issues, each linked, with the stance it takes or withdraws there."""
        parts = []
        for i in e.issues:
            key = (i, e.stances.get(i), e.withdraws.get(i), links.root)
            found = self._issue.get(key)
            if found is None:
                name = Markup('<a href="{}">{}</a>').format(links.to("issues", i), safe(i)) if links.has("issues", i) else Markup.escape(safe(i))
                if i in e.stances:
                    name += Markup(" → ") + self.stance(i, e.stances[i])
                if i in e.withdraws:
                    name += Markup(" withdraws <del>{}</del>").format(safe(e.withdraws[i]))
                found = self._issue[key] = Markup('<span class="issue-stance">{}</span>').format(name)
            parts.append(found)
        return Markup("\n").join(parts)

    def home(self, links: Links, e) -> str | None:
        """Where a statement is shown in full: on its round's page, else its event's; a document's
        point on the document's page; a retracted statement nowhere (the cards leave it out)."""
        if e.retracted:
            return None
        if e.kind == "document":
            return links.to(self.site.event_kind(e.event), e.event, e.id if e.provision else None)
        if e.round and links.has("rounds", e.round):
            return links.to("rounds", e.round, e.id)
        if e.event:
            return links.to(self.site.event_kind(e.event), e.event, e.id)
        return f"#{anchor(e.id)}"

    def compact(self, links: Links, e) -> Markup:
        """A statement in one line (:meth:`_compact_text`), made once for every page as deep as this one."""
        key = (e.id, e.quote.text if e.quote else None, e.quote.source if e.quote else None, links.root)
        found = self._compact.get(key)
        if found is None:
            found = self._compact[key] = Markup(self._compact_text(links.shared(), e))
        return found

    def position_row(self, links: Links, issue: str, p, linked: bool, brief: bool) -> Markup:
        """A holder's position as a row of a positions table (:meth:`_row`), made once for every page
        as deep as this one: the positions after the rounds share most of their rows."""
        key = (id(p), issue, links.root, linked, brief)
        found = self._rows.get(key)
        if found is None or found[0] is not p:
            found = self._rows[key] = (p, self._row(links.shared(), issue, p, linked, brief))  # the position kept: its id stays its own
        return found[1]

    def _row(self, links: Links, issue: str, p, linked: bool, brief: bool) -> Markup:
        """The row: the holder; the stances held (contested marked), or none; those held before (with
        ``brief``, as after a round, the latest only); since when; when last voiced, linked to where
        that statement or document is shown when ``linked`` (no evidence under the row).

        Composed here rather than in a template, as :meth:`stance` and :meth:`source_link` are, every
        piece of data through :func:`_text`: the positions after every round make rows the most
        numerous piece of a large site, and a template's macro took several times as long a row."""
        name = _text(p.holder_name)
        holder = f'<a href="{escape(links.to("actors", p.holder))}">{name}</a>' if links.has("actors", p.holder) else name
        cell = '<span class="badge contested">contested</span> ' if p.status == "contested" else ""
        cell += (" / " if p.status == "contested" else " + ").join(f'{self.stance(issue, h.stance)} <span class="label">{_text(h.label)}</span>' for h in p.held)
        if not p.held:
            withdrew = [x for x in p.past if x.withdrawn]
            words = ("withdrew " + ", ".join(f"{x.stance} ({human_date(x.until)})" for x in withdrew)) if withdrew else "no recorded position"
            cell += f'<span class="none">{_text(words)}</span>'
        past = p.past[-1:] if brief else p.past
        if past:
            words = "; ".join(f"{x.stance} {human_date(x.since)} – {human_date(x.until)}" + (" (withdrawn)" if x.withdrawn else "") for x in past)
            if brief and len(p.past) > 1:
                words += f"; and {len(p.past) - 1} earlier"
            cell += f'<br><span class="past">before: {_text(words)}</span>'
        since = "<br>".join(_text(human_date(h.since)) for h in p.held)
        last = "<br>".join(self._last_voiced(links, h) if linked else _text(human_date(h.last)) for h in p.held)
        return Markup(f'<tr class="{p.status}" data-holder="{_text(p.holder)}" data-status="{p.status}" data-stances="{_text(" ".join(p.stances))}">\n'
                      f'<th scope="row">{holder}</th>\n<td>{cell}</td>\n<td>{since}</td>\n<td>{last}</td>\n</tr>\n')

    def _last_voiced(self, links: Links, h) -> str:
        """When a stance was last voiced, linked to that voicing where it is shown; each other voicing
        of the same day a `+` linked to it."""
        out = ""
        for i, e in enumerate(h.evidence):
            to = self.home(links, e)
            if i == 0:
                text = _text(human_date(h.last))
                out += f'<a href="{escape(to)}">{text}</a>' if to else text
            elif to:
                out += f' <a class="also" href="{escape(to)}" title="also voiced then: {_text(who(e))}">+</a>'
        return out

    def compact_list(self, links: Links, items) -> Markup:
        """Statements as the items of a list, one line each (:meth:`compact`), each with its anchor."""
        out = []
        for e in items:
            ident = escape(anchor(e.id))
            out.append(f'<li id="{ident}"><a class="permalink" href="#{ident}" title="Link to this statement here">#</a> {self.compact(links, e)}</li>\n')
        return Markup("".join(out))

    def _compact_text(self, links: Links, e) -> str:
        """A statement or document in one line, for the pages that list many (an actor's, a source's,
        an issue's timeline): when (linked to where it is shown in full: its round's or document's
        page), who, issue -> stance, the quote shown as evidence with its source, or the summary and
        its first sources. Composed here, every piece of data through :func:`_text`, as the rows
        of a positions table are: a large site shows a statement on several pages."""
        kb = self.site.kb
        home = self.home(links, e)
        date = _text(human_date(e.date))
        out = '<span class="compact disputed">' if e.disputed else '<span class="compact">'
        out += f'<a class="when" href="{escape(home)}">{date}</a>' if home else f'<span class="when">{date}</span>'
        out += f' <span class="who">{_text(who(e))}</span>'
        for i in e.issues:
            out += f' <span class="issue-stance">{_text(i)}'
            if i in e.stances:
                out += f" → {self.stance(i, e.stances[i])}"
            if i in e.withdraws:
                out += f" withdraws <del>{_text(e.withdraws[i])}</del>"
            out += "</span>"
        if e.disputed:
            out += ' <span class="badge disputed">disputed</span>'
        if e.retracted:
            out += f' <span class="badge retracted">retracted: {_text(e.retracted)}</span>'
        if e.quote:
            s = kb.sources.get(e.quote.source)
            cite = f' cite="{escape(s.url)}"' if s and s.url else ""
            out += f" <q{cite}>{_text(e.quote.text)}</q> "
            out += f'<span class="source">{self._ext(s, e.quote.source) if s and s.url else _text(e.quote.source)}</span>'
        else:
            out += f" {_text(e.summary)}"
            for ident in e.sources[:2]:
                s = kb.sources.get(ident)
                if s and s.url:
                    out += " " + self._ext(s, ident)
        return out + "</span>"

    @staticmethod
    def _ext(s, ident: str) -> str:
        return f'<a class="ext" href="{escape(s.url)}" rel="nofollow noopener noreferrer">{_text(s.publisher or s.title or ident)} ↗</a>'

    def _charts(self, links: Links, page: Page, which: str) -> Markup:
        """The SVG of one of the page's charts (built from escaped text: markup as it stands)."""
        if which == "stances":
            chart = page.context["chart"]
            shown = {t.evidence.id for t, _ in page.context["timeline"] if t.change != "agreement"}  # the changes, on the page itself
            evidence = {t.evidence.id: t.evidence for t in self.site.timeline.get(chart.issue, []) if t.change != "agreement"}

            def link(ident: str) -> str | None:
                return f"#{anchor(ident)}" if ident in shown else self.home(links, evidence[ident])

            svg = charts.stance_svg(chart, link, lambda r: links.to("rounds", r))
        elif which == "rounds":
            svg = charts.rounds_svg(page.context["rounds"], lambda r: links.to("rounds", r))
        elif which == "matrix":
            svg = charts.matrix_svg(page.context["matrix"], lambda i: self.stances.get(i, []), lambda i: links.to("issues", i))
        else:
            raise ValueError(which)
        return Markup(svg)  # noqa: S704 - every piece of data in it went through charts._t
