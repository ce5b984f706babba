"""The records of a knowledge base, as pydantic models.

One YAML file holds one actor, issue, round or source; a round holds the
statements made in connection with it. Unknown keys are errors, so that a
misspelt field is caught rather than ignored. The models check the shape and
form of each record alone; checks across records (does this actor exist?)
live in :mod:`peacekb.checks`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from peacekb.countries import ISO_3166_ALPHA2
from peacekb.dates import Date

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=80),
    Field(description="A lowercase slug: letters a-z, digits and single hyphens, e.g. `vladimir-medinsky`."),
]
Text = Annotated[str, StringConstraints(min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


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
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code of the actor's country, e.g. `UA`.")
    wikidata: Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]*$")] | None = Field(
        None, description="Wikidata item id, e.g. `Q212`; give it only where certain."
    )
    description: Text | None = None
    roles: list[Role] = Field(default_factory=list, description="Roles over time, oldest first.")

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


# --- sources ------------------------------------------------------------------------------------


class Source(Record):
    """A published text that facts and quotes are taken from."""

    id: Id
    title: Text
    publisher: Text | None = None
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
    note: Text | None = None


# --- statements ---------------------------------------------------------------------------------

Attribution = Literal["direct-quote", "paraphrase", "reported"]


class Quote(Record):
    """One source's rendering of a remark; two translations of one remark are two quotes."""

    text: Text = Field(description="The words exactly as the source prints them.")
    source: Id
    translation: bool = Field(False, description="True when the source gives a translation of the original words.")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] | None = None


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
    party: Id = Field(description="The party the speaker spoke for.")
    holder: Id | None = Field(None, description="Whose position the statement describes; defaults to `party`.")
    attribution: Attribution = Field(description="direct-quote, paraphrase, or reported (by a third party).")
    issues: Annotated[list[Id], Field(min_length=1)]
    stances: dict[Id, Id] = Field(default_factory=dict, description="Issue id to the stance taken on it.")
    quotes: list[Quote] = Field(default_factory=list)
    summary: Text = Field(description="A short summary in our own words.")
    channel: Text | None = Field(None, description="Press conference, social media, interview with Axios, ...")
    sources: list[Id] = Field(default_factory=list, description="Sources beyond those of the quotes.")
    retracted: Retraction | None = None
    note: Text | None = None

    @property
    def position_holder(self) -> str:
        return self.holder or self.party

    @property
    def all_sources(self) -> list[str]:
        seen = dict.fromkeys(self.sources)
        seen.update(dict.fromkeys(q.source for q in self.quotes))
        return list(seen)


# --- rounds -------------------------------------------------------------------------------------

RoundKind = Literal["talks", "summit", "meeting", "call"]
RoundStatus = Literal["held", "planned", "postponed", "cancelled"]
RoundFormat = Literal["bilateral", "trilateral", "multilateral", "proximity", "mixed"]


class Delegation(Record):
    """The people a party sent to a round."""

    party: Id
    head: Id | None = None
    members: list[Id] = Field(default_factory=list)
    sources: list[Id] = Field(default_factory=list)


class Outcome(Record):
    """What a round produced: an exchange agreed, a document, an agreed next round."""

    id: Id
    summary: Text
    next_round: Id | None = Field(None, description="The round this outcome arranged, where it is in the knowledge base.")
    sources: list[Id] = Field(default_factory=list)


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
    mediators: list[Id] = Field(default_factory=list)
    participants: list[Id] = Field(default_factory=list, description="Others present besides delegations and mediators.")
    delegations: list[Delegation] = Field(default_factory=list)
    agenda: list[Id] = Field(default_factory=list, description="Issues discussed.")
    outcomes: list[Outcome] = Field(default_factory=list)
    sources: list[Id] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    note: Text | None = None

    @property
    def last_day(self):
        return self.end or self.start


KINDS: dict[str, type[Record]] = {
    "actors": Actor,
    "issues": Issue,
    "rounds": Round,
    "sources": Source,
}
"""Data folder name to the model of the records it holds, in loading order."""
