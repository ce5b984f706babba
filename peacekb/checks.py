"""Checks across records. Each check is a plain function ``(kb) -> list[Problem]``.

Adding a check means writing a function and listing it in ``CHECKS``; the
loader never changes. Checks see only records that passed their own model, so
each reference they follow has the right shape.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel

from peacekb import safefile
from peacekb.dates import FuzzyDate
from peacekb.kb import KnowledgeBase, Origin
from peacekb.models import KINDS
from peacekb.problems import PathItem, Problem
from peacekb.safe import UNSAFE_RE
from peacekb.suggest import did_you_mean

Check = Callable[[KnowledgeBase], list[Problem]]

_KIND_CODE = {
    "actors": "unknown-actor",
    "issues": "unknown-issue",
    "rounds": "unknown-round",
    "sources": "unknown-source",
    "events": "unknown-event",
}
UNKNOWN_REFERENCE = frozenset(_KIND_CODE.values())  # the codes of a reference to no record


_NONE: tuple = ()


def _ref(kb: KnowledgeBase, origin: Origin, kind: str, ident: str | None, *path: PathItem) -> list[Problem] | tuple:
    """A problem if ``ident`` names no record of ``kind``."""
    if ident is None or kb.exists(kind, ident):
        return _NONE
    singular = {"events": "event or document"}.get(kind, kind[:-1])
    hint = did_you_mean(ident, kb.names(kind))
    return [origin.problem(_KIND_CODE[kind], f"no {singular} `{ident}` in {kind}/{hint}", *path)]


def _refs(kb: KnowledgeBase, origin: Origin, kind: str, idents: Iterable[str], *path: PathItem) -> list[Problem] | tuple:
    table = getattr(kb, kind)
    if all(ident in table for ident in idents):
        return _NONE
    found: list[Problem] = []
    for index, ident in enumerate(idents):
        found += _ref(kb, origin, kind, ident, *path, index)
    return found


def _duplicates(origin: Origin, items: list, key: Callable, field: str, what: str) -> Iterator[Problem]:
    seen: set = set()
    for index, item in enumerate(items):
        value = key(item)
        if value in seen:
            yield origin.problem("duplicate-id", f"{what} `{value}` appears twice in `{field}`", field, index)
        seen.add(value)


def _disputes(kb: KnowledgeBase, origin: Origin, record) -> Iterator[Problem]:
    """Dispute ids unique, each version's sources known, `field` naming a field of the record."""
    if not record.disputes:
        return
    yield from _duplicates(origin, record.disputes, lambda d: d.id, "disputes", "dispute id")
    fields = type(record).model_fields
    for index, dispute in enumerate(record.disputes):
        head = (dispute.field or "").split(".")[0].split("[")[0]
        if dispute.field and head not in fields:
            hint = did_you_mean(head, list(fields))
            yield origin.problem("invalid-value", f"dispute `{dispute.id}`: `{head}` is not a field of this record{hint}", "disputes", index, "field")
        for v_index, version in enumerate(dispute.versions):
            yield from _refs(kb, origin, "sources", version.sources, "disputes", index, "versions", v_index, "sources")


def check_actors(kb: KnowledgeBase) -> list[Problem]:
    found: list[Problem] = []
    for actor in kb.actors.values():
        origin = kb.origin("actors", actor.id)
        found += _refs(kb, origin, "sources", actor.sources, "sources")
        for index, role in enumerate(actor.roles):
            found += _ref(kb, origin, "actors", role.party, "roles", index, "party")
            found += _refs(kb, origin, "sources", role.sources, "roles", index, "sources")
            if role.party == actor.id:
                found.append(origin.problem("self-reference", f"`{actor.id}` holds a role for itself; `party` names whom the role is held for", "roles", index, "party"))
            if role.start and role.end and role.end.latest < role.start.earliest:
                found.append(origin.problem("date-order", f"role `{role.title}` ends ({role.end}) before it starts ({role.start})", "roles", index, "end"))
        found += _disputes(kb, origin, actor)
    return found


