"""stateful=True versus return_state + initial_state."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_examples.models import build_lstm
from lstm_examples.stateful import build_explicit_state, build_stateful

X = np.linspace(0.1, 0.8, 8, dtype=np.float32).reshape(2, 4, 1)


def test_same_weights_as_build_lstm():
    expected = build_lstm(3, timesteps=None, seed=5).get_weights()
    for model in (build_stateful(3, batch_size=2, seed=5), build_explicit_state(3, seed=5)):
        for a, b in zip(model.get_weights(), expected, strict=True):
            np.testing.assert_array_equal(a, b)


def test_state_is_carried_across_calls_and_reset():
    full = build_lstm(3, timesteps=None).predict(X, verbose=0)
    model = build_stateful(3, batch_size=2)
    model.predict(X[:, :2], verbose=0)
    np.testing.assert_allclose(model.predict(X[:, 2:], verbose=0), full, rtol=1e-6, atol=1e-7)
    model.get_layer("lstm").reset_state()
    alone = model.predict(X[:, 2:], verbose=0)
    fresh = build_lstm(3, timesteps=None).predict(X[:, 2:], verbose=0)
    np.testing.assert_allclose(alone, fresh, rtol=1e-6, atol=1e-7)


def test_explicit_state_does_the_same():
    model = build_explicit_state(3)
    zeros = np.zeros((2, 3), np.float32)
    _, h, c = model.predict([X[:, :2], zeros, zeros], verbose=0)
    out, _, _ = model.predict([X[:, 2:], h, c], verbose=0)
    full = build_lstm(3, timesteps=None).predict(X, verbose=0)
    np.testing.assert_allclose(out, full, rtol=1e-6, atol=1e-7)


def test_assigned_states_continue_the_sequence():
    zeros = np.zeros((2, 3), np.float32)
    _, h, c = build_explicit_state(3).predict([X[:, :2], zeros, zeros], verbose=0)
    model = build_stateful(3, batch_size=2)
    for variable, value in zip(model.get_layer("lstm").states, (h, c), strict=True):
        variable.assign(value)
    full = build_lstm(3, timesteps=None).predict(X, verbose=0)
    np.testing.assert_allclose(model.predict(X[:, 2:], verbose=0), full, rtol=1e-6, atol=1e-7)


def test_use_cudnn_is_passed_to_the_layer_and_checked():
    generic = build_stateful(3, batch_size=2, seed=5, use_cudnn=False)
    assert generic.get_layer("lstm").use_cudnn is False
    assert build_stateful(3).get_layer("lstm").use_cudnn == "auto"
    for a, b in zip(
        generic.get_weights(), build_stateful(3, batch_size=2, seed=5).get_weights(), strict=True
    ):
        np.testing.assert_array_equal(a, b)
    for bad in ("yes", 1, None):
        with pytest.raises(ValueError, match="use_cudnn must be True, False or"):
            build_stateful(3, use_cudnn=bad)


def test_fixed_timesteps_and_features():
    model = build_stateful(2, batch_size=3, timesteps=4, features=5)
    assert model.input_shape == (3, 4, 5)
    assert model.output_shape == (3, 2)


@pytest.mark.parametrize(
    ("build", "kwargs", "error", "message"),
    [
        (build_stateful, {"batch_size": 0}, ValueError, "batch_size must be an integer >= 1"),
        (build_stateful, {"timesteps": 0}, ValueError, "timesteps must be"),
        (build_stateful, {"units": 0}, ValueError, "units must be an integer >= 1"),
        (build_explicit_state, {"units": 1.5}, TypeError, "units must be an integer"),
        (build_explicit_state, {"features": 0}, ValueError, "features must be an integer >= 1"),
        (build_explicit_state, {"seed": -1}, ValueError, "seed must be an integer"),
    ],
)
def test_bad_input(build, kwargs, error, message):
    with pytest.raises(error, match=message):
        build(**kwargs)
