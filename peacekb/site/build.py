"""Build the site: every page rendered, the charts, the stylesheet, the search index, written at once.

The whole site is made in memory (name to bytes, in a fixed order, so that the same knowledge base
gives the same bytes), then written into a temporary folder beside ``OUT`` that takes OUT's place
when complete (:func:`peacekb.export.write_folder`): a reader never sees half a site, and an
interrupted build leaves the old one whole. A folder is replaced only when it is empty or a site
this command built (it holds :data:`MARK`), so that a mistyped ``OUT`` never wipes other files.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from peacekb import queries as q
from peacekb.kb import KnowledgeBase
from peacekb.site import search
from peacekb.site.pages import Site, gather, tasks
from peacekb.site.pages import page as make_page
from peacekb.site.render import Renderer

MARK = ".peacekb-site"
MARK_TEXT = "A static site built by `peacekb site`; `peacekb site` replaces this folder when it builds again.\n"
ASSETS = ("style.css", "search.js")


class SiteError(Exception):
    """The site cannot be written where asked; nothing was written."""


@dataclass
class Built:
    files: dict[str, bytes]
    pages: int
    seconds: dict[str, float] = field(default_factory=dict)


def check_target(out: Path) -> None:
    """Raise SiteError unless ``out`` can take a site: absent, an empty folder, or a site built before."""
    out = Path(out)
    if out.is_symlink():
        raise SiteError(f"{out} is a symbolic link: give the folder itself")
    if out.exists():
        if not out.is_dir():
            raise SiteError(f"{out} exists and is not a folder")
        if any(out.iterdir()) and not (out / MARK).is_file():
            raise SiteError(f"{out} is a folder that holds files but no site built by peacekb (no {MARK} in it): "
                            "give a new or empty folder, or remove it first")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise SiteError(f"{parent} is not a folder: create it first")


def render_site(kb: KnowledgeBase, base_url: str | None = None, jobs: int | None = None) -> Built:
    """Every file of the site, path to bytes. The pages are rendered by ``jobs`` processes (default:
    one per core, up to 4, for a large site on a system that forks; else one); the bytes are the same."""
    with q.shared_evidence():  # a statement's evidence made once for every page that shows it
        clock = time.perf_counter()
        collecting = gc.isenabled()
        gc.disable()  # the results are millions of objects without cycles, that live until the site is written
        try:
            site = gather(kb)
        finally:
            if collecting:
                gc.enable()
        seconds = {"queries": time.perf_counter() - clock}
        # the knowledge base and the results live until the site is written: kept out of the
        # collector's reach, so that its collections (a worker's too) do not walk the whole heap
        # (and, in a forked worker, copy it)
        gc.freeze()
        try:
            renderer = Renderer(site, base_url)
            todo = tasks(site)
            jobs = jobs if jobs is not None else default_jobs(len(todo))
            clock = time.perf_counter()
            files: dict[str, bytes] = {}
            if jobs > 1:
                for found in _in_processes(site, renderer, todo, jobs):
                    files.update(found)
            else:
                for kind, ident in todo:
                    files.update(_render(site, renderer, kind, ident))
            seconds["pages"] = time.perf_counter() - clock
        finally:
            gc.unfreeze()
    files["static/search-index.js"] = search.index(site)
    for name in ASSETS:
        files[f"static/{name}"] = resources.files("peacekb.site").joinpath("static", name).read_bytes()
    files[MARK] = MARK_TEXT.encode("utf-8")
    return Built(dict(sorted(files.items())), len(todo), seconds)


def default_jobs(pages: int) -> int:
    if pages < 400 or sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0))))


def _render(site: Site, renderer: Renderer, kind: str | None, ident: str | None) -> list[tuple[str, bytes]]:
    """The files of one page: its HTML, and beside an issue's page the positions as json."""
    page = make_page(site, kind, ident)
    found = [(page.path, renderer.render(page).encode("utf-8"))]
    if kind == "issues" and ident is not None:
        table = [page.context["block"], *page.context["below"]]
        found.append((f"issues/{ident}/positions.json", (json.dumps(q.to_data(table), indent=2, ensure_ascii=False) + "\n").encode("utf-8")))
    return found


_WORK: tuple[Site, Renderer] | None = None  # what the forked workers render from


def _render_chunk(chunk: list[tuple[str | None, str | None]]) -> list[tuple[str, bytes]]:
    assert _WORK is not None
    site, renderer = _WORK
    with q.shared_evidence():
        return [f for kind, ident in chunk for f in _render(site, renderer, kind, ident)]


def _in_processes(site: Site, renderer: Renderer, todo: list, jobs: int):
    """The files of every page, rendered by ``jobs`` forked processes that share the gathered
    results (copy on write), in the order of ``todo``."""
    global _WORK
    chunks = [todo[i:i + 32] for i in range(0, len(todo), 32)]
    _WORK = (site, renderer)
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=gc.disable) as pool:
            yield from pool.imap(_render_chunk, chunks)
    finally:
        _WORK = None


def build(kb: KnowledgeBase, out: Path, base_url: str | None = None) -> Built:
    """Build the site into ``out`` (see the module's docstring); SiteError when ``out`` cannot take it."""
    from peacekb.export import write_folder

    check_target(out)
    built = render_site(kb, base_url)
    clock = time.perf_counter()
    write_folder(Path(out), built.files)
    built.seconds["write"] = time.perf_counter() - clock
    return built
