"""No broken internal link or anchor in the built site (Sphinx's nitpicky build checks the
cross-references; this checks every href and src of the HTML it wrote)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from .conftest import record, site_pages

ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src"}


def _ids(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        cache[path] = {tag["id"] for tag in soup.find_all(id=True)} | {
            tag["name"] for tag in soup.find_all("a", attrs={"name": True})
        }
    return cache[path]


def test_no_broken_internal_link_or_anchor(site):
    broken: list[str] = []
    ids: dict[Path, set[str]] = {}
    checked = external = 0
    for page in site_pages(site):
        source = site / page
        soup = BeautifulSoup(source.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in ATTRIBUTES.items():
            for element in soup.find_all(tag, attrs={attribute: True}):
                url = urlsplit(element[attribute])
                if url.scheme or url.netloc:
                    external += url.scheme in ("http", "https")
                    continue
                checked += 1
                target = (source.parent / unquote(url.path)).resolve() if url.path else source
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_relative_to(site.resolve()) or not target.exists():
                    broken.append(f"{page}: {element[attribute]} (no such file)")
                elif (
                    url.fragment
                    and target.suffix == ".html"
                    and unquote(url.fragment) not in _ids(target, ids)
                ):
                    broken.append(f"{page}: {element[attribute]} (no such anchor)")
    record("internal links", f"{checked} checked, {len(broken)} broken; {external} external")
    assert checked > 0
    assert broken == [], "\n".join(broken)
