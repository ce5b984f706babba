"""Where each page of the site lives, and links between them.

Every page is ``KIND/ID/index.html`` (the index is ``index.html``), so a link is relative to the
page it is on (``../../issues/donbas/index.html``): the site opens from ``file://`` and from any
sub-path. With a base URL, each page also has a canonical address (``BASE/issues/donbas/``).
Anchors are record ids; a document's point ``event#provision`` becomes ``event--provision`` (ids
never hold two hyphens in a row, so no anchor is taken twice).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("issues", "rounds", "actors", "agreements", "events", "sources")


def page_path(kind: str | None, ident: str | None = None) -> str:
    """The file of a page, relative to the site's root."""
    if kind is None:
        return "index.html"
    if ident is None:
        return f"{kind}/index.html"
    return f"{kind}/{ident}/index.html"


def anchor(ident: str) -> str:
    """The fragment id of a record on a page."""
    return ident.replace("#", "--")


@dataclass(frozen=True)
class Links:
    """Links from one page: ``depth`` folders below the root."""

    path: str  # this page's file, relative to the root
    base_url: str | None = None
    known: frozenset[tuple[str, str]] = frozenset()  # (kind, id) of the pages that exist

    @property
    def root(self) -> str:
        return "../" * self.path.count("/")

    def to(self, kind: str | None, ident: str | None = None, fragment: str | None = None) -> str:
        target = page_path(kind, ident)
        href = "" if target == self.path and fragment else self.root + target
        return href + (f"#{anchor(fragment)}" if fragment else "")

    def shared(self) -> Links:
        """The links of no page in particular, as deep as this one: what they give holds on every
        page of that depth (a link to this page is not shortened to its fragment)."""
        return Links("/".join(["~"] * self.path.count("/") + ["index.html"]), self.base_url, self.known)

    def has(self, kind: str, ident: str | None) -> bool:
        return ident is not None and (kind, ident) in self.known

    def asset(self, name: str) -> str:
        return f"{self.root}static/{name}"

    @property
    def canonical(self) -> str | None:
        if self.base_url is None:
            return None
        return self.base_url.rstrip("/") + "/" + self.path.removesuffix("index.html")

    def permalink(self, fragment: str) -> str:
        """The address of a record on this page, canonical where there is a base URL."""
        return (self.canonical or "") + f"#{anchor(fragment)}" if self.canonical else f"#{anchor(fragment)}"
