"""The built site in Chromium: math, search, phone width, screenshots, weight, favicon.

(Each page's copy buttons are checked on its light-mode visit, test_accessibility.py.)
"""

from __future__ import annotations

import gzip
import time
from urllib.parse import quote, unquote, urlsplit

import pytest
from lstm_site import HOME_PAGE_BYTES

from .conftest import PHONE, REPORT_DIR, record, site_pages

PAGES = site_pages()


def test_there_are_pages():
    assert "index.html" in PAGES
    assert "search.html" in PAGES


def test_math_is_drawn_from_mathml(visit, site):
    """The math, typeset into MathML at build time, is drawn by the browser: no script."""
    with_math = [p for p in PAGES if "math notranslate" in (site / p).read_text(encoding="utf-8")]
    assert with_math, "no page has math: this check has nothing to check"
    page = visit(with_math[0])
    sizes = page.page.eval_on_selector_all(
        ".math > math",
        "maths => maths.map(m => [m.getBoundingClientRect().width, m.getBoundingClientRect().height])",
    )
    assert sizes
    assert all(width > 0 and height > 0 for width, height in sizes), sizes
    assert page.outside == []
    assert page.errors == []


def test_aligned_equations_line_up(visit, site):
    """An `aligned` block's left-aligned cells (each `= ...`) start at one x: the CSS does
    what MathML Core leaves out (columnalign)."""
    with_table = [p for p in PAGES if "<mtable" in (site / p).read_text(encoding="utf-8")]
    assert with_table, "no page has an aligned equation: this check has nothing to check"
    for path in with_table:
        page = visit(path)
        tables = page.page.eval_on_selector_all(
            ".math > math mtable",
            """tables => tables.map(t => [...t.querySelectorAll(':scope > mtr')].map(row =>
                [...row.children].map(cell => [cell.getAttribute('columnalign'),
                                               cell.getBoundingClientRect().left,
                                               cell.getBoundingClientRect().right])))""",
        )
        for rows in tables:
            # the first right-aligned column ends, and the left-aligned one starts, at one x
            ends = {round(row[0][2]) for row in rows if row[0][0] == "right"}
            starts = {round(row[1][1]) for row in rows if len(row) > 1 and row[1][0] == "left"}
            assert len(ends) == 1, (path, rows)
            assert len(starts) == 1, (path, rows)
        assert page.errors == []


def test_search_finds_the_pages_about_return_state(visit):
    page = visit("search.html?q=return_state")
    page.page.wait_for_selector("#search-results ul.search li a", timeout=20_000)
    links = page.page.eval_on_selector_all(
        "#search-results ul.search li > a", "links => links.map(a => a.getAttribute('href'))"
    )
    found = sorted({link.split("?")[0].split("#")[0] for link in links})
    record("search for return_state", found)
    assert {"index.html", "basics.html"} <= set(found), found
    assert page.errors == []
    assert page.outside == []


# Words a reader pastes from an error message: the site's search leads to the errors page.
PASTED_ERRORS = ["expected ndim=3, found ndim=2", "not enough values to unpack", "CuDNNLSTM",
                 "Unrecognized keyword arguments passed to LSTM"]  # fmt: skip


@pytest.mark.parametrize("message", PASTED_ERRORS)
def test_search_finds_the_error_a_reader_pastes(visit, message):
    page = visit(f"search.html?q={quote(message)}")
    page.page.wait_for_selector("#search-results ul.search li a", timeout=20_000)
    links = page.page.eval_on_selector_all(
        "#search-results ul.search li > a", "links => links.map(a => a.getAttribute('href'))"
    )
    found = [link.split("?")[0].split("#")[0] for link in links]
    record(f"search for {message}", found[:5])
    assert "questions/errors.html" in found[:3], found
    assert page.errors == []


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_home_page_screenshot(visit, color_scheme):
    page = visit("index.html", color_scheme=color_scheme, viewport={"width": 1280, "height": 900})
    diagram = page.page.locator("svg.lstm-diagram")
    assert diagram.count() == 1
    assert diagram.get_attribute("role") == "img"
    # the diagram's text takes the page's text colour, so it reads in both modes
    text_colour = diagram.locator("text").first.evaluate("e => getComputedStyle(e).fill")
    body_colour = page.page.evaluate("getComputedStyle(document.body).color")
    assert text_colour == body_colour
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    path = REPORT_DIR / f"home-{color_scheme}.png"
    page.page.screenshot(path=str(path), full_page=True)
    record(f"screenshot {color_scheme}", str(path))


def test_home_page_weight(browser, base_url, site):
    """Bytes transferred for the home page with a cold cache (everything it loads)."""
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        sizes: dict[str, int] = {}
        urls: dict[str, str] = {}
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
        )
        start = time.perf_counter()
        page.goto(base_url + "index.html", wait_until="networkidle")
        seconds = time.perf_counter() - start
        total = sum(sizes.values())
        # what a host that compresses (GitHub Pages, Read the Docs) would send instead
        files = [site / unquote(urlsplit(urls[r]).path).lstrip("/") for r in sizes if r in urls]
        files = [path for path in files if path.is_file()]
        gzipped = sum(len(gzip.compress(path.read_bytes())) for path in files)
        largest = sorted(files, key=lambda path: path.stat().st_size, reverse=True)[:3]
        record(
            "home page weight (cold cache)",
            f"{total} bytes ({total / 1024:.0f} KiB) in {len(sizes)} requests, "
            f"loaded in {seconds:.2f} s; about {gzipped / 1024:.0f} KiB gzip-compressed; "
            "largest: "
            + ", ".join(
                f"{p.relative_to(site).as_posix()} ({p.stat().st_size / 1024:.0f} KiB)"
                for p in largest
            ),
        )
        assert all(urlsplit(urls[r]).hostname == "127.0.0.1" for r in sizes if r in urls)
        # a phone on a slow connection: the home page within the budget the site sets itself,
        # as a compressing host sends it (the lighthouse session measures the same, over gzip)
        assert gzipped <= HOME_PAGE_BYTES, f"{gzipped} bytes gzip-compressed"
    finally:
        context.close()


@pytest.mark.parametrize("path", ["index.html", "reference/cheat-sheet.html"])
def test_tables_fit_a_phone_screen(visit, path):
    """On a 390 px wide phone the site's tables wrap in their cells: no column is cut off."""
    page = visit(path, viewport=PHONE, is_mobile=True)
    widths = page.page.evaluate(
        """() => [...document.querySelectorAll('article table.lstm-table')].map(table => {
            const box = table.closest('.cell_output') || table.parentElement;
            return [table.scrollWidth, box.clientWidth];
        })"""
    )
    assert widths, f"{path} has no table: this check has nothing to check"
    for table, box in widths:
        assert table <= box, f"{path}: a table {table} px wide in a {box} px column"
    assert page.errors == []


def test_favicon_is_served(visit):
    """Every page names its icon, so browsers do not ask for a missing /favicon.ico."""
    page = visit("index.html")
    icon = page.page.evaluate("document.querySelector('link[rel=icon]')?.href")
    assert icon
    assert icon.endswith("_static/favicon.svg")
    assert page.errors == []
