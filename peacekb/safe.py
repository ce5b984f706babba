"""Characters in data that a terminal or a reader would not see as they are.

Data come from pull requests, so any string may hold an ANSI escape (which could recolour, move
the cursor or rewrite the screen), a C1 control, a bidi override that reorders what is shown
(Trojan source), or a zero-width character that hides a difference. Human formats show each such
character escaped, as Python writes it (``\\x1b``, ``\\u202e``); json, yaml and csv keep the data
exact.
"""

from __future__ import annotations

import re

# C0 controls (tab and newline apart), DEL, C1 controls, bidi marks, embeddings, overrides and
# isolates, zero-width characters, the line and paragraph separators
UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff"
_UNSAFE = UNSAFE_RE = re.compile(f"[{UNSAFE}]")
_UNSAFE_OR_LAYOUT = re.compile(f"[{UNSAFE}\t\n]")


def _escaped(match: re.Match) -> str:
    char = match.group()
    if char == "\t":
        return "\\t"
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str, line: bool = False) -> str:
    """``text`` with each unsafe character escaped; with ``line``, newlines and tabs too (one line
    that no data can split, as a problem line must be)."""
    pattern = _UNSAFE_OR_LAYOUT if line else _UNSAFE
    return pattern.sub(_escaped, text) if pattern.search(text) else text


def has_unsafe(text: str) -> bool:
    return _UNSAFE.search(text) is not None
