"""`peacekb new KIND`: one subcommand per kind of record, its options made from the model's fields.

`new actor|issue|round|source|event` writes a record file, `new statement` appends a statement
to its round's (or event's) file, and `new role|stance|delegation|outcome|provision|quote|dispute`
adds a nested record to one that exists. The options of each come from
:func:`peacekb.fields.field_args`, so every field of every model can be given; what each command
writes is checked with the whole knowledge base before it is written (atomically, under a lock).
"""

from __future__ import annotations

import inspect
import sys
from typing import Annotated, Any, Optional

import typer

from peacekb.cli.app import DataOption, Group, Typer, fail_usage, resolve_data

# the subcommands; `peacekb new` itself is a lazy group (peacekb.cli.write_commands.NewGroup) that
# imports this module, and with it the models, only when one of them runs or is listed
new_app = Typer(name="new", cls=Group, context_settings={"help_option_names": ["-h", "--help"]})

InteractiveOption = Annotated[
    bool, typer.Option("--interactive", "-i", help="On a terminal: ask for every field that matters, in order, completing names.")
]

# the record kinds with files of their own (command name -> data folder)
TOP = {"actor": "actors", "issue": "issues", "round": "rounds", "source": "sources", "event": "events"}
# what interactive mode asks for, in order, beyond the required fields
ASK = {
    "actor": ["name", "kind", "aliases", "country", "description", "sources"],
    "issue": ["title", "parent", "description", "stances"],
    "round": ["title", "kind", "status", "start", "end", "location", "venue", "format", "mediators", "participants", "agenda", "sources"],
    "source": ["url", "title", "publisher", "published", "language", "reliability", "archive", "note"],
    "event": ["title", "kind", "date", "authors", "signatories", "description", "issues", "rounds", "sources"],
    "party": ["party", "standing", "date", "sources"],
    "third-party": ["actor", "role", "sources"],
    "history": ["status", "date", "by", "vote", "superseded_by", "sources"],
    "statement": ["date", "speaker", "party", "holder", "attribution", "summary", "quotes", "sources", "issues", "stances", "channel"],
}
# fields whose ids a prompt resolves from names (the kind they name)
NAMED = {
    "speaker": "actors", "party": "actors", "parties": "actors", "holder": "actors", "mediators": "actors",
    "participants": "actors", "authors": "actors", "signatories": "actors", "members": "actors", "head": "actors",
    "parent": "issues", "issues": "issues", "agenda": "issues", "sources": "sources", "source": "sources",
    "rounds": "rounds", "next_round": "rounds", "refers_to": "events", "events": "events", "related": "events",
    "actor": "actors", "by": "actors", "voters": "actors", "vote": "events", "superseded_by": "events",
}


def _terminal() -> bool:
    """Whether questions can be asked (tests replace it to feed answers to interactive mode)."""
    return sys.stdin.isatty()


def _models():
    from peacekb.models import KINDS, Statement

    return {**{name: KINDS[folder] for name, folder in TOP.items()}, "statement": Statement}


def nested_commands() -> dict[str, tuple[type, dict[str, str]]]:
    """Command name -> (nested model, {parent kind: field}) for every list of nested records of a
    record kind: `role` adds to an actor's `roles`, `dispute` to the `disputes` of an actor, round,
    event or statement."""
    from peacekb.fields import field_args, singular

    found: dict[str, tuple[type, dict[str, str]]] = {}
    for name, model in _models().items():
        kind = TOP.get(name, "statements")
        for arg in field_args(model):
            if arg.shape == "items" and arg.name != "statements":
                entry = found.setdefault(singular(arg.name).replace("_", "-"), (arg.nested, {}))
                entry[1][kind] = arg.name
    return found


def _inline(model) -> tuple[str, ...]:
    """Fields not given as options of the record's own command: the statements (`new statement`)
    and nested records that hold nested records (`new dispute`)."""
    from peacekb.fields import field_args, nested_in_items

    return tuple(a.name for a in field_args(model) if a.name == "statements" or (a.nested is not None and nested_in_items(a.nested)))


