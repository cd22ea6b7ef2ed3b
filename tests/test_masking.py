"""The masked LSTM builder, and what a masked LSTM returns at padded steps."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from lstm_examples.masking import build_masked
from lstm_examples.models import build_lstm

SEQUENCES = [[[0.1, 0.5], [0.2, 0.4], [0.3, 0.3]], [[0.6, 0.2], [0.5, 0.1]]]


def pad(padding: str) -> np.ndarray:
    return keras.utils.pad_sequences(SEQUENCES, maxlen=5, padding=padding, dtype="float32")


def test_same_weights_as_the_unmasked_lstm():
    masked = build_masked(3, features=2, seed=4)
    plain = build_lstm(3, timesteps=None, features=2, seed=4)
    for a, b in zip(masked.get_weights(), plain.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("padding", ["post", "pre"])
def test_final_state_is_the_state_after_the_last_real_step(padding):
    model = build_masked(3, features=2, use_cudnn=False)
    _, state_h, state_c = model.predict(pad(padding), verbose=0)
    for row, sequence in enumerate(SEQUENCES):
        alone = model.predict(np.array([sequence], dtype="float32"), verbose=0)
        np.testing.assert_allclose(state_h[row], alone[1][0], rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(state_c[row], alone[2][0], rtol=1e-6, atol=1e-7)


def test_masked_steps_repeat_the_last_output_or_hold_zeros():
    model = build_masked(3, features=2, use_cudnn=False)
    right, state_h, _ = model.predict(pad("post"), verbose=0)
    left, _, _ = model.predict(pad("pre"), verbose=0)
    np.testing.assert_array_equal(right[0, 3:], np.repeat(state_h[:1], 2, axis=0))
    np.testing.assert_array_equal(right[1, 2:], np.repeat(state_h[1:], 3, axis=0))
    np.testing.assert_array_equal(left[0, :2], 0.0)
    np.testing.assert_array_equal(left[1, :3], 0.0)


def test_without_the_mask_padding_changes_the_state():
    model = build_masked(3, features=2, use_cudnn=False)
    unmasked = keras.Model(model.inputs, model.get_layer("lstm")(model.inputs[0]))
    _, masked_h, _ = model.predict(pad("post"), verbose=0)
    _, unmasked_h, _ = unmasked.predict(pad("post"), verbose=0)
    assert not np.allclose(masked_h, unmasked_h, atol=1e-3)


def test_options():
    model = build_masked(2, features=3, mask_value=-1, return_sequences=False, use_cudnn=False)
    assert model.output_shape == [(None, 2), (None, 2), (None, 2)]
    assert model.get_layer("masking").mask_value == -1.0
    assert model.get_layer("lstm").use_cudnn is False


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"features": 0}, ValueError, "features must be an integer >= 1"),
        ({"units": 1.5}, TypeError, "units must be an integer"),
        ({"use_cudnn": "yes"}, ValueError, "use_cudnn must be 'auto', True or False"),
        ({"use_cudnn": 1}, ValueError, "use_cudnn must be 'auto', True or False"),
        ({"mask_value": None}, TypeError, "mask_value must be a number"),
        ({"mask_value": True}, TypeError, "mask_value must be a number"),
        ({"return_sequences": "yes"}, TypeError, "return_sequences must be"),
    ],
)
def test_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_masked(**kwargs)
