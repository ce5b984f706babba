"""The records of a knowledge base, as pydantic models.

One YAML file holds one actor, issue, round or source; a round holds the
statements made in connection with it. Unknown keys are errors, so that a
misspelt field is caught rather than ignored. The models check the shape and
form of each record alone; checks across records (does this actor exist?)
live in :mod:`peacekb.checks`.
"""

from __future__ import annotations

import functools
import typing
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from peacekb.countries import ISO_3166_ALPHA2
from peacekb.dates import Date, FuzzyDate

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=80),
    Field(description="A lowercase slug: letters a-z, digits and single hyphens, e.g. `vladimir-medinsky`."),
]
Text = Annotated[str, StringConstraints(min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True)


# --- actors -------------------------------------------------------------------------------------

ActorKind = Literal["state", "person", "organisation", "coalition", "other"]


class Role(Record):
    """A position an actor held for a party over a period (open-ended where a date is unknown)."""

    title: Text = Field(description="The role as a source names it, e.g. `Presidential aide`.")
    party: Id | None = Field(None, description="The actor (usually a state) the role is held for.")
    start: Date | None = Field(None, description="First day in the role, as precise as known.")
    end: Date | None = Field(None, description="Last day in the role; absent while it lasts or when unknown.")
    sources: list[Id] = Field(default_factory=list, description="Sources that state the role.")
    note: Text | None = None


class Actor(Record):
    """A state, person or organisation that takes part in or speaks about the process."""

    id: Id
    name: Text = Field(description="The name most sources use.")
    kind: ActorKind
    aliases: list[Text] = Field(default_factory=list, description="Other spellings and names (Zelensky / Zelenskyy).")
    country: str | None = Field(
        None,
        description="ISO 3166-1 alpha-2 code of the actor's country, e.g. `UA`; a state's follows from its name, "
        "a person's is given only where a source in `sources` states it (a role held for a state is not a nationality).",
    )
    wikidata: Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]*$")] | None = Field(
        None, description="Wikidata item id, e.g. `Q212`; give it only where a source in `sources` confirms it."
    )
    sources: list[Id] = Field(default_factory=list, description="Sources for the actor's identity: Wikidata id, country.")
    description: Text | None = None
    roles: list[Role] = Field(default_factory=list, description="Roles over time, oldest first.")
    disputes: list[Dispute] = Field(default_factory=list)

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is not None and value not in ISO_3166_ALPHA2:
            hint = f"; did you mean `{value.upper()}`?" if value.upper() in ISO_3166_ALPHA2 else ""
            raise ValueError(f"`{value}` is not an ISO 3166-1 alpha-2 country code{hint}")
        return value


# --- issues -------------------------------------------------------------------------------------


class Stance(Record):
    """A named position a party can take on an issue."""

    id: Id
    label: Text = Field(description="Short label, e.g. `Guarantees first`.")
    description: Text | None = None


class Issue(Record):
    """A question under negotiation; issues form a tree through `parent`."""

    id: Id
    title: Text
    description: Text | None = None
    parent: Id | None = Field(None, description="The broader issue this one belongs to (territory > donbas).")
    stances: list[Stance] = Field(default_factory=list)
    compatible: list[Annotated[list[Id], Field(min_length=2)]] = Field(
        default_factory=list,
        description="Groups of stances that can stand together (a demilitarised zone with a ceasefire line); "
        "without a group, only identical stances agree.",
    )
    lasting: bool = Field(
        True,
        description="Whether a stance stands until its holder contradicts it (the default); `false` for an issue whose "
        "stances are assessments of the moment (how the talks are going), where only the holder's latest word counts.",
    )

    def label(self, stance: str) -> str:
        """A stance's label; its id when the issue has no such stance."""
        return self.stance_labels.get(stance, stance)

    @functools.cached_property
    def stance_labels(self) -> dict[str, str]:
        return {s.id: s.label for s in self.stances}

    def agree(self, a: str, b: str) -> bool:
        """Whether two stances on this issue are compatible."""
        return a == b or b in self.agreeing.get(a, ())

    @functools.cached_property
    def agreeing(self) -> dict[str, frozenset[str]]:
        """Each stance in a `compatible` group, and every stance it shares a group with."""
        found: dict[str, set[str]] = {}
        for group in self.compatible:
            for stance in group:
                found.setdefault(stance, set()).update(group)
        return {stance: frozenset(others) for stance, others in found.items()}


# --- sources ------------------------------------------------------------------------------------


