"""Query results as markdown, for reports and pull-request comments (`--format markdown`).

Every piece of data goes through :mod:`peacekb.cli.output`'s escaping (md_escape, md_cell, md_code,
md_text); the wording it shares with the text views comes from :mod:`peacekb.cli.views`.
"""

from __future__ import annotations

from typing import Any

from peacekb import agreements as a
from peacekb import queries as q
from peacekb.cli.agreement_views import STATE_WORDS, _names, _roles, _standings, _status_line, results_words, status_words
from peacekb.cli.output import Markdown, md_cell, md_code, md_escape, md_join, md_table, md_text, md_url
from peacekb.cli.views import (
    RELATION_WORD,
    Footnotes,
    _documents,
    _joined,
    _matrix_legend,
    _no_position,
    _other_roles,
    _past_holders,
    _quote_or_summary,
    _refs,
    _says_more,
    _short,
    _span,
    _who,
    _who_for,
    agreement_step_words,
    agreements_words,
    human_date,
    role_label,
)
from peacekb.search import Hit


def _stance_words(p: q.Position) -> str:
    """A position's stances in plain text: `a + b` held together, `contested: a / b`."""
    if not p.stances:
        return _no_position(p)
    if p.status == "contested":
        return "contested: " + " / ".join(p.stances)
    return " + ".join(p.stances)


def _labelled(h: q.HeldStance) -> str:
    """`no-cession (No cession of territory)`."""
    return f"{h.stance} ({h.label})" if _says_more(h.label, h.stance) else h.stance


def positions_markdown(data: list[q.IssuePositions]) -> str:
    parts = []
    for block in data:
        parts.append(f"{'#' * min(block.depth + 2, 6)} {md_text(block.title)} ({md_code(block.issue)})\n")
        parts.append(f"**{md_text(block.headline.text)}**\n")
        rows = []
        for p in block.positions:
            if not p.held:
                rows.append([p.holder_name, _no_position(p), "", "", "", ""])
                continue
            first = True
            for n, h in enumerate(p.held):
                stance = ("contested: " if p.status == "contested" and n == 0 else "") + _labelled(h)
                for i, e in enumerate(h.evidence):
                    rows.append([p.holder_name if first else "", stance if i == 0 else "", human_date(h.since) if i == 0 else "",
                                 f"{_who_for(e)}, {human_date(e.date)}", _quote_or_summary(e), e.sources])
                    first = False
        parts.append(md_table(["holder", "stance", "since", "voiced by", "evidence", "sources"], rows) + "\n")
    return "\n".join(parts)


def statements_markdown(data: list[q.Evidence], notes: Footnotes | None = None) -> str:
    """One row per statement, every quote in it (each with its source, marked when a translation).
    With ``notes``, sources are footnote marks cited into them instead of source ids."""
    def source(ids: list[str]) -> Any:
        return notes.cite(ids) if notes is not None else ids

    def quote(x: q.QuoteInfo) -> Markdown:
        where = notes.cite([x.source]) if notes is not None else f"({x.source})"
        return Markdown(f"{md_escape(f'“{x.text}”')} {md_escape(where)}" + (" (translation)" if x.translation else ""))

    rows = [[human_date(e.date) + (" (retracted)" if e.retracted else ""), _who_for(e),
             ", ".join(f"{i} → {e.stances[i]}" if i in e.stances else f"{i} withdraws {e.withdraws[i]}" if i in e.withdraws else i for i in e.issues),
             md_join("<br>", (quote(x) for x in e.quotes)) or e.summary, source(e.sources)] for e in data]
    return md_table(["date", "who", "issue → stance", "quotes or summary", "sources"], rows)


def record_notes_markdown(disputes: list[q.DisputeInfo], not_found: list[str], note: str | None, level: str) -> list[str]:
    """The end of a record's card in markdown: its disputes with every version, what was not found, its note."""
    lines = []
    if disputes:
        lines += ["", f"{level} Disputed", ""]
        for d in disputes:
            lines.append(f"- {md_text(d.summary)}: " + "; ".join(f"{md_escape(v['says'])} ({md_cell(v['sources'])})" for v in d.versions))
    if not_found:
        lines += ["", f"{level} Not found in the sources", ""] + [f"- {md_text(item)}" for item in not_found]
    if note:
        lines += ["", f"{level} Note", "", md_text(note)]
    return lines


