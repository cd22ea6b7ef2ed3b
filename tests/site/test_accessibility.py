"""Every page in light and dark mode: it loads cleanly and offline, and axe-core finds no
serious or critical violation (one visit of each page per mode does both)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import AXE_PREFIX, record, site_pages

PAGES = site_pages()
BLOCKING = {"serious", "critical"}


def axe_script() -> Path:
    """axe-core's axe.min.js, as shipped by the axe-playwright-python package."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js")


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_offline_and_accessibly(visit, path, color_scheme):
    """No console error, no failed request, no request that leaves 127.0.0.1; then axe."""
    loaded = visit(path, color_scheme=color_scheme)
    assert loaded.page.evaluate("document.documentElement.dataset.theme") == color_scheme
    assert loaded.errors == [], path
    assert loaded.outside == [], f"{path} asked for {loaded.outside}"
    loaded.page.add_script_tag(path=str(axe_script()))
    results = loaded.page.evaluate(
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => ({version: r.testEngine.version, violations: r.violations}))"
    )
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]
    minor = sum(len(v["nodes"]) for v in results["violations"] if v["impact"] not in BLOCKING)
    record("axe version", results["version"])
    record(f"{AXE_PREFIX}{path} ({color_scheme})", len(blocking))
    record(f"axe minor/moderate nodes {path} ({color_scheme})", minor)
    assert not blocking, "\n".join(blocking)
