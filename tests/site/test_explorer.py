"""The home page's explorer in Chromium: driven by the keyboard, its answers are Keras's.

For 12 choices that cover every layer, flag pair and merge mode (seeded random sizes) the
test presses keys (Tab to a control, arrows in a <select>, Space on a checkbox, digits in
a number field), then reads what the page shows
and compares it with what Keras, in this process, returns for the same layer: the names,
the symbolic shapes, the line of Keras (run here), and the arrays ``predict`` returns.
It also checks the page without JavaScript, in dark mode, and a link with a choice.
"""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    import keras

LAYERS = ("LSTM", "GRU", "SimpleRNN", "ConvLSTM2D")
MERGE_MODES = ("concat", "sum", "mul", "ave", "None")
SEQUENCE_SIZES = ("batch", "timesteps", "features", "units")
CONV_SIZES = ("batch", "timesteps", "rows", "cols", "channels", "filters")
FLAGS = ((False, False), (True, False), (False, True), (True, True))
#: Each layer three times, each with another flag pair and at least twice wrapped; each
#: flag pair and each merge mode (or no wrapper) at least twice. The build already checks
#: every combination against Keras: these check that the page shows what the table says.
CHOICES = 12


def sizes_of(layer: str) -> tuple[str, ...]:
    return CONV_SIZES if layer == "ConvLSTM2D" else SEQUENCE_SIZES