def check_issues(kb: KnowledgeBase) -> list[Problem]:
    found: list[Problem] = []
    for issue in kb.issues.values():
        origin = kb.origin("issues", issue.id)
        found += _duplicates(origin, issue.stances, lambda s: s.id, "stances", "stance id")
        offered = {s.id: [s.label] for s in issue.stances}
        for g_index, group in enumerate(issue.compatible):
            for s_index, stance in enumerate(group):
                if stance not in offered:
                    hint = did_you_mean(stance, offered)
                    found.append(origin.problem("unknown-stance", f"`compatible` names `{stance}`, which this issue does not offer{hint}", "compatible", g_index, s_index))
        if issue.parent == issue.id:
            found.append(origin.problem("self-reference", f"issue `{issue.id}` is its own parent", "parent"))
        else:
            found += _ref(kb, origin, "issues", issue.parent, "parent")
    found += _issue_cycles(kb)
    return found


def _issue_cycles(kb: KnowledgeBase) -> list[Problem]:
    found = []
    reported: set[str] = set()
    for start in kb.issues:
        chain = [start]
        current = kb.issues[start].parent
        while current in kb.issues and current not in chain and current != start:
            chain.append(current)
            current = kb.issues[current].parent
        if current == start and start != kb.issues[start].parent and not reported & set(chain):
            reported.update(chain)
            loop = " > ".join(chain + [start])
            found.append(kb.origin("issues", start).problem("issue-cycle", f"the issue tree loops: {loop}; one of these must have another parent", "parent"))
    return found


def check_rounds(kb: KnowledgeBase) -> list[Problem]:
    found: list[Problem] = []
    for rnd in kb.rounds.values():
        origin = kb.origin("rounds", rnd.id)
        if rnd.end and rnd.end.latest < rnd.start.earliest:
            found.append(origin.problem("date-order", f"the round ends ({rnd.end}) before it starts ({rnd.start})", "end"))
        found += _refs(kb, origin, "events", rnd.events, "events")
        found += _disputes(kb, origin, rnd)
        found += _refs(kb, origin, "actors", rnd.mediators, "mediators")
        delegations = {d.party for d in rnd.delegations}
        for index, actor in enumerate(rnd.mediators):
            if actor in delegations:
                message = (f"`{actor}` is a delegation here and cannot also be its mediator: name it once, as a delegation "
                           "or under `third_parties` with its role (mediator, host, ...)")
                found.append(origin.problem("party-and-third-party", message, "mediators", index))
        found += _refs(kb, origin, "actors", rnd.participants, "participants")
        found += _third_parties(kb, origin, rnd.third_parties, [d.party for d in rnd.delegations], "delegation")
        found += _refs(kb, origin, "issues", rnd.agenda, "agenda")
        found += _refs(kb, origin, "sources", rnd.sources, "sources")
        found += _duplicates(origin, rnd.delegations, lambda d: d.party, "delegations", "delegation of")
        found += _duplicates(origin, rnd.outcomes, lambda o: o.id, "outcomes", "outcome id")
        for index, delegation in enumerate(rnd.delegations):
            found += _ref(kb, origin, "actors", delegation.party, "delegations", index, "party")
            found += _ref(kb, origin, "actors", delegation.head, "delegations", index, "head")
            found += _refs(kb, origin, "actors", delegation.members, "delegations", index, "members")
            found += _refs(kb, origin, "sources", delegation.sources, "delegations", index, "sources")
        for index, outcome in enumerate(rnd.outcomes):
            found += _refs(kb, origin, "sources", outcome.sources, "outcomes", index, "sources")
            if outcome.next_round == rnd.id:
                found.append(origin.problem("self-reference", f"outcome `{outcome.id}` names its own round as the next one", "outcomes", index, "next_round"))
            else:
                found += _ref(kb, origin, "rounds", outcome.next_round, "outcomes", index, "next_round")
    return found


