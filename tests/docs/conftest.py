"""Checks of the site's build tooling, and of the built site (marked ``built``).

The tests session runs the first (`-m "docs and not built"`) beside the build; the docs
session runs the second (`-m "docs and built"`) right after it. A test is ``built``
when it uses the ``site`` fixture below.
"""

from __future__ import annotations

from pathlib import Path

import lstm_site
import pytest
from lstm_site import built_site

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DOCS = ROOT / "docs"
SITE = built_site(DOCS)


def notebook_pages() -> list[Path]:
    """Every page of the site that is a MyST-NB notebook (executed at build time)."""
    return [DOCS / f"{name}.md" for name in lstm_site.notebook_pages(DOCS)]


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by the marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE) and "site" in getattr(item, "fixturenames", ()):
            item.add_marker("built")


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site in {SITE}: build it first with `nox -s docs`")
    return SITE
