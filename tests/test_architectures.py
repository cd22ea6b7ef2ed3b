from __future__ import annotations

import keras
import numpy as np
import pytest

from lstm_examples.architectures import build_repeat_vector, build_sequence_head, build_stacked
from lstm_examples.models import assert_same_model

X = np.random.default_rng(0).normal(size=(3, 5, 2)).astype(np.float32)


class TestStacked:
    def test_same_as_the_pages_plain_keras(self):
        keras.utils.set_random_seed(1)
        inputs = keras.Input(shape=(5, 2))
        sequence = keras.layers.LSTM(8, return_sequences=True)(inputs)
        outputs = keras.layers.LSTM(4)(sequence)
        assert_same_model(keras.Model(inputs, outputs), build_stacked((8, 4), seed=1))

    def test_every_layer_but_the_last_returns_sequences(self):
        model = build_stacked((6, 5, 4))
        flags = [layer.return_sequences for layer in model.layers[1:]]
        assert flags == [True, True, False]
        assert model(X).shape == (3, 4)

    def test_last_layer_can_return_sequences(self):
        assert build_stacked((6, 4), return_sequences=True).output_shape == (None, 5, 4)

    def test_the_flag_does_not_change_the_weights(self):
        a, b = build_stacked((4, 3)), build_stacked((4, 3), return_sequences=True)
        for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
            np.testing.assert_array_equal(wa, wb)

    def test_single_layer(self):
        assert build_stacked((3,)).output_shape == (None, 3)

    @pytest.mark.parametrize("kind", ["gru", "simple_rnn"])
    def test_other_kinds(self, kind):
        model = build_stacked((4, 2), kind=kind)
        assert [layer.name for layer in model.layers[1:]] == [f"{kind}_1", f"{kind}_2"]

    def test_seeded_and_independent_of_what_ran_before(self):
        first = build_stacked((4, 4), seed=3)
        keras.layers.Dense(5)(keras.Input((2,)))  # draws from the global generators
        assert_same_model(first, build_stacked((4, 4), seed=3))
        with pytest.raises(AssertionError, match="differs"):
            assert_same_model(first, build_stacked((4, 4), seed=4))

    def test_parameter_counts(self):
        model = build_stacked((8, 4), features=2)
        assert model.get_layer("lstm_1").count_params() == 4 * 8 * (2 + 8 + 1)
        assert model.get_layer("lstm_2").count_params() == 4 * 4 * (8 + 4 + 1)

    @pytest.mark.parametrize(
        ("units", "error", "match"),
        [
            ((), ValueError, "at least one"),
            ((4, 0), ValueError, r"units\[1\]"),
            ("84", TypeError, "sequence of integers"),
            (8, TypeError, "sequence of integers"),
            ((4, 2.0), TypeError, r"units\[1\]"),
        ],
    )
    def test_bad_units(self, units, error, match):
        with pytest.raises(error, match=match):
            build_stacked(units)

    def test_bad_flag_sizes_and_seed(self):
        with pytest.raises(TypeError, match="return_sequences"):
            build_stacked((4,), return_sequences="yes")
        with pytest.raises(ValueError, match="features"):
            build_stacked((4,), features=0)
        with pytest.raises(ValueError, match="kind"):
            build_stacked((4,), kind="rnn")
        with pytest.raises(ValueError, match="seed"):
            build_stacked((4,), seed=-1)

    @pytest.mark.parametrize("layer", [keras.layers.LSTM, keras.layers.GRU, keras.layers.SimpleRNN])
    def test_keras_refuses_a_2d_input_to_the_next_layer(self, layer):
        last = keras.layers.LSTM(8)(keras.Input((5, 2)))
        with pytest.raises(ValueError, match=r"expected ndim=3, found ndim=2"):
            layer(4)(last)


class TestSequenceHead:
    @pytest.mark.parametrize("time_distributed", [False, True])
    def test_same_as_the_pages_plain_keras(self, time_distributed):
        keras.utils.set_random_seed(1)
        inputs = keras.Input(shape=(5, 2))
        sequence = keras.layers.LSTM(4, return_sequences=True)(inputs)
        dense = keras.layers.Dense(3)
        head = keras.layers.TimeDistributed(dense) if time_distributed else dense
        page = keras.Model(inputs, head(sequence))
        assert_same_model(page, build_sequence_head(time_distributed, seed=1))

    def test_same_shapes_params_weights_and_outputs(self):
        plain, wrapped = build_sequence_head(False), build_sequence_head(True)
        assert plain.output_shape == wrapped.output_shape == (None, 5, 3)
        assert plain.count_params() == wrapped.count_params() == 4 * 4 * (2 + 4 + 1) + 4 * 3 + 3
        for a, b in zip(plain.get_weights(), wrapped.get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)
        np.testing.assert_allclose(plain(X), wrapped(X), rtol=1e-6, atol=1e-7)

    def test_names(self):
        assert [layer.name for layer in build_sequence_head(True).layers] == [
            "input",
            "lstm",
            "time_distributed",
        ]
        assert build_sequence_head(False).layers[-1].name == "dense"

    def test_bad_arguments(self):
        with pytest.raises(TypeError, match="time_distributed"):
            build_sequence_head(1)
        with pytest.raises(ValueError, match="outputs"):
            build_sequence_head(True, outputs=0)
        with pytest.raises(ValueError, match="units"):
            build_sequence_head(True, units=0)
        with pytest.raises(ValueError, match="seed"):
            build_sequence_head(True, seed=-3)


class TestRepeatVector:
    def test_same_as_the_pages_plain_keras(self):
        keras.utils.set_random_seed(1)
        inputs = keras.Input(shape=(5, 10))
        encoder = keras.layers.LSTM(16)
        decoder = keras.layers.LSTM(16, return_sequences=True)
        head = keras.layers.Dense(10, activation="softmax")
        outputs = head(decoder(keras.layers.RepeatVector(5)(encoder(inputs))))
        assert_same_model(keras.Model(inputs, outputs), build_repeat_vector(seed=1))

    def test_shapes_at_every_layer(self):
        model = build_repeat_vector(input_steps=5, output_steps=3, features=10, units=6)
        shapes = [tuple(layer.output.shape) for layer in model.layers]
        assert shapes == [(None, 5, 10), (None, 6), (None, 3, 6), (None, 3, 6), (None, 3, 10)]

    def test_probabilities_per_step(self):
        model = build_repeat_vector(output_steps=4, features=3, outputs=5, input_steps=None)
        out = np.asarray(model(np.ones((2, 7, 3))))
        assert out.shape == (2, 4, 5)
        np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-5)

    def test_repeated_vector_is_the_encoder_state(self):
        model = build_repeat_vector(output_steps=3, features=2, units=4)
        probe = keras.Model(
            model.inputs[0],
            [model.get_layer("encoder").output, model.get_layer("repeat").output],
        )
        state, repeated = (np.asarray(a) for a in probe(X))
        for step in range(3):
            np.testing.assert_array_equal(repeated[:, step], state)

    def test_output_steps_do_not_change_the_weights(self):
        five, three = build_repeat_vector(output_steps=5), build_repeat_vector(output_steps=3)
        for a, b in zip(five.get_weights(), three.get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [
            ({"output_steps": 0}, ValueError),
            ({"units": -1}, ValueError),
            ({"features": 1.5}, TypeError),
            ({"outputs": 0}, ValueError),
            ({"seed": -1}, ValueError),
        ],
    )
    def test_bad_arguments(self, kwargs, error):
        with pytest.raises(error):
            build_repeat_vector(**kwargs)