def covering_choices(count: int, seed: int = 20240517) -> list[dict]:
    """Choices that cycle through the layers, flag pairs and merge modes; random sizes."""
    chooser = random.Random(seed)
    wrappers = [None, *MERGE_MODES]  # None: no Bidirectional wrapper
    choices = []
    for index in range(count):
        layer = LAYERS[index % len(LAYERS)]
        return_sequences, return_state = FLAGS[(index + index // len(LAYERS)) % len(FLAGS)]
        choices.append(
            {
                "layer": layer,
                "return_sequences": return_sequences,
                "return_state": return_state,
                "merge_mode": wrappers[index % len(wrappers)],
                "sizes": {name: chooser.randint(1, 9) for name in sizes_of(layer)},
            }
        )
    return choices


def test_the_choices_cover_every_layer_flag_pair_and_wrapper():
    choices = covering_choices(CHOICES)
    for layer in LAYERS:
        mine = [c for c in choices if c["layer"] == layer]
        assert len({(c["return_sequences"], c["return_state"]) for c in mine}) == 3, layer
        assert sum(c["merge_mode"] is not None for c in mine) >= 2, layer
    for flags in FLAGS:
        assert sum((c["return_sequences"], c["return_state"]) == flags for c in choices) >= 2
    for merge_mode in [None, *MERGE_MODES]:
        assert sum(c["merge_mode"] == merge_mode for c in choices) >= 2, merge_mode


def keras_layer(choice: dict, kind: str | None = None) -> keras.layers.Layer:
    """The chosen layer, built here (``kind``: a one-unit layer of that class instead)."""
    import keras  # here, not at the top: only the test worker that runs these imports it

    flags = {
        "return_sequences": choice["return_sequences"],
        "return_state": choice["return_state"],
    }
    sizes = choice["sizes"]
    if kind is not None:
        layer = getattr(keras.layers, kind)(1, **flags)
    elif choice["layer"] == "ConvLSTM2D":
        layer = keras.layers.ConvLSTM2D(sizes["filters"], 3, padding="same", **flags)
    else:
        layer = getattr(keras.layers, choice["layer"])(sizes["units"], **flags)
    if choice["merge_mode"] is not None:
        merge = None if choice["merge_mode"] == "None" else choice["merge_mode"]
        layer = keras.layers.Bidirectional(layer, merge_mode=merge)
    return layer


def expected(choice: dict) -> dict:
    """What Keras returns for the choice: names, symbolic shapes, predict's arrays."""
    import keras

    from lstm_examples.outputs import output_names

    names = sizes_of(choice["layer"])
    sizes = choice["sizes"]
    inputs = keras.Input(shape=tuple(sizes[n] for n in names[1:-1]))
    returned = keras_layer(choice)(inputs)
    tensors = keras.tree.flatten(returned)
    # a ConvLSTM2D carries an LSTM's two states; output_names counts them on an LSTM
    named = keras_layer(choice, kind="LSTM" if choice["layer"] == "ConvLSTM2D" else None)
    model = keras.Model(inputs, returned)
    model.compile(run_eagerly=True)
    x = np.zeros((sizes["batch"], *inputs.shape[1:]), dtype="float32")
    predicted = model.predict(x, verbose=0)
    return {
        "names": list(output_names(named)),
        "shapes": [str(tuple(t.shape)) for t in tensors],
        "call_returns": "tuple" if isinstance(returned, tuple) else type(returned).__name__,
        "predict_returns": type(predicted).__name__,
        "arrays": [str(tuple(a.shape)) for a in keras.tree.flatten(predicted)],
    }


# --- the keyboard --------------------------------------------------------------------


def focused_name(page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.name")


def tab_to(page, name: str) -> None:
    """Press Tab (or else Shift+Tab) until the control named ``name`` has the focus."""
    for key, presses in (("Tab", 15), ("Shift+Tab", 40)):
        for _ in range(presses):
            if focused_name(page) == name:
                return
            page.keyboard.press(key)
    raise AssertionError(f"Tab never reached the control {name!r}")


def choose_option(page, name: str, value: str, values: tuple[str, ...]) -> None:
    tab_to(page, name)
    page.keyboard.press("Home")
    for _ in range(values.index(value)):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == value


def set_checkbox(page, name: str, on: bool) -> None:
    tab_to(page, name)
    if page.evaluate("document.activeElement.checked") != on:
        page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") == on


def type_number(page, name: str, value: int) -> None:
    tab_to(page, name)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(str(value))


def drive(page, choice: dict) -> None:
    """Make the choice with the keyboard alone, starting from the layer's <select>."""
    choose_option(page, "layer", choice["layer"], LAYERS)
    set_checkbox(page, "return_sequences", choice["return_sequences"])
    set_checkbox(page, "return_state", choice["return_state"])
    set_checkbox(page, "bidirectional", choice["merge_mode"] is not None)
    if choice["merge_mode"] is not None:
        choose_option(page, "merge_mode", choice["merge_mode"], MERGE_MODES)
    for name, value in choice["sizes"].items():
        type_number(page, name, value)


def shown(page) -> dict:
    """What the explorer shows: the summary, the table's rows, the code, predict's line."""
    root = page.locator(".lstm-explorer")
    rows = root.locator("table.lstm-explorer-returns tbody tr")
    cells = [rows.nth(i).locator("th, td").all_inner_texts() for i in range(rows.count())]
    return {
        "summary": root.locator(".lstm-explorer-summary").inner_text(),
        "names": [row[1] for row in cells],
        "roles": [row[2] for row in cells],
        "shapes": [row[3] for row in cells],
        "code": root.locator("pre.lstm-explorer-code").first.inner_text(),
        "predict": root.locator(".lstm-explorer-predict").inner_text(),
    }


def run_shown_code(code: str) -> dict:
    """Run the page's lines of Keras here; return the shapes of the names they bind."""
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the code the page tells a reader to paste
    return namespace


@pytest.fixture
def explorer(visit):
    loaded = visit("index.html")
    page = loaded.page
    expect(page.locator(".lstm-explorer-form")).to_be_visible()
    page.locator(".lstm-explorer select[name=layer]").focus()  # as if tabbed to
    return loaded


def test_covering_choices_by_keyboard_agree_with_keras(explorer):
    page = explorer.page
    for index, choice in enumerate(covering_choices(CHOICES)):
        drive(page, choice)
        got = shown(page)
        want = expected(choice)
        where = f"choice {index}: {choice}"
        assert got["names"] == want["names"], where
        assert got["shapes"] == want["shapes"], where
        assert all(got["roles"]), where
        count = len(want["names"])
        if want["call_returns"] == "tuple":
            assert f"returns a tuple of {count} tensor" in got["summary"], where
        else:
            assert "returns one tensor" in got["summary"], where
        # the shown code runs here and binds each name to a tensor of the shown shape
        namespace = run_shown_code(got["code"])
        assert [str(tuple(namespace[n].shape)) for n in want["names"]] == want["shapes"], where
        if want["predict_returns"] == "ndarray":
            assert got["predict"].startswith("predict returns one NumPy array:"), where
        else:
            kind = want["predict_returns"]
            assert got["predict"].startswith(f"predict returns a {kind} of {count} NumPy"), where
        arrays = [
            f"{name} {shape}" for name, shape in zip(want["names"], want["arrays"], strict=True)
        ]
        assert got["predict"].endswith(": " + ", ".join(arrays) + "."), where
        # the choice is in the address, to link to
        query = parse_qs(urlsplit(page.url).query)
        assert query["layer"] == [choice["layer"]], where
        assert query.get("merge_mode", [None]) == [choice["merge_mode"]], where
    assert explorer.errors == []


def test_a_bad_size_says_so(explorer):
    page = explorer.page
    type_number(page, "units", 0)
    expect(page.locator(".lstm-explorer-summary")).to_have_text(
        re.compile(r"^units must be a whole number from 1 to")
    )
    expect(page.locator("table.lstm-explorer-returns")).to_have_count(0)


def test_a_link_restores_the_choice(visit):
    query = "?layer=GRU&return_sequences=1&return_state=1&merge_mode=sum&batch=5&timesteps=7"
    page = visit("index.html" + query + "&features=3&units=9").page
    form = page.locator(".lstm-explorer-form")
    expect(form.locator("select[name=layer]")).to_have_value("GRU")
    expect(form.locator("input[name=return_sequences]")).to_be_checked()
    expect(form.locator("input[name=return_state]")).to_be_checked()
    expect(form.locator("input[name=bidirectional]")).to_be_checked()
    expect(form.locator("select[name=merge_mode]")).to_have_value("sum")
    expect(form.locator("input[name=units]")).to_have_value("9")
    summary = page.locator(".lstm-explorer-summary")
    expect(summary).to_have_text(
        "keras.layers.Bidirectional(keras.layers.GRU(9, return_sequences=True, "
        'return_state=True), merge_mode="sum") returns a tuple of 3 tensors: '
        "output, forward_h, backward_h."
    )
    rows = page.locator("table.lstm-explorer-returns tbody tr")
    expect(rows.nth(0).locator("td").last).to_have_text("(None, 7, 9)")
    expect(page.locator(".lstm-explorer-predict")).to_contain_text("output (5, 7, 9)")


def test_without_javascript_the_table_of_every_combination_shows(visit):
    page = visit("index.html", java_script_enabled=False).page
    root = page.locator(".lstm-explorer")
    expect(root.locator(".lstm-explorer-form")).to_be_hidden()
    table = root.locator("table.lstm-explorer-all")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(4 * 4 * 4)  # merge modes alike share a row
    expect(table).to_contain_text("(batch, timesteps, 2*units)")
    expect(table).to_contain_text("(batch, rows, cols, filters)")


def _rgb(text: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", text)[:4])


def _luminance(rgb: tuple[float, ...]) -> float:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_dark_mode_is_readable(visit):
    page = visit("index.html", color_scheme="dark").page
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    colours = page.evaluate(
        """() => [...document.querySelectorAll(
            '.lstm-explorer-summary, .lstm-explorer-returns td, .lstm-explorer-code code,'
            + ' .lstm-explorer select, .lstm-explorer input[type=number]')].map(node => {
            let back = node, colour = 'rgba(0, 0, 0, 0)';
            while (back) {  // the first ancestor with a background that is not transparent
                colour = getComputedStyle(back).backgroundColor;
                if (!/rgba\\(.*, 0\\)$/.test(colour) && colour !== 'transparent') break;
                back = back.parentElement;
            }
            return [node.className || node.tagName, getComputedStyle(node).color, colour];
        })"""
    )
    assert len(colours) > 5
    for what, text, background in colours:
        fore, back = _luminance(_rgb(text)), _luminance(_rgb(background))
        contrast = (max(fore, back) + 0.05) / (min(fore, back) + 0.05)
        assert contrast >= 4.5, f"{what}: {text} on {background} (contrast {contrast:.1f})"
        assert back < 0.2, f"{what} sits on a light background {background} in dark mode"
