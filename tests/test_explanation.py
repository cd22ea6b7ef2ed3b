from __future__ import annotations

import keras
import numpy as np
import pytest

from lstm_examples.explanation import Explanation, describe_layer, explain, shape_text
from lstm_examples.models import recurrent_layer
from lstm_examples.outputs import output_names


def stacked(**flags):
    cells = [keras.layers.LSTMCell(2), keras.layers.GRUCell(3)]
    return keras.layers.RNN(keras.layers.StackedRNNCells(cells), **flags)


class TestExplain:
    def test_lstm_with_both_flags(self):
        e = explain(
            recurrent_layer("lstm", units=4, return_sequences=True, return_state=True), (3, 2)
        )
        assert e.roles == ("output", "state_h", "state_c")
        assert e.shapes == ((None, 3, 4), (None, 4), (None, 4))
        assert e.input_shape == (None, 3, 2)
        assert e.layer == "LSTM(4, return_sequences=True, return_state=True)"

    def test_batch_and_unknown_timesteps(self):
        e = explain(recurrent_layer("gru", units=2, return_sequences=True), (8, None, 5))
        assert e.shapes == ((8, None, 2),)
        assert e.shape_texts == ("(8, None, 2)",)

    def test_bidirectional_merge_none(self):
        layer = keras.layers.Bidirectional(
            recurrent_layer("lstm", units=3, return_sequences=True, return_state=True),
            merge_mode=None,
        )
        e = explain(layer, (5, 2))
        assert list(e) == [
            "output_forward",
            "output_backward",
            "forward_h",
            "forward_c",
            "backward_h",
            "backward_c",
        ]
        assert e["output_backward"] == (None, 5, 3)
        assert e["backward_c"] == (None, 3)
        assert e.layer == (
            "Bidirectional(LSTM(3, return_sequences=True, return_state=True), merge_mode=None)"
        )

    @pytest.mark.parametrize(("mode", "units"), [("sum", 3), ("ave", 3), ("mul", 3), ("concat", 6)])
    def test_bidirectional_merge_modes(self, mode, units):
        layer = keras.layers.Bidirectional(recurrent_layer("simple_rnn", units=3), merge_mode=mode)
        assert explain(layer, (4, 1)).shapes == ((None, units),)

    def test_stacked_cells(self):
        e = explain(stacked(return_state=True), (4, 1))
        assert dict(zip(e.roles, e.shapes, strict=True)) == {
            "output": (None, 3),
            "cell0_h": (None, 2),
            "cell0_c": (None, 2),
            "cell1_h": (None, 3),
        }
        assert e.layer == "RNN(StackedRNNCells([LSTMCell(2), GRUCell(3)]), return_state=True)"
        assert e.meanings[0] == "last cell's hidden state after the last step"
        assert e.meanings[2] == "final cell state of cell 0"

    def test_bidirectional_stacked_cells(self):
        e = explain(keras.layers.Bidirectional(stacked(return_state=True)), (4, 1))
        assert len(e) == 7
        assert e["output"] == (None, 6)
        assert e["backward_cell1_h"] == (None, 3)

    @pytest.mark.parametrize(
        "layer",
        [
            recurrent_layer("lstm", return_state=True),
            keras.layers.Bidirectional(recurrent_layer("gru", return_state=True), merge_mode=None),
            stacked(return_sequences=True, return_state=True),
        ],
        ids=["lstm", "bidirectional-gru", "stacked"],
    )
    def test_roles_are_output_names(self, layer):
        assert explain(layer, (3, 1)).roles == output_names(layer)

    def test_leaves_the_layer_untouched_and_reusable(self):
        layer = keras.layers.Bidirectional(recurrent_layer("lstm", units=2, return_state=True))
        config = layer.get_config()
        explain(layer, (3, 7))  # a feature size the layer will never see
        assert not layer.built
        assert layer.get_config() == config
        inputs = keras.Input((3, 1))
        model = keras.Model(inputs, layer(inputs))
        assert len(model(np.zeros((1, 3, 1), np.float32))) == 5

    def test_built_layer_keeps_its_weights(self):
        layer = recurrent_layer("gru", units=2)
        layer(np.ones((1, 3, 1), np.float32))
        before = [w.copy() for w in layer.get_weights()]
        assert explain(layer, (3, 4)).shapes == ((None, 2),)
        for old, new in zip(before, layer.get_weights(), strict=True):
            np.testing.assert_array_equal(old, new)

    def test_repr_and_html(self):
        e = explain(recurrent_layer("gru", units=2, return_state=True), (3, 1))
        assert repr(e).splitlines() == [
            "GRU(2, return_state=True) on input (batch, 3, 1)",
            "#  role     shape       meaning",
            "-  -------  ----------  --------------------------------",
            "0  output   (batch, 2)  hidden state after the last step",
            "1  state_h  (batch, 2)  final hidden state",
        ]
        html = e._repr_html_()
        assert html.startswith('<table class="lstm-table">')
        assert "<td>state_h</td><td>(batch, 2)</td>" in html

    def test_missing_role(self):
        e = explain(recurrent_layer("simple_rnn"), (3, 1))
        with pytest.raises(KeyError, match="'state_c' is not among the returned tensors"):
            e["state_c"]

    @pytest.mark.parametrize(
        "backward",
        [
            keras.layers.LSTM(2, return_state=True, go_backwards=True),
            keras.layers.GRU(3, return_state=True, go_backwards=True),
        ],
        ids=["other size", "other class"],
    )
    def test_rejects_a_backward_layer_unlike_the_forward_one(self, backward):
        forward = keras.layers.LSTM(3, return_state=True)
        layer = keras.layers.Bidirectional(forward, backward_layer=backward, merge_mode=None)
        with pytest.raises(
            ValueError, match="backward layer has the forward layer's class and size"
        ):
            explain(layer, (4, 2))

    def test_rejects_stacked_backward_cells_of_other_sizes(self):
        def stacked(units, **options):
            return keras.layers.RNN(
                keras.layers.StackedRNNCells([keras.layers.LSTMCell(u) for u in units]),
                return_state=True,
                **options,
            )

        layer = keras.layers.Bidirectional(
            stacked([2, 3]), backward_layer=stacked([2, 4], go_backwards=True)
        )
        with pytest.raises(ValueError, match="class and size"):
            explain(layer, (4, 2))

    def test_accepts_a_backward_layer_like_the_forward_one(self):
        forward = keras.layers.LSTM(3, return_state=True)
        backward = keras.layers.LSTM(3, return_state=True, go_backwards=True, dropout=0.1)
        layer = keras.layers.Bidirectional(forward, backward_layer=backward, merge_mode=None)
        assert explain(layer, (4, 2)).shapes == ((None, 3),) * 6

    def test_rejects_non_recurrent_layers(self):
        with pytest.raises(TypeError, match=r"expected a Keras recurrent layer .* got Dense"):
            explain(keras.layers.Dense(2), (3, 1))
        with pytest.raises(TypeError, match="got LSTMCell"):
            explain(keras.layers.LSTMCell(2), (3, 1))

    @pytest.mark.parametrize(
        ("shape", "error", "message"),
        [
            ((3,), ValueError, r"\(timesteps, features\) or \(batch, timesteps, features\)"),
            ((1, 2, 3, 4), ValueError, r"got 4 dimension\(s\)"),
            (3, TypeError, r"expected input_shape as \(timesteps, features\)"),
            ((3, None), TypeError, "features must be an integer >= 1"),
            ((0, 2), ValueError, "timesteps must be an integer >= 1, got 0"),
            ((-1, 3, 2), ValueError, "batch must be an integer >= 1"),
            ((3, 2.0), TypeError, "features must be an integer >= 1"),
        ],
    )
    def test_bad_input_shapes(self, shape, error, message):
        with pytest.raises(error, match=message):
            explain(recurrent_layer(), shape)


