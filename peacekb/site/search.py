"""The index of the site's optional client-side search: one entry per page, its title and the
other words that name it (aliases, places, publishers), as JSON the browser reads
(static/search.js loads it as static/search-index.js); the site works the same without it."""

from __future__ import annotations

import json

from peacekb.site.links import page_path
from peacekb.site.pages import Site


def entries(site: Site) -> list[list[str]]:
    """[title, what it is, more words, path] per page, in the order of the lists."""
    kb = site.kb
    found: list[list[str]] = []
    for i in site.issues:
        issue = kb.issues[i.id]
        found.append([i.title, "issue", " ".join([i.id, *(s.label for s in issue.stances)]), page_path("issues", i.id)])
    for r in site.rounds:
        found.append([r.title, f"round, {r.start}", " ".join(x for x in (r.id, r.location or "") if x), page_path("rounds", r.id)])
    for a in site.actors:
        found.append([a.name, a.kind, " ".join([a.id, *a.aliases]), page_path("actors", a.id)])
    for e in site.events:
        found.append([e.title, f"{e.kind}, {e.date}", e.id, page_path(site.event_kind(e.id), e.id)])
    for s in site.sources:
        found.append([s.title or s.id, f"source, {s.publisher or ''}".rstrip(", "), s.id, page_path("sources", s.id)])
    return found


def index(site: Site) -> bytes:
    """The index as a script that sets ``window.PEACEKB_SEARCH`` (a script loads from ``file://``,
    where a fetch of JSON is refused). JSON is JavaScript; ``<``, ``>`` and ``&`` are written as
    escapes, so no text in it can end the script or start markup."""
    text = json.dumps(entries(site), ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.PEACEKB_SEARCH = {text};\n".encode("utf-8")