TitleStatus = Literal["page", "from-url", "none"]
Reliability = Literal["standard", "low"]
ArchiveScope = Literal["full", "excerpt"]


class Source(Record):
    """A published text that facts and quotes are taken from."""

    id: Id
    title: Text | None = Field(None, description="The headline as the page prints it (see `title_status`).")
    title_status: TitleStatus = Field(
        "page",
        description="`page`: the title as printed; `from-url`: inferred from the page's address; "
        "`none`: no title was seen (leave `title` out and describe the page in `note`).",
    )
    publisher: Text | None = Field(None, description="The site or outlet that published the page.")
    original_publisher: Text | None = Field(
        None, description="Where the page republishes another outlet's story (a wire story, a repost): that outlet."
    )
    reliability: Reliability = Field("standard", description="`low` for aggregators and sites of doubtful quality; say why in `note`.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    published: Date | None = Field(None, description="Publication date, as precise as known.")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] | None = Field(
        None, description="ISO 639 code of the text's language, e.g. `en`."
    )
    archive: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+$")] | None = Field(
        None,
        description="File name, in the sources folder, of an archived copy of the text; "
        "quotes attributed to the source must appear in it verbatim.",
    )
    archive_scope: ArchiveScope = Field(
        "full",
        description="`full`: the archive holds the whole text; `excerpt`: only parts of it, so a quote it does not cover "
        "is noted (`quote-beyond-archive`) rather than reported missing, while a quote it covers must match.",
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _title_matches_status(self) -> Source:
        if self.archive_scope == "excerpt" and self.archive is None:
            raise ValueError("`archive_scope: excerpt` describes an archive: name the file in `archive`, or drop `archive_scope`")
        if self.title_status == "none" and self.title is not None:
            raise ValueError("title_status is `none` but a title is given: say `page` or `from-url`, or drop the title")
        if self.title_status != "none" and self.title is None:
            raise ValueError("a source needs a `title`, or `title_status: none` when no title was seen")
        return self


# --- disputed facts -----------------------------------------------------------------------------


class Version(Record):
    """What one or more sources say about a disputed fact."""

    says: Text = Field(description="The version, in our words, e.g. `day one lasted about six hours`.")
    value: str | int | float | None = Field(None, description="The version as a value where one fits (an actor id, a number of hours).")
    sources: Annotated[list[Id], Field(min_length=1)]


class Dispute(Record):
    """A fact on which sources disagree: every version is kept, each tied to its sources; none is picked silently."""

    id: Id
    field: Text | None = Field(None, description="The field the versions disagree on, as a dotted path (`end`, `delegations.russia.head`).")
    summary: Text = Field(description="What is disputed.")
    versions: Annotated[list[Version], Field(min_length=2)]
    note: Text | None = Field(None, description="What is known about the versions (one is an evident error, ...).")


# --- statements ---------------------------------------------------------------------------------

Attribution = Literal["direct-quote", "paraphrase", "reported"]


class Quote(Record):
    """One source's rendering of a remark; two translations of one remark are two quotes."""

    text: Text = Field(description="The words exactly as the source prints them.")
    source: Id
    translation: bool = Field(False, description="True when the source gives a translation of the original words.")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] | None = None
    issues: list[Id] = Field(
        default_factory=list,
        description="The issues these words bear on, where the statement has several and the quote is about some of them; "
        "the evidence for a stance is the quote that bears on its issue (a quote naming none bears on all).",
    )
    note: Text | None = Field(None, description="How the source renders it, e.g. `AFP translation`, `citing RIA Novosti`.")

    def bears_on(self, issue: str) -> bool:
        return not self.issues or issue in self.issues


class Retraction(Record):
    """Why a statement was found wrong; retracted statements stay so that nobody adds them again."""

    reason: Text
    date: Date | None = None
    sources: list[Id] = Field(default_factory=list)


