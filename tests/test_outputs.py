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

    @pytest.mark.parametrize("return_sequences", [False, True])
    @pytest.mark.parametrize("return_state", [False, True])
    @pytest.mark.parametrize(
        ("layer_class", "step_shape"),
        [(keras.layers.ConvLSTM1D, (5, 2)), (keras.layers.ConvLSTM2D, (5, 5, 2))],
    )
    def test_conv_lstm_names_every_tensor_keras_returns(
        self, layer_class, step_shape, return_state, return_sequences
    ):
        # A ConvLSTM cell is no LSTMCell and its state_size is -1 until built: the names
        # must still count the h and c that Keras returns, unbuilt and built.
        layer = layer_class(
            2, 3, padding="same", return_state=return_state, return_sequences=return_sequences
        )
        names = output_names(layer)
        returned = keras.tree.flatten(layer(keras.Input((4, *step_shape))))
        assert len(names) == len(returned) == (3 if return_state else 1)
        assert output_names(layer) == names
        if return_state:
            assert names == ("output", "state_h", "state_c")
            assert returned[1].shape == returned[2].shape

    def test_bidirectional_conv_lstm(self):
        layer = keras.layers.Bidirectional(keras.layers.ConvLSTM1D(2, 3, return_state=True))
        returned = keras.tree.flatten(layer(keras.Input((4, 5, 2))))
        assert output_names(layer) == (
            "output",
            "forward_h",
            "forward_c",
            "backward_h",
            "backward_c",
        )
        assert len(returned) == 5

    def test_rejects_non_recurrent(self):
        with pytest.raises(TypeError, match=r"expected a Keras recurrent layer .* got Dense"):
            output_names(keras.layers.Dense(1))
        with pytest.raises(TypeError, match="or a Bidirectional wrapper"):
            output_roles(keras.layers.TimeDistributed(keras.layers.Dense(1)))