def round_markdown(card: q.RoundCard) -> str:
    """The card as text shows it, with one numbered Sources list that the outcomes, then the
    statements, cite into in reading order; the card's sources that no line cites come last."""
    notes = Footnotes()
    lines = [f"## {md_text(card.title)} ({md_code(card.id)})", ""]
    lines.append(md_table(["", ""], [
        ["when", _span(card.start, card.end) + ("" if card.status == "held" else f" ({card.status})")],
        ["where", ", ".join(x for x in (card.venue, card.location) if x)],
        ["kind", card.kind + (f", {card.format}" if card.format else "")],
        [role_label("mediator", len(card.mediators)), _refs(card.mediators)],
        *[[role, names] for role, names in _other_roles(card)],
        *([["also present", _refs(card.participants)]] if card.participants else []),
        *[[d.party.name, f"head: {d.head.name if d.head else 'not known'}" + (f"; with {_refs(d.members)}" if d.members else "")] for d in card.delegations],
        ["agenda", ", ".join(r.id for r in card.agenda)],
        *([["documents", _refs(_documents(card))]] if _documents(card) else []),
        *([["agreements", agreements_words(card.agreements)]] if card.agreements else []),
        ["before", card.previous.name if card.previous else ""],
        ["after", card.next.name if card.next else ""],
    ]))
    if card.outcomes:
        lines += ["", "### Outcomes", ""]
        for o in card.outcomes:
            nxt = f" → {md_text(o.next_round.name)}" if o.next_round else ""
            marks = notes.cite(o.sources)
            lines.append(f"- {md_text(o.summary)}{nxt}" + (f" {md_escape(marks)}" if marks else ""))
    if card.statements:
        lines += ["", "### Statements", "", statements_markdown(card.statements, notes)]
    lines += record_notes_markdown(card.disputes, card.not_found, card.note, "###")
    for source in card.sources:
        notes.cite([source.id])
    if notes.order:
        known = {s.id: s for s in card.sources}  # every source the card cites is among them
        lines += ["", "### Sources", ""]
        for ident, number in notes.order.items():
            s = known[ident]
            lines.append(f"{number}. {md_code(ident)}: {md_escape(s.title or '(untitled)')}" + (f", {md_escape(s.publisher)}" if s.publisher else "")
                         + (f" {md_url(s.url)}" if s.url else "") + (" (low reliability)" if s.reliability == "low" else ""))
    return "\n".join(lines)


def rounds_markdown(data: list[q.RoundRow]) -> str:
    return md_table(["dates", "round", "id", "where", "kind", "parties", "mediators", "statements"],
                    [[_span(r.start, r.end), r.title, md_code(r.id), r.location, r.kind, r.parties, r.mediators, r.statements] for r in data])


def actors_markdown(data: list[q.ActorRow]) -> str:
    return md_table(["actor", "id", "kind", "country", "latest role", "statements"], [[a.name, md_code(a.id), a.kind, a.country, a.current_role, a.statements] for a in data])


def actor_markdown(card: q.ActorCard) -> str:
    lines = [f"## {md_text(card.name)} ({md_code(card.id)})", ""]
    rows = [["kind", card.kind], ["country", card.country], ["aliases", card.aliases]]
    rows += [["role", f"{r.title}" + (f" ({r.party_name})" if r.party_name else "") + f", {human_date(r.start or '?')} – {human_date(r.end or '')}"] for r in card.roles]
    lines.append(md_table(["", ""], rows))
    if card.positions:
        lines += ["", "### Positions held", ""]
        lines.append(md_table(["issue", "stance", "since", "latest evidence", "sources"], [
            [b.issue if n == 0 else "", ("contested: " if b.positions[0].status == "contested" and n == 0 else "") + _labelled(h), human_date(h.since),
             f"{_who_for(h.evidence[-1])}, {human_date(h.evidence[-1].date)}: {_quote_or_summary(h.evidence[-1])}", h.evidence[-1].sources]
            for b in card.positions for n, h in enumerate(b.positions[0].held)]))
    if card.voiced:
        lines += ["", "### Positions voiced", ""]
        lines.append(md_table(["date", "issue", "stance", "for", "evidence", "sources"], [
            [human_date(v.date), v.issue, f"{v.stance} ({v.label})" if _says_more(v.label, v.stance) else v.stance, " and ".join(v.holder_names),
             _quote_or_summary(v.evidence), v.evidence.sources] for v in card.voiced]))
    if card.statements:
        lines += ["", "### Statements", "", statements_markdown(card.statements)]
    return "\n".join(lines)


