from __future__ import annotations

import keras
import numpy as np
import pytest

from lstm_examples.architectures import (
    DIGITS,
    ReversalData,
    build_seq2seq,
    decoded_table,
    greedy_decode,
    inference_models,
    make_reversal_data,
    one_hot,
    sequence_accuracy,
    token_accuracy,
    train_seq2seq,
)


class TestOneHot:
    def test_values(self):
        assert one_hot(np.array([1, 0]), 2).tolist() == [[0.0, 1.0], [1.0, 0.0]]
        assert one_hot([[3]], 4).dtype == np.float32

    def test_bad_inputs(self):
        with pytest.raises(ValueError, match=r"\[0, 3\)"):
            one_hot([3], 3)
        with pytest.raises(ValueError, match=r"\[0, 3\)"):
            one_hot([-1], 3)
        with pytest.raises(TypeError, match="integers"):
            one_hot([0.5], 3)
        with pytest.raises(ValueError, match="depth"):
            one_hot([0], 0)


class TestReversalData:
    def test_deterministic(self):
        a, b = make_reversal_data(50, seed=7), make_reversal_data(50, seed=7)
        np.testing.assert_array_equal(a.sources, b.sources)
        assert not np.array_equal(a.sources, make_reversal_data(50, seed=8).sources)

    def test_shapes_and_contents(self):
        data = make_reversal_data(20, steps=4, digits=6, seed=1)
        assert data.sources.shape == data.targets.shape == (20, 4)
        np.testing.assert_array_equal(data.targets, data.sources[:, ::-1])
        assert data.sources.min() >= 0
        assert data.sources.max() < 6
        assert data.encoder_input.shape == (20, 4, 6)
        assert data.decoder_input.shape == (20, 4, 7)
        np.testing.assert_array_equal(data.encoder_input.argmax(-1), data.sources)

    def test_teacher_forcing_input(self):
        data = make_reversal_data(10, seed=2)
        decoder_tokens = data.decoder_input.argmax(-1)
        assert data.start_token == DIGITS
        assert (decoder_tokens[:, 0] == DIGITS).all()
        np.testing.assert_array_equal(decoder_tokens[:, 1:], data.targets[:, :-1])

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"n": 0}, ValueError, "n must"),
            ({"n": 2.0}, TypeError, "n must"),
            ({"n": 2, "steps": 0}, ValueError, "steps"),
            ({"n": 2, "digits": 1}, ValueError, "digits must be an integer >= 2"),
            ({"n": 2, "seed": -1}, ValueError, "seed"),
        ],
    )
    def test_bad_arguments(self, kwargs, error, match):
        with pytest.raises(error, match=match):
            make_reversal_data(**kwargs)


@pytest.fixture(scope="module")
def small():
    model = build_seq2seq(units=6, seed=3)
    encoder, decoder = inference_models(model)
    return model, encoder, decoder


class TestModels:
    def test_training_model_shapes(self, small):
        model, _, _ = small
        data = make_reversal_data(4, steps=3)
        out = np.asarray(model([data.encoder_input, data.decoder_input]))
        assert out.shape == (4, 3, DIGITS)
        np.testing.assert_allclose(out.sum(-1), 1.0, rtol=1e-5)

    def test_decoder_starts_from_the_encoder_states(self, small):
        model, _, _ = small
        decoder_lstm = model.get_layer("decoder_lstm")
        assert decoder_lstm.return_sequences
        assert decoder_lstm.return_state
        assert model.get_layer("encoder_lstm").return_state

    def test_seeded(self):
        a, b = build_seq2seq(units=4, seed=5), build_seq2seq(units=4, seed=5)
        for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
            np.testing.assert_array_equal(wa, wb)

    def test_inference_models_share_the_weights(self, small):
        model, encoder, decoder = small
        trained = {id(v) for v in model.weights}
        assert {id(v) for v in encoder.weights} <= trained
        assert {id(v) for v in decoder.weights} <= trained
        assert len(encoder.weights) + len(decoder.weights) == len(model.weights)

    def test_inference_sees_weight_changes(self):
        model = build_seq2seq(units=4, seed=1)
        encoder, _ = inference_models(model)
        x = make_reversal_data(2, steps=3).encoder_input
        before = np.asarray(encoder(x)[0])
        kernel = model.get_layer("encoder_lstm").cell.kernel
        kernel.assign(kernel * 2.0)
        assert not np.allclose(before, np.asarray(encoder(x)[0]))

    def test_inference_shapes(self, small):
        _, encoder, decoder = small
        assert encoder.output_shape == [(None, 6), (None, 6)]
        assert decoder.output_shape == [(None, 1, DIGITS), (None, 6), (None, 6)]

    def test_bad_arguments(self):
        with pytest.raises(ValueError, match="units"):
            build_seq2seq(units=0)
        with pytest.raises(TypeError, match=r"keras\.Model"):
            inference_models("model")
        with pytest.raises(ValueError, match="encoder_lstm"):
            inference_models(build_lstm_model())


