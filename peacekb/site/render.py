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
        )
        return env.get_template(page.template).render(context)

    def _charts(self, links: Links, page: Page, which: str) -> Markup:
        """The SVG of one of the page's charts (built from escaped text: markup as it stands)."""
        if which == "stances":
            chart = page.context["chart"]
            svg = charts.stance_svg(chart, lambda ident: f"#{anchor(ident)}", lambda r: links.to("rounds", r))
        elif which == "rounds":
            svg = charts.rounds_svg(page.context["rounds"], lambda r: links.to("rounds", r))
        elif which == "matrix":
            svg = charts.matrix_svg(page.context["matrix"], lambda i: self.stances.get(i, []), lambda i: links.to("issues", i))
        else:
            raise ValueError(which)
        return Markup(svg)  # noqa: S704 - every piece of data in it went through charts._t
