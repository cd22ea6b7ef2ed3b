from __future__ import annotations

import os

import keras
import pytest

from lstm_examples import build_lstm, get_example, summarize
from lstm_examples.summary import parse_summary


def keras_summary_text(model: keras.Model, width: int) -> str:
    chunks: list[str] = []
    model.summary(line_length=width, print_fn=lambda text, line_break=True: chunks.append(text))
    return "".join(chunks)


class TestSummarize:
    def test_rows_are_keras_strings(self):
        summary = summarize(get_example(5).build())
        assert summary.model_name == "example_5"
        assert summary.header == ("Layer (type)", "Output Shape", "Param #")
        assert summary.rows == (
            ("input (InputLayer)", "(None, 3, 1)", "0"),
            ("lstm (LSTM)", "[(None, 3, 1), (None, 1), (None, 1)]", "12"),
        )
        assert summary.totals == (
            "Total params: 12 (48.00 B)",
            "Trainable params: 12 (48.00 B)",
            "Non-trainable params: 0 (0.00 B)",
        )

    def test_parameter_counts_come_from_keras(self):
        model = get_example(3).build()
        assert summarize(model).params_of("lstm") == f"{model.get_layer('lstm').count_params():,}"

    def test_thousands_separator_is_keras_own(self):
        model = build_lstm(64, features=8)
        assert summarize(model).params_of("lstm") == "18,688"

    @pytest.mark.parametrize("columns", ["20", "60", "300"])
    def test_independent_of_terminal_width(self, monkeypatch, columns):
        model = get_example(4).build()
        reference = summarize(model)
        monkeypatch.setenv("COLUMNS", columns)
        monkeypatch.setenv("JUPYTER_COLUMNS", columns)
        assert summarize(model) == reference
        assert os.environ["COLUMNS"] == columns  # restored after the call

    def test_environment_is_restored(self, monkeypatch):
        monkeypatch.delenv("COLUMNS", raising=False)
        summarize(build_lstm())
        assert "COLUMNS" not in os.environ

    def test_one_block_no_ansi(self):
        summary = summarize(get_example(4).build())
        html = summary._repr_html_()
        assert html.count("<table") == 1
        assert "\x1b" not in html
        assert "\x1b" not in str(summary)
        assert "<caption>Model: &quot;example_4&quot;</caption>" in html
        assert '<td class="num">12</td>' in html

    def test_text_block_has_fixed_width_columns(self):
        lines = str(summarize(get_example(5).build())).splitlines()
        header, rule = lines[1], lines[2]
        assert header.startswith("Layer (type)")
        assert set(rule) <= {"-", " "}
        assert len({len(line) for line in lines[1:5]}) == 1  # table rows share one width

    def test_functional_model_with_branches_keeps_connected_to(self):
        inputs = keras.Input((3, 1), name="x")
        output, state_h, state_c = keras.layers.LSTM(2, return_state=True, name="enc")(inputs)
        merged = keras.layers.Concatenate(name="cat")([state_h, state_c])
        model = keras.Model(inputs, [output, merged], name="branchy")
        summary = summarize(model)
        assert summary.header[-1] == "Connected to"
        assert summary.params_of("cat") == "0"

    def test_rejects_non_model(self):
        with pytest.raises(TypeError, match=r"expected a keras.Model, got str"):
            summarize("model")


class TestParseSummary:
    def test_joins_cells_keras_wrapped(self):
        model = get_example(5).build()
        narrow = (
            parse_summary(keras_summary_text(model, 60))
            if os.environ.get("COLUMNS") is None
            else None
        )
        wide = summarize(model)
        if narrow is not None:
            assert narrow.rows[-1][0] == wide.rows[-1][0]

    def test_rejects_other_text(self):
        with pytest.raises(ValueError, match="expected a Keras summary starting with 'Model:"):
            parse_summary("hello")

    def test_rejects_table_without_rows(self):
        with pytest.raises(ValueError, match="with a header and at least one layer"):
            parse_summary('Model: "m"\n Total params: 0')

    def test_unknown_layer(self):
        with pytest.raises(
            KeyError, match="no layer 'gru' in the summary; layers are \\['input', 'lstm'\\]"
        ):
            summarize(build_lstm()).params_of("gru")