def build_lstm_model() -> keras.Model:
    from lstm_examples.models import build_lstm

    return build_lstm(2)


class TestGreedyDecode:
    def test_is_a_fixed_point_of_teacher_forcing(self, small):
        # Feeding the greedy output back as the teacher-forced decoder input must
        # reproduce it: step-by-step decoding runs the same computation.
        model, encoder, decoder = small
        data = make_reversal_data(16, steps=5, seed=4)
        decoded = greedy_decode(encoder, decoder, data.encoder_input)
        assert decoded.shape == (16, 5)
        assert decoded.dtype == np.int64
        forced = ReversalData(decoded[:, ::-1].copy())  # its targets are `decoded`
        probabilities = model([data.encoder_input, forced.decoder_input])
        np.testing.assert_array_equal(np.argmax(probabilities, axis=-1), decoded)

    def test_steps(self, small):
        _, encoder, decoder = small
        x = make_reversal_data(3, steps=4).encoder_input
        assert greedy_decode(encoder, decoder, x, steps=2).shape == (3, 2)
        with pytest.raises(ValueError, match="steps"):
            greedy_decode(encoder, decoder, x, steps=0)

    def test_bad_inputs(self, small):
        _, encoder, decoder = small
        with pytest.raises(ValueError, match="10 feature"):
            greedy_decode(encoder, decoder, np.zeros((1, 3, 4)))
        with pytest.raises(ValueError, match="3-D"):
            greedy_decode(encoder, decoder, np.zeros((3, 10)))


class TestTraining:
    def test_short_training_lowers_the_loss(self):
        model = build_seq2seq(units=8, seed=0)
        result = train_seq2seq(model, make_reversal_data(256, steps=3), epochs=3, batch_size=32)
        assert result.epochs == 3
        assert result.seconds > 0
        assert result.history["loss"][-1] < result.history["loss"][0]

    def test_same_seed_same_history(self):
        data = make_reversal_data(64, steps=3)
        first = train_seq2seq(build_seq2seq(units=4), data, epochs=1, batch_size=16, seed=1)
        second = train_seq2seq(build_seq2seq(units=4), data, epochs=1, batch_size=16, seed=1)
        assert first.history == second.history

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"epochs": 0}, ValueError, "epochs"),
            ({"batch_size": 1.5}, TypeError, "batch_size"),
            ({"learning_rate": 0}, ValueError, "learning_rate"),
            ({"learning_rate": True}, ValueError, "learning_rate"),
            ({"seed": -1}, ValueError, "seed"),
        ],
    )
    def test_bad_arguments(self, kwargs, error, match):
        with pytest.raises(error, match=match):
            train_seq2seq(build_seq2seq(units=2), make_reversal_data(4), **kwargs)

    def test_rejects_other_data(self):
        with pytest.raises(TypeError, match="ReversalData"):
            train_seq2seq(build_seq2seq(units=2), np.zeros((4, 5)))


class TestAccuracyAndTable:
    def test_accuracies(self):
        target = np.array([[1, 2, 3], [4, 5, 6]])
        predicted = np.array([[1, 2, 3], [4, 0, 6]])
        assert sequence_accuracy(predicted, target) == 0.5
        assert token_accuracy(predicted, target) == pytest.approx(5 / 6)

    @pytest.mark.parametrize("function", [sequence_accuracy, token_accuracy])
    def test_shape_mismatch(self, function):
        with pytest.raises(ValueError, match="one shape"):
            function([[1, 2]], [[1, 2, 3]])
        with pytest.raises(ValueError, match="one shape"):
            function([1, 2], [1, 2])

    def test_table(self):
        data = make_reversal_data(8, steps=3, seed=0)
        decoded = data.targets.copy()
        decoded[1, 0] = (decoded[1, 0] + 1) % DIGITS
        table = decoded_table(data, decoded, rows=3)
        assert table.column("right") == ["yes", "no", "yes"]
        assert table.column("source")[0] == " ".join(map(str, data.sources[0]))
        with pytest.raises(ValueError, match="rows"):
            decoded_table(data, decoded, rows=0)


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
        data = make_reversal_data(1)
        if gpu_names():
            pytest.skip("the message checked here is the CPU kernel's")
        with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 32 and 16"):
            model.predict([data.encoder_input, data.decoder_input], verbose=0)