def check_events(kb: KnowledgeBase) -> list[Problem]:
    found: list[Problem] = []
    for event in kb.events.values():
        origin = kb.origin("events", event.id)
        found += _refs(kb, origin, "actors", event.authors, "authors")
        found += _refs(kb, origin, "issues", event.issues, "issues")
        found += _refs(kb, origin, "rounds", event.rounds, "rounds")
        found += _refs(kb, origin, "sources", event.sources, "sources")
        for index, related in enumerate(event.related):
            if related == event.id:
                found.append(origin.problem("self-reference", f"event `{event.id}` lists itself as related", "related", index))
            else:
                found += _ref(kb, origin, "events", related, "related", index)
        found += _refs(kb, origin, "actors", event.signatories, "signatories")
        found += _stances(kb, origin, event.stances, event.issues, "this document's", ("stances",))
        if (event.stances or any(p.stances for p in event.provisions)) and not (event.signatories or event.parties or event.authors):
            found.append(origin.problem("missing-field", "the document takes stances but names no `authors` (or `signatories`, or `parties`) to hold them", "id", target="key"))
        found += _duplicates(origin, event.provisions, lambda p: p.id, "provisions", "provision id")
        for index, provision in enumerate(event.provisions):
            found += _refs(kb, origin, "issues", provision.issues, "provisions", index, "issues")
            found += _refs(kb, origin, "sources", provision.sources, "provisions", index, "sources")
            found += _stances(kb, origin, provision.stances, provision.issues, "this provision's", ("provisions", index, "stances"))
        found += _disputes(kb, origin, event)
        found += _agreement(kb, origin, event)
        found += _vote(kb, origin, event)
    return found


def _third_parties(kb: KnowledgeBase, origin: Origin, third_parties: list, parties: list[str], what: str) -> list[Problem]:
    """Each third party known, with its sources; none named twice in one role, nor also a party."""
    found: list[Problem] = []
    found += _duplicates(origin, third_parties, lambda t: f"{t.actor} as {t.role}", "third_parties", "third party")
    for index, third in enumerate(third_parties):
        found += _ref(kb, origin, "actors", third.actor, "third_parties", index, "actor")
        found += _refs(kb, origin, "sources", third.sources, "third_parties", index, "sources")
        if third.actor in parties:
            found.append(origin.problem("party-and-third-party", f"`{third.actor}` is a {what} here and cannot also be its {third.role}", "third_parties", index, "actor"))
    return found


def _event_of_kind(kb: KnowledgeBase, origin: Origin, ident: str | None, kind: str, *path: PathItem) -> list[Problem] | tuple:
    """A reference to an event that must be of ``kind`` (an agreement, a vote)."""
    if ident is None:
        return _NONE
    missing = _ref(kb, origin, "events", ident, *path)
    if missing:
        return missing
    event = kb.events.get(ident)
    if event is not None and event.kind != kind:
        article = "an" if kind[0] in "aeiou" else "a"
        return [origin.problem("wrong-kind", f"`{ident}` is an event of kind `{event.kind}`, not {article} {kind}: name {article} {kind} here", *path)]
    return _NONE


def _agreement(kb: KnowledgeBase, origin: Origin, event) -> list[Problem]:
    """An agreement's parties, third parties and status history: references, sources, date order."""
    found: list[Problem] = []
    for index, standing in enumerate(event.parties):
        found += _ref(kb, origin, "actors", standing.party, "parties", index, "party")
        found += _refs(kb, origin, "sources", standing.sources, "parties", index, "sources")
    found += _third_parties(kb, origin, event.third_parties, [p.party for p in event.parties] + list(event.signatories), "party")
    previous = None
    for index, change in enumerate(event.history):
        path = ("history", index)
        found += _refs(kb, origin, "actors", change.by, *path, "by")
        found += _refs(kb, origin, "sources", change.sources, *path, "sources")
        found += _event_of_kind(kb, origin, change.vote, "vote", *path, "vote")
        if change.superseded_by == event.id:
            found.append(origin.problem("self-reference", f"agreement `{event.id}` cannot be superseded by itself", *path, "superseded_by"))
        else:
            found += _event_of_kind(kb, origin, change.superseded_by, "agreement", *path, "superseded_by")
        if previous is not None and change.date.latest < previous.date.earliest:
            found.append(origin.problem("date-order", f"the history goes back in time: `{change.status}` ({change.date}) comes after `{previous.status}` ({previous.date}); list it oldest first", *path, "date"))
        vote = kb.events.get(change.vote) if change.vote else None
        if vote is not None and vote.kind == "vote" and change.date.latest < vote.date.earliest:
            found.append(origin.problem("date-order", f"`{change.status}` ({change.date}) comes before the vote `{vote.id}` it points at ({vote.date})", *path, "date"))
        previous = change
    return found


