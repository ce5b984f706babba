"""Problems: the one value every loader step and check returns.

A problem names a file, a 1-based line and column, a severity, a stable code
and a message. Checks that know only *which value* is wrong (a path into the
YAML document, such as ``("statements", 3, "speaker")``) leave the line and
column at 0; the loader resolves them at the end, re-reading only the files
that have problems (see :mod:`peacekb.locate`).
"""

from __future__ import annotations

import os

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "note"]  # a note informs and never fails, not even under --strict
Target = Literal["key", "value"]
PathItem = str | int


@dataclass(frozen=True)
class Code:
    slug: str
    title: str
    description: str
    severity: Severity = "error"


_CATALOGUE = [
    Code("unreadable-file", "Unreadable file", "The file could not be read (permissions, a folder named like a file, ...)."),
    Code("symlink", "Symbolic link", "A data file or folder (a record, an archived text, a data folder such as actors/) is a symbolic link. peacekb never follows links, so it is not read: a record behind a link is not loaded, and the quotes of a source whose archive is a link are not checked; `diff --rev` reports links in a revision's tree the same way. Replace the link with the file itself."),
    Code("not-a-regular-file", "Not a regular file", "A named pipe (FIFO), socket or device where a record or an archived text belongs; it is never opened for reading."),
    Code("file-too-large", "File too large", "A record or archived text larger than the size limit (16 MiB, set by $PEACEKB_MAX_FILE_BYTES); it is not read."),
    Code("yaml-too-deep", "Nested too deeply", "A record nested more than 100 levels deep (mappings and lists inside each other); it is not loaded."),
    Code("yaml-too-large", "Mapping too large", "A record with a mapping of more than 100,000 keys; it is not loaded."),
    Code("not-utf8", "Not UTF-8", "The file contains bytes that are not valid UTF-8; save it as UTF-8."),
    Code("empty-file", "Empty file", "The file holds no YAML document."),
    Code("yaml-syntax", "YAML syntax error", "The file is not valid YAML."),
    Code("tab-indent", "Tab in indentation", "YAML indentation must use spaces, never tabs."),
    Code("duplicate-key", "Duplicate key", "The same key appears twice in one mapping; YAML keeps only one of them."),
    Code("yaml-alias", "Anchor or alias", "Anchors (&name) and aliases (*name) are not allowed; write each value out."),
    Code("yaml-multi-document", "Several documents", "A file holds exactly one YAML document; remove the extra `---`."),
    Code("not-a-mapping", "Not a mapping", "A record file must hold a mapping of fields (key: value) at its top level."),
    Code("unknown-field", "Unknown field", "A key that the record does not have, often a misspelling."),
    Code("missing-field", "Missing field", "A required field is absent."),
    Code("wrong-type", "Wrong type", "A value of the wrong kind (a list where text belongs, a number where a mapping belongs, ...)."),
    Code("invalid-value", "Invalid value", "A value outside the allowed set or form."),
    Code("invalid-id", "Invalid id", "Ids are lowercase slugs: letters a-z, digits and single hyphens."),
    Code("invalid-date", "Invalid date", "Dates are written YYYY-MM-DD, YYYY-MM or YYYY (with a trailing ~ when approximate), START/END for a span, ../END when known only to be by END, or START/.. when known only to be on or after START, and must exist in the calendar."),
    Code("id-mismatch", "Id does not match file name", "A record's id must equal its file name without `.yaml`."),
    Code("duplicate-id", "Duplicate id", "Two records of the same kind, or two items of one list, share an id."),
    Code(
        "id-shared-across-kinds",
        "Id shared by a round and an event",
        "A round and an event have the same id. `peacekb new statement --round ID` takes a round or an event by id, "
        "so these two kinds need ids of their own; reported at the `id` of both files, each naming the other. "
        "Other kinds may share ids.",
    ),
    Code("unknown-actor", "Unknown actor", "A reference to an actor id that no file in actors/ defines."),
    Code("unknown-issue", "Unknown issue", "A reference to an issue id that no file in issues/ defines."),
    Code("unknown-stance", "Unknown stance", "A stance that the issue it is given for does not offer."),
    Code("unknown-round", "Unknown round", "A reference to a round id that no file in rounds/ defines."),
    Code("unknown-event", "Unknown event", "A reference to an event or document id that no file in events/ defines."),
    Code("unknown-source", "Unknown source", "A reference to a source id that no file in sources/ defines."),
    Code("stance-issue-not-listed", "Stance for an unlisted issue", "A statement takes a stance on an issue it does not list under `issues`."),
    Code("date-order", "Dates out of order", "An end date lies before its start date; an agreement's status history goes back in time, or a status precedes the vote it points at."),
    Code("issue-cycle", "Cycle in the issue tree", "Following `parent` from an issue leads back to it."),
    Code("wrong-kind", "Wrong kind of event", "A reference to an event of the wrong kind: an agreement's `vote` names an event of kind `vote`, its `superseded_by` one of kind `agreement`."),
    Code("party-and-third-party", "Party and third party", "An actor is named both as a party (a delegation, an agreement's party) and as a third party (mediator, guarantor, ...) of the same round or agreement."),
    Code("self-reference", "Refers to itself", "A record names itself where another record is meant."),
    Code("no-source", "No source", "A statement must cite at least one source."),
    Code("quote-not-in-source", "Quote not in source", "A quote does not appear verbatim in the archived text of the source it is attributed to."),
    Code("duplicate-url", "Duplicate address", "Two sources have the same address (`url`, compared without the fragment, a trailing slash, the case of the host, or http against https); the later id is reported, naming the first: cite that one.", "warning"),
    Code("quote-beyond-archive", "Quote beyond the archived excerpt", "A quote of a source whose archive is an excerpt (`archive_scope: excerpt`) that the excerpt does not cover: the words are not in it, so the quote cannot be checked against the source. A note, never a failure; where the excerpt covers the quote and the words differ, it is `quote-not-in-source`.", "note"),
    Code("archive-missing", "Archived text missing", "A source names an archive file that does not exist."),
    Code("quote-missing", "Direct quote without a quote", "A statement attributed as `direct-quote` carries no quote text.", "warning"),
    Code("speaker-not-of-party", "Speaker not of party", "On the statement's date, the speaker held no role for the party they are said to speak for.", "warning"),
    Code("internal-error", "Internal error", "peacekb failed while checking this file: a bug in peacekb; please report it with the file."),
    Code("control-character", "Control or bidi character", "A text holds a control character (an ANSI escape, a C1 control), a bidi override or isolate, or a zero-width character: it would show other than it reads, or not at all. Output for people shows it escaped (`\\x1b`, `\\u202e`); remove it from the data.", "warning"),
    Code("stray-file", "Stray file", "A file in a data folder that is not a `.yaml` record and is not used by any record.", "warning"),
]

