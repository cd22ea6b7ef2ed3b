from __future__ import annotations

import keras
import numpy as np
import pytest

from lstm_examples.architectures import (
    build_repeat_vector,
    build_sequence_head,
    build_stacked,
    dense_layer,
    layer_shapes,
)
from lstm_examples.summary import summarize

X = np.random.default_rng(0).normal(size=(3, 5, 2)).astype(np.float32)


class TestDenseLayer:
    def test_seeded_kernel(self):
        first, second = dense_layer(3, seed=4), dense_layer(3, seed=4)
        first.build((None, 5))
        second.build((None, 5))
        np.testing.assert_array_equal(first.get_weights()[0], second.get_weights()[0])

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [({"units": 0}, ValueError), ({"seed": -1}, ValueError), ({"units": 2.5}, TypeError)],
    )
    def test_bad_arguments(self, kwargs, error):
        with pytest.raises(error):
            dense_layer(**{"units": 2, **kwargs})


class TestLayerShapes:
    def test_real_batch_shapes(self):
        table = layer_shapes(build_stacked((8, 4)), X)
        assert table.column("layer") == ["input", "lstm_1", "lstm_2"]
        assert table.column("output shape") == ["(3, 5, 2)", "(3, 5, 8)", "(3, 4)"]

    def test_several_inputs(self):
        from lstm_examples.architectures import build_seq2seq, make_reversal_data

        data = make_reversal_data(2, steps=3)
        table = layer_shapes(build_seq2seq(units=4), [data.encoder_input, data.decoder_input])
        shapes = dict(zip(table.column("layer"), table.column("output shape"), strict=True))
        assert shapes["encoder_lstm"] == "(2, 4), (2, 4), (2, 4)"
        assert shapes["decoder_dense"] == "(2, 3, 10)"

    def test_rejects_a_sequential_model(self):
        model = keras.Sequential([keras.Input((3, 1)), keras.layers.Dense(1)])
        with pytest.raises(TypeError, match="functional"):
            layer_shapes(model, np.zeros((1, 3, 1)))

    def test_rejects_a_wrong_input_shape(self):
        with pytest.raises(ValueError, match=r"expected an input shaped \(None, 5, 2\)"):
            layer_shapes(build_stacked((8, 4)), np.zeros((1, 5, 3)))

    def test_rejects_a_wrong_number_of_inputs(self):
        with pytest.raises(ValueError, match="takes 1 input"):
            layer_shapes(build_stacked((8, 4)), [X, X])

    def test_layers_reused_afterwards(self):
        from lstm_examples.architectures import build_seq2seq, inference_models

        model = build_seq2seq(units=4)
        inference_models(model)
        x = np.zeros((2, 3, 10)), np.zeros((2, 3, 11))
        table = layer_shapes(model, list(x))
        assert table.column("output shape")[-1] == "(2, 3, 10)"


class TestStacked:
    def test_every_layer_but_the_last_returns_sequences(self):
        model = build_stacked((6, 5, 4))
        flags = [layer.return_sequences for layer in model.layers[1:]]
        assert flags == [True, True, False]
        assert model(X).shape == (3, 4)

    def test_last_layer_can_return_sequences(self):
        assert build_stacked((6, 4), return_sequences=True).output_shape == (None, 5, 4)

    def test_single_layer(self):
        assert build_stacked((3,)).output_shape == (None, 3)

    @pytest.mark.parametrize("kind", ["gru", "simple_rnn"])
    def test_other_kinds(self, kind):
        model = build_stacked((4, 2), kind=kind)
        assert [layer.name for layer in model.layers[1:]] == [f"{kind}_1", f"{kind}_2"]

    def test_seeded_and_layers_differ(self):
        a, b = build_stacked((4, 4)), build_stacked((4, 4))
        for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
            np.testing.assert_array_equal(wa, wb)
        second = a.get_layer("lstm_2").get_weights()[0]
        assert not np.allclose(a.get_layer("lstm_1").get_weights()[1], second[:, :16])

    def test_parameter_counts(self):
        summary = summarize(build_stacked((8, 4), features=2))
        assert summary.params_of("lstm_1") == str(4 * 8 * (2 + 8 + 1))
        assert summary.params_of("lstm_2") == str(4 * 4 * (8 + 4 + 1))

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

    def test_bad_flag_and_sizes(self):
        with pytest.raises(TypeError, match="return_sequences"):
            build_stacked((4,), return_sequences="yes")
        with pytest.raises(ValueError, match="features"):
            build_stacked((4,), features=0)
        with pytest.raises(ValueError, match="kind"):
            build_stacked((4,), kind="rnn")

    def test_keras_refuses_a_2d_input_to_the_next_layer(self):
        inputs = keras.Input((5, 2))
        last = keras.layers.LSTM(8)(inputs)
        with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
            keras.layers.LSTM(4)(last)


class TestSequenceHead:
    def test_same_shapes_params_and_outputs(self):
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
        with pytest.raises(ValueError, match="seed"):
            build_sequence_head(True, seed=-3)


class TestRepeatVector:
    def test_shapes_at_every_layer(self):
        model = build_repeat_vector(input_steps=5, output_steps=3, features=10, units=6)
        table = layer_shapes(model, np.zeros((2, 5, 10)))
        assert table.column("output shape") == [
            "(2, 5, 10)",
            "(2, 6)",
            "(2, 3, 6)",
            "(2, 3, 6)",
            "(2, 3, 10)",
        ]

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

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [
            ({"output_steps": 0}, ValueError),
            ({"units": -1}, ValueError),
            ({"features": 1.5}, TypeError),
        ],
    )
    def test_bad_arguments(self, kwargs, error):
        with pytest.raises(error):
            build_repeat_vector(**kwargs)
