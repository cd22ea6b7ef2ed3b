from __future__ import annotations

import keras
import numpy as np
import pytest

from lstm_examples.architectures import build_seq2seq
from lstm_examples.models import assert_same_model


def plain_keras_seq2seq(latent_dim: int, seed: int) -> keras.Model:
    """The page's visible code for the training model."""
    keras.utils.set_random_seed(seed)
    encoder_inputs = keras.Input(shape=(None, 10))
    encoder = keras.layers.LSTM(latent_dim, return_state=True)
    _, state_h, state_c = encoder(encoder_inputs)
    decoder_inputs = keras.Input(shape=(None, 11))
    decoder_lstm = keras.layers.LSTM(latent_dim, return_sequences=True, return_state=True)
    decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=[state_h, state_c])
    decoder_dense = keras.layers.Dense(10, activation="softmax")
    return keras.Model([encoder_inputs, decoder_inputs], decoder_dense(decoder_outputs))


class TestBuildSeq2seq:
    def test_same_as_the_pages_plain_keras(self):
        assert_same_model(plain_keras_seq2seq(6, seed=3), build_seq2seq(units=6, seed=3))

    def test_shapes_and_flags(self):
        model = build_seq2seq(units=6)
        encoder, decoder = model.get_layer("encoder_lstm"), model.get_layer("decoder_lstm")
        assert encoder.return_state
        assert not encoder.return_sequences
        assert decoder.return_sequences
        assert decoder.return_state
        x = np.eye(10, dtype="float32")[np.zeros((4, 3), dtype=int)]
        y = np.eye(11, dtype="float32")[np.full((4, 3), 10)]
        out = np.asarray(model([x, y]))
        assert out.shape == (4, 3, 10)
        np.testing.assert_allclose(out.sum(-1), 1.0, rtol=1e-5)

    def test_decoder_starts_from_the_encoder_states(self):
        # The encoder's states reach the decoder: changing the source changes the
        # decoder's output even though the decoder's own input is the same.
        model = build_seq2seq(units=6)
        y = np.eye(11, dtype="float32")[np.full((1, 3), 10)]
        a = np.asarray(model([np.eye(10, dtype="float32")[[[1, 2, 3]]], y]))
        b = np.asarray(model([np.eye(10, dtype="float32")[[[4, 5, 6]]], y]))
        assert not np.allclose(a, b)

    def test_other_digits(self):
        model = build_seq2seq(digits=4, units=3)
        assert [tuple(t.shape) for t in model.inputs] == [(None, None, 4), (None, None, 5)]
        assert model.output_shape == (None, None, 4)

    def test_seeded(self):
        assert_same_model(build_seq2seq(units=4, seed=5), build_seq2seq(units=4, seed=5))
        with pytest.raises(AssertionError, match="differs"):
            assert_same_model(build_seq2seq(units=4, seed=5), build_seq2seq(units=4, seed=6))

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"units": 0}, ValueError, "units"),
            ({"digits": 1}, ValueError, "digits must be an integer >= 2"),
            ({"digits": 2.5}, TypeError, "digits"),
            ({"seed": -1}, ValueError, "seed"),
        ],
    )
    def test_bad_arguments(self, kwargs, error, match):
        with pytest.raises(error, match=match):
            build_seq2seq(**kwargs)


class TestUnitsMismatch:
    """What the page shows: Keras 3 wires mismatched states silently, the run fails."""

    def test_builds_then_fails_when_run(self):
        from lstm_examples.device import gpu_names

        source = keras.Input(shape=(None, 10))
        _, state_h, state_c = keras.layers.LSTM(32, return_state=True)(source)
        target = keras.Input(shape=(None, 11))
        decoded = keras.layers.LSTM(16, return_sequences=True)(
            target, initial_state=[state_h, state_c]
        )
        model = keras.Model([source, target], decoded)
        assert model.output_shape == (None, None, 16)
        if gpu_names():
            pytest.skip("the message checked here is the CPU kernel's")
        with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 32 and 16"):
            model.predict([np.zeros((1, 5, 10)), np.zeros((1, 5, 11))], verbose=0)
