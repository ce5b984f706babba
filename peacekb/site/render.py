"""Pages as HTML, through Jinja2 templates with autoescaping on: data never becomes markup.

Every value a template prints passes :func:`_finalize` first, which escapes the characters a reader
would not see as they are (controls, bidi overrides, zero-width characters: :mod:`peacekb.safe`),
then Jinja2 escapes it for HTML. Only the charts' SVG, which :mod:`.charts` built from escaped
text, goes in as markup.
"""

from __future__ import annotations

import functools

import jinja2
from markupsafe import Markup

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
    env.globals.update(span=span, who=who, anchor=anchor, colour=charts.stance_colour)
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
        self._items: dict[tuple, Markup] = {}
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
            compact_list=functools.partial(self.compact_list, links),
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
        """A statement in one line (templates/compact.html), rendered once for every page as deep as this one."""
        key = (e.id, e.quote.text if e.quote else None, e.quote.source if e.quote else None, links.root)
        found = self._compact.get(key)
        if found is None:
            macro = environment().get_template("compact.html").module.compact
            found = self._compact[key] = macro(e, links, self.home(links, e), self.site.kb, self.stance)
        return found

    def compact_list(self, links: Links, items) -> Markup:
        """Statements as the items of a list, one line each, each with its anchor (templates/compact.html)."""
        module = environment().get_template("compact.html").module
        out = []
        for e in items:
            key = (e.id, e.quote.text if e.quote else None, e.quote.source if e.quote else None, links.root)
            found = self._items.get(key)
            if found is None:
                found = self._items[key] = module.item(e, links, self.home(links, e), self.site.kb, self.stance)
            out.append(found)
        return Markup("").join(out)

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