def _vote(kb: KnowledgeBase, origin: Origin, event) -> list[Problem]:
    """A vote's chamber and the sources of its figures; a dispute on a figure names one it gives."""
    found: list[Problem] = []
    found += _ref(kb, origin, "actors", event.voters, "voters")
    if event.results is not None:
        found += _refs(kb, origin, "sources", event.results.sources, "results", "sources")
    for index, dispute in enumerate(event.disputes):
        head, _, figure = (dispute.field or "").partition(".")
        if head != "results" or not figure:
            continue
        given = [f for f in type(event.results).FIGURES if getattr(event.results, f) is not None] if event.results else []
        if figure not in given:
            hint = did_you_mean(figure, given) or (f"; it gives {', '.join(given)}" if given else "; the vote gives no `results`")
            found.append(origin.problem("invalid-value", f"dispute `{dispute.id}`: `{figure}` is not a figure of this vote's results{hint}", "disputes", index, "field"))
    return found


def _stances(kb: KnowledgeBase, origin: Origin, stances: dict[str, str], listed: list[str], whose: str, path: tuple) -> list[Problem]:
    """Each issue -> stance of ``stances`` names a listed issue and a stance that issue offers."""
    found: list[Problem] = []
    for issue_id, stance_id in stances.items():
        issue = kb.issues.get(issue_id)
        if issue_id in listed and issue is not None and any(s.id == stance_id for s in issue.stances):
            continue
        if issue_id not in listed:
            found.append(origin.problem("stance-issue-not-listed", f"a stance on `{issue_id}`, which is not in {whose} `issues`: add it there", *path, issue_id, target="key"))
        if issue is None:
            if issue_id in listed:
                continue  # already reported under `issues`
            found += _ref(kb, origin, "issues", issue_id, *path, issue_id)
        elif not any(s.id == stance_id for s in issue.stances):
            offered = {s.id: [s.label] for s in issue.stances}
            listing = ", ".join(f"`{s}`" for s in offered) or "none"
            hint = did_you_mean(stance_id, offered)
            found.append(origin.problem("unknown-stance", f"issue `{issue_id}` offers no stance `{stance_id}` (it offers {listing}){hint}", *path, issue_id))
    return found


# kinds that a command takes either of by id alone, which therefore need ids of their own across
# both: `new statement --round ID` adds to the round or the event whose file is named ID
INTERCHANGEABLE: list[tuple[str, str]] = [("rounds", "events")]


def _files_by_id(kb: KnowledgeBase, kind: str) -> dict[str, str]:
    """Every id of a kind, of the records that passed their model and of those that did not, with
    the file that holds it."""
    files = {ident: file for (k, ident), file in kb.invalid.items() if k == kind}
    files.update((ident, kb.origin(kind, ident).file) for ident in getattr(kb, kind))
    return files


def check_shared_ids(kb: KnowledgeBase) -> list[Problem]:
    """A round and an event with the same id: reported at the `id` of both files, each naming the other."""
    found: list[Problem] = []
    for first, second in INTERCHANGEABLE:
        files = {first: _files_by_id(kb, first), second: _files_by_id(kb, second)}
        for ident in sorted(files[first].keys() & files[second].keys()):
            for kind, other in ((first, second), (second, first)):
                message = (
                    f"{kind[:-1]} id `{ident}` is also the id of the {other[:-1]} in {files[other][ident]}: "
                    f"`peacekb new statement --round {ident}` could mean either; rename one of them (file, id and references)"
                )
                found.append(Origin(files[kind][ident]).problem("id-shared-across-kinds", message, "id"))
    return found