class Statement(Record):
    """A position voiced or reported: who, when, for whom, on what, in which words, from where."""

    id: Id
    date: Date = Field(description="When it was said, as precise as the source allows.")
    speaker: Id | None = Field(None, description="The person who spoke; absent when a source reports a party's position without naming anyone.")
    party: Id | None = Field(None, description="The party the speaker spoke for; for a joint statement, give `parties` instead.")
    parties: list[Id] = Field(
        default_factory=list,
        description="The parties of a joint statement (a communiqué, a joint statement of two governments), two or more; "
        "each holds the stances it takes. Give either `party` or `parties`.",
    )
    holder: Id | None = Field(None, description="Whose position the statement describes; defaults to the party (or parties).")
    attribution: Attribution = Field(description="direct-quote, paraphrase, or reported (by a third party).")
    issues: Annotated[list[Id], Field(min_length=1)]
    stances: dict[Id, Id] = Field(default_factory=dict, description="Issue id to the stance taken on it.")
    withdraws: dict[Id, Id] = Field(
        default_factory=dict,
        description="Issue id to a stance the holder explicitly gives up; it no longer counts as held from the statement's date.",
    )
    quotes: list[Quote] = Field(default_factory=list)
    summary: Text = Field(description="A short summary in our own words.")
    channel: Text | None = Field(None, description="Press conference, social media, interview with Axios, ...")
    refers_to: list[Id] = Field(default_factory=list, description="Events and documents (in events/) the statement responds to.")
    sources: list[Id] = Field(default_factory=list, description="Sources beyond those of the quotes.")
    disputes: list[Dispute] = Field(default_factory=list)
    retracted: Retraction | None = None
    note: Text | None = None

    @field_validator("parties")
    @classmethod
    def _one_party_field(cls, parties: list[str], info: ValidationInfo) -> list[str]:
        # runs only when `parties` is given, after `party`, so that the problem points here; a statement
        # with neither is reported by the checks (peacekb.checks), which keeps this off the common path;
        # an empty list is no list (the JSON export writes every field, `parties: []` beside a `party`)
        if not parties:
            return parties
        if info.data.get("party") is not None:
            raise ValueError("give either `party` (one party) or `parties` (a joint statement of two or more), not both")
        if len(set(parties)) < 2:
            raise ValueError("`parties` names the two or more parties of a joint statement; for one party write `party`")
        return parties

    @property
    def party_ids(self) -> list[str]:
        """The party, or the parties of a joint statement."""
        return self.parties or ([self.party] if self.party is not None else [])

    @property
    def holders(self) -> list[str]:
        """Whose position the statement states: the holder, else its party or parties."""
        return [self.holder] if self.holder else self.party_ids

    @property
    def all_sources(self) -> list[str]:
        seen = dict.fromkeys(self.sources)
        seen.update(dict.fromkeys(q.source for q in self.quotes))
        return list(seen)


# --- third parties ------------------------------------------------------------------------------

ThirdPartyRole = Literal["mediator", "facilitator", "guarantor", "accompanying", "observer", "host", "witness"]


class ThirdParty(Record):
    """An actor that is not a party but has a role in a round or an agreement: it mediates,
    facilitates, guarantees, accompanies, observes, hosts or witnesses."""

    actor: Id
    role: ThirdPartyRole
    sources: list[Id] = Field(default_factory=list, description="Sources that state the role.")
    note: Text | None = None


# --- rounds -------------------------------------------------------------------------------------

RoundKind = Literal["talks", "summit", "meeting", "call"]
RoundStatus = Literal["held", "planned", "postponed", "cancelled"]
RoundFormat = Literal["bilateral", "trilateral", "multilateral", "proximity", "mixed"]


class Delegation(Record):
    """The people a party sent to a round."""

    party: Id
    head: Id | None = Field(None, description="Absent when unknown or disputed (see the round's `disputes`).")
    members: list[Id] = Field(default_factory=list)
    sources: list[Id] = Field(default_factory=list)
    note: Text | None = None


class Outcome(Record):
    """What a round produced: an exchange agreed, a document, an agreed next round."""

    id: Id
    summary: Text
    next_round: Id | None = Field(None, description="The round this outcome arranged, where it is in the knowledge base.")
    sources: list[Id] = Field(default_factory=list)
    note: Text | None = None


