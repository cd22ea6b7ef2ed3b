from __future__ import annotations

import keras
import numpy as np
import pytest

from lstm_examples import NamedOutputs, build_lstm, build_rnn, output_names, run_named, seed_input
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


class TestRunNamed:
    def test_return_state_gives_three_named_arrays(self):
        named = run_named(build_lstm(2, return_state=True), seed_input())
        assert list(named) == ["output", "state_h", "state_c"]
        assert named.shapes == {"output": (1, 2), "state_h": (1, 2), "state_c": (1, 2)}
        np.testing.assert_array_equal(named.output, named.state_h)
        assert named["state_c"] is named.state_c

    def test_last_step_of_sequence_is_state_h(self):
        named = run_named(
            build_lstm(3, return_sequences=True, return_state=True, timesteps=5, features=2),
            np.random.default_rng(0).normal(size=(4, 5, 2)),
        )
        assert named.shapes == {"output": (4, 5, 3), "state_h": (4, 3), "state_c": (4, 3)}
        np.testing.assert_array_equal(named.output[:, -1, :], named.state_h)

    def test_matches_predict(self):
        model = build_lstm(1, return_sequences=True)
        np.testing.assert_allclose(
            run_named(model, seed_input()).output, model.predict(seed_input(), verbose=0), rtol=1e-6
        )

    def test_gru(self):
        named = run_named(build_rnn("gru", units=2, return_state=True), seed_input())
        assert named.names == ("output", "state_h")
        np.testing.assert_array_equal(named.output, named.state_h)

    def test_bidirectional_model(self):
        inputs = keras.Input((3, 1))
        layer = keras.layers.Bidirectional(
            recurrent_layer("lstm", units=2, return_sequences=True, return_state=True)
        )
        named = run_named(keras.Model(inputs, layer(inputs)), seed_input())
        assert named.names == ("output", "forward_h", "forward_c", "backward_h", "backward_c")
        np.testing.assert_array_equal(named.output[:, -1, :2], named.forward_h)
        np.testing.assert_array_equal(named.output[:, 0, 2:], named.backward_h)

    def test_stacked_cells_model_outputs_are_flattened(self):
        inputs = keras.Input((3, 1))
        cells = [keras.layers.LSTMCell(2, seed=1), keras.layers.GRUCell(3, seed=2)]
        layer = keras.layers.RNN(keras.layers.StackedRNNCells(cells), return_state=True)
        named = run_named(keras.Model(inputs, layer(inputs)), seed_input())
        assert named.shapes == {
            "output": (1, 3),
            "cell0_h": (1, 2),
            "cell0_c": (1, 2),
            "cell1_h": (1, 3),
        }
        np.testing.assert_array_equal(named.output, named.cell1_h)

    def test_accepts_nested_lists(self):
        assert run_named(build_lstm(), [[[0.1], [0.2], [0.3]]]).shapes == {"output": (1, 1)}

    @pytest.mark.parametrize(
        ("x", "error", "message"),
        [
            ([0.1, 0.2, 0.3], ValueError, r"expected a 3-D input \(batch, timesteps, features\)"),
            (np.zeros((1, 3, 2)), ValueError, r"expected 1 feature\(s\)"),
            (np.zeros((1, 4, 1)), ValueError, r"expected 3 timestep\(s\)"),
            ([[["x"], ["y"], ["z"]]], TypeError, "expected a numeric array"),
        ],
    )
    def test_bad_input(self, x, error, message):
        with pytest.raises(error, match=message):
            run_named(build_lstm(), x)

    def test_rejects_non_model(self):
        with pytest.raises(TypeError, match=r"expected a keras.Model, got LSTM"):
            run_named(recurrent_layer(), seed_input())

    def test_model_without_recurrent_layer(self):
        inputs = keras.Input((3, 1))
        model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
        with pytest.raises(ValueError, match="has no recurrent layer"):
            run_named(model, seed_input())

    def test_model_whose_outputs_do_not_match_its_last_layer(self):
        inputs = keras.Input((3, 1))
        output, state_h, _ = recurrent_layer(return_state=True)(inputs)
        model = keras.Model(inputs, [output, state_h])
        with pytest.raises(
            ValueError,
            match=r"returned 2 array\(s\), but its last recurrent layer 'lstm' returns 3",
        ):
            run_named(model, seed_input())


class TestNamedOutputs:
    def test_mapping_and_attributes(self):
        named = NamedOutputs(("output", "state_h"), (np.zeros((1, 2)), np.ones((1, 2))))
        assert len(named) == 2
        assert dict(named.shapes) == {"output": (1, 2), "state_h": (1, 2)}
        with pytest.raises(KeyError, match="'state_c' is not among the outputs"):
            named["state_c"]
        with pytest.raises(AttributeError, match="state_c"):
            _ = named.state_c

    def test_repr_shows_names_shapes_and_values(self):
        text = repr(NamedOutputs(("output",), (np.array([[0.1234567]], np.float32),)))
        assert text == "NamedOutputs(\noutput (1, 1):\n    [[0.123457]]\n)"

    def test_validation(self):
        with pytest.raises(ValueError, match="one array per name"):
            NamedOutputs(("a", "b"), (np.zeros(1),))
        with pytest.raises(ValueError, match="names must be unique"):
            NamedOutputs(("a", "a"), (np.zeros(1), np.zeros(1)))
