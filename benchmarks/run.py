#!/usr/bin/env python3
"""Time peacekb on synthetic knowledge bases, beside the floor (a bare parse) and its peers.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--repeat 5] [--work DIR] [--json FILE]

For each size it generates a knowledge base once (benchmarks/generate.py, kept in the work folder
by size and seed), then times, as subprocesses on the same files, each step: `peacekb
validate` cold, warm and after one file changed; `positions`, `round`, `diff`, `matrix`, `search`;
`export sqlite`; `site`; `peacekb --help`; the bare parse of every file with yaml_rs (the floor); `check-jsonschema` against the
schemas from `peacekb schema --out`; and `yamllint`. It prints, per size, the median, minimum and
maximum wall time, statements per second, peak memory, the ratios the targets are stated in, and
the targets with PASS or FAIL. Steps whose tool is missing are reported as "not installed".

Wall time is measured around each subprocess; peak memory is the maximum resident set size of
that run alone (the command and the processes it waited for), from GNU time's %M where
/usr/bin/time exists, else from os.wait4.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
KINDS = ("actors", "issues", "rounds", "events", "sources")
SCHEMA_OF = {"actors": "actor", "issues": "issue", "rounds": "round", "events": "event", "sources": "source"}
YAMLLINT_CONFIG = "{extends: default, rules: {line-length: disable}}"
LABEL = 62  # width of the step column
ARG_BYTES = 512 * 1024  # file arguments per check-jsonschema call, well under ARG_MAX

sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (benchmarks/generate.py)

FLOOR = r"""
import sys, pathlib
import yaml_rs
try:
    options = {"parse_datetime": False, "alias_limits": yaml_rs.AliasLimits(max_alias_expansions_per_anchor=0)}
    yaml_rs.loads("a: 1", **options)
except (AttributeError, TypeError):  # an older or newer yaml_rs without these options
    options = {}
root = pathlib.Path(sys.argv[1])
for kind in ("actors", "issues", "rounds", "events", "sources"):
    for path in sorted((root / kind).glob("*.yaml")):
        yaml_rs.loads(path.read_text(encoding="utf-8"), **options)
"""


# --- measuring ------------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_kb: int
    exit_code: int


@dataclass
class Step:
    key: str
    label: str
    runs: list[Run] = field(default_factory=list)
    status: str = "ok"  # ok | not installed | skipped | failed
    note: str = ""
    per_statement: bool = False  # statements/s is meaningful
    command: list[str] = field(default_factory=list)

    @property
    def times(self) -> list[float]:
        return [r.seconds for r in self.runs]

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.runs else None

    @property
    def peak_mb(self) -> float | None:
        return max(r.peak_kb for r in self.runs) / 1024 if self.runs else None

    def to_dict(self, statements: int) -> dict:
        data = {"label": self.label, "status": self.status, "note": self.note, "command": self.command}
        if self.runs:
            data.update(
                median_s=round(self.median, 4), min_s=round(min(self.times), 4), max_s=round(max(self.times), 4),
                runs_s=[round(t, 4) for t in self.times], peak_mb=round(self.peak_mb, 1),
                exit_codes=sorted({r.exit_code for r in self.runs}),
                statements_per_s=round(statements / self.median) if self.per_statement and self.median else None,
            )
        return data


class Timeout(Exception):
    pass


# GNU time, when present, starts the measured command: its %M is the maximum RSS of a child forked from a
# process of 2 MB. Without it the runner forks the command itself, and Linux then counts the runner's own
# resident size at the fork in the child's maximum (the copied address space is its high-water mark until
# exec); the runner keeps small (generation runs in a subprocess) so that this floor stays low.
GNU_TIME: str | None = None


def find_gnu_time() -> str | None:
    path = shutil.which("time", path="/usr/bin:/bin")
    if not path:
        return None
    with tempfile.NamedTemporaryFile("r") as out:
        try:
            done = subprocess.run([path, "-f", "%M", "-o", out.name, "true"], capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        text = out.read().strip().splitlines()
    return path if done.returncode == 0 and text and text[-1].isdigit() else None


def measure(cmd: list[str], env: dict[str, str], timeout: float, cwd: Path | None = None) -> tuple[Run, str]:
    """Run ``cmd`` once: wall time, peak RSS of the child (KB), exit code, and the tail of its stderr."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r", prefix="maxrss-") as rss:
        launch = [GNU_TIME, "-f", "%M", "-o", rss.name, *cmd] if GNU_TIME else cmd
        started = time.perf_counter()
        proc = subprocess.Popen(launch, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env,
                                cwd=cwd, start_new_session=True)
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the group of the process started here, and nothing else
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
        # GNU time writes "Command exited with non-zero status N" before the figure when the command fails
        lines = rss.read().split()
    if expired.is_set():
        raise Timeout(f"killed after {timeout:.0f} s")
    if GNU_TIME and lines and lines[-1].isdigit():
        peak = int(lines[-1])
    else:
        peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss  # bytes on macOS, KB on Linux
    return Run(seconds, peak, proc.returncode), tail


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else ""


