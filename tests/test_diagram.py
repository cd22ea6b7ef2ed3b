"""The unrolled-LSTM diagram: well-formed, accessible SVG that follows the page's colours."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from lstm_examples.diagram import Diagram, unrolled_lstm, unrolled_lstm_svg

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("steps", [1, 3, 5])
def test_svg_is_well_formed_with_one_cell_per_step(steps):
    root = ET.fromstring(unrolled_lstm_svg(steps))
    assert root.tag == f"{SVG}svg"
    cells = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "cell"]
    assert len(cells) == steps
    texts = [t.text for t in root.iter(f"{SVG}text")]
    sub = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    for t in range(1, steps + 1):
        assert f"x{str(t).translate(sub)}" in texts
        assert f"h{str(t).translate(sub)}" in texts


def test_marks_what_each_flag_returns():
    text = " ".join(unrolled_lstm(3).labels)
    assert "return_sequences=True: output = every h, shape (batch, 3, units)" in text
    assert "default: output = h₃, shape (batch, units)" in text
    assert unrolled_lstm(1).labels.count("LSTM") == 1
    assert "h₃ → state_h" in text
    assert "c₃ → state_c" in text
    assert "return_state=True" in text


def test_accessible_name_and_description():
    root = ET.fromstring(unrolled_lstm_svg(3))
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    found = {el.get("id"): el.text for el in root.iter() if el.get("id")}
    assert ids == ["lstm-diagram-title", "lstm-diagram-desc"]
    assert "unrolled over 3 steps" in found["lstm-diagram-title"]
    desc = found["lstm-diagram-desc"]
    for needle in ("return_sequences=True", "return_state=True", "state_h = h_3", "state_c = c_3"):
        assert needle in desc


def test_colours_follow_the_theme():
    svg = unrolled_lstm_svg(3)
    # no fixed colour outside a CSS variable's fallback: text and lines use currentColor
    colours = re.findall(r"#[0-9a-fA-F]{3,6}\b", svg)
    fallbacks = re.findall(r"var\(--pst-color-\w+, (#[0-9a-fA-F]{6})\)", svg)
    assert colours
    assert sorted(colours) == sorted(fallbacks)
    assert "currentColor" in svg
    assert 'fill="' not in svg
    assert 'stroke="' not in svg


def test_diagram_renders_inline_in_a_notebook():
    diagram = unrolled_lstm(2)
    assert isinstance(diagram, Diagram)
    assert diagram._repr_html_() == str(diagram) == unrolled_lstm_svg(2)


@pytest.mark.parametrize(
    ("steps", "error"), [(0, ValueError), (-1, ValueError), (2.5, TypeError), (True, TypeError)]
)
def test_bad_steps(steps, error):
    with pytest.raises(error, match="steps must be an integer >= 1"):
        unrolled_lstm_svg(steps)
