"""A new knowledge base for another peace process: folders, one example of each record, the
editor schemas, a CI workflow, a pre-commit configuration and a README for contributors.

``plan(target)`` returns every file to create; ``create(target)`` refuses to touch anything that
exists and otherwise writes them all. The examples validate clean, so that a new repository
starts green and each example shows the fields in use; they are meant to be edited or deleted.
"""

from __future__ import annotations

from pathlib import Path

from peacekb import __version__
from peacekb.writing import write_atomic

ACTOR_A = """\
# An example actor: a state. Edit or delete; `peacekb new actor` makes more.
id: example-state-a
name: Example State A
kind: state
aliases: [State A]
"""

ACTOR_B = """\
id: example-state-b
name: Example State B
kind: state
"""

PERSON = """\
# A person speaks for a party while holding a role for it: give the role's dates as the
# sources give them (YYYY-MM-DD, YYYY-MM or YYYY).
id: example-negotiator
name: Example Negotiator
kind: person
roles:
  - title: Chief negotiator
    party: example-state-a
    start: 2026-01
    sources: [example-source]
"""

ISSUE = """\
# An issue and the stances a party can take on it; sub-issues name this one as `parent`.
id: example-issue
title: Example issue
description: What the parties negotiate about.
stances:
  - id: first-option
    label: First option
    description: One way to settle the issue.
  - id: second-option
    label: Second option
    description: Another way, incompatible with the first.
"""

ROUND = """\
# A round of talks and the statements made in connection with it.
id: example-round
title: Example talks, January 2026
kind: talks
location: Example City
start: 2026-01-20
end: 2026-01-21
format: bilateral
delegations:
  - party: example-state-a
    head: example-negotiator
  - party: example-state-b
agenda: [example-issue]
sources: [example-source]
statements:
  - id: example-round-negotiator-first-option
    date: 2026-01-21
    speaker: example-negotiator
    party: example-state-a
    attribution: direct-quote
    issues: [example-issue]
    stances:
      example-issue: first-option
    quotes:
      - text: "We want the first option, and nothing less."
        source: example-source
    summary: The negotiator said State A wants the first option.
    channel: press conference
"""

SOURCE = """\
# A source: the page facts and quotes come from. With `archive`, every quote attributed to it
# must appear verbatim in the archived text beside this file.
id: example-source
title: Example talks end with no agreement
publisher: Example News
url: https://example.org/news/example-talks
published: 2026-01-21
language: en
archive: example-source.txt
"""

ARCHIVE = """\
Example talks end with no agreement

The negotiator of State A told a press conference: "We want the first option, and nothing less."
"""

WORKFLOW = f"""\
# Validates the knowledge base on every pull request and push, and puts a pull request's
# changes in meaning in the job summary.
name: data

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install peacekb
        # the release this knowledge base was started with; raise it to take newer checks
        run: pip install "peacekb=={__version__}"
      - name: Validate the knowledge base
        run: peacekb validate --format github
      - name: Check the editor schemas are current
        if: always()
        run: peacekb schema --check
      - name: Summarise the changes in meaning
        if: always() && github.event_name == 'pull_request'
        env:
          BASE_REF: ${{{{ github.base_ref }}}}
        run: peacekb diff --rev "origin/$BASE_REF..HEAD" --format markdown >> "$GITHUB_STEP_SUMMARY"
"""

PRE_COMMIT = """\
# Runs peacekb's checks before each commit (https://pre-commit.com): `pre-commit install`.
# `language: system` uses the peacekb installed beside git (pip install peacekb).
repos:
  - repo: local
    hooks:
      - id: peacekb-validate
        name: peacekb validate
        entry: peacekb validate --color never
        language: system
        pass_filenames: false
        files: \\.(ya?ml|txt|md)$
"""

README = """\
# {name}

A knowledge base of the {name} peace process, kept as plain YAML and checked with peacekb
(the `peacekb` Python package).

## Contributing

1. `pip install peacekb` and, once, `pre-commit install` (optional: checks every commit).
2. Add what a source says:
   - a new page: `peacekb new source --title "..." --url https://... --publisher "..."`;
   - a new person or state: `peacekb new actor --name "..." --actor-kind person`;
   - a statement: `peacekb new statement --round ROUND --date YYYY-MM-DD --party PARTY
     --speaker PERSON --attribution direct-quote --takes ISSUE=STANCE --quote "..."
     --summary "..." --source SOURCE` (on a terminal, it asks for what is missing).
3. `peacekb validate` must be clean: every problem is shown at its file, line and column.
4. Open a pull request; CI annotates problems and summarises the change in meaning.

Rules: every fact true to a cited source; every quote exactly as the source prints it; nothing
from memory. A statement found wrong is marked `retracted` with the reason, never deleted. Where
sources disagree, keep every version in `disputes`, each with its sources.

## Layout

- `data/actors/`, `data/issues/`, `data/rounds/`, `data/events/`, `data/sources/`: one record per
  file, named by its id; a round's statements live in its file.
- `schemas/`: JSON Schemas for editors (`peacekb schema` rewrites them); `.vscode/settings.json`
  maps them for the YAML extension and leaves formatting to `peacekb fmt`; `.yamllint` agrees with fmt.

The files named `example-*` show every kind of record; edit or delete them.
"""


def plan(target: Path, name: str | None = None) -> dict[Path, str]:
    """Every file a new knowledge base starts with, by path."""
    from peacekb.schema import NAMES, files

    data = target / "data"
    planned = {
        data / "actors" / "example-state-a.yaml": ACTOR_A,
        data / "actors" / "example-state-b.yaml": ACTOR_B,
        data / "actors" / "example-negotiator.yaml": PERSON,
        data / "issues" / "example-issue.yaml": ISSUE,
        data / "rounds" / "example-round.yaml": ROUND,
        data / "sources" / "example-source.yaml": SOURCE,
        data / "sources" / "example-source.txt": ARCHIVE,
        data / "events" / ".gitkeep": "",
        target / ".github" / "workflows" / "data.yml": WORKFLOW,
        target / ".pre-commit-config.yaml": PRE_COMMIT,
        target / "README.md": README.format(name=name or target.resolve().name),
    }
    for file_name, text in files().items():
        planned[target / "schemas" / file_name] = text
    mapping = {f"./schemas/{NAMES[folder]}.schema.json": f"data/{folder}/*.yaml" for folder in NAMES}
    from peacekb.editor import YAMLLINT, vscode_settings

    planned[target / ".vscode" / "settings.json"] = vscode_settings(mapping)
    planned[target / ".yamllint"] = YAMLLINT
    return planned


def create(target: Path, name: str | None = None) -> list[Path]:
    """Write a new knowledge base into ``target``; raise FileExistsError naming what exists."""
    planned = plan(target, name)
    existing = [p for p in planned if p.exists()]
    if existing:
        raise FileExistsError(", ".join(str(p) for p in existing))
    for path, text in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    return list(planned)
