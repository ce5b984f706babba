"""Checks over a built site, for the site tests: a strict HTML reader and a link checker.

:func:`parse` reads a page with the standard library's ``html.parser`` and fails on what a browser
would silently repair: an end tag that closes nothing or skips open elements, an element left
open, a duplicate id, a stray ``<`` in text, an attribute given twice. :func:`check_links` follows
every ``href`` and ``src`` of every page: an internal one must name a file of the site (relative,
never absolute, never leaving the site) and, with a fragment, an id on that page.
"""

from __future__ import annotations

import html
import posixpath
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# elements whose end tag HTML lets one leave out; the site always writes them, so they are checked too
SVG_VOID = {"line", "rect", "circle", "path"}  # self-closed in the charts


@dataclass
class Page:
    path: str
    ids: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag.attribute, value)
    errors: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    elements: list[tuple[str, dict[str, str | None], list[str]]] = field(default_factory=list)  # (tag, attrs, ancestors)


class _Reader(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=False)  # so that a raw `<` in text is seen as such
        self.page = page
        self.stack: list[str] = []

    def _where(self) -> str:
        line, col = self.getpos()
        return f"{self.page.path}:{line}:{col}"

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)
        if tag not in VOID and tag not in SVG_VOID:
            self.page.errors.append(f"{self._where()}: <{tag}/> self-closed")

    def _element(self, tag, attrs):
        names = [a for a, _ in attrs]
        if len(names) != len(set(names)):
            self.page.errors.append(f"{self._where()}: an attribute given twice in <{tag}>")
        given = dict(attrs)
        self.page.elements.append((tag, given, list(self.stack)))
        if "id" in given:
            self.page.ids.append(given["id"] or "")
        name = f"link[{given.get('rel')}]" if tag == "link" else tag
        for attribute in ("href", "src", "action", "cite", "data-index"):
            if given.get(attribute) is not None:
                self.page.links.append((f"{name}.{attribute}", given[attribute]))

    def handle_endtag(self, tag):
        if tag in VOID:
            self.page.errors.append(f"{self._where()}: </{tag}> for a void element")
            return
        if not self.stack or self.stack[-1] != tag:
            self.page.errors.append(f"{self._where()}: </{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_entityref(self, name):
        self.page.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name):
        self.page.text.append(html.unescape(f"&#{name};"))

    def handle_data(self, data):
        self.page.text.append(data)
        if "<" in data and self.stack and self.stack[-1] not in ("script", "style"):
            self.page.errors.append(f"{self._where()}: a raw < in text")


def parse(path: str, html: str) -> Page:
    page = Page(path)
    if not html.startswith("<!DOCTYPE html>\n"):
        page.errors.append(f"{path}: no <!DOCTYPE html> first")
    reader = _Reader(page)
    reader.feed(html)
    reader.close()
    if reader.stack:
        page.errors.append(f"{path}: left open at the end: {reader.stack}")
    dupes = {i for i in page.ids if page.ids.count(i) > 1}
    if dupes:
        page.errors.append(f"{path}: duplicate ids {sorted(dupes)}")
    return page


def read_site(root: Path) -> dict[str, Page]:
    """Every HTML page of the site, parsed."""
    return {p.relative_to(root).as_posix(): parse(p.relative_to(root).as_posix(), p.read_text(encoding="utf-8"))
            for p in sorted(root.rglob("*.html"))}


def check_links(root: Path, pages: dict[str, Page]) -> list[str]:
    """Every broken internal link or anchor, and every resource loaded from elsewhere."""
    broken = []
    for path, page in pages.items():
        here = posixpath.dirname(path)
        for where, value in page.links:
            url = urllib.parse.urlsplit(value)
            if url.scheme in ("http", "https"):
                if where not in ("a.href", "blockquote.cite", "q.cite", "link[canonical].href"):
                    broken.append(f"{path}: {where} loads {value} from elsewhere")
                continue
            if url.scheme or value.startswith("/") or url.netloc:
                broken.append(f"{path}: {where} {value!r} is not relative")
                continue
            target = posixpath.normpath(posixpath.join(here, urllib.parse.unquote(url.path))) if url.path else path
            if target.startswith(".."):
                broken.append(f"{path}: {where} {value!r} leaves the site")
                continue
            if not (root / target).is_file():
                broken.append(f"{path}: {where} {value!r}: no file {target}")
                continue
            if url.fragment:
                ids = pages[target].ids if target in pages else []
                if urllib.parse.unquote(url.fragment) not in ids:
                    broken.append(f"{path}: {where} {value!r}: no id {url.fragment!r} in {target}")
    return broken
