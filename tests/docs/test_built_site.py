"""The built site: every page executed, nothing leaked into it, the five examples as promised."""

from __future__ import annotations

import html
import re
import sys
import tempfile
from pathlib import Path

import pytest
from lstm_site import text_of

from .conftest import DOCS, ROOT, notebook_pages

PAGES = notebook_pages()

# What must never reach a page: ANSI escapes (raw or as left-over codes),
# TensorFlow/absl C++ log lines, and Python warning text.
LEAKS = {
    "ANSI escape": re.compile(r"\x1b\[|\[0;3\dm|\[1;3\dm|\[0m"),
    "TensorFlow log line": re.compile(
        r"\b[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+|absl::|oneDNN|cpu_feature_guard|tensorflow/core/"
    ),
    "Python warning": re.compile(r"\b[A-Z]\w*Warning: |warnings\.warn\("),
}


def page_text(path: Path) -> str:
    """The visible text of a built page's article (scripts and tags removed)."""
    raw = path.read_text(encoding="utf-8")
    article = raw[raw.find("<article") : raw.find("</article>")]
    article = re.sub(r"<(script|style)\b.*?</\1>", "", article, flags=re.DOTALL)
    return text_of(article)


def built(page: Path, site: Path) -> Path:
    return site / page.relative_to(DOCS).with_suffix(".html")


def test_there_are_notebook_pages():
    names = {p.relative_to(DOCS).as_posix() for p in PAGES}
    assert {"index.md", "basics.md", "reference/build-info.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_was_executed(page, site):
    raw = built(page, site).read_text(encoding="utf-8")
    assert "cell_output" in raw, f"{page.name} shows no cell output"


@pytest.mark.parametrize("kind", sorted(LEAKS))
def test_nothing_leaks_into_any_page(kind, site):
    pattern = LEAKS[kind]
    leaks = {}
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found = pattern.findall(text)
        if found:
            leaks[path.relative_to(site).as_posix()] = found[:3]
    assert not leaks, f"{kind} in built pages: {leaks}"


def test_every_page_is_in_the_execution_table(site):
    text = page_text(site / "reference" / "build-info.html")
    for page in PAGES:
        docname = page.relative_to(DOCS).with_suffix("").as_posix()
        assert re.search(rf"{re.escape(docname)}\s.*?✅", text, flags=re.DOTALL), (
            f"{docname} is not listed as executed successfully"
        )
    assert "❌" not in text


def test_the_five_examples(site):
    raw = (site / "basics.html").read_text(encoding="utf-8")
    article = raw[raw.find("<article") : raw.find("</article>")]
    sections = re.split(r'<section id="[^"]*">', article)[1:]
    sections = [s for s in sections if re.search(r"<h2>\d\. ", s)]
    assert len(sections) == 5
    shapes = {
        0: ["(None, 1)"],
        1: ["(None, 3, 1)"],
        2: ["(None, 3, 12)"],
        3: ["(None, 1)"],
        4: ["(None, 3, 1)", "(None, 1)"],
    }
    texts = [text_of(section) for section in sections]
    for index, (section, text) in enumerate(zip(sections, texts, strict=True)):
        # model.summary() as Keras prints it: one block, its table and its totals
        assert section.count("Model: &quot;functional") + section.count('Model: "functional') == 1
        assert text.count("Total params:") == 1, f"example {index + 1}: one summary block"
        for shape in shapes[index]:
            assert shape in text, f"example {index + 1} lacks {shape!r}"
    # return_state: predict returned a tuple of three arrays, printed as such
    for text in (texts[3], texts[4]):
        assert "(array([[" in text
        assert text.count("dtype=float32)") >= 3


def test_no_empty_output_boxes(site):
    empty = {}
    for path in site.rglob("*.html"):
        raw = path.read_text(encoding="utf-8")
        boxes = re.findall(r'<div class="cell_output docutils container">\s*</div>', raw)
        boxes += re.findall(r"<pre><span></span>\s*</pre>", raw)
        if boxes:
            empty[path.relative_to(site).as_posix()] = len(boxes)
    assert not empty, f"empty output boxes: {empty}"


def test_home_page_table_is_live(site):
    raw = (site / "index.html").read_text(encoding="utf-8")
    assert raw.count('<table class="lstm-table') == 1
    text = page_text(site / "index.html")
    assert "(batch, 3, 4), (batch, 4), (batch, 4)" in text


def test_build_information(site):
    import keras

    text = page_text(site / "reference" / "build-info.html")
    assert keras.__version__ in text
    assert re.search(r"Device\s*(CPU|.*GPU|.*NVIDIA)", text)


# Where the site was built from and with: a page that shows one of these differs from
# a build in another folder, and shows a reader a stranger's disk.
MACHINE_PATHS = sorted(
    {str(ROOT), sys.prefix, str(Path.home()) + "/", tempfile.gettempdir() + "/", "site-packages"}
)


def test_no_page_shows_a_path_of_the_build_machine(site):
    found = {}
    for path in [*site.rglob("*.html"), *site.glob("_sources/**/*.ipynb")]:
        text = path.read_text(encoding="utf-8")
        hits = [needle for needle in MACHINE_PATHS if needle in text]
        if hits:
            found[path.relative_to(site).as_posix()] = hits
    assert not found, f"paths of the build machine in built pages: {found}"


def test_navigation_names_each_section_once(site):
    """The left navigation lists each section once: no caption repeats the page under it."""
    raw = (site / "index.html").read_text(encoding="utf-8")
    start = raw.find("bd-docs-nav")
    nav = raw[start : raw.find("</nav>", start)]
    captions = [
        html.unescape(c).strip() for c in re.findall(r'<span class="caption-text">([^<]*)', nav)
    ]
    top = re.findall(r'<li class="toctree-l1[^"]*">\s*<a[^>]*>([^<]*)</a>', nav)
    top = [html.unescape(t).strip() for t in top]
    assert len(top) >= 5, top
    assert len(set(top)) == len(top), top
    assert not set(captions) & set(top), f"captions {captions} repeat pages {top}"