def _option(arg) -> Any:
    from peacekb.cli import complete

    opts = dict(help=arg.help, show_default=False, metavar=arg.metavar if arg.shape != "flag" else None)
    if arg.name in ("stances", "withdraws"):
        opts["autocompletion"] = complete.issue_stance
    elif arg.name in NAMED and arg.shape in ("scalar", "list"):
        opts["autocompletion"] = complete.of(NAMED[arg.name])
    if arg.shape == "flag":
        return Annotated[Optional[bool], typer.Option(*arg.names, help=arg.help, show_default=False)]
    if arg.shape in ("list", "map", "items", "groups"):
        return Annotated[Optional[list[str]], typer.Option(*arg.names, **opts)]
    return Annotated[Optional[str], typer.Option(*arg.names, **opts)]


def _register(name: str, model, skip: tuple[str, ...], head: list[inspect.Parameter], doc: str, run) -> None:
    from peacekb.fields import field_args

    params = list(head)
    for arg in field_args(model, skip):
        params.append(inspect.Parameter(arg.name, inspect.Parameter.KEYWORD_ONLY, annotation=_option(arg), default=None))
    params.append(inspect.Parameter("interactive", inspect.Parameter.KEYWORD_ONLY, annotation=InteractiveOption, default=False))
    params.append(inspect.Parameter("data", inspect.Parameter.KEYWORD_ONLY, annotation=DataOption, default=None))

    def command(**values: Any) -> None:
        run(values)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__doc__ = doc
    command.__name__ = name
    new_app.command(name)(command)


WRITES = (
    "The whole knowledge base is checked with the record in place before anything is written; the "
    "write is atomic and locked against other runs, and a file added to keeps its comments, layout "
    "and line endings. Exit 0 when written, 1 when the record would have problems (listed, nothing "
    "written), 2 on a usage error."
)
LISTS = (
    "Lists: repeat the option. Mappings: KEY=VALUE, repeated. Nested records: key=value,key=value "
    '(a pair whose value holds a comma in double quotes, "note=one, two"; a list\'s key repeated), or just the main value.'
)


def _doc(model, lead: str) -> str:
    first = (model.__doc__ or "").strip().split("\n")[0]
    return f"{lead}\n\n{first} {LISTS}\n\n{WRITES}"


# --- building a record ---------------------------------------------------------------------------


class _Asker:
    """Questions on a terminal: names resolved to ids, stances offered, lists comma-separated."""

    def __init__(self, root_dir) -> None:
        from peacekb.loader import load

        self.kb = load(root_dir).kb
        self._complete()

    def _complete(self) -> None:
        try:
            import readline
        except ImportError:  # no line editing here (Windows): no completion
            return
        words = sorted({w for kind in ("actors", "issues", "rounds", "sources", "events") for i, names in self.kb.names(kind).items() for w in [i, *names] if w})

        def complete(text: str, state: int):
            matches = [w for w in words if w.lower().startswith(text.lower())]
            return matches[state] if state < len(matches) else None

        readline.set_completer(complete)
        readline.parse_and_bind("tab: complete")

    def ident(self, kind: str, label: str, default: str | None = None) -> str | None:
        from peacekb.names import resolve

        while True:
            answer = typer.prompt(label, default=default or "", show_default=bool(default)).strip()
            if not answer:
                return None
            found = resolve(self.kb, kind, answer)
            if found.found:
                if found.found != answer:
                    typer.echo(f"  → {found.found}", err=True)
                return found.found
            if found.candidates:
                typer.echo("  several match: " + ", ".join(c.id for c in found.candidates), err=True)
                continue
            hint = (" (did you mean " + ", ".join(c.id for c in found.suggestions) + "?)") if found.suggestions else ""
            if typer.confirm(f"  no {kind[:-1]} `{answer}`{hint}; keep it as an id?", default=False, err=True):
                return answer

    def value(self, arg, model, record: dict, name: str) -> Any:
        from peacekb.fields import annotation_of, choices

        label = arg.name.replace("_", " ").capitalize()
        allowed = choices(annotation_of(model, arg.name)) if arg.name in model.model_fields else ()
        if allowed:
            label += f" ({', '.join(allowed)})"
        elif arg.metavar == "DATE":
            label += " (YYYY-MM-DD, YYYY-MM or YYYY)"
        kind = NAMED.get(arg.name)
        if arg.shape == "scalar":
            if kind:
                return self.ident(kind, label)
            answer = typer.prompt(label, default="", show_default=False).strip()
            return answer or None
        if arg.shape == "flag":
            return typer.confirm(label, default=bool(model.model_fields[arg.name].default), err=True)
        if arg.shape == "list":
            if kind:
                found = []
                while True:
                    one = self.ident(kind, f"{label} (one at a time, empty to stop)")
                    if one is None:
                        return found
                    found.append(one)
            answer = typer.prompt(f"{label} (comma-separated, empty for none)", default="", show_default=False)
            return [a.strip() for a in answer.split(",") if a.strip()]
        if arg.shape == "map" and arg.name in ("stances", "withdraws"):
            return self.stances(record, arg.name == "withdraws")
        if arg.shape == "items" and arg.name == "quotes":
            return self.quotes(record)
        answer = typer.prompt(f"{label} ({arg.metavar}, several separated by ` ; `, empty for none)", default="", show_default=False)
        return [a.strip() for a in answer.split(" ; ") if a.strip()]

    def quotes(self, record: dict) -> list[dict]:
        found = []
        while True:
            text = typer.prompt("Quote, exactly as the source prints it (empty for none)", default="", show_default=False).strip()
            if not text:
                return found
            source = self.ident("sources", "  Source of the quote")
            quote: dict[str, Any] = {"text": text, "source": source}
            if typer.confirm("  Is it a translation?", default=False, err=True):
                quote["translation"] = True
            language = typer.prompt("  Language of the quote (ISO 639, e.g. en; empty if unknown)", default="", show_default=False).strip()
            if language:
                quote["language"] = language
            found.append(quote)

    def stances(self, record: dict, withdrawn: bool) -> list[str]:
        found = []
        for issue_id in record.get("issues") or []:
            issue = self.kb.issues.get(issue_id)
            if issue is None or not issue.stances:
                continue
            typer.echo(f"Stances on {issue_id}:", err=True)
            for n, stance in enumerate(issue.stances, 1):
                typer.echo(f"  {n}. {stance.id}  {stance.label}", err=True)
            verb = "given up" if withdrawn else "taken"
            answer = typer.prompt(f"  Stance {verb} on {issue_id} (number or id, empty for none)", default="", show_default=False).strip()
            if answer.isdigit() and 1 <= int(answer) <= len(issue.stances):
                answer = issue.stances[int(answer) - 1].id
            if answer:
                found.append(f"{issue_id}={answer}")
        return found