def check_statements(kb: KnowledgeBase) -> list[Problem]:
    found: list[Problem] = []
    actors, issues, sources, events = kb.actors, kb.issues, kb.sources, kb.events
    offered_by = {issue.id: {s.id for s in issue.stances} for issue in issues.values()}
    # the usual statement refers only to records that exist: one cheap test, then the details
    for statement in kb.statements.values():
        origin = None
        if not (
            (statement.speaker is None or statement.speaker in actors)
            and (statement.party in actors if statement.party is not None else statement.parties and all(p in actors for p in statement.parties))
            and (statement.holder is None or statement.holder in actors)
            and all(i in issues for i in statement.issues)
            and all(i in sources for i in statement.sources)
            and all(i in events for i in statement.refers_to)
            and all(q.source in sources for q in statement.quotes)
            and not statement.disputes
            and not statement.retracted
        ):
            origin = kb.origin("statements", statement.id)
            if statement.party is None and not statement.parties:
                found.append(origin.problem("missing-field", "a statement needs `party` (whom the speaker spoke for) or, for a joint statement, `parties`", "id", target="key"))
            found += _ref(kb, origin, "actors", statement.speaker, "speaker")
            found += _ref(kb, origin, "actors", statement.party, "party")
            found += _refs(kb, origin, "actors", statement.parties, "parties")
            found += _ref(kb, origin, "actors", statement.holder, "holder")
            found += _refs(kb, origin, "issues", statement.issues, "issues")
            found += _refs(kb, origin, "sources", statement.sources, "sources")
            found += _refs(kb, origin, "events", statement.refers_to, "refers_to")
            found += _disputes(kb, origin, statement)
            for index, quote in enumerate(statement.quotes):
                found += _ref(kb, origin, "sources", quote.source, "quotes", index, "source")
            if statement.retracted:
                found += _refs(kb, origin, "sources", statement.retracted.sources, "retracted", "sources")
        for issue_id, stance_id in statement.stances.items():
            if issue_id not in statement.issues or stance_id not in offered_by.get(issue_id, ()):
                origin = origin or kb.origin("statements", statement.id)
                found += _stances(kb, origin, statement.stances, statement.issues, "this statement's", ("stances",))
                break
        if statement.withdraws:  # rare: the details only where there are any
            origin = origin or kb.origin("statements", statement.id)
            found += _stances(kb, origin, statement.withdraws, statement.issues, "this statement's", ("withdraws",))
            for issue_id in statement.withdraws.keys() & statement.stances.keys():
                if statement.withdraws[issue_id] == statement.stances[issue_id]:
                    found.append(origin.problem("invalid-value", f"the statement both takes and withdraws `{issue_id}: {statement.stances[issue_id]}`", "withdraws", issue_id))
        for index, quote in enumerate(statement.quotes):
            if quote.issues:
                for issue_id in quote.issues:
                    if issue_id not in statement.issues:
                        origin = origin or kb.origin("statements", statement.id)
                        found.append(origin.problem("stance-issue-not-listed", f"the quote bears on `{issue_id}`, which is not in this statement's `issues`: add it there", "quotes", index, "issues", quote.issues.index(issue_id)))
        if not statement.sources and not statement.quotes:
            origin = origin or kb.origin("statements", statement.id)
            found.append(origin.problem("no-source", "the statement cites no source: add `sources` or a quote with its `source`", "id", target="key"))
        if statement.attribution == "direct-quote" and not statement.quotes:
            origin = origin or kb.origin("statements", statement.id)
            found.append(origin.problem("quote-missing", "attribution is `direct-quote` but the statement has no `quotes`: add the quote or say `paraphrase`", "attribution"))
        if statement.retracted and statement.retracted.date and statement.retracted.date.latest < statement.date.earliest:
            origin = origin or kb.origin("statements", statement.id)
            found.append(origin.problem("date-order", f"retracted ({statement.retracted.date}) before the statement was made ({statement.date})", "retracted", "date"))
    return found