def issues_markdown(data: list[q.IssueRow]) -> str:
    lines = []
    for row in data:
        lines.append(f"{'  ' * row.depth}- **{md_text(row.title)}** ({md_code(row.id)})")
        for s in row.stances:
            held = f": {md_cell(s.holders)}" if s.holders else ""
            lines.append(f"{'  ' * (row.depth + 1)}- {md_code(s.id)} {md_escape(s.label)}{held}")
    return "\n".join(lines)


def issue_markdown(card: q.IssueCard) -> str:
    lines = [f"## {md_text(card.title)} ({md_code(card.id)})", ""]
    if card.description:
        lines += [md_text(card.description), ""]
    if card.agreements:
        lines += [f"**Agreements**: {md_text(agreements_words([c for p in card.agreements for c in p.agreements]))}", ""]
    lines.append(md_table(["stance", "meaning", "held by", "held before"],
                          [[md_code(s.id), s.description or s.label, s.holders, _past_holders(s)] for s in card.stances]))
    lines += ["", positions_markdown(card.positions)]
    return "\n".join(lines)


def timeline_markdown(data: list) -> str:
    rows = [[human_date(t.date), ", ".join(r.name for r in t.parties), ", ".join(t.issues), t.status, t.change, "", agreement_step_words(t), t.sources]
            if t.change == "agreement" else
            [human_date(t.date), t.holder_name, t.issue, (f"{' / '.join(t.dropped)} → " if t.dropped else "") + ("(withdrawn)" if t.change == "withdrawn" else t.stance or "(no stance)"),
             t.change, " + ".join(t.held), f"{_who(t.evidence)}: {_quote_or_summary(t.evidence)}", t.evidence.sources] for t in data]
    return md_table(["date", "holder", "issue", "stance", "change", "held after", "evidence", "sources"], rows)


def _evidence_lines(p: q.Position) -> str:
    return md_join("<br>", (f"{h.stance}: {human_date(e.date)}, {_who_for(e)}: {_quote_or_summary(e)} ({', '.join(e.sources)})" for h in p.held for e in h.evidence[-1:]))


def party_diff_markdown(d) -> str:
    lines = [f"## {md_text(d.a_name)} vs {md_escape(d.b_name)}" + (f" (as of {md_escape(d.as_of)})" if d.as_of else ""), ""]
    rows = [[r.issue, RELATION_WORD[r.relation], _stance_words(r.a) if r.a.stances else "—", _evidence_lines(r.a),
             _stance_words(r.b) if r.b.stances else "—", _evidence_lines(r.b)] for r in d.rows]
    lines.append(md_table(["issue", "relation", d.a_name, f"{d.a_name}: evidence", d.b_name, f"{d.b_name}: evidence"], rows))
    return "\n".join(lines)


def changes_markdown(report) -> str:
    title = f"## Changes from {md_escape(report.start.label)} ({md_escape(report.start.date)}) to {md_escape(report.end.label)} ({md_escape(report.end.date)})"
    rows = [[c.holder_name, c.issue, c.kind, ("contested: " if c.before_status == "contested" else "") + _joined(c.before, c.before_status),
             ("contested: " if c.after_status == "contested" else "") + _joined(c.after, c.after_status),
             "; ".join(f"{human_date(e.date)} {_who_for(e)}: {_quote_or_summary(e)}" for e in c.statements)] for c in report.changes]
    text = title + "\n\n" + (md_table(["holder", "issue", "change", "before", "after", "moved by"], rows) if rows else "No position changed.")
    if report.agreements:
        text += "\n\n### Agreements\n\n" + md_table(["date", "agreement", "status", "covers", "sources"], [
            [human_date(t.date), Markdown(f"{md_escape(t.agreement.name)} {md_code(t.agreement.id)}"), agreement_step_words(t)[len(t.agreement.name) + 2:],
             t.issues, t.sources] for t in report.agreements])
    return text


