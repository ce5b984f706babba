"""The GitHub Actions job summary: markdown appended to the file named by $GITHUB_STEP_SUMMARY.

GitHub keeps at most 1 MiB of one step's summary and shows an error instead of a larger one, so
what is appended is cut at a line boundary to fit, with a note saying how much was left out.
"""

from __future__ import annotations

import os

LIMIT = 1024 * 1024  # bytes GitHub accepts in one step's summary


def fit(markdown: str, room: int) -> str:
    """``markdown`` whole when it fits in ``room`` bytes (UTF-8, with its final newline), else its
    first lines with a note after them, all within ``room``."""
    whole = markdown.rstrip("\n") + "\n"
    size = len(whole.encode("utf-8"))
    if size <= room:
        return whole
    note = (
        f"\n\n**Cut short:** this report is {size:,} bytes and GitHub keeps at most {LIMIT:,} bytes of a step's "
        "summary; the lines above are its beginning. Run the same command locally to see all of it.\n"
    )
    budget = room - len(note.encode("utf-8"))
    if budget <= 0:
        return ""
    head = whole.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    head = head[: head.rfind("\n") + 1] if "\n" in head else ""
    return head.rstrip("\n") + note


def append(markdown: str) -> bool:
    """Append ``markdown`` to this step's job summary, cut to what GitHub keeps (counting what the
    step wrote there already). False when there is no job summary ($GITHUB_STEP_SUMMARY unset)."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    try:
        used = os.path.getsize(path)
    except OSError:
        used = 0
    text = fit(markdown, LIMIT - used)
    with open(path, "a", encoding="utf-8") as out:
        out.write(text)
    return True
