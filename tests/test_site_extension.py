"""The site's Sphinx extension (docs/_ext/lstm_site.py), as far as it needs no build."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
_spec = importlib.util.spec_from_file_location("lstm_site", DOCS / "_ext" / "lstm_site.py")
assert _spec is not None
assert _spec.loader is not None
lstm_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lstm_site)

TOGGLE = '<summary><span class="toctree-toggle" role="presentation"><i></i></span></summary>'


def nav_entry(title: str, *, open_: bool = False) -> str:
    details = '<details open="open">' if open_ else "<details>"
    return f'<a class="reference internal" href="x/index.html">{title}</a>{details}{TOGGLE}'


def test_every_icon_only_toggle_gets_the_name_of_its_section():
    page = nav_entry("Pitfalls") + nav_entry("Using the states", open_=True)
    labelled = lstm_site.label_nav_toggles(page)
    assert labelled.count("<summary aria-label=") == 2
    assert 'aria-label="Show or hide the pages of Pitfalls"' in labelled
    assert 'aria-label="Show or hide the pages of Using the states"' in labelled


def test_the_current_page_entry_is_labelled_too():
    current = (
        '<a class="current reference internal" href="#">Pitfalls</a><details open="open">' + TOGGLE
    )
    assert 'aria-label="Show or hide the pages of Pitfalls"' in lstm_site.label_nav_toggles(current)


def test_names_are_escaped_and_labelling_is_idempotent():
    labelled = lstm_site.label_nav_toggles(nav_entry("Keras 2 &amp; 3 &quot;tips&quot;"))
    assert 'aria-label="Show or hide the pages of Keras 2 &amp; 3 &quot;tips&quot;"' in labelled
    assert lstm_site.label_nav_toggles(labelled) == labelled


def test_summaries_with_text_are_left_alone():
    caption = '<details><summary><p class="caption">Section</p><span class="toctree-toggle">'
    assert lstm_site.label_nav_toggles(caption) == caption
