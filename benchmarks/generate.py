#!/usr/bin/env python3
"""Generate a synthetic peacekb knowledge base of any size, for benchmarks.

    python benchmarks/generate.py --statements 10000 --seed 1 OUT_DIR

writes OUT_DIR/{actors,issues,rounds,events,sources}/ in the layout that `peacekb validate`
reads, shaped and sized like the bundled data: invented states, persons with dated roles and
organisations; a tree of issues with stances and some `compatible` groups; sources with titles,
publishers and addresses, a few of them with an archived text (`*.txt`) that the quotes
attributed to them appear in verbatim; rounds of about 17 statements each with delegations,
agenda, outcomes and disputes; events with provisions. Statements use every date form (day,
month, year, `~`, spans), and each speaker holds a role for the party spoken for on the day,
so that `peacekb validate` reports no problem at all.

Everything is invented (the names say so in their descriptions) and written as YAML text
directly, without a YAML library, so 100,000 statements take seconds. The output depends only
on --statements and --seed: the same arguments give the same bytes. OUT_DIR/benchmark.json
describes what was written and names an issue, a round and two parties to query.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sys
import time
from pathlib import Path

GENERATOR_VERSION = 3
KINDS = ("actors", "issues", "rounds", "events", "sources")
FIRST_DAY = dt.date(1990, 1, 1).toordinal()
LAST_DAY = dt.date(2026, 3, 10).toordinal()  # the latest statement of the bundled data

# --- small helpers ----------------------------------------------------------------------------------

_DAY_CACHE: dict[int, str] = {}


def day(o: int) -> str:
    text = _DAY_CACHE.get(o)
    if text is None:
        text = _DAY_CACHE[o] = dt.date.fromordinal(o).isoformat()
    return text


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(_ASCII)).strip("-")


_ASCII = str.maketrans("áàâäãåçéèêëíìîïñóòôöõúùûüýšžčćłőű", "aaaaaaceeeeiiiinooooouuuuyszcclou")
_PLAIN_OK = re.compile(r"^[A-Za-z](?:[^\n:#]|:(?! )|(?<! )#)*(?<![ :])$")  # block context: no `: `, ` #` or final `:`
_FLOW_OK = re.compile(r"^[A-Za-z][A-Za-z0-9 .'-]*$")  # inside [...]: no commas or brackets either
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def scalar(text: str) -> str:
    """A one-line YAML scalar in block context: plain where that is safe, else double-quoted."""
    if _PLAIN_OK.match(text) and text.lower() not in _RESERVED:
        return text
    return quoted(text)


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrap(text: str, indent: str, width: int = 100) -> str:
    """Greedy word wrap for a folded block scalar (`>-`), each line starting with ``indent``."""
    lines, line = [], indent
    limit = width
    for word in text.split(" "):
        if len(line) + len(word) + 1 > limit and line != indent:
            lines.append(line)
            line = indent + word
        else:
            line = line + word if line == indent else line + " " + word
    lines.append(line)
    return "\n".join(lines)


def folded(key: str, text: str, indent: str) -> str:
    """`key: text` on one line when short, else as a folded block."""
    if len(indent) + len(key) + len(text) + 2 <= 100:
        return f"{indent}{key}: {scalar(text)}\n"
    return f"{indent}{key}: >-\n{wrap(text, indent + '  ')}\n"


def flow(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


def id_list(key: str, ids: list[str], indent: str) -> str:
    """A list of ids as the bundled data writes it: in flow style when it fits on a line."""
    line = f"{indent}{key}: {flow(ids)}"
    if len(line) <= 100:
        return line + "\n"
    return f"{indent}{key}:\n" + "".join(f"{indent}  - {i}\n" for i in ids)


# --- vocabulary -------------------------------------------------------------------------------------

SYLLABLES = ["ar", "va", "mor", "bel", "es", "dra", "kan", "lu", "ter", "os", "vin", "ga", "rin", "sol", "mar", "ta",
             "nor", "vel", "ka", "dor", "ish", "an", "ber", "ul", "zen", "ra", "lin", "mo", "vas", "tir", "el", "gor"]
STATE_ENDINGS = ["ia", "ania", "istan", "ovia", "land", "aria", "enia", "ora", "ica", "eth"]
FIRST_NAMES = ["Anna", "Boris", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hassan", "Irina", "Jonas", "Karim", "Lina",
               "Marek", "Nadia", "Omar", "Petra", "Rustam", "Sofia", "Tomas", "Ulla", "Viktor", "Wanda", "Yusuf", "Zara",
               "Aleksei", "Bianca", "Cyril", "Dalia", "Emil", "Fatima", "Georg", "Helga", "Ivan", "Jasmina", "Kofi",
               "Leyla", "Mikhail", "Nora", "Oleg", "Pilar", "Rania", "Stefan", "Tamara", "Umar", "Vera", "Walid",
               "Xenia", "Yelena", "Zoran", "Adil", "Bruno", "Chiara", "Denis", "Edith", "Feliks", "Goran", "Hana"]
SURNAME_ENDINGS = ["ov", "enko", "escu", "son", "ez", "i", "ani", "ic", "sky", "berg", "ida", "ulu", "ović", "man", "ari", "oglu"]
# ISO 3166-1 alpha-2 codes that the invented states are given (a list, not a set: the order must not vary)
COUNTRY_CODES = ("AM AZ BA BG BY CY EE FI GE HR HU KG KZ LT LV MD ME MK MN RO RS SI SK TJ TM UZ AO BI CD CF CG ER ET "
                 "LY ML MZ NE RW SD SO SS TD YE SY LB IQ CO PE BO PY LK MM NP KH").split()
CITIES = [("Geneva", "Switzerland", "Palais des Nations"), ("Vienna", "Austria", "Hofburg"), ("Istanbul", "Turkey", "Dolmabahçe Palace"),
          ("Doha", "Qatar", "Sheraton Grand"), ("Oslo", "Norway", "Holmenkollen Park Hotel"), ("Helsinki", "Finland", "Finlandia Hall"),
          ("Astana", "Kazakhstan", "Palace of Independence"), ("Abu Dhabi", "United Arab Emirates", "Emirates Palace"),
          ("Riyadh", "Saudi Arabia", "Ritz-Carlton"), ("Nairobi", "Kenya", "Kenyatta International Convention Centre"),
          ("Addis Ababa", "Ethiopia", "African Union Conference Center"), ("Havana", "Cuba", "El Laguito"),
          ("Rome", "Italy", "Sant'Egidio"), ("Stockholm", "Sweden", "Harpsund"), ("Muscat", "Oman", "Al Bustan Palace"),
          ("Baku", "Azerbaijan", "Gulustan Palace"), ("Minsk", "Belarus", "Independence Palace"), ("Ankara", "Turkey", None),
          ("Cairo", "Egypt", None), ("Montreux", "Switzerland", "Montreux Palace"), ("Lisbon", "Portugal", None),
          ("Dayton", "United States", "Wright-Patterson Air Force Base"), ("Camp David", "United States", None),
          ("Berlin", "Germany", "Chancellery"), ("Paris", "France", "Élysée Palace"), ("Arusha", "Tanzania", "Arusha International Conference Centre")]
PUBLISHERS = ["Meridian Wire", "The Northern Observer", "Atlas Press Agency", "Daily Ledger", "Continental Review", "Harbour Times",
              "Ridgeline News", "The Evening Courier", "Global Desk", "Balkan Insight Weekly", "Steppe Monitor", "Levant Dispatch",
              "Crossroads Radio", "The Mediator", "Frontline Report", "Civic Post", "Riverside Gazette", "Open Table Media",
              "Inter Bellum News", "Capital Chronicle"]
WIRES = ["Reuters", "AFP", "AP", "Anadolu", "Xinhua", "TASS", "dpa"]
CHANNELS = ["press conference", "social media", "interview with Meridian Wire", "televised address", "joint press statements",
            "readout on X", "Telegram", "briefing to reporters", "parliament speech", "interview with the Daily Ledger", "radio interview"]
ADJECTIVES = ["difficult", "constructive", "businesslike", "substantive", "intensive", "tense", "productive", "frank", "useful",
              "complicated", "serious", "long", "detailed", "honest"]
CONDITIONS = ["the other side withdraws its forces to the agreed line", "binding security guarantees are in place",
              "a ceasefire holds for thirty days", "international monitors are deployed along the line",
              "the sanctions are eased step by step", "all prisoners are exchanged on an all-for-all basis",
              "the line of contact is frozen where it stands", "an independent commission verifies compliance",
              "the constitution is amended first", "the people of the region are asked in a referendum",
              "elections are held under international observation", "the guarantors sign the same text",
              "the heavy weapons are pulled back", "the displaced can return to their homes",
              "the leaders meet in person", "the working groups finish their drafts"]
ATTRIBUTIONS_OF_SOURCE = ["according to officials briefed on the talks", "a diplomat familiar with the talks said",
                          "people close to the delegation said", "the agency reported, citing a source in the delegation"]

# issues that every process may put on its agenda: id, title, parent, stances (id, label), compatible groups
BASE_ISSUES = [
    ("territory", "Territory", None,
     [("no-cession", "No cession"), ("recognition-of-claims", "Recognition of claims"), ("line-of-contact", "Line of contact as the starting point"),
      ("exchange-of-territory", "Exchange of territory"), ("withdrawal-from-occupied", "Withdrawal from occupied areas")],
     [["line-of-contact", "exchange-of-territory"]]),
    ("ceasefire", "Ceasefire", None,
     [("immediate-ceasefire", "Immediate ceasefire"), ("ceasefire-after-settlement", "Ceasefire only after a settlement"),
      ("partial-ceasefire", "Partial ceasefire (energy, sea)"), ("ceasefire-with-monitoring", "Ceasefire with monitoring")],
     [["immediate-ceasefire", "ceasefire-with-monitoring"], ["partial-ceasefire", "ceasefire-with-monitoring"]]),
    ("ceasefire-monitoring", "Ceasefire monitoring", "ceasefire",
     [("international-forces", "International forces"), ("un-mission", "UN observer mission"), ("joint-commission", "Joint commission"),
      ("no-foreign-monitors", "No foreign monitors")],
     [["international-forces", "un-mission"]]),
    ("ceasefire-line", "Line of separation", "ceasefire",
     [("current-front", "The current front"), ("pre-war-line", "The pre-war line"), ("buffer-zone", "A buffer zone on both sides")],
     [["current-front", "buffer-zone"]]),
    ("security-guarantees", "Security guarantees", None,
     [("robust-guarantees", "Robust guarantees from allies"), ("collective-guarantees", "Guarantees from all permanent members"),
      ("no-foreign-guarantors", "No foreign guarantors"), ("security-for-all", "Indivisible security for all")],
     [["robust-guarantees", "collective-guarantees"]]),
    ("foreign-troops", "Foreign troops", "security-guarantees",
     [("reassurance-force", "A reassurance force"), ("no-foreign-troops", "No foreign troops"), ("peacekeepers-under-un", "Peacekeepers under a UN mandate")],
     [["reassurance-force", "peacekeepers-under-un"]]),
    ("alliance-membership", "Alliance membership", "security-guarantees",
     [("membership-open", "The door stays open"), ("neutrality", "Permanent neutrality"), ("membership-deferred", "Membership deferred")],
     [["neutrality", "membership-deferred"]]),
    ("army-size", "Size of the armed forces", "security-guarantees",
     [("no-limit", "No limit"), ("cap-agreed", "A cap agreed by treaty"), ("drastic-reduction", "A drastic reduction")], []),
    ("sanctions", "Sanctions", None,
     [("lift-sanctions", "Lift the sanctions"), ("phased-relief", "Phased relief"), ("keep-sanctions", "Keep the sanctions")],
     [["lift-sanctions", "phased-relief"]]),
    ("frozen-assets", "Frozen assets", "sanctions",
     [("use-for-reconstruction", "Use them for reconstruction"), ("return-assets", "Return them"), ("keep-frozen", "Keep them frozen")], []),
    ("humanitarian", "Humanitarian issues", None,
     [("all-for-all", "All for all"), ("step-by-step", "Step by step"), ("icrc-access", "Access for the ICRC")],
     [["step-by-step", "icrc-access"], ["all-for-all", "icrc-access"]]),
    ("prisoner-exchange", "Prisoner exchange", "humanitarian",
     [("all-for-all", "All for all"), ("one-for-one", "One for one"), ("wounded-first", "The wounded first")], [["one-for-one", "wounded-first"]]),
    ("return-of-civilians", "Return of civilians", "humanitarian",
     [("unconditional-return", "Unconditional return"), ("verified-lists", "Return from verified lists")], []),
    ("humanitarian-corridors", "Humanitarian corridors", "humanitarian",
     [("open-corridors", "Open corridors"), ("corridors-with-escort", "Corridors with an escort"), ("no-corridors", "No corridors for now")], []),
    ("refugees", "Refugees and the displaced", "humanitarian",
     [("right-of-return", "Right of return"), ("compensation", "Compensation instead of return")], []),
    ("elections", "Elections", None,
     [("elections-after-ceasefire", "Elections after a ceasefire"), ("elections-now", "Elections now"), ("no-elections-under-martial-law", "No elections under martial law")],
     [["elections-after-ceasefire", "no-elections-under-martial-law"]]),
    ("constitutional-reform", "Constitutional reform", None,
     [("decentralisation", "Decentralisation"), ("special-status", "Special status for the regions"), ("no-change", "No change")],
     [["decentralisation", "special-status"]]),
    ("minority-rights", "Minority rights", "constitutional-reform",
     [("language-rights", "Language rights"), ("cultural-autonomy", "Cultural autonomy"), ("existing-law", "The existing law suffices")],
     [["language-rights", "cultural-autonomy"]]),
    ("sequencing", "Sequencing", None,
     [("guarantees-first", "Guarantees first"), ("territory-first", "Territory first"), ("ceasefire-first", "Ceasefire first"), ("package-deal", "Everything as one package")], []),
    ("process", "The negotiating process", None,
     [("continue-talks", "Continue the talks"), ("progress-made", "Progress has been made"), ("other-side-stalling", "The other side is stalling"),
      ("talks-pointless", "The talks are pointless"), ("accelerate", "Speed up")],
     [["continue-talks", "progress-made", "accelerate"]]),
    ("leaders-meeting", "A meeting of leaders", "process",
     [("meet-now", "Meet now"), ("meet-to-sign", "Meet only to sign"), ("no-meeting", "No meeting")], [["meet-now", "meet-to-sign"]]),
    ("reconstruction", "Reconstruction", None,
     [("international-fund", "An international fund"), ("reparations", "Reparations"), ("joint-investment", "Joint investment")],
     [["international-fund", "joint-investment"]]),
    ("transitional-justice", "Transitional justice", None,
     [("tribunal", "A special tribunal"), ("truth-commission", "A truth commission"), ("general-amnesty", "A general amnesty")],
     [["tribunal", "truth-commission"]]),
    ("amnesty", "Amnesty", "transitional-justice",
     [("broad-amnesty", "Broad amnesty"), ("no-amnesty-for-war-crimes", "No amnesty for war crimes")], []),
    ("energy", "Energy", None,
     [("resume-transit", "Resume transit"), ("no-transit", "No transit"), ("energy-ceasefire", "No strikes on energy")],
     [["resume-transit", "energy-ceasefire"]]),
    ("nuclear-plant", "The nuclear plant", "energy",
     [("iaea-control", "Under IAEA control"), ("return-to-owner", "Return to its owner"), ("joint-operation", "Joint operation")],
     [["iaea-control", "joint-operation"]]),
    ("water-resources", "Water resources", None,
     [("shared-management", "Shared management"), ("upstream-rights", "Upstream rights"), ("treaty-quotas", "Quotas by treaty")],
     [["shared-management", "treaty-quotas"]]),
]
REGION_STANCES = [("full-withdrawal", "Full withdrawal"), ("no-cession", "No cession"), ("autonomy", "Autonomy within the state"),
                  ("referendum", "A referendum on status"), ("international-administration", "International administration"),
                  ("demilitarised-zone", "A demilitarised zone")]
STANCE_DESCRIPTIONS = [
    "{label}, as the party voicing it describes it; the wording differs from round to round.",
    "{label}: the position that {topic} is settled this way and not otherwise, at least for now.",
    "Parties holding it call for {lower} as the basis of any agreement on {topic}.",
    "{label}. Sources describe it in several forms; this is the common core of them.",
]

QUOTES = [
    "We are ready to discuss {t}, but only if {c}.",
    "There will be no agreement on {t} unless {c}.",
    "The talks were {a}, and we will continue them.",
    "Our position on {t} has not changed.",
    "We expect {o} to show the same seriousness on {t} that we have shown.",
    "Nobody should expect us to give up on {t}.",
    "This is not the end of the process; it is {a} work, and it takes time.",
    "The question of {t} was discussed in detail, and some groundwork has been done.",
    "We told them clearly: first {t}, then everything else.",
    "The conversation was {a} and {a2}; the positions are still far apart.",
    "If {o} is serious, {c}; that is all we ask.",
    "We will not sign anything on {t} that our people would reject.",
]
SUMMARIES = [
    "{s} said that {p} would not accept any settlement on {t} unless {c}.",
    "{s} insisted that {t} must be settled before {t2}, and that the talks would continue only if {c}.",
    "{s} called the talks {a} and said that progress on {t} depended on whether {c}.",
    "{s} accused {o} of stalling on {t} and said {p} was ready to continue only if {c}.",
    "{s} proposed that {t} be handled by a working group that would report before the next round.",
    "{s} told reporters that {p} saw no basis yet for a compromise on {t}, though contacts would go on.",
    "{s} said {p} was prepared to discuss {t} in detail, but rejected the proposal of {o} on {t2} as unrealistic.",
    "{s} described the position of {p} on {t} as unchanged and said that {c} remained the condition.",
    "{s} said that the sides had narrowed their differences on {t}, while {t2} remained open.",
    "{s} said that {p} wanted {t} and {t2} dealt with in a single document rather than one after the other.",
]
ROUND_NOTES = [
    "The sources give the dates and the venue but not the full composition of every delegation.",
    "The talks were closed to the media; what is known of them comes from statements made afterwards.",
    "Several sources describe the talks as {a}; none gives the agenda in full.",
    "The round followed weeks of contacts at the level of advisers, which the sources mention without detail.",
    "Working groups on {t} and {t2} met in parallel, according to the delegation of {p}.",
    "The mediators met each delegation separately before the plenary session.",
    "Both delegations briefed their capitals by phone during the breaks, according to {src}.",
]
OUTCOMES = [
    "The sides agreed to continue the dialogue; no date was set for the next round.",
    "An exchange of prisoners was agreed, to take place within two weeks.",
    "A working group on {t} was set up, to report at the next round.",
    "No breakthrough; deep divisions remained over {t}.",
    "The sides agreed on a joint statement on {t}.",
    "The mediators were asked to draft a text on {t} for the next round.",
]


class Text:
    """Sentences from templates, filled with the names and topics of one process."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def fill(self, template: str, **names: str) -> str:
        r = self.rng
        return template.format(c=r.choice(CONDITIONS), a=r.choice(ADJECTIVES), a2=r.choice(ADJECTIVES), **names)