def check_speakers(kb: KnowledgeBase) -> list[Problem]:
    """A person speaks for a party only while holding a role for it (or sitting in its delegation)."""
    found: list[Problem] = []
    seats = delegation_seats(kb)
    for statement in kb.statements.values():
        speaker = kb.actors.get(statement.speaker or "")
        if speaker is None:
            continue
        if statement.party is not None:  # the usual case, kept quick
            if statement.party == speaker.id or statement.party not in kb.actors or speaks_for(kb, speaker.id, statement.party, statement.date, seats):
                continue
            parties = [statement.party]
        else:
            parties = [p for p in statement.parties if p in kb.actors]
            if not parties or speaker.id in parties or any(speaks_for(kb, speaker.id, p, statement.date, seats) for p in parties):
                continue
        origin = kb.origin("statements", statement.id)
        which = f"`{parties[0]}`" if len(parties) == 1 else "any of " + ", ".join(f"`{p}`" for p in parties)
        field = "`party`" if statement.party else "`parties`"
        found.append(origin.problem("speaker-not-of-party", f"`{speaker.id}` held no role for {which} on {statement.date}: add the role to actors/{speaker.id}.yaml or correct {field}", "speaker"))
    return found


Seats = dict[tuple[str, str], list[tuple[FuzzyDate, FuzzyDate]]]


def delegation_seats(kb: KnowledgeBase) -> Seats:
    """(actor, party) to the periods of the rounds in which the actor sat in the party's delegation."""
    seats: Seats = {}
    for rnd in kb.rounds.values():
        for delegation in rnd.delegations:
            for person in {delegation.head, *delegation.members} - {None}:
                seats.setdefault((person, delegation.party), []).append((rnd.start, rnd.last_day))
    return seats


def speaks_for(kb: KnowledgeBase, actor_id: str, party_id: str, when: FuzzyDate, seats: Seats | None = None) -> bool:
    """Whether the actor held a role for the party, or sat in its delegation, at some time within ``when``."""
    actor = kb.actors.get(actor_id)
    if actor is None:
        return False
    for role in actor.roles:
        if role.party != party_id:
            continue
        if role.start and role.start.earliest > when.latest:
            continue
        if role.end and role.end.latest < when.earliest:
            continue
        return True
    seats = delegation_seats(kb) if seats is None else seats
    return any(
        start.earliest <= when.latest and when.earliest <= end.latest for start, end in seats.get((actor_id, party_id), ())
    )


# --- quotes against archived sources --------------------------------------------------------------

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    }
)
_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|\u2026)\s*\]|\.\.\.|\u2026)\s*")


def normalise(text: str) -> str:
    """Text as compared for quotes: typographic quotes and dashes made plain, white space collapsed."""
    return _SPACE.sub(" ", text.translate(_TRANSLATE)).strip()


def quote_in(quote: str, archive: str) -> bool:
    """Whether ``quote`` appears verbatim in ``archive``; an ellipsis (..., [...]) may stand for omitted words."""
    return _contains(normalise(archive), quote)


def _find(haystack: str, part: str, position: int) -> tuple[int, int]:
    """Where ``part`` starts in ``haystack`` from ``position``, and its length there (-1 when absent).
    A sentence-final `.` matches the `,"` of reported speech: `We want peace.` is in
    `"We want peace," he said`."""
    found = haystack.find(part, position)
    if found >= 0:
        return found, len(part)
    if part.endswith("."):
        for ending in (',"', ",'"):
            found = haystack.find(part[:-1] + ending, position)
            if found >= 0:
                return found, len(part) - 1
    return -1, 0


def _contains(haystack: str, quote: str) -> bool:
    return divergence(haystack, quote) is None


