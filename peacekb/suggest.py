"""Nearest-name suggestions for references that do not resolve."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable


def _syllabic(char: str) -> bool:
    """A character that spells a syllable or a word of its own (Chinese, Japanese, Korean)."""
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF or code >= 0x20000


def to_ascii(text: str) -> str:
    """``text`` transliterated to ASCII (anyascii): `Володимир` -> `Volodimir`, `Børge` -> `Borge`,
    `Kalın` -> `Kalin`; the syllables of Chinese, Japanese and Korean names stay apart (`Xi Jin Ping`)."""
    if text.isascii():
        return text
    from anyascii import anyascii

    parts = []
    for char in unicodedata.normalize("NFC", text):
        if char.isascii():
            parts.append(char)
        elif _syllabic(char):
            parts.append(f" {anyascii(char)} ")
        elif unicodedata.category(char).startswith("P"):
            parts.append(anyascii(char))
        else:  # a letter's apostrophe (a soft sign, a hamza) is no word break: `Зеленський` -> `Zelenskiy`
            parts.append(anyascii(char).replace("'", ""))
    return "".join(parts)


def slugify(text: str) -> str:
    """`Vladimir Medinsky` -> `vladimir-medinsky`, `Володимир Зеленський` -> `volodimir-zelenskiy`;
    empty only when nothing in ``text`` spells a letter or a digit."""
    return re.sub(r"[^a-z0-9]+", "-", to_ascii(text).lower()).strip("-")


def short_slug(text: str, limit: int = 60) -> str:
    """A slug of at most ``limit`` characters, cut at a word: an id made from a long title."""
    slug = slugify(text)
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0]
    return cut if cut else slug[:limit]


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
