from __future__ import annotations

import subprocess
import sys

import keras
import numpy as np
import pytest

from lstm_examples import EXAMPLES, build_lstm, build_rnn, get_example, seed_input
from lstm_examples.models import DEFAULT_SEED, recurrent_layer


def weights(model: keras.Model) -> list[np.ndarray]:
    return [np.asarray(w) for w in model.get_weights()]


class TestSeededWeights:
    def test_same_call_same_weights(self):
        first, second = build_lstm(4, features=3, seed=7), build_lstm(4, features=3, seed=7)
        for a, b in zip(weights(first), weights(second), strict=True):
            np.testing.assert_array_equal(a, b)

    def test_other_seed_other_weights(self):
        a, b = build_lstm(4, seed=7), build_lstm(4, seed=8)
        assert not np.allclose(weights(a)[0], weights(b)[0])

    def test_independent_of_global_random_state(self):
        before = weights(build_lstm(3, seed=3))
        keras.utils.set_random_seed(12345)
        np.random.default_rng(0).normal(size=100)
        keras.random.normal((10,))
        after = weights(build_lstm(3, seed=3))
        for a, b in zip(before, after, strict=True):
            np.testing.assert_array_equal(a, b)

    def test_same_weights_in_a_fresh_process(self):
        code = (
            "import os; os.environ['TF_CPP_MIN_LOG_LEVEL']='3';"
            "import keras, numpy as np;"
            "keras.layers.Dense(3)(keras.Input((2,)));"  # something ran before
            "from lstm_examples import build_lstm;"
            "print(repr(np.asarray(build_lstm(2, seed=5).get_weights()[0]).tobytes().hex()))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        here = repr(np.asarray(build_lstm(2, seed=5).get_weights()[0]).tobytes().hex())
        assert out == here

    def test_bias_is_keras_default(self):
        kernel, recurrent, bias = weights(build_lstm(2))
        assert kernel.shape == (1, 8)
        assert recurrent.shape == (2, 8)
        # zeros, with the forget gate's block at 1 (unit_forget_bias=True)
        np.testing.assert_array_equal(bias, [0, 0, 1, 1, 0, 0, 0, 0])


class TestBuildRnn:
    @pytest.mark.parametrize(
        ("kind", "layer_class", "n_states"),
        [
            ("lstm", keras.layers.LSTM, 2),
            ("gru", keras.layers.GRU, 1),
            ("simple_rnn", keras.layers.SimpleRNN, 1),
        ],
    )
    def test_kinds_and_output_shapes(self, kind, layer_class, n_states):
        model = build_rnn(
            kind, units=5, return_sequences=True, return_state=True, timesteps=4, features=2
        )
        assert isinstance(model.get_layer(kind), layer_class)
        assert model.output_shape == [(None, 4, 5)] + [(None, 5)] * n_states

    def test_variable_length_input(self):
        model = build_lstm(2, timesteps=None, return_sequences=True)
        assert model.input_shape == (None, None, 1)
        assert model(np.zeros((1, 7, 1), np.float32)).shape == (1, 7, 2)

    def test_names_are_explicit(self):
        for _ in range(2):
            model = build_lstm(1)
            assert [layer.name for layer in model.layers] == ["input", "lstm"]
            assert model.name == "lstm_model"

    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"units": 0}, ValueError, "units must be an integer >= 1, got 0"),
            ({"units": -3}, ValueError, "units must be an integer >= 1"),
            ({"units": 2.5}, TypeError, "units must be an integer >= 1, got float"),
            ({"features": 0}, ValueError, "features must be an integer >= 1"),
            ({"timesteps": 0}, ValueError, "timesteps must be an integer >= 1"),
            ({"return_state": 1}, TypeError, "return_state must be True or False"),
            ({"return_sequences": "yes"}, TypeError, "return_sequences must be True or False"),
            ({"seed": -1}, ValueError, "seed must be an integer"),
        ],
    )
    def test_bad_arguments(self, kwargs, error, message):
        with pytest.raises(error, match=message):
            build_rnn("lstm", **kwargs)

    def test_unknown_kind(self):
        with pytest.raises(
            ValueError,
            match=r"kind must be one of \['gru', 'lstm', 'simple_rnn'\], got 'transformer'",
        ):
            recurrent_layer("transformer")


class TestExamples:
    def test_the_five_configurations(self):
        configs = [(e.units, e.return_sequences, e.return_state) for e in EXAMPLES]
        assert configs == [
            (1, False, False),
            (1, True, False),
            (12, True, False),
            (1, False, True),
            (1, True, True),
        ]

    @pytest.mark.parametrize(
        ("number", "shapes"),
        [
            (1, [(1, 1)]),
            (2, [(1, 3, 1)]),
            (3, [(1, 3, 12)]),
            (4, [(1, 1), (1, 1), (1, 1)]),
            (5, [(1, 3, 1), (1, 1), (1, 1)]),
        ],
    )
    def test_output_shapes_on_the_seed_input(self, number, shapes):
        result = get_example(number).build()(seed_input())
        result = result if isinstance(result, list | tuple) else [result]
        assert [tuple(r.shape) for r in result] == shapes

    def test_code_strings(self):
        assert [e.code for e in EXAMPLES] == [
            "keras.layers.LSTM(1)",
            "keras.layers.LSTM(1, return_sequences=True)",
            "keras.layers.LSTM(12, return_sequences=True)",
            "keras.layers.LSTM(1, return_state=True)",
            "keras.layers.LSTM(1, return_sequences=True, return_state=True)",
        ]

    def test_examples_with_same_units_share_weights(self):
        w1, w4 = weights(get_example(1).build()), weights(get_example(4).build(seed=DEFAULT_SEED))
        for a, b in zip(w1, w4, strict=True):
            np.testing.assert_array_equal(a, b)

    @pytest.mark.parametrize(
        ("number", "error"), [(0, ValueError), (6, ValueError), ("1", TypeError), (True, TypeError)]
    )
    def test_get_example_rejects(self, number, error):
        with pytest.raises(error, match="example number must be"):
            get_example(number)

    def test_seed_input(self):
        x = seed_input()
        assert x.shape == (1, 3, 1)
        assert x.dtype == np.float32
        np.testing.assert_array_equal(x.ravel(), np.float32([0.1, 0.2, 0.3]))