def _cell_words(c) -> str:
    return ("contested: " + " / ".join(c.stances)) if c.status == "contested" else " + ".join(c.stances)


def matrix_markdown(m) -> str:
    rows = [[r.issue, Markdown(md_escape(r.status) + (" (" + ", ".join(md_code(a) for a in r.agreements) + ")" if r.agreements else "")),
             *(_cell_words(c) if c.stances else "—" for c in r.cells)] for r in m.rows]
    text = (f"## Common ground{' as of ' + md_escape(m.as_of) if m.as_of else ''}\n\n") + md_table(["issue", "status", *m.party_names], rows)
    legend = _matrix_legend(m)
    if legend:
        text += "\n\n**Stances**\n\n" + "\n".join(f"- {md_escape(issue)}: {md_code(stance)} {md_cell(label)}" for issue, stance, label in legend)
    return text


def semdiff_markdown(d) -> str:
    lines = [f"## Changes in meaning: {md_code(d.base)} → {md_code(d.head)}", ""]
    lines += [f"> **Warning:** {md_escape(w)}" for w in d.warnings] + ([""] if d.warnings else [])
    if d.empty:
        return "\n".join(lines + ["No change in meaning."])
    counts: dict[str, int] = {}
    for r in d.records:
        counts[r.change] = counts.get(r.change, 0) + 1
    lines.append(", ".join(f"{n} {c}" for c, n in counts.items()) + (f"; {len(d.positions)} positions move" if d.positions else ""))
    lines.append("")
    rows = []
    for r in d.records:
        detail = Markdown(f"was {md_code(r.old_id)}" if r.change == "renamed" else "<br>".join(
            f"{md_code(f.path)}: {md_escape(_short(f.old, 60))} → {md_escape(_short(f.new, 60))}" for f in r.fields))
        rows.append([r.change, r.kind[:-1], md_code(r.id), detail])
    lines.append(md_table(["change", "kind", "id", "fields"], rows))
    if d.positions:
        lines += ["", "### Positions that move", ""]
        lines.append(md_table(["holder", "issue", "before", "after", "moved by"],
                              [[m.holder, m.issue, " + ".join(m.before) or "(none)", " + ".join(m.after) or "(none)", m.statements] for m in d.positions]))
    return "\n".join(lines)


def sources_markdown(data: list[q.SourceRow]) -> str:
    return md_table(["published", "source", "id", "publisher", "reliability", "cited by"],
                    [[s.published, s.title or "(untitled)", md_code(s.id), s.publisher, s.reliability, s.cited_by] for s in data])


def source_markdown(card: q.SourceCard) -> str:
    lines = [f"## {md_text(card.title or '(untitled)')} ({md_code(card.id)})", ""]
    lines.append(md_table(["", ""], [
        ["publisher", card.publisher], ["republishing", card.original_publisher], ["published", card.published], ["language", card.language],
        ["reliability", card.reliability], ["url", md_url(card.url) if card.url else None], ["archive", card.archive], ["note", card.note],
        ["actors", _names(card.actors)], ["rounds", _names(card.rounds)], ["events", _names(card.events)],
    ]))
    if card.statements:
        lines += ["", "### Statements", "", statements_markdown(card.statements)]
    return "\n".join(lines)


def events_markdown(data: list[q.EventRow]) -> str:
    return md_table(["date", "event", "id", "kind", "authors", "signatories", "points", "statements"],
                    [[human_date(e.date), e.title, md_code(e.id), e.kind, e.authors, e.signatories, e.provisions, e.statements] for e in data])


