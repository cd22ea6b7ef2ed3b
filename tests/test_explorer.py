"""The explorer's table: computed by Keras, symbolic shapes that hold at any size."""

from __future__ import annotations

import json
import random

import keras
import pytest

import lstm_examples
from lstm_examples import explorer
from lstm_examples.outputs import output_names


@pytest.fixture(scope="session")
def table() -> dict:
    return lstm_examples.explorer_table()


def test_one_entry_per_combination(table):
    combinations = table["combinations"]
    assert len(combinations) == 4 * 2 * 2 * 6
    assert {e["layer"] for e in combinations.values()} == set(explorer.LAYERS)
    assert {e["merge_mode"] for e in combinations.values() if e["bidirectional"]} == set(
        explorer.MERGE_MODES
    )


def test_names_agree_with_output_names(table):
    """The explorer and the cheat sheet name the tensors alike (ConvLSTM2D as an LSTM)."""
    for entry in table["combinations"].values():
        kind = "LSTM" if entry["layer"] == "ConvLSTM2D" else entry["layer"]
        layer = getattr(keras.layers, kind)(
            1, return_sequences=entry["return_sequences"], return_state=entry["return_state"]
        )
        if entry["bidirectional"]:
            layer = keras.layers.Bidirectional(layer, merge_mode=entry["merge_mode"])
        assert [o["name"] for o in entry["outputs"]] == list(output_names(layer)), entry["code"]


def _keras_shapes(entry: dict, sizes: dict) -> list[tuple]:
    names = explorer.size_names(entry["layer"])
    size = sizes[names[-1]]
    flags = {"return_sequences": entry["return_sequences"], "return_state": entry["return_state"]}
    if entry["layer"] == "ConvLSTM2D":
        layer = keras.layers.ConvLSTM2D(size, 3, padding="same", **flags)
    else:
        layer = getattr(keras.layers, entry["layer"])(size, **flags)
    if entry["bidirectional"]:
        layer = keras.layers.Bidirectional(layer, merge_mode=entry["merge_mode"])
    inputs = keras.Input(batch_shape=tuple(sizes[n] for n in names[:-1]))
    return [tuple(t.shape) for t in keras.tree.flatten(layer(inputs))]


def test_templates_hold_at_other_sizes(table):
    """At sizes the build never used, the templates give what Keras gives."""
    chooser = random.Random(7)
    for key in chooser.sample(sorted(table["combinations"]), 12):
        entry = table["combinations"][key]
        sizes = {n: chooser.randint(1, 9) for n in explorer.size_names(entry["layer"])}
        expected = [explorer.evaluate_template(o["shape"], sizes) for o in entry["outputs"]]
        assert _keras_shapes(entry, sizes) == expected, key


def test_known_answers(table):
    c = table["combinations"]
    assert c["LSTM|1|0|concat"]["outputs"][0]["shape"] == ["batch", "timesteps", "2*units"]
    assert (
        c["GRU|0|1|-"]["code"]
        == "output, state_h = keras.layers.GRU({units}, return_state=True)(inputs)"
    )
    conv = c["ConvLSTM2D|0|1|-"]
    assert [o["shape"] for o in conv["outputs"]] == [["batch", "rows", "cols", "filters"]] * 3
    assert conv["call_returns"] == conv["predict_returns"] == "tuple"
    assert c["SimpleRNN|0|0|-"]["predict_returns"] == "ndarray"
    assert c["LSTM|0|0|None"]["call_returns"] == "tuple"  # merge_mode=None: two outputs


def test_table_is_a_fresh_copy(table):
    table["combinations"].clear()
    assert len(lstm_examples.explorer_table()["combinations"]) == 96


def test_symbolic_axis_refuses_ambiguity_and_mismatch():
    with pytest.raises(ValueError, match="matches"):
        explorer.symbolic_axis(6, 6, {"a": 6, "b": 3}, {"a": 6, "b": 3})  # a, 2*b and 6
    with pytest.raises(ValueError, match="no expression"):
        explorer.symbolic_axis(5, 7, {"units": 3}, {"units": 4})
    with pytest.raises(ValueError, match="different lengths"):
        explorer.symbolic_template((1, 2), (1,), {}, {})


def test_evaluate_template_errors():
    with pytest.raises(ValueError, match="not a shape term"):
        explorer.evaluate_template(["units+1"], {"units": 3})
    with pytest.raises(KeyError, match="filters"):
        explorer.evaluate_template(["filters"], {"units": 3})


def test_size_names_rejects_unknown_layers():
    with pytest.raises(ValueError, match="layer must be one of"):
        explorer.size_names("Conv1D")


def test_render_embeds_the_table_as_json():
    html = lstm_examples.render_explorer().html
    start = html.index('class="lstm-explorer-data">') + len('class="lstm-explorer-data">')
    data = json.loads(html[start : html.index("</script>", start)])
    assert data == explorer.page_data()
    assert 'src="_static/explorer.js" defer' in html
    assert "explorer.css" in html
    assert html.count('<table class="lstm-explorer-all lstm-table">') == 1
    assert '<table class="lstm-table' not in html  # the home page's one flags table stays one
    with pytest.raises(TypeError, match="static"):
        lstm_examples.render_explorer(static=None)  # type: ignore[arg-type]


def test_fallback_groups_merge_modes_with_the_same_result():
    rows = explorer.fallback_table().rows
    assert len(rows) == 4 * 4 * 4
    assert all(row[1] in {"—", "concat", "sum, mul, ave", "None"} for row in rows)