# --- the machine and the tools ----------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def capture(cmd: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return -1, str(exc)
    return done.returncode, done.stdout + done.stderr


def find_tool(name: str, bin_dir: Path) -> str | None:
    """A tool next to peacekb (the same virtual environment) first, else on PATH."""
    candidate = bin_dir / name
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    return shutil.which(name)


@dataclass
class Tools:
    peacekb: str
    python: str
    check_jsonschema: str | None
    yamllint: str | None
    yaml_rs: bool
    no_cache: bool
    peacekb_version: str
    python_version: str


def discover(peacekb: str | None, env: dict[str, str]) -> Tools:
    if peacekb:
        exe = shutil.which(peacekb) or (peacekb if Path(peacekb).is_file() else None)
    else:
        exe = find_tool("peacekb", REPO / ".venv" / "bin") or shutil.which("peacekb")
    if not exe and peacekb:
        raise SystemExit(f"run.py: --peacekb {peacekb}: no such executable")
    if not exe:
        raise SystemExit("run.py: peacekb is not installed: create the venv (python3 -m venv .venv && .venv/bin/pip install -e .) "
                         "or pass --peacekb PATH")
    bin_dir = Path(exe).parent  # not resolved: a venv's python is a symlink, and so may be its scripts' folder
    python = str(bin_dir / "python") if (bin_dir / "python").exists() else sys.executable
    code, text = capture([exe, "validate", "--help"], env)
    if code != 0:
        raise SystemExit(f"run.py: `{exe} validate --help` failed (exit {code}): {last_line(text)}")
    no_cache = "--no-cache" in re.sub(r"\x1b\[[0-9;]*m", "", text)
    _, version = capture([exe, "--version"], env)
    yaml_rs_ok = capture([python, "-c", "import yaml_rs"], env)[0] == 0
    _, py_version = capture([python, "-c", "import sys; print(sys.version.split()[0])"], env)
    return Tools(exe, python, find_tool("check-jsonschema", bin_dir), find_tool("yamllint", bin_dir), yaml_rs_ok, no_cache,
                 version.strip().removeprefix("peacekb ") or "?", py_version.strip())


def machine(tools: Tools) -> dict:
    cores = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    mem = memory_gb()
    return {"cpu": cpu_model(), "cores": cores, "usable_cores": usable, "memory_gb": round(mem, 1) if mem else None,
            "os": f"{platform.system()} {platform.release()} {platform.machine()}", "python": tools.python_version,
            "peacekb": tools.peacekb_version, "no_cache_option": tools.no_cache,
            "peak_memory": "GNU time %M" if GNU_TIME else "os.wait4 ru_maxrss (includes the runner's size at fork)"}


def machine_line(m: dict) -> str:
    cores = f"{m['cores']} cores" + (f" ({m['usable_cores']} usable)" if m["usable_cores"] != m["cores"] else "")
    mem = f", {m['memory_gb']:.0f} GB RAM" if m["memory_gb"] else ""
    return f"machine: {m['cpu']}, {cores}{mem}, {m['os']}; Python {m['python']}; peacekb {m['peacekb']}"


# --- knowledge bases ------------------------------------------------------------------------------------


