"""The knowledge base in the Popolo JSON form (https://www.popoloproject.com/), for civic-data tools.

    {"persons": [...], "organizations": [...], "memberships": [...], "events": [...], "speeches": [...]}

- persons: the actors of kind `person`; organizations: every other actor (states, organisations,
  coalitions), `classification` its kind. Aliases are `other_names`, a Wikidata id an
  `identifiers` entry (scheme `wikidata`), a country `national_identity` (ISO code).
- memberships: the roles of persons (`role` the title, `organization_id` the party it is held for).
- events: the rounds (`classification` talks, summit, meeting or call) and the events and documents
  (`classification` plan, memorandum, ...), with `start_date` and `end_date`.
- speeches: one per quote of every statement (`type` speech, `text` the words, `creator_id` the
  speaker, `event_id` the round or event whose file holds it), and one per statement without a
  quote (`type` summary, `text` the summary); `attribution_text` names the party or parties.

Popolo dates are YYYY, YYYY-MM or YYYY-MM-DD: a date written so is given as it is; a span
(``A/B``) gives its start and its end; an approximate date (``2025-11-20~``) or an open start
(``../B``) has no Popolo form and is left out. Every record with a date keeps the original form
beside, in ``date_edtf`` (``start_date_edtf``/``end_date_edtf`` for a run), so nothing is lost.
Sources are Popolo `sources` (`url`, and the title as `note`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from peacekb.dates import FuzzyDate
from peacekb.export import write_bytes
from peacekb.kb import KnowledgeBase


def popolo_date(date: FuzzyDate | None, end: bool = False) -> str | None:
    """The date in a Popolo form, or None where it has none; ``end``: the end of a span."""
    if date is None or date.open or date.approximate:
        return None
    if date.until is not None:
        if end:
            return None if date.until.approximate else str(date.until)
        return str(FuzzyDate(date.year, date.month, date.day))
    return str(date)


def _sources(kb: KnowledgeBase, ids) -> list[dict[str, str]]:
    found = []
    for ident in dict.fromkeys(ids):
        source = kb.sources.get(ident)
        if source is None:
            continue
        entry = {"url": source.url} if source.url else {}
        entry["note"] = source.title or source.note or ident
        found.append(entry)
    return found


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty values: Popolo fields are optional, and absent reads better than null."""
    return {k: v for k, v in record.items() if v not in (None, [], "")}


def _dated(record: dict[str, Any], prefix: str, start: FuzzyDate | None, end: FuzzyDate | None = None) -> None:
    """Set ``start_date``/``end_date`` (or ``date`` when ``prefix`` is `date`) with the EDTF kept beside."""
    if prefix == "date":
        record["date"] = None if start is None or start.until else popolo_date(start)  # a span is no one date
        record["date_edtf"] = str(start) if start else None
        return
    record["start_date"] = popolo_date(start)
    record["end_date"] = popolo_date(end) if end is not None else (popolo_date(start, end=True) if start is not None and start.until else None)
    record["start_date_edtf"] = str(start) if start else None
    record["end_date_edtf"] = str(end) if end else None


def document(kb: KnowledgeBase) -> dict[str, list[dict[str, Any]]]:
    persons, organizations, memberships, events, speeches = [], [], [], [], []
    for a in sorted(kb.actors.values(), key=lambda a: a.id):
        record = {
            "id": a.id,
            "name": a.name,
            "other_names": [{"name": alias} for alias in a.aliases],
            "identifiers": [{"scheme": "wikidata", "identifier": a.wikidata}] if a.wikidata else [],
            "sources": _sources(kb, [*a.sources, *(s for r in a.roles for s in r.sources)]),
        }
        if a.kind == "person":
            record.update(national_identity=a.country, summary=a.description)
            persons.append(_clean(record))
            for n, role in enumerate(a.roles):
                membership = {"id": f"{a.id}/roles/{n}", "person_id": a.id, "organization_id": role.party, "role": role.title,
                              "label": role.note, "sources": _sources(kb, role.sources)}
                _dated(membership, "start", role.start, role.end)
                memberships.append(_clean(membership))
        else:
            record.update(classification=a.kind, description=a.description)
            if a.country:
                record["identifiers"] = [*record["identifiers"], {"scheme": "iso-3166-1-alpha-2", "identifier": a.country}]
            organizations.append(_clean(record))
    for r in sorted(kb.rounds.values(), key=lambda r: r.id):
        event = {"id": r.id, "name": r.title, "classification": r.kind, "status": r.status,
                 "location": ", ".join(x for x in (r.venue, r.location) if x) or None,
                 "attendees": list(dict.fromkeys([*(d.party for d in r.delegations), *(t.actor for t in r.roles), *r.participants])),
                 "description": r.note, "sources": _sources(kb, r.sources)}
        _dated(event, "start", r.start, r.end)
        events.append(_clean(event))
    for e in sorted(kb.events.values(), key=lambda e: e.id):
        event = {"id": e.id, "name": e.title, "classification": e.kind, "description": e.description,
                 "attendees": list(dict.fromkeys([*e.authors, *e.signatories, *(p.party for p in e.parties), *(t.actor for t in e.third_parties)])), "sources": _sources(kb, e.sources)}
        _dated(event, "start", e.date)
        events.append(_clean(event))
    for st in sorted(kb.statements.values(), key=lambda s: (s.date.sort_key(), s.id)):
        s = kb.full(st)
        parent = kb.statement_parent.get(s.id, ("", None))[1]
        parties = [kb.actors[p].name if p in kb.actors else p for p in s.party_ids]
        base = {"creator_id": s.speaker, "event_id": parent, "attribution_text": " and ".join(parties) or None,
                "title": s.summary}
        _dated(base, "date", s.date)
        said = [(f"{s.id}/{n}", q.text, "speech", q.language, [q.source, *s.sources]) for n, q in enumerate(s.quotes)]
        said = said or [(s.id, s.summary, "summary", None, s.sources)]
        for ident, text, kind, language, sources in said:
            speeches.append(_clean({"id": ident, **base, "text": text, "type": kind, "language": language,
                                    "sources": _sources(kb, sources)}))
    return {"persons": persons, "organizations": organizations, "memberships": memberships, "events": events, "speeches": speeches}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write(kb: KnowledgeBase, path: Path) -> None:
    write_bytes(Path(path), render(document(kb)).encode("utf-8"))
