"""Padding helpers and what a masked recurrent layer returns."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_examples.masking import build_masked, pad_sequences, real_steps, run_padded
from lstm_examples.outputs import run_named

X = np.array([[[0.1, 0.5], [0.2, 0.4], [0.3, 0.3]]], dtype=np.float32)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("side", ["right", "left"])
def test_final_state_equals_the_unpadded_run(kind, side):
    plain = run_named(build_masked(kind, units=3, features=2, mask_value=None), X)
    padded = run_padded(build_masked(kind, units=3, features=2), X, 6, side=side)
    np.testing.assert_allclose(padded.state_h, plain.state_h, rtol=1e-6, atol=1e-7)
    real = padded.output[:, real_steps(6, 3, side), :]
    np.testing.assert_allclose(real, plain.output, rtol=1e-6, atol=1e-7)


def test_masked_steps_repeat_or_hold_zero():
    model = build_masked(units=3, features=2)
    right = run_padded(model, X, 5, side="right").output
    left = run_padded(model, X, 5, side="left").output
    np.testing.assert_array_equal(right[:, 3:, :], np.repeat(right[:, 2:3, :], 2, axis=1))
    np.testing.assert_array_equal(left[:, :2, :], 0.0)


def test_without_masking_padding_changes_the_state():
    model = build_masked(units=3, features=2, mask_value=None)
    plain = run_named(model, X)
    padded = run_named(model, pad_sequences(X, 5))
    assert not np.allclose(padded.state_h, plain.state_h)


def test_pad_sequences():
    assert pad_sequences(X, 3).shape == (1, 3, 2)
    out = pad_sequences(X, 4, side="left", value=-1.0)
    assert out[0, 0].tolist() == [-1.0, -1.0]
    assert out.dtype == np.float32


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((X, 2), {}, ValueError, "length must be at least the 3"),
        ((X, 0), {}, ValueError, "length must be an integer >= 1"),
        ((X, 4), {"side": "middle"}, ValueError, "side must be 'right' or 'left'"),
        ((X[0], 4), {}, ValueError, "expected a 3-D input"),
        ((np.zeros((1, 2, 2)), 4), {}, ValueError, "padding value"),
    ],
)
def test_pad_sequences_bad_input(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        pad_sequences(*args, **kwargs)


def test_real_steps_bad_input():
    with pytest.raises(ValueError, match="steps must be at most length 2"):
        real_steps(2, 3, "right")
    with pytest.raises(ValueError, match="side must be"):
        real_steps(3, 2, "up")


def test_build_masked_bad_input():
    with pytest.raises(ValueError, match="features must be an integer >= 1"):
        build_masked(features=0)
    with pytest.raises(ValueError, match="kind must be one of"):
        build_masked("transformer")
    with pytest.raises(ValueError, match="use_cudnn must be"):
        build_masked(use_cudnn="yes")


def test_generic_kernel_and_simple_rnn():
    plain = run_named(build_masked(units=2, features=2, mask_value=None, use_cudnn=False), X)
    padded = run_padded(build_masked(units=2, features=2, use_cudnn=False), X, 5)
    np.testing.assert_allclose(padded.state_h, plain.state_h, rtol=1e-6, atol=1e-7)
    assert build_masked("simple_rnn", use_cudnn=False).get_layer("simple_rnn").return_state
