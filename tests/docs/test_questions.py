"""The questions readers ask (docs/questions/questions.toml): researched, sourced, answered.

The list says, for each question, where it was asked, how popular it is as far as its
sources show, and where the site answers it. The built site must hold every page it
names, and every anchor it names must be an ``id`` on that page.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import DOCS

QUESTIONS_FILE = DOCS / "questions" / "questions.toml"
KEYS = {"question", "sources", "popularity", "answered_at"}
MINIMUM = 40


def load_questions() -> list[dict[str, object]]:
    with QUESTIONS_FILE.open("rb") as file:
        return tomllib.load(file)["question"]


QUESTIONS = load_questions()


@cache
def ids_in(page: Path) -> frozenset[str]:
    """Every ``id`` attribute of a built HTML page."""
    return frozenset(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))


def test_there_are_enough_questions():
    assert len(QUESTIONS) >= MINIMUM, f"{len(QUESTIONS)} questions, fewer than {MINIMUM}"


@pytest.mark.parametrize("number", range(len(QUESTIONS)), ids=lambda n: f"q{n + 1}")
def test_each_question_is_sourced(number):
    entry = QUESTIONS[number]
    assert set(entry) == KEYS, f"question {number + 1}: keys {sorted(entry)}, want {sorted(KEYS)}"
    question, sources, popularity = entry["question"], entry["sources"], entry["popularity"]
    assert isinstance(question, str), f"question {number + 1} is not a string"
    assert question.strip(), f"question {number + 1} is empty"
    assert isinstance(sources, list), f"{question!r}: sources is not a list"
    assert sources, f"{question!r} has no source"
    for url in sources:
        assert isinstance(url, str), f"{question!r}: {url!r} is not a string"
        assert urlsplit(url).scheme in ("http", "https"), f"{question!r}: {url!r} is not a URL"
        assert urlsplit(url).netloc, f"{question!r}: {url!r} names no host"
    assert any(url.startswith("https://") for url in sources), (
        f"{question!r} has no https:// source"
    )
    assert len(set(sources)) == len(sources), f"{question!r} lists a source twice"
    assert isinstance(popularity, str), f"{question!r}: popularity is not a string"
    assert popularity.strip(), f"{question!r}: no popularity"


def test_no_question_is_listed_twice():
    seen: dict[str, int] = {}
    for number, entry in enumerate(QUESTIONS, start=1):
        key = " ".join(str(entry["question"]).casefold().split())
        assert key not in seen, f"question {number} repeats question {seen[key]}: {key!r}"
        seen[key] = number


@pytest.mark.parametrize("number", range(len(QUESTIONS)), ids=lambda n: f"q{n + 1}")
def test_each_answer_is_in_the_built_site(number, site):
    entry = QUESTIONS[number]
    answered_at = entry["answered_at"]
    assert isinstance(answered_at, str), f"question {number + 1}: answered_at is not a string"
    page, _, anchor = answered_at.partition("#")
    assert page.endswith(".html"), f"{answered_at!r} is not an HTML page"
    assert not page.startswith("/"), f"{answered_at!r} is not relative to the site's root"
    built = site / page
    assert built.is_file(), f"{entry['question']!r}: {page} is not in the built site"
    if anchor:
        assert anchor in ids_in(built), f"{entry['question']!r}: {page} has no id {anchor!r}"
