"""axe-core on every page, in light and dark mode: no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import record, site_pages

PAGES = site_pages()
BLOCKING = {"serious", "critical"}
RESULTS: dict[str, int] = {}


def axe_script() -> Path:
    """axe-core's axe.min.js, as shipped by the axe-playwright-python package."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js")


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_violation(browser, base_url, path, color_scheme):
    context = browser.new_context(color_scheme=color_scheme, service_workers="block")
    try:
        page = context.new_page()
        page.goto(base_url + path, wait_until="networkidle")
        page.add_script_tag(path=str(axe_script()))
        results = page.evaluate(
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => ({version: r.testEngine.version, violations: r.violations}))"
        )
    finally:
        context.close()
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]
    minor = sum(len(v["nodes"]) for v in results["violations"] if v["impact"] not in BLOCKING)
    RESULTS[f"{path} ({color_scheme})"] = len(blocking)
    record(
        f"axe {results['version']}",
        f"{len(RESULTS)} page views, {sum(RESULTS.values())} serious/critical violations",
    )
    record(f"axe minor/moderate nodes {path} ({color_scheme})", minor)
    assert not blocking, "\n".join(blocking)
