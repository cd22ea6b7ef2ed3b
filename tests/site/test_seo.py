"""Found, previewed and light: what search engines and link previews read in the built site,
and what a phone does not have to load (lstm_site.web, docs/conf.py).

Every page has a meta description and link-preview (Open Graph) tags; robots.txt allows
crawling and, where the site's address was known at build time (LSTM_STATES_BASE_URL or Read
the Docs), points at a sitemap that lists every page. Math is MathML, typeset at build time:
no page loads a math script, and none loads the theme's 1.5 MB icon script. Images have
their size.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import site_pages

PAGES = site_pages()
#: Sphinx's generated pages: in the site, not in its sitemap.
GENERATED = {"search.html", "genindex.html", "py-modindex.html"}


@cache
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _meta(soup: BeautifulSoup, **attrs: str) -> str | None:
    tag = soup.find("meta", attrs=attrs)
    return tag.get("content") if tag else None


def _canonical(site: Path) -> str | None:
    """The home page's canonical URL: there only when the site's address was known."""
    link = _soup(site / "index.html").find("link", rel="canonical")
    return link["href"] if link else None


def _base_url(site: Path) -> str | None:
    canonical = _canonical(site)
    return canonical.removesuffix("index.html") if canonical else None


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_a_description_and_link_preview_tags(site, page):
    soup = _soup(site / page)
    description = _meta(soup, name="description")
    assert description, f"{page}: no meta description"
    assert 20 <= len(description) <= 200, (page, description)
    assert "\\" not in description, f"{page}: LaTeX in the description: {description}"
    assert _meta(soup, property="og:description") == description
    assert _meta(soup, property="og:title")
    assert _meta(soup, property="og:type") == "website"
    og_url = _meta(soup, property="og:url")
    base = _base_url(site)
    if base is None:
        assert og_url is None, f"{page}: og:url {og_url} with no known site address"
    else:
        assert og_url == base + page


def test_pages_answer_with_descriptions_of_their_own(site):
    """The content pages' descriptions differ: each says what its page answers."""
    described = {page: _meta(_soup(site / page), name="description") for page in PAGES}
    content = {page: text for page, text in described.items() if page not in GENERATED}
    seen: dict[str, str] = {}
    for page, text in content.items():
        assert text not in seen, f"{page} and {seen.get(text)} have one description: {text}"
        seen[text] = page
        # a search result shows it whole: no sentence cut off ("…") or left open (":")
        assert text.endswith((".", "?")), f"{page}: the description is not whole: {text}"
        assert len(text) <= 160, f"{page}: {len(text)} characters, cut in search results"


def test_robots_txt_allows_crawling_and_names_the_sitemap(site):
    robots = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert robots[:2] == ["User-agent: *", "Allow: /"]
    base = _base_url(site)
    if base is None:
        assert not any(line.startswith("Sitemap:") for line in robots)
    else:
        assert f"Sitemap: {base}sitemap.xml" in robots


def test_sitemap_lists_every_page(site):
    base = _base_url(site)
    sitemap = site / "sitemap.xml"
    if base is None:
        assert not sitemap.exists(), "a sitemap with no known site address"
        return
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {loc.text for loc in ET.parse(sitemap).getroot().findall("s:url/s:loc", namespace)}
    expected = {base + page for page in PAGES if page not in GENERATED}
    assert urls == expected


def test_math_is_mathml_with_no_math_script(site):
    with_math = [page for page in PAGES if "math notranslate" in (site / page).read_text("utf-8")]
    assert with_math, "no page has math: this check has nothing to check"
    for page in with_math:
        soup = _soup(site / page)
        for element in soup.select(".math"):
            assert element.find("math"), f"{page}: math not typeset: {element.get_text()[:80]}"
    for page in PAGES:
        scripts = [s.get("src", "") for s in _soup(site / page).find_all("script")]
        assert not [s for s in scripts if "mathjax" in s.lower() or "katex" in s.lower()], page


def test_no_icon_script_and_scripts_in_the_head_do_not_block(site):
    for page in PAGES:
        head = _soup(site / page).head
        for script in head.find_all("script", src=True):
            assert "fontawesome" not in script["src"], page
            assert script.has_attr("defer") or script.has_attr("async"), (page, script["src"])


def test_images_have_their_size(site):
    images = [(page, img) for page in PAGES for img in _soup(site / page).find_all("img")]
    assert images, "no image in the site: this check has nothing to check"
    for page, img in images:
        assert img.get("width"), (page, img.get("src"))
        assert img.get("height"), (page, img.get("src"))


# --- where the site's address comes from ------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"LSTM_STATES_BASE_URL": "https://example.org/a"}, "https://example.org/a/"),
        (
            {"READTHEDOCS_CANONICAL_URL": "https://a.readthedocs.io/en/latest/"},
            "https://a.readthedocs.io/en/latest/",
        ),
        (
            {"LSTM_STATES_BASE_URL": "https://example.org/a/", "READTHEDOCS_CANONICAL_URL": "x"},
            "https://example.org/a/",
        ),
    ],
)
def test_base_url_comes_from_configuration(environ, expected):
    from lstm_site.web import base_url

    assert base_url(environ) == expected


def test_the_pages_workflow_gives_the_build_its_address():
    import yaml

    from .conftest import ROOT

    pages = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    (build,) = [s for s in pages["jobs"]["build"]["steps"] if "nox -s docs" in s.get("run", "")]
    assert "github.io" in build["env"]["LSTM_STATES_BASE_URL"]
    assert "vars.LSTM_STATES_BASE_URL" in build["env"]["LSTM_STATES_BASE_URL"]