CODES: dict[str, Code] = {code.slug: code for code in _CATALOGUE}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = "error"
    # where the problem sits in the document, for locating and for scripts
    path: tuple[PathItem, ...] = field(default=(), compare=False)
    target: Target = field(default="value", compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}")
        if os.sep != "/" and os.sep in self.file:  # `/` on every platform (Windows opens such paths too)
            object.__setattr__(self, "file", self.file.replace(os.sep, "/"))

    @property
    def located(self) -> bool:
        return self.line > 0

    def at(self, line: int, column: int) -> Problem:
        return replace(self, line=line, column=column)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "path": [str(p) if isinstance(p, str) else p for p in self.path],
        }

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity} {self.code}: {self.message}"


def rebased(problems: list[Problem], old: str, new: str) -> list[Problem]:
    """``problems`` found in the knowledge base at ``old``, as found at ``new``: the same folder
    spelled another way (relative or absolute, from another folder), as ``str(root)`` gives it."""
    if old == new:
        return problems
    old, new = old.replace(os.sep, "/"), new.replace(os.sep, "/")
    # the files under a root of `.` are spelled without it (`actors/x.yaml`)
    before, after = ("" if old == "." else old.rstrip("/") + "/"), ("" if new == "." else new.rstrip("/") + "/")
    return [
        replace(p, file=new) if p.file == old else replace(p, file=after + p.file[len(before):]) if p.file.startswith(before) else p
        for p in problems
    ]


def problem(
    file: str,
    code: str,
    message: str,
    path: tuple[PathItem, ...] = (),
    *,
    target: Target = "value",
    line: int = 0,
    column: int = 0,
    severity: Severity | None = None,
) -> Problem:
    """Build a problem; severity defaults to the code's own."""
    if code not in CODES:
        raise ValueError(f"unknown problem code {code!r}")
    return Problem(
        file=file,
        line=line,
        column=column,
        code=code,
        message=one_line(message),
        severity=severity or CODES[code].severity,
        path=tuple(path),
        target=target,
    )


def one_line(text: str) -> str:
    """Control characters written as escapes, so that a problem is always one line."""
    return text.translate(_ESCAPES)


_ESCAPES = {**{c: f"\\x{c:02x}" for c in range(32)}, ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}


def count(problems: list[Problem]) -> tuple[int, int, int]:
    """(errors, warnings, notes)."""
    errors = sum(1 for p in problems if p.severity == "error")
    notes = sum(1 for p in problems if p.severity == "note")
    return errors, len(problems) - errors - notes, notes


@dataclass
class Report:
    """The problems found in a knowledge base, and how many files were read."""

    root: Path
    problems: list[Problem]
    files: int = 0

    @property
    def errors(self) -> int:
        return count(self.problems)[0]

    @property
    def warnings(self) -> int:
        return count(self.problems)[1]

    @property
    def notes(self) -> int:
        return count(self.problems)[2]

    def to_dict(self) -> dict:
        return {
            "problems": [p.to_dict() for p in self.problems],
            "summary": {"files": self.files, "errors": self.errors, "warnings": self.warnings, "notes": self.notes},
        }
