"""Reading one YAML record file: the fast path, and exact diagnoses when it fails.

The bulk of the parsing goes through yaml-rs, a YAML 1.2 parser written in
Rust (about 150 times faster here than ruamel.yaml's round-trip mode). It
builds plain values only: tags never construct objects, duplicate keys are
errors, and aliases are refused before any expansion, so an alias bomb costs
nothing. When the fast parser rejects a file, the file is parsed again with
ruamel.yaml to name the problem and its exact position.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml_rs

from peacekb import safefile
from peacekb.problems import Problem, problem

MAX_DEPTH = 100  # levels of mappings and lists inside each other
MAX_KEYS = 100_000  # keys in one mapping
# a line whose indentation and compact indicators (`- - `, `? `) reach this many columns may hold
# a record nested deeper than MAX_DEPTH (a block level needs a column of its own, at most two levels
# per column), so the parsed data is measured exactly
# searched in "\n" + text: a newline first lets the search skip quickly to line starts
_MAYBE_DEEP = re.compile(r"\n(?: |[-?:][ \t])" + "{%d,}" % (MAX_DEPTH // 2))
# past this many columns no record is plausible, and the fast parser would recurse without a limit
_TOO_DEEP = re.compile(r"\n(?: |[-?:][ \t]){1000}")


def _too_deep(text: str) -> re.Match | None:
    """The first line indented (or nested by `- `, `? `, `: `) 1,000 columns or more; only a line
    that long can be, so the search runs only when there is one."""
    if len(text) < 1000 or max(map(len, text.split("\n"))) < 1000:
        return None
    return _TOO_DEEP.search("\n" + text)

_NO_ALIASES = yaml_rs.AliasLimits(max_alias_expansions_per_anchor=0)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# every byte but the control characters above: deleting them leaves only control characters,
# a much faster test than a regular expression over the text
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 0x20 and b not in (0x09, 0x0A, 0x0D) or b == 0x7F))
_TAB_INDENT = re.compile(r"^ *\t[ \t]*\S", re.MULTILINE)
_POSITION = re.compile(r"line (\d+), column (\d+)")
# something that may be a tag (`!foo`, `!!python/object`); yaml-rs drops unknown tags silently,
# so a file where one may be is checked event by event
_TAG_HINT = re.compile(r"(?<![^\s\[{,:?-])!")


def read_text(path: Path, name: str, follow_links: bool = True) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problem that stops it from being read.

    Only a regular file of at most the size limit is read, never blocking; a symbolic link is
    followed only with ``follow_links`` (the loader, which reads a knowledge base, never does)."""
    try:
        raw = safefile.read_bytes(path, follow_links=follow_links)
    except safefile.Refused as exc:
        return None, [problem(name, exc.code, exc.message, line=1, column=1)]
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, [problem(name, "unreadable-file", f"cannot read the file: {reason}", line=1, column=1)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = position_of(raw[: exc.start].decode("utf-8", "replace"))
        return None, [
            problem(
                name,
                "not-utf8",
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
                line=line,
                column=column,
            )
        ]
    return text.removeprefix("\ufeff"), []


def position_of(prefix: str) -> tuple[int, int]:
    """1-based line and column of the character just after ``prefix``."""
    line = prefix.count("\n") + 1
    column = len(prefix) - (prefix.rfind("\n") + 1) + 1
    return line, column


def parse(path: Path, name: str) -> tuple[Any, list[Problem]]:
    """Parse one record file into plain Python values.

    Returns ``(data, problems)``; ``data`` is a dict when the file is a
    well-formed mapping and ``None`` otherwise, in which case ``problems``
    says why, with the exact position.
    """
    text, problems = read_text(path, name, follow_links=False)
    if text is None:
        return None, problems
    return parse_text(text, name)


def parse_text(text: str, name: str) -> tuple[Any, list[Problem]]:
    early = _lexical_problems(text, name)
    if early:
        return None, early
    too_deep = _too_deep(text)
    if too_deep:
        line, _ = position_of(text[: too_deep.start()])  # the match starts at the newline before the line
        return None, [problem(name, "yaml-too-deep", f"indented or nested 1,000 columns deep or more: a record is at most {MAX_DEPTH} levels deep", line=line, column=1)]
    # the exact diagnosis reparses with ruamel.yaml, in pure Python: for a large file, the fast
    # parser's own position is what is reported
    exact = len(text) <= _EXACT_DIAGNOSIS_BYTES and _key_bound(text) <= MAX_KEYS
    try:
        data = yaml_rs.loads(text, parse_datetime=False, alias_limits=_NO_ALIASES)
    except yaml_rs.YAMLDecodeError as exc:
        if "recursion limit" in str(exc):
            return None, [_deep_at(text, name, str(exc))]
        return None, diagnose(text, name, str(exc), exact=exact)
    except (ValueError, OverflowError, RecursionError) as exc:  # numbers out of range, deep nesting
        if isinstance(exc, RecursionError) or "recursion" in str(exc):
            return None, [_deep_at(text, name, str(exc))]
        return None, diagnose(text, name, str(exc), exact=exact)
    if _MAYBE_DEEP.search("\n" + text) or text.count("[") + text.count("{") > MAX_DEPTH or not exact:
        found = _shape_problems(data, text, name)
        if found:
            return None, found
    if data is None:
        return None, [problem(name, "empty-file", "the file holds no data: write the record's fields (id: ..., ...)", line=1, column=1)]
    if not isinstance(data, dict):
        return None, diagnose(text, name, None, data, exact=exact)
    if "!" in text and _TAG_HINT.search(text):
        try:
            found = _event_problems(text, name)
        except Exception as exc:  # what the fast parser accepts, ruamel.yaml may not (U+0080, ...)
            return None, diagnose(text, name, str(exc), exact=exact)
        if found:
            return None, found
    return data, []


_EXACT_DIAGNOSIS_BYTES = 4 * 1024 * 1024


def _key_bound(text: str) -> int:
    """At least the number of keys of any mapping in ``text``: every key is followed by `:` or
    introduced by `?`, or sits in a flow mapping between `{` and `,`."""
    return text.count(":") + text.count("?") + text.count(",") + text.count("{")


def _deep_at(text: str, name: str, message: str) -> Problem:
    match = _POSITION.search(message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    return problem(name, "yaml-too-deep", f"nested too deeply: a record is at most {MAX_DEPTH} levels deep", line=line, column=column)


def _shape_problems(data: Any, text: str, name: str) -> list[Problem]:
    """Nesting deeper than MAX_DEPTH or a mapping of more than MAX_KEYS keys, measured on the
    parsed data without recursion."""
    stack: list[tuple[Any, int, tuple]] = [(data, 1, ())]
    while stack:
        value, depth, path = stack.pop()
        if depth > MAX_DEPTH:
            return [problem(name, "yaml-too-deep", f"nested more than {MAX_DEPTH} levels deep (at {_shown(path)})", line=1, column=1)]
        if isinstance(value, dict):
            if len(value) > MAX_KEYS:
                return [problem(name, "yaml-too-large", f"the mapping at {_shown(path)} has {len(value):,} keys; at most {MAX_KEYS:,} are allowed", line=1, column=1)]
            stack.extend((v, depth + 1, (*path, k)) for k, v in value.items() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend((v, depth + 1, (*path, i)) for i, v in enumerate(value) if isinstance(v, (dict, list)))
    return []


def _shown(path: tuple) -> str:
    if not path:
        return "the top level"
    text = ""
    for item in path[:8]:
        text += f"[{item}]" if isinstance(item, int) else (f".{str(item)[:40]}" if text else str(item)[:40])
    return "`" + text + ("..." if len(path) > 8 else "") + "`"


def _lexical_problems(text: str, name: str) -> list[Problem]:
    found = []
    control = _CONTROL.search(text) if text.encode("utf-8", "surrogatepass").translate(None, _NOT_CONTROL) else None
    if control:
        line, column = position_of(text[: control.start()])
        found.append(
            problem(
                name,
                "yaml-syntax",
                f"control character U+{ord(control.group()):04X} is not allowed in YAML; is this a text file?",
                line=line,
                column=column,
            )
        )
        return found
    for match in _TAB_INDENT.finditer(text) if "\t" in text else ():
        line, _ = position_of(text[: match.start()])
        column = match.group().index("\t") + 1
        found.append(problem(name, "tab-indent", "tab in indentation: indent with spaces", line=line, column=column))
    return found


def diagnose(text: str, name: str, fast_message: str | None, data: Any = None, exact: bool = True) -> list[Problem]:
    """Name what is wrong with a file the fast path rejected, at its exact position.

    With ``exact=False`` (a large file) ruamel.yaml is not run: the fast parser's message is used."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.reader import ReaderError

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        if not exact:
            raise _Inexact
        found = _event_problems(text, name)
        if found:
            return found
        document = yaml.load(text)
    except DuplicateKeyError as exc:
        key = exc.problem.split('"')[1] if exc.problem and '"' in exc.problem else None
        message = f"duplicate key `{key}`: keep one of them" if key else "duplicate key: keep one of them"
        return [_at(name, "duplicate-key", message, exc.problem_mark)]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.context_mark is not None and "stream end" in (exc.problem or ""):
            # an unclosed bracket or quote: point at where it opens, not past the last line
            mark = exc.context_mark
            reason = f"{exc.context.removeprefix('while ')} that is never closed ({exc.problem})" if exc.context else reason
        return [_at(name, "yaml-syntax", reason, mark)]
    except _Inexact:
        document = None
    except ReaderError as exc:
        line, column = position_of(text[: exc.position]) if isinstance(exc.position, int) else (1, 1)
        shown = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a character"
        return [problem(name, "yaml-syntax", f"{shown} is not allowed in YAML ({exc.reason})", line=line, column=column)]
    except Exception as exc:  # ruamel raises plain errors on some broken input
        fast_message = fast_message or str(exc)
        document = None

    if fast_message is None:
        kind = type(data).__name__ if data is not None else "nothing"
        described = {"list": "a list", "str": "plain text", "int": "a number", "float": "a number", "bool": "a boolean"}.get(kind, kind)
        if document is not None and not hasattr(document, "keys"):
            described = {"CommentedSeq": "a list"}.get(type(document).__name__, described)
        return [problem(name, "not-a-mapping", f"the file holds {described}, but a record is a mapping of fields (id: ..., name: ...)", line=1, column=1)]

    match = _POSITION.search(fast_message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    reason = fast_message.splitlines()[-1].strip() if fast_message else "invalid YAML"
    if "duplicate" in fast_message:
        return [problem(name, "duplicate-key", reason, line=line, column=column)]
    if "alias" in fast_message:
        return [problem(name, "yaml-alias", "anchors and aliases are not allowed; write the value out", line=line, column=column)]
    return [problem(name, "yaml-syntax", reason, line=line, column=column)]


class _Inexact(Exception):
    pass


def _event_problems(text: str, name: str) -> list[Problem]:
    """Tags, aliases and extra documents, found in ruamel.yaml's event stream (nothing is constructed).

    Raises ruamel.yaml's MarkedYAMLError on syntax errors."""
    from ruamel.yaml import YAML
    from ruamel.yaml.events import AliasEvent, DocumentStartEvent

    documents = 0
    # the pure-Python safe parser: the round-trip one's comment handling raises NotImplementedError
    # ("overlap in comment") on some valid files
    for event in YAML(typ="safe", pure=True).parse(text):
        tag = getattr(event, "tag", None)
        if tag is not None and not isinstance(event, DocumentStartEvent):
            shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
            return [_at(name, "yaml-syntax", f"tag `{shown}`: tags are not allowed; write plain values", event.start_mark)]
        if isinstance(event, AliasEvent):
            return [_at(name, "yaml-alias", f"alias `*{event.anchor}`: anchors and aliases are not allowed; write the value out", event.start_mark)]
        if isinstance(event, DocumentStartEvent):
            documents += 1
            if documents == 2:
                return [_at(name, "yaml-multi-document", "a second YAML document: a record file holds one document; remove this `---` and what follows or move it to its own file", event.start_mark)]
    return []


def _at(name: str, code: str, message: str, mark: Any) -> Problem:
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return problem(name, code, message, line=line, column=column)
