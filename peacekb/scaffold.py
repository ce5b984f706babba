"""A new knowledge base for another peace process: folders, one example of each record, the
editor schemas, a CI workflow, a workflow that publishes the site on GitHub Pages, a pre-commit configuration and a README for contributors.

The peacekb it uses is named once, in its `requirements.txt` (by default this repository at this
version's tag): the workflow and the README install from that file, and the pre-commit hook comes
from the same repository and tag, installed by pre-commit into an environment of its own.

``plan(target)`` returns every file to create; ``create(target)`` refuses to touch anything that
exists and otherwise writes them all. The examples validate clean, so that a new repository
starts green and each example shows the fields in use; they are meant to be edited or deleted.
"""

from __future__ import annotations

import re
from pathlib import Path

from peacekb import REPOSITORY, __version__
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

REQUIREMENTS = """\
# The peacekb that checks this knowledge base. CI and contributors install it from this line
# (`pip install -r requirements.txt`); raise the tag to take newer checks.
{spec}
"""

WORKFLOW = """\
# Validates the knowledge base on every pull request and push, and puts a pull request's
# changes in meaning in the job summary.
name: data

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

# a newer push to a pull request stops the run it makes obsolete
concurrency:
  group: ${{ github.workflow }}-${{ github.ref }}
  cancel-in-progress: ${{ github.event_name == 'pull_request' }}

jobs:
  validate:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v7
        with:
          fetch-depth: 0  # the whole history: `diff --rev` reads the base branch
          persist-credentials: false
      - uses: actions/setup-python@v7
        with:
          python-version: "3.12"
          cache: pip
          cache-dependency-path: requirements.txt
      - name: Install peacekb
        id: install
        run: pip install -r requirements.txt
      - name: Validate the knowledge base
        run: peacekb validate --format github
      - name: Check the editor schemas are current
        if: ${{ !cancelled() && steps.install.outcome == 'success' }}
        run: peacekb schema --check
      - name: Check the files are canonically laid out
        if: ${{ !cancelled() && steps.install.outcome == 'success' }}
        run: peacekb fmt --check
      - name: Summarise the changes in meaning
        if: ${{ !cancelled() && steps.install.outcome == 'success' && github.event_name == 'pull_request' }}
        env:
          BASE_REF: ${{ github.base_ref }}
        run: peacekb diff --rev "origin/$BASE_REF..HEAD" --job-summary
"""

SITE_WORKFLOW = """\
# Publishes the knowledge base as a static website on GitHub Pages on every push to main
# (`peacekb site`). Turn Pages on first: Settings > Pages > Source: GitHub Actions.
name: site

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read

# one publication at a time; a newer push waits for the one under way rather than cut it short
concurrency:
  group: ${{ github.workflow }}-${{ github.ref }}
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v7
        with:
          persist-credentials: false
      - uses: actions/setup-python@v7
        with:
          python-version: "3.12"
          cache: pip
          cache-dependency-path: requirements.txt
      - name: Install peacekb
        run: pip install -r requirements.txt
      - id: pages
        uses: actions/configure-pages@v6
      - name: Build the site
        env:
          BASE_URL: ${{ steps.pages.outputs.base_url }}
        run: peacekb site _site --base-url "$BASE_URL/"
      - uses: actions/upload-pages-artifact@v5
        with:
          path: _site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v5
"""

PRE_COMMIT = """\
# Runs peacekb's checks before each commit (https://pre-commit.com): `pre-commit install`.
# pre-commit installs peacekb from this repository at this tag into an environment of its own.
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: peacekb-validate
"""

README = """\
# {name}

A knowledge base of the {name} peace process, kept as plain YAML and checked with peacekb
(the `peacekb` Python package).

## Contributing

1. Install peacekb from `requirements.txt`, as CI does, in a virtual environment:
   `python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt`.
   Optionally, `pip install pre-commit && pre-commit install` checks every commit (pre-commit
   installs the same peacekb into an environment of its own).
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
- `requirements.txt`: the peacekb that checks this knowledge base (raise its tag for newer checks).
- `schemas/`: JSON Schemas for editors (`peacekb schema` rewrites them); `.vscode/settings.json`
  maps them for the YAML extension and leaves formatting to `peacekb fmt`; `.yamllint` agrees with fmt.

The files named `example-*` show every kind of record; edit or delete them.
"""


def default_spec() -> str:
    """The peacekb a new knowledge base installs: this repository at this version's tag."""
    return f"peacekb @ git+{REPOSITORY}@v{__version__}"


def check_spec(spec: str) -> str | None:
    """Why ``spec`` cannot be a requirement line, or None when it can (a version, a git URL, a path)."""
    if not spec.strip():
        return "it is empty"
    if any(ord(c) < 32 or c == "\x7f" for c in spec):
        return "it must be one line of printable characters"
    if spec.strip().startswith("-"):
        return "it is a pip option, not a requirement: give a version (peacekb==0.2.0), a git URL or a path"
    return None


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+.:/_~%@-]*")  # written into YAML unquoted


def hook_source(spec: str) -> tuple[str, str]:
    """(repository, rev) of the pre-commit hook: the git repository and revision that ``spec``
    installs from (`peacekb @ git+URL@REV`), else this repository at this version's tag."""
    _, at, location = spec.partition("@ git+")
    if at:
        url, sep, rev = location.strip().rpartition("@")
        if sep and _PLAIN.fullmatch(url) and _PLAIN.fullmatch(rev) and "/" not in rev:
            return url, rev
    return REPOSITORY, f"v{__version__}"


def plan(target: Path, name: str | None = None, spec: str | None = None) -> dict[Path, str]:
    """Every file a new knowledge base starts with, by path; ``spec`` is the peacekb it installs
    (a requirement line: default :func:`default_spec`)."""
    from peacekb.schema import NAMES, files

    spec = (spec or default_spec()).strip()
    repo, rev = hook_source(spec)

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
        target / "requirements.txt": REQUIREMENTS.format(spec=spec),
        target / ".gitignore": ".venv/\n__pycache__/\n",
        target / ".github" / "workflows" / "data.yml": WORKFLOW,
        target / ".github" / "workflows" / "site.yml": SITE_WORKFLOW,
        target / ".pre-commit-config.yaml": PRE_COMMIT.format(repo=repo, rev=rev),
        target / "README.md": README.format(name=name or target.resolve().name),
    }
    for file_name, text in files().items():
        planned[target / "schemas" / file_name] = text
    mapping = {f"./schemas/{NAMES[folder]}.schema.json": f"data/{folder}/*.yaml" for folder in NAMES}
    from peacekb.editor import YAMLLINT, vscode_settings

    planned[target / ".vscode" / "settings.json"] = vscode_settings(mapping)
    planned[target / ".yamllint"] = YAMLLINT
    return planned


def create(target: Path, name: str | None = None, spec: str | None = None) -> list[Path]:
    """Write a new knowledge base into ``target``; raise FileExistsError naming what exists."""
    planned = plan(target, name, spec)
    existing = [p for p in planned if p.exists()]
    if existing:
        raise FileExistsError(", ".join(str(p) for p in existing))
    for path, text in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    return list(planned)