# --- the model of the world the files describe ----------------------------------------------------------


class Person:
    __slots__ = ("id", "name", "surname", "roles", "aliases", "wikidata")

    def __init__(self, ident: str, name: str, surname: str) -> None:
        self.id, self.name, self.surname = ident, name, surname
        self.roles: list[tuple[str, str, int, int | None]] = []  # title, party, start, end (None: open)
        self.aliases: list[str] = []
        self.wikidata: str | None = None


class Generator:
    def __init__(self, statements: int, seed: int) -> None:
        self.n = statements
        self.seed = seed
        self.rng = random.Random(seed)
        self.text = Text(self.rng)
        self.used_ids: dict[str, None] = {}
        self.files: dict[str, str] = {}  # relative path -> text
        self.archives: dict[str, str] = {}

    # --- ids ---

    def unique(self, base: str, limit: int = 80) -> str:
        base = base[:limit].strip("-")
        ident, k = base, 2
        while ident in self.used_ids:
            suffix = f"-{k}"
            ident = base[: limit - len(suffix)].strip("-") + suffix
            k += 1
        self.used_ids[ident] = None
        return ident

    def invented(self, endings: list[str], parts: int = 2) -> str:
        r = self.rng
        word = "".join(r.choice(SYLLABLES) for _ in range(parts)) + r.choice(endings)
        return word.capitalize()

    # --- the world ---

    def build(self) -> None:
        r = self.rng
        n = self.n
        processes = max(2, -(-n // 4000))
        pool = min(40, processes + 4)
        self.states = []
        names_seen: dict[str, None] = {}
        for _ in range(pool):
            name = self.invented(STATE_ENDINGS)
            while name in names_seen:
                name = self.invented(STATE_ENDINGS, 3)
            names_seen[name] = None
            self.states.append({"id": self.unique(slug(name)), "name": name, "kind": "state", "country": r.choice(COUNTRY_CODES),
                                "wikidata": f"Q{r.randint(100, 99999)}"})
        self.orgs = []
        for name, short in [("United Nations", "UN"), ("Organization for Security and Co-operation in Europe", "OSCE"),
                            ("African Union", "AU"), ("European Union", "EU"), ("International Committee of the Red Cross", "ICRC"),
                            ("International Atomic Energy Agency", "IAEA"), ("Contact Group", None)]:
            self.orgs.append({"id": self.unique(slug(short or name)), "name": name, "kind": "organisation", "alias": short})

        # processes: two parties, a mediator, a window of years, regions disputed
        self.processes = []
        weights = [r.uniform(0.5, 1.5) for _ in range(processes)]
        total_w = sum(weights)
        for k in range(processes):
            a, b = r.sample(self.states, 2)
            mediator = r.choice(self.orgs[:4] + [s for s in self.states if s is not a and s is not b][:6])
            length = r.randint(6 * 365, 16 * 365)
            end = LAST_DAY if k == 0 else r.randint(FIRST_DAY + length + 400, LAST_DAY)
            start = end - length
            regions = []
            for _ in range(r.randint(2, 4)):
                region = self.invented(["a", "o", "ia", "ovo", "ar", "in"])
                regions.append(region)
            self.processes.append({"k": k, "a": a, "b": b, "mediator": mediator, "start": start, "end": end, "regions": regions,
                                   "statements": max(1, round(n * weights[k] / total_w)), "name": f"{a['name']}–{b['name']}"})
        diff = n - sum(p["statements"] for p in self.processes)
        self.processes[0]["statements"] += diff

        self.build_issues()
        self.build_people()
        self.build_sources()
        self.build_rounds()
        self.build_events()

    def build_issues(self) -> None:
        r = self.rng
        self.issues: dict[str, dict] = {}
        for ident, title, parent, stances, compatible in BASE_ISSUES:
            self.used_ids[ident] = None
            self.issues[ident] = {"id": ident, "title": title, "parent": parent, "stances": stances, "compatible": compatible}
        for p in self.processes:
            p["region_issues"] = []
            for region in p["regions"]:
                ident = self.unique(f"status-of-{slug(region)}")
                stances = r.sample(REGION_STANCES, r.randint(3, 6))
                ids = [s for s, _ in stances]
                compatible = [[x for x in ("autonomy", "referendum") if x in ids]] if r.random() < 0.5 else []
                compatible = [g for g in compatible if len(g) >= 2]
                self.issues[ident] = {"id": ident, "title": f"Status of {region}", "parent": "territory", "stances": stances,
                                      "compatible": compatible, "region": region}
                p["region_issues"].append(ident)
            p["agenda_pool"] = p["region_issues"] + r.sample([i[0] for i in BASE_ISSUES], 14)
        self.stance_ids = {i: [s for s, _ in d["stances"]] for i, d in self.issues.items()}

    def person(self) -> Person:
        r = self.rng
        first = r.choice(FIRST_NAMES)
        surname = self.invented(SURNAME_ENDINGS, r.choice((1, 2)))
        ident = self.unique(slug(f"{first} {surname}"))
        p = Person(ident, f"{first} {surname}", surname)
        if r.random() < 0.3:
            p.aliases = [surname + r.choice(["y", "e", "a"]), f"{first[0]}. {surname}"][: r.randint(1, 2)]
        if r.random() < 0.6:
            p.wikidata = f"Q{r.randint(1000, 99999999)}"
        return p

    def build_people(self) -> None:
        """For each party, offices held in turn over the years the party is at the table."""
        r = self.rng
        windows: dict[str, list[int]] = {}
        for p in self.processes:
            for party in (p["a"], p["b"], p["mediator"]):
                lo, hi = windows.get(party["id"], [p["start"], p["end"]])
                windows[party["id"]] = [min(lo, p["start"]), max(hi, p["end"])]
        self.people: list[Person] = []
        self.offices: dict[str, list[tuple[int, int, Person, str]]] = {}  # party -> (start, end, person, title)
        for party in self.states + self.orgs:
            if party["id"] not in windows:
                continue
            lo, hi = windows[party["id"]]
            lo, hi = lo - 400, hi + 200
            titles = (["President", "Minister of Foreign Affairs", "Chief negotiator", "Presidential aide", "Presidential spokesperson"]
                      if party["kind"] == "state" else ["Secretary-General", "Special envoy", "Head of the mediation team"])
            holders: list[tuple[int, int, Person, str]] = []
            for title in titles:
                start = lo - r.randint(0, 900)
                while start <= hi:
                    end = start + r.randint(700, 2600)
                    reused = [h for h in holders if h[1] < start and len(h[2].roles) < 3]
                    if reused and r.random() < 0.2:
                        person = r.choice(reused)[2]
                    else:
                        person = self.person()
                        self.people.append(person)
                    last = end >= hi and r.random() < 0.7  # the current holder: no end date
                    person.roles.append((title, party["id"], start, None if last else end))
                    holders.append((start, end if not last else 10**7, person, title))
                    start = end + 1
            self.offices[party["id"]] = holders

    def holders_at(self, party: str, when: int) -> list[Person]:
        return [person for start, end, person, _ in self.offices.get(party, ()) if start <= when <= end]

    def build_sources(self) -> None:
        r = self.rng
        self.sources: list[dict] = []
        count_total = max(40, self.n // 150)
        archives_total = max(3, self.n // 2000)
        for p in self.processes:
            count = max(8, round(count_total * p["statements"] / self.n))
            p["sources"] = []
            for _ in range(count):
                when = r.randint(p["start"], p["end"])
                publisher = r.choice(PUBLISHERS)
                words = r.sample(["talks", "ceasefire", "delegation", "round", "envoy", "agreement", "proposal", "guarantees",
                                  "prisoners", "summit", "plan", "territory", "sanctions", "monitors"], 3)
                ident = self.unique(f"{slug(publisher)}-{'-'.join(words)}", 70)
                title = f"{p['name'].replace('–', ' and ')} {words[0]} {r.choice(['resume', 'stall', 'end without breakthrough', 'make progress', 'in doubt', 'begin'])}"
                src = {"id": ident, "n": len(self.sources) + 1, "date": when, "publisher": publisher, "title": title, "process": p["k"], "words": words}
                self.sources.append(src)
                p["sources"].append(src)
            p["sources"].sort(key=lambda s: s["date"])
            p["source_dates"] = [s["date"] for s in p["sources"]]
            p["archives"] = []
        # the archived texts, spread over the processes
        for k in range(archives_total):
            p = self.processes[k % len(self.processes)]
            candidates = [s for s in p["sources"] if "archive" not in s]
            if not candidates:
                continue
            src = r.choice(candidates)
            src["archive"] = f"{src['id']}.txt"
            src["sentences"] = self.archive_sentences(p)
            p["archives"].append(src)
        self.archived = {s["id"] for s in self.sources if "archive" in s}  # membership only, never iterated
        for p in self.processes:
            p["archives"].sort(key=lambda s: s["date"])
            p["archive_dates"] = [s["date"] for s in p["archives"]]

    def topic(self, issue: str) -> str:
        record = self.issues[issue]
        return f"the status of {record['region']}" if "region" in record else record["title"].lower()

    def archive_sentences(self, p: dict) -> list[str]:
        """The article's sentences, with typographic quotes and apostrophes as a web page prints them."""
        r = self.rng
        sentences = []
        for _ in range(r.randint(55, 75)):
            t = self.topic(r.choice(p["agenda_pool"]))
            party = r.choice((p["a"], p["b"]))
            other = p["b"] if party is p["a"] else p["a"]
            if r.random() < 0.5:
                words = self.text.fill(r.choice(QUOTES), t=t, o=other["name"]).replace("'", "\u2019")
                sentences.append(f"\u201c{words}\u201d the head of the {party['name']} delegation said.")
            else:
                sentences.append(self.text.fill(r.choice(SUMMARIES), s=f"The {party['name']} side", p=party["name"], o=other["name"],
                                                t=t, t2=self.topic(r.choice(p["agenda_pool"]))).replace("'", "\u2019"))
        return sentences

    def build_rounds(self) -> None:
        r = self.rng
        self.rounds: list[dict] = []
        for p in self.processes:
            sizes = []
            left = p["statements"]
            while left > 0:
                size = min(left, r.randint(10, 24))
                sizes.append(size)
                left -= size
            days = sorted(r.randint(p["start"] + 60, p["end"]) for _ in sizes)
            if p["k"] == 0:
                days[-1] = p["end"] - 2
            p["rounds"] = []
            for size, start in zip(sizes, days):
                city, country, venue = r.choice(CITIES)
                d = dt.date.fromordinal(start)
                base = f"{slug(city)}-{d.year}-{d.month:02d}"
                ident = self.unique(base) if base not in self.used_ids else self.unique(f"{base}-{d.day:02d}")
                rnd = {"id": ident, "process": p, "start": start, "end": start + r.choice((0, 0, 1, 1, 2, 3)), "size": size,
                       "city": city, "country": country, "venue": venue}
                p["rounds"].append(rnd)
                self.rounds.append(rnd)
            p["round_days"] = [x["start"] for x in p["rounds"]]

    def build_events(self) -> None:
        r = self.rng
        self.events: list[dict] = []
        for p in self.processes:
            count = max(2, round(max(4, self.n // 1000) * p["statements"] / self.n))
            p["events"] = []
            for _ in range(count):
                when = r.randint(p["start"], p["end"])
                kind = r.choice(["plan", "memorandum", "framework", "agreement", "decision", "announcement", "cancellation", "other"])
                d = dt.date.fromordinal(when)
                author = r.choice((p["a"], p["b"], p["mediator"]))
                ident = self.unique(f"{author['id']}-{kind}-{d.year}-{d.month:02d}")
                p["events"].append({"id": ident, "date": when, "kind": kind, "author": author, "process": p})
            p["events"].sort(key=lambda e: e["date"])
            p["event_dates"] = [e["date"] for e in p["events"]]
            self.events.extend(p["events"])

    # --- picking things near a date ---

    def near_sources(self, p: dict, when: int, k: int) -> list[str]:
        i = bisect.bisect_left(p["source_dates"], when)
        window = p["sources"][max(0, i - 4): i + 4] or p["sources"]
        return [s["id"] for s in self.rng.sample(window, min(k, len(window)))]

    def near_archive(self, p: dict, when: int) -> dict | None:
        if not p["archives"]:
            return None
        i = min(bisect.bisect_left(p["archive_dates"], when), len(p["archives"]) - 1)
        return p["archives"][i]

    def event_before(self, p: dict, when: int) -> dict | None:
        i = bisect.bisect_right(p["event_dates"], when)
        return p["events"][i - 1] if i else None

    # --- writing ---

    def write_all(self) -> None:
        for state in self.states:
            if state["id"] in self.offices:
                self.files[f"actors/{state['id']}.yaml"] = self.state_yaml(state)
        for org in self.orgs:
            if org["id"] in self.offices:
                self.files[f"actors/{org['id']}.yaml"] = self.org_yaml(org)
        for person in self.people:
            self.files[f"actors/{person.id}.yaml"] = self.person_yaml(person)
        for issue in self.issues.values():
            self.files[f"issues/{issue['id']}.yaml"] = self.issue_yaml(issue)
        for src in self.sources:
            self.files[f"sources/{src['id']}.yaml"] = self.source_yaml(src)
            if "archive" in src:
                self.archives[f"sources/{src['archive']}"] = self.archive_text(src)
        for p in self.processes:
            self.positions: dict[tuple[str, str], str] = {}
            for index, rnd in enumerate(p["rounds"]):
                nxt = p["rounds"][index + 1] if index + 1 < len(p["rounds"]) else None
                self.files[f"rounds/{rnd['id']}.yaml"] = self.round_yaml(rnd, nxt, last=nxt is None)
        for event in self.events:
            self.files[f"events/{event['id']}.yaml"] = self.event_yaml(event)

    def date_text(self, o: int, precision: str = "day") -> str:
        text = day(o)
        return text[:7] if precision == "month" else text[:4] if precision == "year" else text

    def dispute(self, indent: str, field: str | None, summary: str, versions: list[tuple[str, str | None]], sources: list[str]) -> str:
        r = self.rng
        out = f"{indent}- id: {slug(summary)[:50].strip('-')}\n"
        if field:
            out += f"{indent}  field: {field}\n"
        out += folded("summary", summary, indent + "  ")
        out += f"{indent}  versions:\n"
        for says, value in versions:
            out += f"{indent}    - says: {scalar(says)}\n"
            if value is not None:
                out += f"{indent}      value: {quoted(value)}\n"
            out += id_list("sources", r.sample(sources, min(len(sources), r.randint(1, 2))), indent + "      ")
        if r.random() < 0.5:
            out += folded("note", "The sources do not say which version is right; both are kept.", indent + "  ")
        return out

    def state_yaml(self, s: dict) -> str:
        out = f"id: {s['id']}\nname: {s['name']}\nkind: state\n"
        if self.rng.random() < 0.3:
            out += f"aliases: [Republic of {s['name']}]\n"
        out += f"country: {s['country']}\nwikidata: {s['wikidata']}\n"
        out += "description: Invented state, a party to synthetic peace talks generated for benchmarks.\n"
        return out

    def org_yaml(self, o: dict) -> str:
        out = f"id: {o['id']}\nname: {o['name']}\nkind: organisation\n"
        if o["alias"]:
            out += f"aliases: [{o['alias']}]\n"
        out += "description: An organisation acting as mediator in synthetic peace talks generated for benchmarks.\n"
        return out

    def person_yaml(self, person: Person) -> str:
        r = self.rng
        first_party = person.roles[0][1]
        out = f"id: {person.id}\nname: {person.name}\nkind: person\n"
        if person.aliases:
            out += f"aliases: [{', '.join(a if _FLOW_OK.match(a) else quoted(a) for a in person.aliases)}]\n"
        if person.wikidata:
            out += f"wikidata: {person.wikidata}\n"
        out += f"description: {scalar(f'Invented person, {person.roles[0][0].lower()} for {self.name_of(first_party)} in synthetic talks.')}\n"
        out += "roles:\n"
        sources = [s["id"] for s in self.sources[:50]]
        for title, party, start, end in sorted(person.roles, key=lambda x: x[2]):
            out += f"  - title: {title}\n    party: {party}\n"
            # a coarser date only widens the role, so the speakers stay valid
            roll = r.random()
            out += f"    start: {self.date_text(start, 'month' if roll < 0.25 else 'day')}{'~' if 0.25 <= roll < 0.3 else ''}\n"
            if end is not None:
                out += f"    end: {self.date_text(end, 'month' if r.random() < 0.25 else 'day')}\n"
            if r.random() < 0.6:
                out += f"    sources: [{r.choice(sources)}]\n"
            if r.random() < 0.1:
                out += folded("note", f"The sources give the title as {title.lower()}; the exact day of appointment is not printed.", "    ")
        return out

    def name_of(self, ident: str) -> str:
        for group in (self.states, self.orgs):
            for x in group:
                if x["id"] == ident:
                    return x["name"]
        return ident

    def issue_yaml(self, issue: dict) -> str:
        r = self.rng
        out = f"id: {issue['id']}\ntitle: {issue['title']}\n"
        topic = issue["title"].lower()
        out += folded("description", f"What the parties say about {topic}: the stances below are those actually voiced in the synthetic talks.", "")
        if issue["parent"]:
            out += f"parent: {issue['parent']}\n"
        out += "stances:\n"
        for ident, label in issue["stances"]:
            out += f"  - id: {ident}\n    label: {scalar(label)}\n"
            if r.random() < 0.85:
                out += folded("description", r.choice(STANCE_DESCRIPTIONS).format(label=label, lower=label.lower(), topic=topic), "    ")
        if issue["compatible"]:
            out += "compatible:\n" + "".join(f"  - {flow(g)}\n" for g in issue["compatible"])
        return out

    def source_yaml(self, src: dict) -> str:
        r = self.rng
        out = f"id: {src['id']}\n"
        roll = r.random()
        d = dt.date.fromordinal(src["date"])
        domain = slug(src["publisher"]).replace("-", "") + ".example"
        if roll < 0.05 and "archive" not in src:
            out += "title_status: none\n"
        else:
            out += f"title: {scalar(src['title'])}\n"
            if roll < 0.2:
                out += "title_status: from-url\n"
        out += f"publisher: {scalar(src['publisher'])}\n"
        if r.random() < 0.1:
            out += f"original_publisher: {r.choice(WIRES)}\n"
        low = r.random() < 0.05
        if low:
            out += "reliability: low\n"
        out += f"url: https://www.{domain}/{d.year}/{d.month:02d}/{d.day:02d}/{'-'.join(src['words'])}-{src['n']}\n"
        precision = r.random()
        out += f"published: {self.date_text(src['date'], 'month' if precision < 0.1 else 'day')}\n"
        out += "language: en\n"
        if "archive" in src:
            out += f"archive: {src['archive']}\n"
        if roll < 0.05 and "archive" not in src:
            out += folded("note", "No title was seen: the page was known only from a citation in another article.", "")
        elif low:
            out += folded("note", "An aggregator that republishes wire copy without attribution; used only where nothing better was found.", "")
        elif r.random() < 0.2:
            out += folded("note", "The page prints the date of its last update only; published is that date.", "")
        return out

    def archive_text(self, src: dict) -> str:
        r = self.rng
        lines = [src["title"], "", f"{src['publisher']} \u2014 {day(src['date'])}", ""]
        sentences = src["sentences"]
        i = 0
        while i < len(sentences):
            k = r.randint(3, 6)
            lines.append(wrap(" ".join(sentences[i: i + k]), "", 100))
            lines.append("")
            i += k
        lines.append("This article is synthetic text generated for benchmarks.")
        return "\n".join(lines) + "\n"

    def round_yaml(self, rnd: dict, nxt: dict | None, last: bool) -> str:
        r = self.rng
        p = rnd["process"]
        a, b, mediator = p["a"], p["b"], p["mediator"]
        start, end = rnd["start"], rnd["end"]
        d = dt.date.fromordinal(start)
        kind = r.choices(["talks", "summit", "meeting", "call"], (70, 10, 15, 5))[0]
        status = "held" if not (last and p["k"] == 0) else r.choice(["planned", "postponed"])
        agenda = r.sample(p["agenda_pool"], r.randint(3, 8))
        sources = self.near_sources(p, start, r.randint(3, 8))
        month = d.strftime("%B")
        title = f"{rnd['city']} talks, {month} {d.year}"
        out = f"id: {rnd['id']}\ntitle: {scalar(title)}\n"
        out += f"kind: {kind}\n"
        if status != "held":
            out += f"status: {status}\n"
        out += f"location: {scalar(rnd['city'] + ', ' + rnd['country'])}\n"
        if rnd["venue"] and r.random() < 0.7:
            out += f"venue: {scalar(rnd['venue'])}\n"
        out += f"start: {day(start)}\n"
        if end != start:
            out += f"end: {day(end)}\n"
        out += f"format: {r.choice(['bilateral', 'trilateral', 'trilateral', 'proximity', 'mixed'])}\n"
        out += f"mediators: [{mediator['id']}]\n"
        others = [s["id"] for s in self.states if s["id"] in self.offices and s is not a and s is not b and s is not mediator]
        if others and r.random() < 0.4:
            out += f"participants: {flow(r.sample(others, min(len(others), r.randint(1, 3))))}\n"
        out += "delegations:\n"
        for party in (a, b):  # the mediator is a third party, not a delegation
            present = self.holders_at(party["id"], start)
            if not present:
                continue
            out += f"  - party: {party['id']}\n"
            if r.random() < 0.9:
                out += f"    head: {present[0].id}\n"
            members = [x.id for x in present[1: 1 + r.randint(0, 3)]]
            if members:
                out += f"    members: {flow(members)}\n"
            out += id_list("sources", r.sample(sources, min(len(sources), r.randint(1, 3))), "    ")
            if r.random() < 0.25:
                out += folded("note", f"The sources name the head of the delegation and {len(members)} member(s); the rest of the team is not named.", "    ")
        out += id_list("agenda", agenda, "")
        event = self.event_before(p, start)
        if event and r.random() < 0.4:
            out += f"events: [{event['id']}]\n"
        out += "outcomes:\n"
        for k in range(r.randint(1, 3)):
            t = self.topic(r.choice(agenda))
            summary = self.text.fill(r.choice(OUTCOMES), t=t)
            out += f"  - id: outcome-{k + 1}\n" + folded("summary", summary, "    ")
            if k == 0 and nxt is not None and r.random() < 0.3:
                out += f"    next_round: {nxt['id']}\n"
            out += id_list("sources", r.sample(sources, min(len(sources), r.randint(1, 2))), "    ")
        out += id_list("sources", sources, "")
        if r.random() < 0.08 and len(sources) >= 2:
            out += "disputes:\n" + self.dispute("  ", "end", "How long the talks lasted.",
                                                [("Two days.", day(start + 1)), ("One day, with a short meeting the next morning.", day(start))], sources)
        if r.random() < 0.2:
            out += "not_found:\n  - The names of the delegations' technical experts.\n"
        out += folded("note", " ".join(self.text.fill(r.choice(ROUND_NOTES), t=self.topic(agenda[0]), t2=self.topic(agenda[-1]),
                                                     p=r.choice((a, b))["name"], src=sources[0]) for _ in range(r.randint(1, 4))), "")
        out += "statements:\n"
        seen: dict[str, None] = {}
        for _ in range(rnd["size"]):
            out += self.statement_yaml(rnd, agenda, sources, seen)
        return out

    def event_yaml(self, event: dict) -> str:
        r = self.rng
        p = event["process"]
        when = event["date"]
        names = {"plan": "peace plan", "memorandum": "memorandum", "framework": "framework", "agreement": "agreement",
                 "decision": "decision", "announcement": "announcement", "cancellation": "summit called off", "other": "initiative"}
        d = dt.date.fromordinal(when)
        title = f"{event['author']['name']} {names[event['kind']]} of {d.strftime('%B')} {d.year}"
        issues = r.sample(p["agenda_pool"], r.randint(2, 6))
        sources = self.near_sources(p, when, r.randint(2, 5))
        out = f"id: {event['id']}\ntitle: {scalar(title)}\nkind: {event['kind']}\n"
        out += f"date: {self.date_text(when, 'month' if r.random() < 0.3 else 'day')}\n"
        out += f"authors: [{event['author']['id']}]\n"
        article = "An" if names[event["kind"]][0] in "aeiou" else "A"
        out += folded("description", f"{article} {names[event['kind']]} put forward by {event['author']['name']} on {self.topic(issues[0])} "
                                     f"and {self.topic(issues[-1])}, as the sources report it; its full text was not published.", "")
        if event["kind"] != "cancellation":
            out += "provisions:\n"
            for k in range(r.randint(3, 10)):
                issue = r.choice(issues)
                summary = f"Point {k + 1}: " + self.text.fill(r.choice(CONDITIONS + OUTCOMES), t=self.topic(issue)).rstrip(".")
                out += f"  - id: point-{k + 1}\n" + folded("summary", summary[0].upper() + summary[1:] + ".", "    ")
                out += f"    issues: [{issue}]\n" + id_list("sources", r.sample(sources, min(len(sources), r.randint(1, 2))), "    ")
        out += id_list("issues", issues, "")
        before = self.event_before(p, when - 1)
        if before and r.random() < 0.5:
            out += f"related: [{before['id']}]\n"
        i = bisect.bisect_left(p["round_days"], when)
        nearby = [x["id"] for x in p["rounds"][i: i + 2] if x["start"] - when < 90]
        if nearby:
            out += f"rounds: {flow(nearby)}\n"
        out += id_list("sources", sources, "")
        if r.random() < 0.3:
            out += "not_found:\n  - The full text of the document.\n"
        if r.random() < 0.5:
            out += folded("note", "The points are given as the sources summarise them, in their order; several sources number them differently.", "")
        return out

    def statement_yaml(self, rnd: dict, agenda: list[str], round_sources: list[str], seen: dict[str, None]) -> str:
        r = self.rng
        p = rnd["process"]
        a, b, mediator = p["a"], p["b"], p["mediator"]
        # when: during the round mostly, sometimes in the days before or after
        roll = r.random()
        if roll < 0.8:
            true_day = r.randint(rnd["start"], rnd["end"])
        elif roll < 0.9:
            true_day = rnd["start"] - r.randint(1, 20)
        else:
            true_day = rnd["end"] + r.randint(1, 10)
        true_day = min(true_day, LAST_DAY)
        roll = r.random()
        if roll < 0.66:
            date = day(true_day)
        elif roll < 0.84:
            date = day(true_day)[:7]
        elif roll < 0.87:
            date = day(true_day) + "~"
        elif roll < 0.92:
            date = f"{day(true_day)}/{day(true_day + r.randint(1, 2))}"
        elif roll < 0.97:
            date = f"{day(true_day)}~/{day(true_day + 1)}~"
        elif roll < 0.99:
            date = day(true_day)[:7] + "~"
        else:
            date = day(true_day)[:4]
        party = r.choices((a, b, mediator), (40, 40, 20))[0]
        other = b if party is a else a
        present = self.holders_at(party["id"], true_day)
        speaker = r.choice(present) if present and r.random() < 0.85 else None
        holder = None
        if r.random() < 0.08 and party is not mediator:
            holder = other
            attribution = "reported"
        elif speaker is not None:
            attribution = "direct-quote" if r.random() < 0.7 else "paraphrase"
        else:
            attribution = r.choice(["paraphrase", "reported"])
        position_of = holder or party
        issues = r.sample(agenda, min(len(agenda), r.choices((1, 2, 3), (50, 35, 15))[0]))
        stances = {}
        for issue in issues:
            if r.random() < 0.7:
                key = (position_of["id"], issue)
                current = self.positions.get(key)
                if current is None or r.random() < 0.12:
                    current = self.positions[key] = r.choice(self.stance_ids[issue])
                stances[issue] = current
        who = speaker.surname if speaker else party["id"]
        words = [w for w in issues[0].split("-") if w not in ("status", "of")][:2]
        sid = f"{rnd['id']}-{slug(who)}-{'-'.join(words)}"[:76].strip("-")
        base, k = sid, 2
        while sid in seen:
            sid = f"{base}-{k}"
            k += 1
        seen[sid] = None
        out = f"\n  - id: {sid}\n    date: {date}\n"
        if speaker:
            out += f"    speaker: {speaker.id}\n"
        out += f"    party: {party['id']}\n"
        if holder:
            out += f"    holder: {holder['id']}\n"
        out += f"    attribution: {attribution}\n"
        out += f"    issues: {flow(issues)}\n"
        if stances:
            out += "    stances:\n" + "".join(f"      {i}: {s}\n" for i, s in stances.items())
        t = self.topic(issues[0])
        t2 = self.topic(issues[-1] if len(issues) > 1 else r.choice(agenda))
        cited = r.sample(round_sources, min(len(round_sources), r.randint(1, 3)))
        if attribution == "direct-quote" or (attribution != "paraphrase" and r.random() < 0.3):
            out += "    quotes:\n"
            for q in range(r.choices((1, 2, 3), (65, 28, 7))[0]):
                plain = [c for c in cited if c not in self.archived] or [x["id"] for x in p["sources"] if x["id"] not in self.archived][:1]
                archive = self.near_archive(p, true_day) if r.random() < 0.12 or not plain else None
                if archive is not None:
                    sentences = archive["sentences"]
                    i = r.randrange(len(sentences) - 2)
                    if r.random() < 0.3:
                        text = sentences[i] + " [...] " + sentences[i + 2]
                    else:
                        text = sentences[i]
                    # as typed into the record: straight quotes and apostrophes (the check treats them alike)
                    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
                    source = archive["id"]
                else:
                    text = self.text.fill(r.choice(QUOTES), t=t, o=other["name"])
                    if r.random() < 0.4:
                        text += " " + self.text.fill(r.choice(QUOTES), t=t2, o=other["name"])
                    source = plain[q % len(plain)]
                out += f"      - text: {quoted(text)}\n        source: {source}\n"
                if r.random() < 0.4:
                    out += "        translation: true\n"
                    if r.random() < 0.3:
                        out += f"        note: {r.choice(WIRES)} translation\n"
        s_name = speaker.name if speaker else f"The {party['name']} side"
        summary = self.text.fill(r.choice(SUMMARIES), s=s_name, p=party["name"], o=other["name"], t=t, t2=t2)
        if r.random() < 0.6:
            again = r.choice(("The delegation", f"The {party['name']} side")) if speaker is None else r.choice(("The delegation", speaker.surname))
            summary += " " + self.text.fill(r.choice(SUMMARIES), s=again, p=party["name"],
                                            o=other["name"], t=t2, t2=t)
        out += f"    summary: >-\n{wrap(summary, '      ')}\n"
        if r.random() < 0.3:
            out += f"    channel: {r.choice(CHANNELS)}\n"
        if r.random() < 0.05:
            event = self.event_before(p, true_day)
            if event:
                out += f"    refers_to: [{event['id']}]\n"
        out += id_list("sources", cited, "    ")
        if r.random() < 0.02 and len(round_sources) >= 2:
            out += "    disputes:\n" + self.dispute("      ", "date", "On which day the remark was made.",
                                                    [("On the first day of the talks.", None), ("The day after the talks ended.", None)], round_sources)
        if r.random() < 0.005:
            out += f"    retracted:\n      reason: The source withdrew the report.\n      date: {day(true_day + 30)}\n      sources: [{cited[0]}]\n"
        if r.random() < 0.3:
            note = r.choice([
                "The source does not say on which day the remark was made; the date is that of the talks.",
                f"Reported in the live blog of {r.choice(PUBLISHERS)}; the wording is the source's translation.",
                "Another outlet gives the same remark in a shorter form, without the second sentence.",
                "Said to reporters after the session, according to the delegation's press office.",
            ])
            out += folded("note", note, "    ")
        return out


def generate(statements: int, seed: int, out_dir: Path) -> dict:
    started = time.perf_counter()
    g = Generator(statements, seed)
    g.build()
    g.write_all()
    out_dir.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        (out_dir / kind).mkdir(exist_ok=True)
    total = 0
    digest = hashlib.sha256()
    for rel, text in sorted({**g.files, **g.archives}.items()):
        data = text.encode("utf-8")
        total += len(data)
        digest.update(rel.encode() + b"\0" + data)
        with open(out_dir / rel, "wb") as fh:
            fh.write(data)
    p0 = g.processes[0]
    mid = p0["rounds"][len(p0["rounds"]) // 2]
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "statements": statements,
        "seed": seed,
        "files": {kind: sum(1 for rel in g.files if rel.startswith(kind + "/")) for kind in KINDS},
        "archives": len(g.archives),
        "bytes": total,
        "sha256": digest.hexdigest(),
        "query": {"issue": "territory", "round": mid["id"], "diff": [p0["a"]["id"], p0["b"]["id"]]},
    }
    (out_dir / "benchmark.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return {**manifest, "seconds": round(time.perf_counter() - started, 2)}  # not in the file: same seed, same bytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic peacekb knowledge base for benchmarks.")
    parser.add_argument("out_dir", metavar="OUT_DIR", help="folder to write (it becomes the knowledge base: OUT_DIR/actors, ...)")
    parser.add_argument("--statements", type=int, default=1000, help="number of statements (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1): the same seed gives the same bytes")
    parser.add_argument("--force", action="store_true", help="replace the record folders of an existing OUT_DIR")
    args = parser.parse_args(argv)
    if args.statements < 1:
        parser.error("--statements must be at least 1")
    out = Path(args.out_dir)
    if out.exists() and not out.is_dir():
        print(f"generate.py: {out} exists and is not a folder", file=sys.stderr)
        return 2
    if out.exists() and any(out.iterdir()):
        if not args.force:
            print(f"generate.py: {out} is not empty; pass --force to replace its record folders", file=sys.stderr)
            return 2
        for kind in KINDS:
            shutil.rmtree(out / kind, ignore_errors=True)
        (out / "benchmark.json").unlink(missing_ok=True)
    manifest = generate(args.statements, args.seed, out)
    files = sum(manifest["files"].values()) + manifest["archives"]
    print(f"wrote {args.statements} statements in {files} files ({manifest['bytes'] / 1e6:.1f} MB) to {out} "
          f"in {manifest['seconds']:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