def event_markdown(card: q.EventCard) -> str:
    lines = [f"## {md_text(card.title)} ({md_code(card.id)})", ""]
    lines.append(md_table(["", ""], [
        ["date", human_date(card.date)], ["kind", card.kind], ["authors", _names(card.authors)], ["signatories", _names(card.signatories)],
        ["held by", _names(card.holders)], ["about", card.description], ["issues", [r.id for r in card.issues]],
        ["stances", [f"{i} → {s}" for i, s in card.stances.items()]], ["related", _names(card.related)], ["rounds", _names(card.rounds)],
    ]))
    if card.provisions:
        lines += ["", "### Points", ""]
        lines.append(md_table(["point", "summary", "stances", "sources"],
                              [[md_code(p.id), p.summary, [f"{i} → {s}" for i, s in p.stances.items()], p.sources] for p in card.provisions]))
    if card.statements:
        lines += ["", "### Statements about it", "", statements_markdown(card.statements)]
    lines += record_notes_markdown(card.disputes, card.not_found, card.note, "###")
    return "\n".join(lines)


def search_markdown(hits: list[Hit]) -> str:
    def marked(h: Hit) -> Markdown:
        # marks put in before escaping (private-use characters, which escaping leaves), made bold after
        text, at = "", 0
        for start, end in h.highlights:
            text += h.snippet[at:start] + "\ue000" + h.snippet[start:end] + "\ue001"
            at = end
        return Markdown(md_escape(text + h.snippet[at:]).replace("\ue000", "**").replace("\ue001", "**"))

    return md_table(["kind", "record", "name", "field", "snippet"], [[h.kind[:-1], md_code(h.id), h.name, md_code(h.field), marked(h)] for h in hits])


def agreements_markdown(data: list[a.PointAgreements]) -> str:
    notes = Footnotes()
    rows = []
    for point in data:
        if not point.agreements:
            rows.append([point.title, STATE_WORDS[point.state], "", "", ""])
        for row in point.agreements:
            status = Markdown(md_escape(status_words(row.status)) + " " + notes.cite(row.status.sources)) if row.status else STATE_WORDS["unknown"]
            provisions = Markdown("<br>".join(md_escape(p.summary) + " " + notes.cite(p.sources) for p in row.provisions))
            rows.append([point.title, STATE_WORDS[point.state], Markdown(f"{md_escape(row.agreement.name)} {md_code(row.agreement.id)}"), status, provisions])
    out = [md_table(["agenda point", "state", "agreement", "status", "what is agreed"], rows)]
    out += _markdown_sources(notes)
    return "\n".join(out) + "\n"


def _markdown_sources(notes: Footnotes) -> list[str]:
    if not notes.order:
        return []
    return ["", "Sources: " + "; ".join(f"[{n}] {md_code(ident)}" for ident, n in notes.order.items())]


def agreement_markdown(card: a.AgreementCard) -> str:
    notes = Footnotes()
    out = [f"### {md_text(card.title)} {md_code(card.id)}", ""]
    out.append(f"- **date**: {md_escape(human_date(card.date))}")
    out.append(f"- **status**: {md_escape(_status_line(card))}")
    if card.parties:
        out.append(f"- **parties**: {md_escape(_standings(card.parties))}")
    for role, names in _roles(card.third_parties):
        out.append(f"- **{role}**: {md_escape(names)}")
    if card.supersedes:
        out.append("- **supersedes**: " + ", ".join(f"{md_escape(r.name)} {md_code(r.id)}" for r in card.supersedes))
    if card.history:
        out += ["", md_table(["date", "status", "sources"], [
            [human_date(s.date), status_words(s, with_date=False), notes.cite(s.sources)] for s in card.history])]
    for v in card.votes:
        out += ["", f"**{md_text(v.title)}** {md_code(v.id)}, {md_escape(human_date(v.date))}: {md_escape(results_words(v))} {notes.cite(v.sources)}"]
    if card.provisions:
        out += ["", md_table(["provision", "summary", "issues", "sources"], [[md_code(p.id), p.summary, p.issues, notes.cite(p.sources)] for p in card.provisions])]
    if card.statements:
        out += ["", md_table(["date", "who", "summary", "sources"], [
            [human_date(e.date), e.speaker_name or " and ".join(e.party_names), e.summary, notes.cite(e.sources)] for e in card.statements])]
    out += record_notes_markdown(card.disputes, card.not_found, card.note, "####")
    out += _markdown_sources(notes)
    return "\n".join(out) + "\n"