class Round(Record):
    """A round of talks, a summit or a meeting, and the statements made in connection with it."""

    id: Id
    title: Text
    kind: RoundKind = "talks"
    status: RoundStatus = "held"
    location: Text | None = Field(None, description="City and country, e.g. `Geneva, Switzerland`.")
    venue: Text | None = None
    start: Date
    end: Date | None = Field(None, description="Last day; absent for a one-day round.")
    format: RoundFormat | None = None
    mediators: list[Id] = Field(
        default_factory=list,
        description="Shorthand for `third_parties` with the role `mediator` (the form of earlier versions, still read): "
        "`mediators: [turkey]` names Turkey as a third party in the role `mediator`.",
    )
    participants: list[Id] = Field(
        default_factory=list,
        description="Others present besides delegations and third parties, with no role a source names; "
        "give those with one (guarantor, observer, host, ...) in `third_parties`.",
    )
    third_parties: list[ThirdParty] = Field(
        default_factory=list, description="Actors with a role in the round besides the parties: mediator, facilitator, guarantor, ..."
    )
    delegations: list[Delegation] = Field(default_factory=list)
    agenda: list[Id] = Field(default_factory=list, description="Issues discussed.")
    events: list[Id] = Field(default_factory=list, description="Events and documents (in events/) discussed or produced.")
    outcomes: list[Outcome] = Field(default_factory=list)
    sources: list[Id] = Field(default_factory=list)
    disputes: list[Dispute] = Field(default_factory=list)
    not_found: list[Text] = Field(default_factory=list, description="Details looked for and not found in the sources.")
    note: Text | None = None
    statements: list[Statement] = Field(default_factory=list, description="Statements made in connection with the round; last in the file, where `peacekb new statement` appends.")

    @property
    def last_day(self):
        return self.end or self.start

    @property
    def roles(self) -> list[ThirdParty]:
        """Every third party with its role: `third_parties`, then the `mediators` shorthand."""
        given = {(t.actor, t.role) for t in self.third_parties}
        return [*self.third_parties, *(ThirdParty(actor=a, role="mediator") for a in self.mediators if (a, "mediator") not in given)]


# --- events and documents -----------------------------------------------------------------------

EventKind = Literal["plan", "memorandum", "framework", "agreement", "decision", "announcement", "cancellation", "vote", "other"]

# --- agreements: an event of kind `agreement`, with parties, third parties and a status history ---

Standing = Literal["negotiated", "initialled", "signed", "ratified", "withdrew"]
AgreementStatus = Literal[
    "proposed", "agreed-ad-referendum", "conditional", "agreed", "signed", "ratified", "rejected", "superseded",
    "implemented", "partly-implemented", "violated",
]
IN_FORCE: tuple[str, ...] = ("agreed", "signed", "ratified", "implemented", "partly-implemented", "violated")
"""Statuses under which an agreement stands (agreed: binding without a signed text, such as an
exchange agreed at the table; violated: broken, but not void)."""
PENDING: tuple[str, ...] = ("agreed-ad-referendum", "conditional")
"""Statuses of a text agreed but not yet binding: subject to approval, or to the rest being agreed."""
VOID: tuple[str, ...] = ("rejected", "superseded")


class PartyStanding(Record):
    """How one party stands to an agreement from a date: it negotiated, initialled, signed or
    ratified it, or withdrew; a party that signed and later ratified has two entries."""

    party: Id
    standing: Standing
    date: Date | None = Field(None, description="From when; absent: from the agreement's date.")
    sources: list[Id] = Field(default_factory=list)
    note: Text | None = None


class StatusChange(Record):
    """One step in an agreement's history: from `date` its status is `status`, as `sources` state."""

    status: AgreementStatus = Field(
        description="proposed; agreed-ad-referendum (agreed, subject to approval); conditional (agreed, but nothing is "
        "agreed until everything is agreed); agreed (binding without a signed text: an exchange agreed at the table); signed; ratified; rejected (say `by` whom, or the `vote`); superseded (name "
        "`superseded_by`); implemented; partly-implemented; violated."
    )
    date: Date
    by: list[Id] = Field(default_factory=list, description="The actors whose act it is: who signed, ratified, rejected or violated it.")
    vote: Id | None = Field(None, description="The vote (an event of kind `vote`) that decided it: a referendum, a parliament's vote.")
    superseded_by: Id | None = Field(None, description="For `superseded`: the agreement (in events/) that replaced it.")
    sources: Annotated[list[Id], Field(min_length=1)]
    note: Text | None = None

    @model_validator(mode="after")
    def _fits_status(self) -> StatusChange:
        if self.status == "superseded" and self.superseded_by is None:
            raise ValueError("a `superseded` status names the agreement that replaced it in `superseded_by`")
        if self.superseded_by is not None and self.status != "superseded":
            raise ValueError(f"`superseded_by` goes with the status `superseded`, not `{self.status}`")
        if self.status == "rejected" and not self.by and self.vote is None:
            raise ValueError("a `rejected` status says who rejected it: `by` (a parliament, a party) or the `vote`")
        return self


# --- votes: an event of kind `vote` ---------------------------------------------------------------

Ballot = Literal["referendum", "parliamentary", "other"]