class TestConvLSTM:
    @pytest.mark.parametrize(
        ("layer", "input_shape", "shapes"),
        [
            (
                keras.layers.ConvLSTM2D(4, 3, return_state=True),
                (6, 8, 8, 1),
                ((None, 6, 6, 4),) * 3,
            ),
            (
                keras.layers.ConvLSTM1D(2, 3, padding="same", return_sequences=True),
                (None, 7, 5, 3),
                ((None, 7, 5, 2),),
            ),
        ],
    )
    def test_roles_and_shapes(self, layer, input_shape, shapes):
        e = explain(layer, input_shape)
        assert e.shapes == shapes
        assert len(e.roles) == len(shapes)
        assert e.input_shape[-len(input_shape) + 1 :] == tuple(input_shape[-len(input_shape) + 1 :])

    def test_bad_input_shape_names_the_spatial_axes(self):
        with pytest.raises(ValueError, match=r"\(timesteps, 2 spatial axes and channels\)"):
            explain(keras.layers.ConvLSTM2D(4, 3), (6, 8, 1))
        with pytest.raises(ValueError, match="a spatial or channel axis must be"):
            explain(keras.layers.ConvLSTM1D(4, 3), (6, 0, 1))


class TestExplanation:
    def test_validation(self):
        with pytest.raises(ValueError, match="one shape and one meaning per role"):
            Explanation("x", (None, 1, 1), ("output",), (), ("m",))

    def test_list_input_shape(self):
        assert explain(recurrent_layer(), [3, 1]).input_shape == (None, 3, 1)


def test_shape_text_keeps_known_batch():
    assert shape_text((2, 3)) == "(2, 3)"
    assert shape_text((None, None)) == "(batch, None)"


def test_describe_layer_of_a_custom_cell_without_units():
    class Cell(keras.layers.Layer):
        state_size = 1

        def call(self, inputs, states):
            return states[0], states

    assert describe_layer(keras.layers.RNN(Cell())) == "RNN(Cell())"