def _values(name: str, model, values: dict, root_dir, ask_all: bool, skip: tuple[str, ...] = ()) -> dict:
    """The record from the options, asking on a terminal for what is missing (everything that
    matters with --interactive)."""
    from peacekb.fields import ArgError, field_args, record_from

    args = {a.name: a for a in field_args(model, skip)}
    if name == "statement":  # given by --party, once or for each party of a joint statement
        args["party"] = next(a for a in field_args(model) if a.name == "party")
    terminal = _terminal()
    required = [a for a in args.values() if a.required and a.name != "id"]
    asker = _Asker(root_dir) if terminal and (ask_all or any(values.get(a.name) in (None, []) for a in required)) else None
    if ask_all and asker is None:
        raise fail_usage("--interactive asks its questions on a terminal; give the fields as options instead")
    order = ASK.get(name, []) if ask_all else []
    order = [n for n in order if n in args] + [a.name for a in required if a.name not in order]
    given = values  # the answers are seen by the caller too
    for field in order:
        if given.get(field) not in (None, []):
            continue
        if asker is None:
            continue
        try:
            partial = record_from(model, {k: v for k, v in given.items() if k in args and not (name == "statement" and k == "party")})
        except ArgError:
            partial = {}
        answer = asker.value(args[field], model, partial, name)
        if answer not in (None, []):
            given[field] = [answer] if field == "party" and name == "statement" else answer
    try:
        return record_from(model, {k: v for k, v in given.items() if k in args and not (name == "statement" and k == "party")})
    except ArgError as exc:
        raise fail_usage(str(exc)) from None


def ordered_fields(model, record: dict) -> list[str]:
    return [name for name in model.model_fields if name in record] + [k for k in record if k not in model.model_fields]


def _need(name: str, model, record: dict, skip: tuple[str, ...] = ()) -> None:
    from peacekb.fields import field_args

    missing = [a.option for a in field_args(model, skip) if a.required and a.name != "id" and a.name not in record]
    if missing:
        raise fail_usage(f"new {name} needs {', '.join(missing)}")


