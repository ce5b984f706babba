"""The knowledge base as a static website: `peacekb site OUT/`.

Data flows as everywhere else: the library's query results (:mod:`peacekb.queries`,
:mod:`peacekb.compare`, :mod:`peacekb.agreements`) are gathered into one context per page
(:mod:`.pages`), rendered through Jinja2 templates with autoescaping on (:mod:`.render`), with
charts drawn as SVG from the same results (:mod:`.charts`) and a search index for the optional
client-side search (:mod:`.search`); :mod:`.build` walks the pages and writes the site atomically.
Links are relative (the site works from ``file://`` and under any sub-path); :mod:`.links` makes
them. Nothing is recomputed here: a page shows what the CLI shows.
"""
