from __future__ import annotations

import keras
import pytest

from lstm_examples import output_names
from lstm_examples.models import recurrent_layer
from lstm_examples.outputs import output_roles


class TwoStateCell(keras.layers.Layer):
    """A minimal cell with two states that is not an LSTM cell."""

    state_size = (1, 1)
    output_size = 1

    def call(self, inputs, states):
        h, s = states
        return h, [h + keras.ops.sum(inputs, axis=-1, keepdims=True), s]


class TestOutputNames:
    @pytest.mark.parametrize(
        ("kind", "return_state", "names"),
        [
            ("lstm", False, ("output",)),
            ("lstm", True, ("output", "state_h", "state_c")),
            ("gru", True, ("output", "state_h")),
            ("simple_rnn", True, ("output", "state_h")),
        ],
    )
    def test_names(self, kind, return_state, names):
        assert output_names(recurrent_layer(kind, return_state=return_state)) == names

    def test_stacked_cells_name_each_cell_state(self):
        layer = keras.layers.RNN(
            keras.layers.StackedRNNCells([keras.layers.GRUCell(2), keras.layers.LSTMCell(3)]),
            return_state=True,
        )
        assert output_names(layer) == ("output", "cell0_h", "cell1_h", "cell1_c")

    def test_generic_cell_with_two_states_numbers_them(self):
        layer = keras.layers.RNN(TwoStateCell(), return_state=True)
        assert output_names(layer) == ("output", "state_0", "state_1")

    @pytest.mark.parametrize(
        ("layer", "names"),
        [
            (
                keras.layers.Bidirectional(recurrent_layer("lstm", return_state=True)),
                ("output", "forward_h", "forward_c", "backward_h", "backward_c"),
            ),
            (
                keras.layers.Bidirectional(
                    recurrent_layer("gru", return_state=True), merge_mode=None
                ),
                ("output_forward", "output_backward", "forward_h", "backward_h"),
            ),
            (keras.layers.Bidirectional(recurrent_layer("simple_rnn")), ("output",)),
            (
                keras.layers.Bidirectional(
                    keras.layers.RNN(
                        keras.layers.StackedRNNCells(
                            [keras.layers.LSTMCell(2), keras.layers.GRUCell(2)]
                        ),
                        return_state=True,
                    )
                ),
                (
                    "output",
                    *("forward_cell0_h", "forward_cell0_c", "forward_cell1_h"),
                    *("backward_cell0_h", "backward_cell0_c", "backward_cell1_h"),
                ),
            ),
        ],
        ids=["lstm", "gru-merge-none", "simple-rnn", "stacked"],
    )
    def test_bidirectional(self, layer, names):
        assert output_names(layer) == names

    def test_roles_say_which_step(self):
        roles = dict(
            output_roles(
                keras.layers.Bidirectional(
                    recurrent_layer("lstm", return_state=True), merge_mode=None
                )
            )
        )
        assert roles["output_forward"] == "forward layer's hidden state after the last step"
        assert roles["output_backward"] == "backward layer's hidden state at step 0 (its last step)"
        assert roles["forward_h"] == "forward layer's final hidden state (after the last step)"
        assert roles["backward_c"] == "backward layer's final cell state (at step 0)"

    def test_rejects_non_recurrent(self):
        with pytest.raises(TypeError, match=r"expected a Keras recurrent layer .* got Dense"):
            output_names(keras.layers.Dense(1))
        with pytest.raises(TypeError, match="or a Bidirectional wrapper"):
            output_roles(keras.layers.TimeDistributed(keras.layers.Dense(1)))