def divergence(haystack: str, quote: str) -> str | None:
    """None when ``quote`` is in ``haystack`` (both normalised); else where they part: the longest
    beginning of the quote's first missing part that the archive holds, and the archive's text at
    that point."""
    position = 0
    for part in _ELLIPSIS.split(normalise(quote)):
        if not part:
            continue
        found, length = _find(haystack, part, position)
        if found >= 0:
            position = found + length
            continue
        low, high = 0, len(part)  # the longest prefix found: finding is monotone in its length
        while low < high:
            middle = (low + high + 1) // 2
            if haystack.find(part[:middle], position) >= 0:
                low = middle
            else:
                high = middle - 1
        if low < 2:
            return f"the archive does not hold its words from “{_clip(part)}” on"
        at = haystack.find(part[:low], position) + low
        return (
            f"the archive follows the quote up to “…{_clip(part[:low], end=True)}”, then the quote has "
            f"“{_clip(part[low:])}” where the archive has “{_clip(haystack[at:]) or '(the end of the text)'}”"
        )
    return None


def _clip(text: str, end: bool = False, width: int = 30) -> str:
    if len(text) <= width:
        return text
    return text[-width:] if end else text[:width] + "…"


def safefile_ok_folder(folder: Path) -> bool:
    return not safefile.is_symlink(folder)


def check_sources(kb: KnowledgeBase) -> list[Problem]:
    found: list[Problem] = []
    archives: dict[str, str | None] = {}
    for source in kb.sources.values():
        path = kb.archive_path(source)
        if path is None:
            continue
        if not safefile_ok_folder(kb.root / "sources"):
            continue  # a linked sources folder is reported by the loader, and nothing in it is read
        try:
            archives[source.id] = normalise(safefile.read_bytes(path).decode("utf-8"))
        except safefile.Refused as exc:
            # reported at the archive itself, which is not read: the quotes against it are not checked
            archives[source.id] = None
            message = f"{exc.message}; the quotes attributed to source `{source.id}` are not checked against it"
            found.append(Origin(str(path)).problem(exc.code, message).at(1, 1))
        except (OSError, UnicodeDecodeError) as exc:
            archives[source.id] = None
            reason = "does not exist" if isinstance(exc, FileNotFoundError) else f"cannot be read as UTF-8 text ({exc.__class__.__name__})"
            found.append(kb.origin("sources", source.id).problem("archive-missing", f"archive `{source.archive}` {reason} in the sources folder", "archive"))
    for statement in kb.statements.values():
        for index, quote in enumerate(statement.quotes):
            text = archives.get(quote.source)
            where = divergence(text, quote.text) if text is not None else None
            if where is None:
                continue
            source = kb.sources[quote.source]
            origin = kb.origin("statements", statement.id)
            if source.archive_scope == "excerpt" and not covers(text, quote.text):
                message = (
                    f"the archive of `{quote.source}` ({source.archive}) is an excerpt that does not cover this quote, "
                    "so it is not checked against the source"
                )
                found.append(origin.problem("quote-beyond-archive", message, "quotes", index, "text"))
            else:
                message = f"the quote is not in the archived text of `{quote.source}` ({source.archive}): {where}; copy it exactly as the source prints it"
                found.append(origin.problem("quote-not-in-source", message, "quotes", index, "text"))
    return found


COVER_WORDS = 5


def covers(haystack: str, quote: str) -> bool:
    """Whether an excerpt (normalised) covers ``quote``: it holds some run of COVER_WORDS words of
    the quote, and it does not stop inside the quote (an excerpt cut mid-quote cannot check the rest)."""
    quote = normalise(quote)
    tail = " ".join(haystack.split()[-COVER_WORDS:])
    if tail and tail in quote and not quote.endswith(tail):
        return False
    for part in _ELLIPSIS.split(quote):
        words = part.split()
        for start in range(max(len(words) - COVER_WORDS + 1, 0)):
            if " ".join(words[start:start + COVER_WORDS]) in haystack:
                return True
    return False


def url_key(url: str) -> str:
    """An address as compared for duplicates: no scheme (http is https), fragment or trailing slash; the host in lowercase."""
    rest = url.split("#", 1)[0].partition("://")[2]
    host, slash, path = rest.partition("/")
    return f"{host.lower()}{slash}{path}".rstrip("/")