def _make_id(model, record: dict) -> str:
    from peacekb.fields import ID_FROM
    from peacekb.suggest import short_slug

    for field in ID_FROM.get(model.__name__, ()):
        if record.get(field):
            text = str(record[field])
            if field == "url":  # the site without `www.` and its top-level domain, then the path
                host, _, rest = text.split("://", 1)[-1].partition("/")
                host = ".".join(host.removeprefix("www.").split(".")[:-1]) or host
                text = f"{host} {rest.split('?', 1)[0]}"
            ident = short_slug(text)
            if not ident:
                raise fail_usage(f"no id can be made from {field} {record[field]!r} (nothing in it spells a letter or digit): give --id")
            return ident
    raise fail_usage("give --id")


def _validate(model, record: dict) -> None:
    """A usage error naming the option when a value does not fit its field."""
    from pydantic import ValidationError

    from peacekb.fields import option_of

    try:
        model.model_validate(record)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            where = option_of(model, tuple(error["loc"]))
            lines.append(f"{where}: {str(error['msg']).removeprefix('Value error, ')}")
        raise fail_usage("; ".join(lines)) from None


def _check_id_option(value: str | None, option: str) -> None:
    from peacekb.create import CreateError, check_id

    if value is not None:
        try:
            check_id(value, option)
        except CreateError as exc:
            raise fail_usage(str(exc)) from None