class Results(Record):
    """A vote's figures as its sources give them; a figure sources disagree on has a dispute on the
    event whose `field` is `results.FIGURE` (`results.turnout`)."""

    yes: int | None = Field(None, ge=0, description="Votes for.")
    no: int | None = Field(None, ge=0, description="Votes against.")
    blank: int | None = Field(None, ge=0, description="Blank ballots.")
    invalid: int | None = Field(None, ge=0, description="Spoilt or null ballots.")
    abstained: int | None = Field(None, ge=0, description="Members present who abstained (a parliament).")
    electorate: int | None = Field(None, ge=0, description="Voters (or members) entitled to vote.")
    turnout: float | None = Field(None, ge=0, le=100, description="Share of the electorate that voted, in percent.")
    sources: Annotated[list[Id], Field(min_length=1)]
    note: Text | None = None

    FIGURES: typing.ClassVar[tuple[str, ...]] = ("yes", "no", "blank", "invalid", "abstained", "electorate", "turnout")


class Provision(Record):
    """One point of a plan or document, as sources report it."""

    id: Id
    summary: Text
    issues: list[Id] = Field(default_factory=list)
    stances: dict[Id, Id] = Field(
        default_factory=dict,
        description="Issue id to the stance the point takes; the document's holders (its signatories, else the parties "
        "among its authors) hold it from the document's date.",
    )
    sources: Annotated[list[Id], Field(min_length=1)]


class Event(Record):
    """Something that is not a meeting but that positions respond to: a plan, a memorandum, a summit called off."""

    id: Id
    title: Text
    kind: EventKind
    date: Date = Field(description="When it happened or the document appeared, as precise as known.")
    authors: list[Id] = Field(default_factory=list, description="Actors who drafted, issued or announced it.")
    signatories: list[Id] = Field(
        default_factory=list, description="Parties that signed it (an agreement); they, not its drafters, hold its stances."
    )
    description: Text | None = None
    provisions: list[Provision] = Field(default_factory=list, description="Its points, as reported.")
    parties: list[PartyStanding] = Field(
        default_factory=list,
        description="An agreement's parties and how each stands to it (negotiated, initialled, signed, ratified, withdrew), "
        "from when; without `signatories`, they hold its stances.",
    )
    third_parties: list[ThirdParty] = Field(
        default_factory=list, description="Actors with a role besides the parties: mediator, facilitator, guarantor, accompanying, ..."
    )
    history: list[StatusChange] = Field(
        default_factory=list,
        description="An agreement's status over time, oldest first: proposed, conditional, signed, ratified, rejected, superseded, ...",
    )
    ballot: Ballot | None = Field(None, description="A vote's kind: referendum, parliamentary or other.")
    question: Text | None = Field(None, description="A vote's question, as put to the voters.")
    voters: Id | None = Field(None, description="A parliamentary vote's chamber (an actor); absent for a referendum's electorate.")
    results: Results | None = Field(None, description="A vote's figures, with their sources.")
    issues: list[Id] = Field(default_factory=list)
    stances: dict[Id, Id] = Field(
        default_factory=dict, description="Issue id to a stance the document as a whole takes (its points take theirs in `provisions`)."
    )
    related: list[Id] = Field(default_factory=list, description="Other events it answers or revises.")
    rounds: list[Id] = Field(default_factory=list, description="Rounds where it was presented or discussed.")
    sources: list[Id] = Field(default_factory=list)
    disputes: list[Dispute] = Field(default_factory=list)
    not_found: list[Text] = Field(default_factory=list)
    note: Text | None = None
    statements: list[Statement] = Field(default_factory=list, description="Statements made about it outside any round; last in the file.")

    @field_validator("parties", "history", "ballot", "question", "voters", "results")
    @classmethod
    def _fits_kind(cls, value, info: ValidationInfo):
        # runs only when the field is given; `kind` comes first, so it is known here
        wanted = "agreement" if info.field_name in ("parties", "history") else "vote"
        kind = info.data.get("kind")
        if value and kind is not None and kind != wanted:
            raise ValueError(f"`{info.field_name}` belongs to an event of kind `{wanted}`, not `{kind}`: set `kind: {wanted}` or drop it")
        return value

    def status_at(self, when: FuzzyDate | None = None) -> StatusChange | None:
        """The agreement's status on ``when`` (its latest otherwise): the last step of its history
        that counts by then."""
        current = None
        for change in self.history:
            if when is None or change.date.counts_from <= when.latest:
                current = change
        return current


KINDS: dict[str, type[Record]] = {
    "actors": Actor,
    "issues": Issue,
    "rounds": Round,
    "sources": Source,
    "events": Event,
}
"""Data folder name to the model of the records it holds, in loading order."""