def check_duplicate_urls(kb: KnowledgeBase) -> list[Problem]:
    """Two sources for one page: the later ones (by id) are reported, naming the first."""
    found: list[Problem] = []
    first: dict[str, str] = {}
    for ident in sorted(kb.sources):
        source = kb.sources[ident]
        if not source.url:
            continue
        key = url_key(source.url)
        if key in first:
            message = f"source `{first[key]}` has this address already: cite `{first[key]}` and remove this source (or give it another address)"
            found.append(kb.origin("sources", ident).problem("duplicate-url", message, "url"))
        else:
            first[key] = ident
    return found


def check_stray_files(kb: KnowledgeBase) -> list[Problem]:
    """Files that the loader does not read and no record uses: usually a misnamed record, or the
    temporary file of a write that was killed (hidden, so easily committed with ``git add -A``)."""
    from peacekb.writing import is_temporary

    found: list[Problem] = []
    archives = kb.archive_names
    for kind in KINDS:
        folder = kb.root / kind
        if not folder.is_dir() or safefile.is_symlink(folder):
            continue
        for path in sorted(folder.iterdir()):
            if is_temporary(path.name) and not path.is_dir():
                message = f"{path.name} is a leftover temporary file from an interrupted write (peacekb new or fmt); it is safe to delete"
                found.append(Origin(str(path)).problem("stray-file", message, target="value").at(1, 1))
                continue
            if path.suffix == ".yaml" or path.name.startswith(".") or (kind == "sources" and path.name in archives):
                continue
            if safefile.is_symlink(path):
                found.append(Origin(str(path)).problem("symlink", "this is a symbolic link: peacekb does not follow links in a knowledge base; it is not read, and no record uses it").at(1, 1))
                continue
            if path.suffix == ".yml":
                hint = f": rename it to {path.stem}.yaml to have it loaded"
            elif path.is_dir():
                hint = ": record files sit directly in the folder"
            else:
                hint = ": records are `.yaml` files" + ("; an archived text must be named by a source's `archive`" if kind == "sources" else "")
            found.append(Origin(str(path)).problem("stray-file", f"{path.name} is not loaded{hint}", target="value").at(1, 1))
    return found


def _strings(value, path: tuple) -> Iterator[tuple[tuple, str]]:
    """Every string in a record (its fields, lists and mappings, keys too), with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), (*path, name))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and UNSAFE_RE.search(key):
                yield (*path, key), key
            yield from _strings(item, (*path, key))


def _control_problem(origin: Origin, path: tuple, text: str) -> Problem:
    char = UNSAFE_RE.search(text).group()  # type: ignore[union-attr]
    name = unicodedata.name(char, "a control character")
    field = ".".join(str(p) for p in path if isinstance(p, str)) or "a value"
    return origin.problem("control-character", f"`{field}` holds U+{ord(char):04X} ({name}), which a terminal or a page "
                          "would not show as it is (a control, bidi or zero-width character): remove it", *path)


# the escapes of YAML's double-quoted strings that can write a control, bidi or zero-width character
_RISKY_ESCAPE = re.compile(r"\\[0abvfreNLPxuU]")


def control_problems(read, text: str) -> list[Problem]:
    """Control, bidi and zero-width characters in any string of one file's records (a
    :class:`~peacekb.loader.FileRead` of ``text``): one warning per string. A file whose text holds
    none of them, and no escape in a quoted string that could write one, has none."""
    if UNSAFE_RE.search(text) is None and _RISKY_ESCAPE.search(text) is None:
        return []
    found: list[Problem] = []
    if read.record is not None:
        origin = Origin(read.name)
        found += [_control_problem(origin, path, value) for path, value in _strings(read.record, ()) if UNSAFE_RE.search(value)]
    for index, statement in read.statements:
        origin = Origin(read.name, ("statements", index))
        found += [_control_problem(origin, path, value) for path, value in _strings(statement, ()) if UNSAFE_RE.search(value)]
    return found


CHECKS: list[Check] = [check_actors, check_issues, check_rounds, check_events, check_shared_ids, check_statements, check_speakers, check_sources, check_duplicate_urls, check_stray_files]
