"""The benchmark's generator (benchmarks/generate.py) writes a clean knowledge base: the benchmark
times clean answers, and a problem planted by accident (a check the generator does not know of)
would time the slow path of problems instead."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from peacekb.loader import load

GENERATE = Path(__file__).parent.parent / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def generate():
    spec = importlib.util.spec_from_file_location("generate", GENERATE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_knowledge_base_is_clean(generate, tmp_path):
    generate.generate(2000, 1, tmp_path / "kb")
    result = load(tmp_path / "kb")
    assert result.problems == []
    assert len(result.kb.statements) >= 2000


def test_the_same_seed_gives_the_same_bytes(generate, tmp_path):
    generate.generate(300, 7, tmp_path / "a")
    generate.generate(300, 7, tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert files and all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