def _report_write(root_dir, path, text: str, what: str, expected: bytes | None = None, target=None, done: str = "created") -> None:
    from rich.markup import escape

    from peacekb.cli.console import make_console
    from peacekb.cli.write_commands import check_and_write
    from peacekb.create import CreateError
    from peacekb.writing import FileChanged

    err = make_console("auto", stderr=True)
    try:
        check_and_write(root_dir, path, text, what, err, expected=expected, target=target)
    except CreateError as exc:
        raise fail_usage(str(exc)) from None
    except FileExistsError:
        raise fail_usage(f"{path} exists already (created meanwhile): a new {what} needs an id of its own") from None
    except FileChanged as exc:  # another writer, one that takes no lock (an editor)
        err.print(f"[red]✗[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(1) from None
    except OSError as exc:  # a read-only or full disk, no permission, ...: the file is left as it was
        err.print(f"[red]✗[/] nothing written: cannot write {escape(str(path))}: {escape(exc.strerror or str(exc))}", soft_wrap=True)
        raise typer.Exit(1) from None
    err.print(f"[green]✓[/] {done} {escape(str(path))}", soft_wrap=True)


def _create(name: str, values: dict) -> None:
    import os

    from peacekb.create import CreateError, inside, new_file

    model = _models()[name]
    root_dir = resolve_data(values.pop("data"))
    ask_all = values.pop("interactive")
    _check_id_option(values.get("id"), "--id")
    skip = _inline(model)
    record = _values(name, model, values, root_dir, ask_all, skip)
    if name == "source" and "title" not in record and "title_status" not in record:
        record["title_status"] = "none"  # no title was seen: the model asks to say so
        print("peacekb: no --title: written with `title_status: none` (describe the page in --note)", file=sys.stderr)
    _need(name, model, record, skip)
    if "id" not in record:
        record = {"id": _make_id(model, record), **record}
    _check_id_option(record["id"], "--id")
    _validate(model, record)
    if name == "source" and record.get("url"):
        _refuse_known_url(root_dir, record["url"])
    try:
        path, text = new_file(root_dir, name, record)
        inside(root_dir, path)
    except CreateError as exc:
        raise fail_usage(str(exc)) from None
    if not os.path.lexists(path.parent):  # the first record of its kind (a knowledge base without events yet)
        path.parent.mkdir()
    _report_write(root_dir, path, text, name)


def _refuse_known_url(root_dir, url: str) -> None:
    from peacekb.checks import url_key
    from peacekb.loader import load

    for source in load(root_dir).kb.sources.values():
        if source.url and url_key(source.url) == url_key(url):
            print(f"peacekb: nothing written: source `{source.id}` has this address already ({source.url}); cite `{source.id}`", file=sys.stderr)
            raise typer.Exit(1)


def statement_id(kb, round_id: str, record: dict) -> str:
    """A short, readable id: the round, the speaker's surname (else the party), and a keyword: the
    stance taken (else the one given up, the issue, a word of the summary); numbered when taken
    (`geneva-2026-02-medinsky-continue-talks-2`)."""
    from peacekb.suggest import slugify

    speaker = record.get("speaker")
    if speaker:
        actor = kb.actors.get(speaker)
        who = slugify(actor.name).split("-")[-1] if actor is not None and slugify(actor.name) else speaker.split("-")[-1]
    else:
        who = "-".join(record.get("parties") or [record.get("party") or ""])
    stances = [*(record.get("stances") or {}).values(), *(record.get("withdraws") or {}).values()]
    if stances:
        keyword = "-".join(stances[0].split("-")[:3])
    elif record.get("issues"):
        keyword = record["issues"][0]
    else:
        words = [w for w in slugify(record.get("summary", "")).split("-") if len(w) > 3 and w not in _STOP]
        keyword = words[0] if words else ""
    base = "-".join(p for p in (round_id, who, keyword) if p)[:70].strip("-")
    ident, n = base, 2
    while ident in kb.statements:
        ident, n = f"{base}-{n}", n + 1
    return ident


_STOP = set(
    "about above after again against also been before being below between both could does doing down during each "
    "from further have having here into itself more most must other over said says same should some such than that "
    "their them then there these they this those through under until very were what when where which while will "
    "with would your first last next".split()
)


def _statement(values: dict) -> None:
    import os
    from pathlib import Path

    from peacekb.cli.write_commands import statement_file
    from peacekb.create import CreateError, add_statement, inside
    from peacekb.loader import load
    from peacekb.models import Statement
    from peacekb.writing import locked

    root_dir = resolve_data(values.pop("data"))
    ask_all = values.pop("interactive")
    round_name = values.pop("round_")
    for value, option in ((values.get("id"), "--id"), (round_name, "--round")):
        _check_id_option(value, option)
    skip = _inline(Statement)
    if round_name is None and _terminal():
        round_name = _Asker(root_dir).ident("rounds", "Round (or event) whose file holds it") or None
        if round_name is None:
            raise fail_usage("new statement needs --round")
    if round_name is None:
        raise fail_usage("new statement needs --round")
    round_name = _check(round_name)
    if not values.get("issues"):  # the issues a stance is taken or given up on
        pairs = [*(values.get("stances") or []), *(values.get("withdraws") or [])]
        values["issues"] = list(dict.fromkeys(p.split("=", 1)[0].strip() for p in pairs if "=" in p)) or None
    record = _values("statement", Statement, values, root_dir, ask_all, skip)  # asks for the party too
    parties = list(dict.fromkeys(values.get("party") or []))
    if len(parties) == 1:
        record["party"] = parties[0]
    elif parties:
        record["parties"] = parties
    record = {k: record[k] for k in ordered_fields(Statement, record)}
    # every issue a stance is taken or given up on is one of the statement's issues
    issues = list(dict.fromkeys([*(record.get("issues") or []), *record.get("stances", {}), *record.get("withdraws", {})]))
    if issues:
        record["issues"] = issues
    quotes = record.get("quotes") or []
    sources = list(record.get("sources") or [])
    for quote in quotes:  # a quote without a source is from the first --source
        if "source" not in quote and sources:
            quote["source"] = sources.pop(0)
    if quotes:
        record["sources"] = [s for s in sources if s not in {q.get("source") for q in quotes}]
        if not record["sources"]:
            del record["sources"]
    _need("statement", Statement, record, skip)
    kb = load(root_dir).kb
    if "id" not in record:
        record = {"id": statement_id(kb, round_name, record), **record}
    _validate(Statement, record)
    if not record.get("stances") and not record.get("withdraws"):
        print("peacekb: note: the statement takes no stance (give --stance ISSUE=STANCE where it takes one)", file=sys.stderr)
        if ask_all and not typer.confirm("Write it without a stance?", default=False, err=True):
            raise typer.Exit(1)
    path = statement_file(root_dir, round_name)
    try:
        inside(root_dir, path)
    except CreateError as exc:
        raise fail_usage(str(exc)) from None
    target = Path(os.path.realpath(path))  # through a symbolic link (inside the knowledge base), not over it
    from peacekb.fields import ordered

    try:
        with locked(target):  # locked from the read to the replace: concurrent runs each add their statement
            raw = target.read_bytes()
            try:
                text = add_statement(path, ordered(Statement, record), raw.decode("utf-8"))
            except UnicodeDecodeError:
                raise CreateError(f"{path} is not UTF-8; fix it first (peacekb validate)") from None
            _report_write(root_dir, path, text, "statement", expected=raw, target=target, done="added a statement to")
    except CreateError as exc:
        raise fail_usage(str(exc)) from None
    except OSError as exc:
        print(f"peacekb: nothing written: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        raise typer.Exit(1) from None


def _check(ident: str) -> str:
    from peacekb.create import CreateError, check_id

    try:
        return check_id(ident, "--round")
    except CreateError as exc:
        raise fail_usage(str(exc)) from None


def _add(name: str, values: dict) -> None:
    """Add a nested record (a role, a delegation, a quote, ...) to the record ``to``."""
    import os
    from pathlib import Path

    from peacekb.create import CreateError, append_item, inside
    from peacekb.loader import load
    from peacekb.models import KINDS, Statement
    from peacekb.suggest import did_you_mean
    from peacekb.writing import locked

    model, parents = nested_commands()[name]
    root_dir = resolve_data(values.pop("data"))
    ask_all = values.pop("interactive")
    to = values.pop("to")
    _check_id_option(values.get("id"), "--id")
    kb = load(root_dir).kb
    found = [(kind, field) for kind, field in parents.items() if to in getattr(kb, kind)]
    words = " or ".join(k[:-1] for k in parents)
    if not found:
        names: dict = {}
        for kind in parents:
            names.update(kb.names(kind))
        raise fail_usage(f"no {words} `{to}`{did_you_mean(to, names)}")
    if len(found) > 1:
        raise fail_usage(f"`{to}` is the id of a {' and a '.join(k[:-1] for k, _ in found)}: rename one of them first (peacekb rename)")
    kind, field = found[0]
    parent_model = Statement if kind == "statements" else KINDS[kind]
    record = _values(name, model, values, root_dir, ask_all)
    _need(name, model, record)
    if "id" in model.model_fields and "id" not in record:
        record = {"id": _make_id(model, record), **record}
        _check_id_option(record["id"], "--id")
    _validate(model, record)
    origin = kb.origin(kind, to)
    path = Path(origin.file)
    try:
        inside(root_dir, path)
        target = Path(os.path.realpath(path))
        with locked(target):
            raw = target.read_bytes()
            try:
                text = append_item(path, raw.decode("utf-8"), origin.path, field, record, parent_model)
            except UnicodeDecodeError:
                raise CreateError(f"{path} is not UTF-8; fix it first (peacekb validate)") from None
            _report_write(root_dir, path, text, name, expected=raw, target=target, done=f"added {_a(name)} to {kind[:-1]} `{to}` in")
    except CreateError as exc:
        raise fail_usage(str(exc)) from None
    except OSError as exc:
        print(f"peacekb: nothing written: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        raise typer.Exit(1) from None


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _setup() -> None:
    from peacekb.models import Statement

    from peacekb.fields import ID_FROM

    models = _models()
    for name, folder in TOP.items():
        made_from = " or ".join(ID_FROM[models[name].__name__])
        lead = f"Create {_a(name)} in {folder}/ID.yaml (the id is made from its {made_from} when --id is not given)."
        _register(name, models[name], _inline(models[name]), [], _doc(models[name], lead), lambda values, name=name: _create(name, values))
    round_param = inspect.Parameter(
        "round_", inspect.Parameter.KEYWORD_ONLY, default=None,
        annotation=Annotated[Optional[str], typer.Option("--round", metavar="ROUND", help="The round (or event) whose file holds it.", show_default=False)],
    )
    lead = ("Add a statement to its round's (or event's) file. --party repeated makes a joint statement; the "
            "first --source is a --quote's source when the quote names none; the id is made from the round, the "
            "speaker's surname and the stance it takes (else its issue).")
    _register("statement", Statement, _inline(Statement) + ("party", "parties"), [round_param, _party_param()], _doc(Statement, lead), _statement)
    for name, (model, parents) in nested_commands().items():
        where = " or ".join(k[:-1] for k in parents)
        to = inspect.Parameter(
            "to", inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=Annotated[str, typer.Argument(metavar="TO", help=f"The id of the {where} it is added to.")],
        )
        kinds = [k[:-1] for k in parents]
        named = ", ".join(kinds[:-1]) + " or " + kinds[-1] if len(kinds) > 1 else kinds[0]
        field = " / ".join(dict.fromkeys(parents.values()))
        lead = f"Add {_a(name)} to the {field} of {_a(named)} that exists."
        _register(name, model, (), [to], _doc(model, lead), lambda values, name=name: _add(name, values))


def _party_param() -> inspect.Parameter:
    return inspect.Parameter(
        "party", inspect.Parameter.KEYWORD_ONLY, default=None,
        annotation=Annotated[Optional[list[str]], typer.Option("--party", metavar="ACTOR", help="The party the speaker spoke for; repeated, the parties of a joint statement.", show_default=False)],
    )


_setup()
