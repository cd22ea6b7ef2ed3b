"""Checks of the built site; the `docs` Nox session runs them right after the build."""

from __future__ import annotations

from pathlib import Path

import lstm_site
import pytest
from lstm_site import built_site

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SITE = built_site(DOCS)


def notebook_pages() -> list[Path]:
    """Every page of the site that is a MyST-NB notebook (executed at build time)."""
    return [DOCS / f"{name}.md" for name in lstm_site.notebook_pages(DOCS)]


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site in {SITE}: build it first with `nox -s docs`")
    return SITE
