"""Nearest-name suggestions for references that do not resolve."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable


def slugify(text: str) -> str:
    """`Vladimir Medinsky` -> `vladimir-medinsky`; a hint for ids that are not slugs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def nearest(wanted: str, candidates: dict[str, Iterable[str]] | Iterable[str], limit: int = 3) -> list[str]:
    """Ids closest to ``wanted``, also matching the names and aliases given for each id."""
    if not isinstance(candidates, dict):
        candidates = {c: () for c in candidates}
    wanted_key = slugify(wanted) or wanted.lower()
    keys: dict[str, str] = {}
    words: dict[str, list[str]] = {}
    for ident, names in candidates.items():
        keys.setdefault(ident, ident)
        for name in names:
            keys.setdefault(slugify(name), ident)
            for word in slugify(name).split("-"):
                if len(word) > 3:
                    words.setdefault(word, []).append(ident)
    exact = [ident for key, ident in keys.items() if key == wanted_key or wanted_key in key.split("-")]
    close = difflib.get_close_matches(wanted_key, list(keys), n=limit * 2, cutoff=0.6)
    result = list(dict.fromkeys(exact + [keys[k] for k in close]))
    if not result and "-" not in wanted_key:  # a misspelt word of a longer name: `genva` for Geneva rounds
        for word in difflib.get_close_matches(wanted_key, list(words), n=2, cutoff=0.75):
            result += [i for i in dict.fromkeys(words[word]) if i not in result]
    return result[:limit]


def did_you_mean(wanted: str, candidates: dict[str, Iterable[str]] | Iterable[str]) -> str:
    """A suffix for an error message: `; did you mean `zelensky`?`, or nothing."""
    found = nearest(wanted, candidates)
    if not found:
        return ""
    return "; did you mean " + " or ".join(f"`{c}`" for c in found) + "?"