def kb_digest(root: Path) -> str:
    """The same digest as generate.py writes into benchmark.json: record files and archives, by path."""
    digest = hashlib.sha256()
    paths = sorted(p for kind in KINDS for p in (root / kind).iterdir() if p.is_file())
    for path in sorted(paths, key=lambda p: f"{p.parent.name}/{p.name}"):
        digest.update(f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def ensure_kb(work: Path, size: int, seed: int, regenerate: bool, python: str) -> tuple[Path, dict, float | None]:
    """The knowledge base of this size and seed in the work folder, generated when missing or stale."""
    root = work / f"kb-{size}-seed{seed}"
    manifest_path = root / "benchmark.json"
    if manifest_path.exists() and not regenerate:
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            if manifest.get("generator_version") == generate.GENERATOR_VERSION and kb_digest(root) == manifest.get("sha256"):
                return root, manifest, None
            print(f"  {root.name}: stale or changed; generating again", file=sys.stderr)
        except (OSError, ValueError):
            pass
    if root.exists():
        shutil.rmtree(root)
    # in a subprocess, so that the runner does not keep the generator's memory (see GNU_TIME)
    started = time.perf_counter()
    done = subprocess.run([python, str(HERE / "generate.py"), "--statements", str(size), "--seed", str(seed), str(root)],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"run.py: generating {size} statements failed (exit {done.returncode}): {last_line(done.stderr)}")
    return root, json.loads(manifest_path.read_text(encoding="utf-8")), seconds


def query_commands(root: Path, q: dict) -> list[tuple[str, str, list[str]]]:
    """(key, label, arguments) of every query command, on names the generated knowledge base has:
    the issue, round and parties the generator names, its busiest speaker, its first round."""
    speakers: dict[str, int] = {}
    starts: list[tuple[str, str]] = []
    for path in sorted((root / "rounds").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"^\s*speaker: (\S+)$", text, re.M):
            speakers[name] = speakers.get(name, 0) + 1
        start = re.search(r"^start: '?([0-9-]+)", text, re.M)
        if start:
            starts.append((start.group(1), path.stem))
    person = max(speakers, key=lambda name: (speakers[name], name)) if speakers else q["diff"][0]
    first = min(starts)[1] if starts else q["round"]
    a, b = q["diff"]
    return [
        ("positions", f"positions {q['issue']}", ["positions", q["issue"]]),
        ("round", f"round {q['round']}", ["round", q["round"]]),
        ("diff", f"diff {a} {b}", ["diff", a, b]),
        ("matrix", "matrix", ["matrix"]),
        ("statements-text", "statements --text ceasefire", ["statements", "--text", "ceasefire"]),
        ("statements-actor", f"statements --actor {person}", ["statements", "--actor", person]),
        ("actor", f"actor {person}", ["actor", person]),
        ("timeline", f"timeline {a}", ["timeline", a]),
        ("rounds", "rounds", ["rounds"]),
        ("actors", "actors", ["actors"]),
        ("issues", "issues", ["issues"]),
        ("issue", f"issue {q['issue']}", ["issue", q["issue"]]),
        ("diff-rounds", f"diff --from {first} --to {q['round']}", ["diff", "--from", first, "--to", q["round"]]),
        ("changes", f"changes --since {q['round']}", ["changes", "--since", q["round"]]),
        ("search", "search ceasefire guarantees", ["search", "ceasefire", "guarantees", "--limit", "20"]),
        ("sources", "sources", ["sources"]),
        ("events", "events", ["events"]),
    ]


def record_files(root: Path) -> dict[str, list[Path]]:
    return {kind: sorted((root / kind).glob("*.yaml")) for kind in KINDS}


def warm_os_cache(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            path.read_bytes()


# --- one size ---------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, tools: Tools, env: dict[str, str], work: Path) -> None:
        self.args, self.tools, self.env, self.work = args, tools, env, work

    def env_with(self, cache: Path) -> dict[str, str]:
        return {**self.env, "XDG_CACHE_HOME": str(cache)}

    def repeat(self, step: Step, cmd: list[str] | list[list[str]], env: dict[str, str], before=None, after=None,
               expect: tuple[int, ...] = (0,)) -> None:
        """Time ``cmd`` (or a sequence of commands counted as one run) up to --repeat times, within --budget."""
        sequence = cmd if cmd and isinstance(cmd[0], list) else [cmd]
        step.command = [" ".join(c) if len(" ".join(c)) < 300 else " ".join(c[:8]) + f" ... ({len(c) - 8} more)" for c in sequence]
        spent = 0.0
        for index in range(self.args.repeat):
            if before:
                before(index)
            total, peak, code, tail = 0.0, 0, 0, ""
            try:
                for c in sequence:
                    run, tail_one = measure(c, env if not callable(env) else env(index), self.args.timeout)
                    total += run.seconds
                    peak = max(peak, run.peak_kb)
                    if run.exit_code not in expect:
                        code, tail = run.exit_code, tail_one
                    elif code == 0:
                        code = run.exit_code
            except Timeout as exc:
                step.status, step.note = "failed", str(exc)
                break
            except OSError as exc:
                step.status, step.note = "failed", f"cannot run: {exc}"
                break
            finally:
                if after:
                    after(index)
            step.runs.append(Run(total, peak, code))
            if code not in expect:
                step.note = f"exit {code}: {last_line(tail)}"
            spent += total
            print(f"    {step.label}: run {index + 1}: {total:.3f} s", file=sys.stderr)
            if spent > self.args.budget and index + 1 < self.args.repeat:
                step.note = (step.note + "; " if step.note else "") + f"{index + 1} run(s): --budget {self.args.budget:.0f} s reached"
                break

    def run_size(self, size: int) -> dict:
        args, tools = self.args, self.tools
        print(f"\n== {size:,} statements ==", file=sys.stderr)
        root, manifest, gen_seconds = ensure_kb(self.work, size, args.seed, args.regenerate, sys.executable)
        files = record_files(root)
        n_files = sum(len(v) for v in files.values())
        warm_os_cache(root)
        pk = tools.peacekb
        data = ["--data", str(root)]
        q = manifest["query"]
        skip = set(args.skip)
        steps: list[Step] = []

        def add(key: str, label: str, per_statement: bool = False) -> Step | None:
            step = Step(key, label, per_statement=per_statement)
            steps.append(step)
            if key in skip:
                step.status = "skipped"
                return None
            print(f"  {label}", file=sys.stderr)
            return step

        # --help and --version, beside the import of typer alone (their floor)
        if step := add("help", "peacekb --help"):
            self.repeat(step, [pk, "--help"], self.env)
        if step := add("version", "peacekb --version"):
            self.repeat(step, [pk, "--version"], self.env)
        if step := add("import-typer", "python -c 'import typer' (floor of --help)"):
            self.repeat(step, [tools.python, "-c", "import typer"], self.env)

        # the floor: parse every file with yaml_rs, nothing else
        if step := add("parse", "bare parse (yaml_rs, floor)", True):
            if tools.yaml_rs:
                self.repeat(step, [tools.python, "-c", FLOOR, str(root)], self.env)
            else:
                step.status = "not installed"
                step.note = f"yaml_rs cannot be imported by {tools.python}"

        cache_root = self.work / "cache"
        cache_root.mkdir(exist_ok=True)
        no_cache = ["--no-cache"] if tools.no_cache else []

        # validate cold: no cache (--no-cache where peacekb has it) and an empty cache folder each run
        if step := add("validate-cold", "validate cold", True):
            fresh: list[Path] = []

            def cold_env(index: int) -> dict[str, str]:
                return self.env_with(fresh[-1])

            def make(index: int) -> None:
                fresh.append(Path(tempfile.mkdtemp(prefix="cold-", dir=cache_root)))

            def drop(index: int) -> None:
                shutil.rmtree(fresh[-1], ignore_errors=True)

            self.repeat(step, [pk, "validate", *data, *no_cache], cold_env, before=make, after=drop)
            if not tools.no_cache:
                step.note = (step.note + "; " if step.note else "") + "no --no-cache: empty XDG_CACHE_HOME"

        # validate cold with 300 problems planted (an unknown speaker in each of 300 round files, or in
        # every one when there are fewer): locating problems must cost about as much as finding them
        if step := add("validate-problems", "validate cold, 300 problems", True):
            planted = self.work / f"kb-{size}-seed{args.seed}-problems"
            shutil.rmtree(planted, ignore_errors=True)
            shutil.copytree(root, planted)
            count = 0
            for path in sorted((planted / "rounds").glob("*.yaml"))[:300]:
                text = path.read_text(encoding="utf-8")
                changed = re.sub(r"^(\s*speaker: )(\S+)$", r"\1nobody-\2", text, count=1, flags=re.M)
                if changed != text:
                    path.write_text(changed, encoding="utf-8")
                    count += 1
            fresh_problems: list[Path] = []
            self.repeat(step, [pk, "validate", "--data", str(planted), *no_cache],
                        lambda index: self.env_with(fresh_problems[-1]),
                        before=lambda index: fresh_problems.append(Path(tempfile.mkdtemp(prefix="cold-", dir=cache_root))),
                        after=lambda index: shutil.rmtree(fresh_problems[-1], ignore_errors=True), expect=(1,))
            step.note = f"{count} files with a problem"
            shutil.rmtree(planted, ignore_errors=True)

        warm = cache_root / f"warm-{size}-seed{args.seed}"
        shutil.rmtree(warm, ignore_errors=True)
        warm.mkdir()
        warm_env = self.env_with(warm)

        def prime(cmd: list[str]) -> None:
            try:
                measure(cmd, warm_env, args.timeout)
            except Timeout:
                pass

        if step := add("validate-warm", "validate warm", True):
            prime([pk, "validate", *data])
            self.repeat(step, [pk, "validate", *data], warm_env)

        # validate after one file changed: a comment appended to one round file before each run
        if step := add("validate-changed", "validate, 1 file changed", True):
            target = files["rounds"][len(files["rounds"]) // 2]
            original = target.read_bytes()
            prime([pk, "validate", *data])

            def edit(index: int) -> None:
                target.write_bytes(original + f"# benchmark edit {index + 1}\n".encode())

            try:
                self.repeat(step, [pk, "validate", *data], warm_env, before=edit)
            finally:
                target.write_bytes(original)
            step.note = (step.note + "; " if step.note else "") + f"edited {target.parent.name}/{target.name}"

        # validate after one file added: a copy of an actor under a new id, removed (and validated
        # again, untimed) after each run
        if step := add("validate-added", "validate, 1 file added", True):
            model = files["actors"][0]
            added: list[Path] = []

            def plant(index: int) -> None:
                ident = f"benchmark-added-{index + 1}"
                text = re.sub(r"^id: .*$", f"id: {ident}", model.read_text(encoding="utf-8"), count=1, flags=re.M)
                added.append(model.with_name(ident + ".yaml"))
                added[-1].write_text(text, encoding="utf-8")

            def unplant(index: int) -> None:
                added[-1].unlink(missing_ok=True)
                prime([pk, "validate", *data])

            prime([pk, "validate", *data])
            self.repeat(step, [pk, "validate", *data], warm_env, before=plant, after=unplant, expect=(0, 1))

        # validate after one file removed: a copy of an actor under a new id, added and validated
        # (untimed) before each run, then removed
        if step := add("validate-removed", "validate, 1 file removed", True):
            model = files["actors"][0]
            gone = model.with_name("benchmark-removed.yaml")

            def plant_and_remove(index: int) -> None:
                gone.write_text(re.sub(r"^id: .*$", "id: benchmark-removed", model.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
                prime([pk, "validate", *data])
                gone.unlink()

            try:
                self.repeat(step, [pk, "validate", *data], warm_env, before=plant_and_remove, expect=(0, 1))
            finally:
                gone.unlink(missing_ok=True)

        # every query command, warm, in text (as people read it) and json (as scripts do)
        for key, label, words in query_commands(root, q):
            for fmt in ("text", "json"):
                if step := add(f"{key}-{fmt}", f"{label} -f {fmt} (warm)"):
                    cmd = [pk, *words, "-f", fmt, *data]
                    prime(cmd)
                    self.repeat(step, cmd, warm_env, expect=(0, 1))

        # export sqlite: the whole knowledge base, its tables, positions and full-text index, to one file
        if step := add("export-sqlite", "export sqlite (warm)", True):
            out = self.work / f"export-{size}.db"
            cmd = [pk, "export", "sqlite", str(out), "--force", *data]
            prime(cmd)
            self.repeat(step, cmd, warm_env)
            for stale in (out, out.with_name(f"{out.stem}.metadata.json")):
                stale.unlink(missing_ok=True)

        # the static site: every page, chart and the search index, written to a folder (replaced each run)
        if step := add("site", "site (warm)", True):
            out = self.work / f"site-{size}"
            cmd = [pk, "site", str(out), *data]
            prime(cmd)
            self.repeat(step, cmd, warm_env)
            shutil.rmtree(out, ignore_errors=True)

        # peers: check-jsonschema with the exported schemas, yamllint
        if step := add("check-jsonschema", "check-jsonschema (5 schemas)", True):
            if not tools.check_jsonschema:
                step.status = "not installed"
                step.note = "pip install check-jsonschema (or '.[bench]')"
            else:
                schemas = self.work / "schemas"
                code, text = capture([pk, "schema", "--out", str(schemas)], self.env)
                if code != 0:
                    step.status, step.note = "failed", f"`peacekb schema --out` exit {code}: {last_line(text)}"
                else:
                    cmds = []
                    for kind, paths in files.items():
                        schema = schemas / f"{SCHEMA_OF[kind]}.schema.json"
                        chunk: list[str] = []
                        for path in paths:
                            chunk.append(str(path))
                            if sum(len(c) + 1 for c in chunk) > ARG_BYTES:
                                cmds.append([tools.check_jsonschema, "--schemafile", str(schema), *chunk])
                                chunk = []
                        if chunk:
                            cmds.append([tools.check_jsonschema, "--schemafile", str(schema), *chunk])
                    self.repeat(step, cmds, self.env)
        if step := add("yamllint", "yamllint (default, line-length off)", True):
            if not tools.yamllint:
                step.status = "not installed"
                step.note = "pip install yamllint (or '.[bench]')"
            else:
                self.repeat(step, [tools.yamllint, "-f", "parsable", "-d", YAMLLINT_CONFIG, str(root)], self.env, expect=(0, 1))

        shutil.rmtree(warm, ignore_errors=True)
        result = {
            "statements": size, "seed": args.seed, "folder": str(root), "files": n_files,
            "archives": manifest.get("archives"), "bytes": manifest.get("bytes"),
            "generate_s": round(gen_seconds, 2) if gen_seconds is not None else None,
            "steps": {s.key: s.to_dict(size) for s in steps},
        }
        result["ratios"] = ratios(result["steps"])
        result["targets"] = targets(size, result["steps"], result["ratios"])
        self.print_table(result, steps)
        return result

    def print_table(self, result: dict, steps: list[Step]) -> None:
        size = result["statements"]
        gen = f"generated in {result['generate_s']:.1f} s" if result["generate_s"] is not None else "generated earlier (cached)"
        print(f"\npeacekb benchmark: {size:,} statements (seed {result['seed']}), {result['files']:,} record files "
              f"+ {result['archives']} archives, {result['bytes'] / 1e6:.1f} MB; {gen}")
        print(machine_line(self.machine))
        cold_how = "--no-cache and an empty XDG_CACHE_HOME" if self.tools.no_cache else "an empty XDG_CACHE_HOME (peacekb has no --no-cache yet)"
        print(f"cold = {cold_how} per run; warm = the same cache, primed by one untimed run; OS file cache warm throughout; "
              f"peak memory by {self.machine['peak_memory']}")
        parse = result["steps"].get("parse", {}).get("median_s")
        header = f" {'step':<{LABEL}} {'median s':>9} {'min s':>8} {'max s':>8} {'n':>2} {'stmts/s':>9} {'peak MB':>8} {'x parse':>7}  note"
        print(header)
        print(" " + "-" * (len(header) + 8))
        for s in steps:
            d = result["steps"][s.key]
            if s.status in ("not installed", "skipped") or not s.runs:
                print(f" {s.label:<{LABEL}} {s.status}" + (f": {s.note}" if s.note else ""))
                continue
            rate = f"{d['statements_per_s']:,}" if d.get("statements_per_s") else ""
            over = f"{d['median_s'] / parse:.2f}x" if parse and s.key != "parse" else ""
            print(f" {s.label:<{LABEL}} {d['median_s']:>9.3f} {d['min_s']:>8.3f} {d['max_s']:>8.3f} {len(s.runs):>2} {rate:>9} "
                  f"{d['peak_mb']:>8.0f} {over:>7}  {s.note}")
        r = result["ratios"]
        parts = []
        if r.get("cold_validate_over_parse") is not None:
            parts.append(f"cold validate / bare parse = {r['cold_validate_over_parse']:.2f}x")
        if r.get("check_jsonschema_over_cold_validate") is not None:
            parts.append(f"check-jsonschema / cold validate = {r['check_jsonschema_over_cold_validate']:.1f}x")
        if r.get("yamllint_over_cold_validate") is not None:
            parts.append(f"yamllint / cold validate = {r['yamllint_over_cold_validate']:.1f}x")
        if r.get("help_over_import_typer_s") is not None:
            parts.append(f"--help - import typer = {r['help_over_import_typer_s']:+.3f} s")
        print("ratios: " + ("; ".join(parts) if parts else "not available"))
        print("targets:" if result["targets"] else "targets: none stated at this size")
        for t in result["targets"]:
            print(f"  {t['verdict']:<5} {t['target']:<62} {t['measured']}")


def markdown_table(results: list[dict]) -> str:
    """Every step as a row, a column per size: the median in seconds, its ratio to the bare parse of
    that size, and the peak memory; then the targets that failed."""
    labels: dict[str, str] = {}
    for result in results:
        for key, step in result["steps"].items():
            labels.setdefault(key, step["label"])
    head = "| step | " + " | ".join(f"{r['statements']:,} statements ({r['files']:,} files)" for r in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    for key, label in labels.items():
        cells = []
        for result in results:
            step = result["steps"].get(key, {})
            if step.get("median_s") is None:
                cells.append(step.get("status", ""))
                continue
            over = result["ratios"]["over_parse"].get(key)
            cells.append(f"{step['median_s']:.3f}" + (f" ({over:.2f}x)" if over is not None else "") + f", {step['peak_mb']:.0f} MB")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    failed = [f"{r['statements']:,}: {t['target']} ({t['measured']})" for r in results for t in r["targets"] if t["verdict"] == "FAIL"]
    lines += ["", "Targets not met: " + ("; ".join(failed) if failed else "none") + "."]
    return "\n".join(lines) + "\n"


def ratios(steps: dict) -> dict:
    def med(key: str) -> float | None:
        return steps.get(key, {}).get("median_s")

    cold, parse, cjs, lint = med("validate-cold"), med("parse"), med("check-jsonschema"), med("yamllint")
    help_, version, typer = med("help"), med("version"), med("import-typer")
    return {
        "over_parse": {key: round(step["median_s"] / parse, 3) for key, step in steps.items() if parse and step.get("median_s") and key != "parse"},
        "help_over_import_typer_s": round(max(help_, version or 0) - typer, 3) if help_ and typer else None,
        "cold_validate_over_parse": round(cold / parse, 3) if cold and parse else None,
        "check_jsonschema_over_cold_validate": round(cjs / cold, 2) if cjs and cold else None,
        "yamllint_over_cold_validate": round(lint / cold, 2) if lint and cold else None,
    }


def targets(size: int, steps: dict, r: dict) -> list[dict]:
    """The speed targets that apply at this size, each with PASS, FAIL or n/a."""
    found = []

    def check(target: str, value: float | None, ok, shown: str) -> None:
        verdict = "n/a" if value is None else ("PASS" if ok(value) else "FAIL")
        found.append({"target": target, "verdict": verdict, "measured": "not measured" if value is None else shown.format(value)})

    def med(key: str) -> float | None:
        return steps.get(key, {}).get("median_s")

    queries = [key for key in steps if key.endswith(("-text", "-json"))]
    if size == 10_000:
        check("cold validate within 3x the bare parse", r["cold_validate_over_parse"], lambda v: v <= 3, "{:.2f}x")
        check("cold validate at least 30x faster than check-jsonschema", r["check_jsonschema_over_cold_validate"], lambda v: v >= 30, "{:.1f}x")
        for key in queries:
            check(f"{key} under 0.3 s", med(key), lambda v: v < 0.3, "{:.3f} s")
    if size == 100_000:
        for key in queries:
            check(f"{key} under 1 s", med(key), lambda v: v < 1.0, "{:.3f} s")
            check(f"{key} under 0.6x the bare parse", r["over_parse"].get(key), lambda v: v < 0.6, "{:.2f}x")
        check("warm validate under 1 s", med("validate-warm"), lambda v: v < 1.0, "{:.3f} s")
        check("validate after one round file changed under 1.5 s", med("validate-changed"), lambda v: v < 1.5, "{:.3f} s")
        check("validate after a file added under 2 s", med("validate-added"), lambda v: v < 2.0, "{:.3f} s")
        check("validate after a file removed under 2 s", med("validate-removed"), lambda v: v < 2.0, "{:.3f} s")
        check("search under 0.5 s warm", med("search-json"), lambda v: v < 0.5, "{:.3f} s")
        check("site under 60 s", med("site"), lambda v: v < 60, "{:.1f} s")
        peaks = [step["peak_mb"] for key, step in steps.items() if key not in ("check-jsonschema", "yamllint", "parse", "export-sqlite", "site") and step.get("peak_mb") is not None]
        check("peak memory of any peacekb command under 600 MB", max(peaks) if peaks else None, lambda v: v < 600, "{:.0f} MB")
    cold, planted = med("validate-cold"), med("validate-problems")
    check("cold validate with 300 problems under 3x a clean one", planted / cold if cold and planted else None, lambda v: v < 3, "{:.2f}x")
    check("--help and --version within 0.1 s of `import typer`", r["help_over_import_typer_s"], lambda v: v <= 0.1, "{:+.3f} s")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark peacekb on synthetic knowledge bases.")
    parser.add_argument("--sizes", default="1000,10000,100000", help="statement counts, comma-separated (default 1000,10000,100000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per step; the median is reported (default 5)")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="stop repeating a step once its runs took this many seconds in all (default 60; at least one run)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="kill a single run after this many seconds (default 1800)")
    parser.add_argument("--work", default=str(HERE / ".work"), help="folder for the knowledge bases and caches (default benchmarks/.work)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--regenerate", action="store_true", help="generate the knowledge bases again even when cached")
    parser.add_argument("--skip", default="", help="steps to leave out, comma-separated: help, parse, validate-cold, validate-warm, "
                        "validate-changed, positions, round, diff, matrix, export-sqlite, site, check-jsonschema, yamllint")
    parser.add_argument("--peacekb", help="the peacekb executable (default: .venv/bin/peacekb, else on PATH)")
    parser.add_argument("--json", metavar="FILE", help="also write every figure as json to FILE")
    parser.add_argument("--markdown", metavar="FILE", help="also write the figures as one markdown table (a column per size) to FILE")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: expected numbers separated by commas, got `{args.sizes}`")
    if not sizes or any(s < 1 for s in sizes):
        parser.error("--sizes: give at least one positive number")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.skip = [s.strip() for s in args.skip.split(",") if s.strip()]
    known = {"help", "version", "import-typer", "parse", "validate-cold", "validate-problems", "validate-warm", "validate-changed", "validate-added",
             "validate-removed", "export-sqlite", "site", "check-jsonschema", "yamllint", *(f"{key}-{fmt}" for key, _, _ in query_commands(Path("."), {"issue": "", "round": "", "diff": ["", ""]})
                                               for fmt in ("text", "json"))}
    unknown = [s for s in args.skip if s not in known]
    if unknown:
        parser.error(f"--skip: unknown step(s) {', '.join(unknown)}; steps are {', '.join(sorted(known))}")

    # PEACEKB_CACHE_DIR would take precedence over the XDG_CACHE_HOME that each step sets; without
    # PYTHONDONTWRITEBYTECODE, Python keeps the bytecode of peacekb's modules as on a user's machine
    # (otherwise every run compiles them again, about 0.06 s)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PEACEKB_DATA", "PEACEKB_CACHE_DIR", "GITHUB_ACTIONS", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE")}
    env.update(NO_COLOR="1", COLUMNS="120", TERM="dumb")
    global GNU_TIME
    GNU_TIME = find_gnu_time()
    tools = discover(args.peacekb, env)
    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    bench = Bench(args, tools, env, work)
    bench.machine = machine(tools)
    print(machine_line(bench.machine), file=sys.stderr)
    missing = [name for name, ok in (("check-jsonschema", tools.check_jsonschema), ("yamllint", tools.yamllint), ("yaml_rs", tools.yaml_rs)) if not ok]
    if missing:
        print(f"note: not installed: {', '.join(missing)} (pip install -e '.[bench]'); those steps are reported as such", file=sys.stderr)
    started = time.perf_counter()
    results = []
    try:
        for size in sizes:
            results.append(bench.run_size(size))
            sys.stdout.flush()
    except KeyboardInterrupt:
        print("run.py: interrupted; figures so far are kept", file=sys.stderr)
    total = time.perf_counter() - started
    print(f"\ntotal benchmark time {total:.0f} s; command: python benchmarks/run.py {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    if args.json:
        payload = {"machine": bench.machine, "repeat": args.repeat, "budget_s": args.budget, "seed": args.seed,
                   "yamllint_config": YAMLLINT_CONFIG, "sizes": results, "total_s": round(total, 1)}
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}", file=sys.stderr)
    if args.markdown:
        Path(args.markdown).write_text(markdown_table(results), encoding="utf-8")
        print(f"table written to {args.markdown}", file=sys.stderr)
    return 0 if len(results) == len(sizes) else 130


if __name__ == "__main__":
    sys.exit(main())
