"""Checks of the built site; the `docs` Nox session runs them right after the build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SITE = Path(os.environ.get("LSTM_STATES_SITE", DOCS / "_build" / "html"))


def notebook_pages() -> list[Path]:
    """Every page of the site that is a MyST-NB notebook (executed at build time)."""
    return sorted(
        path
        for path in DOCS.rglob("*.md")
        if "_build" not in path.parts and "file_format: mystnb" in path.read_text()[:200]
    )


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site in {SITE}: build it first with `nox -s docs`")
    return SITE
