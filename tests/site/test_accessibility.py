"""Every page in light mode on a desktop-size window and in dark mode on a phone-size one:
it loads cleanly and offline, and axe-core finds no serious or critical violation; in light
mode each code cell's copy button copies exactly its code, and on the phone nothing makes
the page scroll sideways. One visit of each page per mode does all of it: a page load is
most of what each costs."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..reader.cells import visible_cells
from .conftest import AXE_PREFIX, PHONE, record, site_pages

PAGES = site_pages()
BLOCKING = {"serious", "critical"}


def axe_script() -> Path:
    """axe-core's axe.min.js, as shipped by the axe-playwright-python package."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js")


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_is_accessible_and_copies_its_code(view, site, path, color_scheme):
    """No console error, no failed request, no request that leaves 127.0.0.1; then axe;
    then, in light mode, the copy buttons, and in dark mode (a phone) the page's width."""
    loaded = view(path, color_scheme=color_scheme)
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
    if color_scheme == "light":
        assert_copy_buttons_copy_exactly_the_code(loaded, site, path)
    else:
        assert_fits_a_phone_screen(loaded, path)


#: The elements that stick out of the page at its width, outside any box that scrolls or
#: clips them (a code cell scrolls inside itself, which is fine): what widens the page.
_STICKING_OUT = """() => {
    const width = document.documentElement.clientWidth;
    const clipped = e => {
        for (let p = e.parentElement; p; p = p.parentElement)
            if (getComputedStyle(p).overflowX !== 'visible') return true;
        return false;
    };
    return [...document.querySelectorAll('article *, .bd-header *')]
        .filter(e => e.getBoundingClientRect().right > width + 1 && !clipped(e))
        .slice(0, 5)
        .map(e => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.slice(0, 40)}"`);
}"""


def assert_fits_a_phone_screen(loaded, path: str) -> None:
    """On a phone's screen the page is no wider than the screen: long names wrap, wide
    content scrolls in its own box."""
    page = loaded.page
    assert page.viewport_size == PHONE
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert client == PHONE["width"]
    assert scroll <= client, f"{path} is {scroll} px wide: {page.evaluate(_STICKING_OUT)}"


def assert_copy_buttons_copy_exactly_the_code(loaded, site: Path, path: str) -> None:
    """Each visible code cell's copy button puts exactly its code on the clipboard."""
    cells = visible_cells(site / path)
    if not cells:
        assert 'class="copybtn' not in (site / path).read_text(encoding="utf-8")
        return
    page = loaded.page
    # cells tagged hide-input or hide-cell are folded: unfold them as a reader would
    page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
    cell_inputs = page.locator("article div.cell div.cell_input")
    assert cell_inputs.count() == len(cells)
    first = cell_inputs.first.locator("button.copybtn")
    expect(first).to_have_css("opacity", "0")  # shown on hover only
    cell_inputs.first.hover()
    expect(first).to_have_css("opacity", "1")
    for index, cell in enumerate(cells):
        # a real click (the pointer at the button), without waiting for the button to
        # fade in: that the first one does is checked above
        cell_inputs.nth(index).locator("button.copybtn").click(force=True)
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == cell.code.rstrip("\n"), f"{path}, cell {index + 1}"
