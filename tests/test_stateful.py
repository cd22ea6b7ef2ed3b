"""stateful=True versus return_state + initial_state."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_examples.models import build_lstm
from lstm_examples.stateful import build_explicit_state, build_stateful, run_in_chunks

X = np.linspace(0.1, 0.8, 8, dtype=np.float32).reshape(2, 4, 1)


def test_state_is_carried_across_calls_and_reset():
    full = build_lstm(3, timesteps=None)(X, training=False)
    model = build_stateful(3, batch_size=2)
    _, second = run_in_chunks(model, X, 2)
    np.testing.assert_allclose(second, full, rtol=1e-6, atol=1e-7)
    model.get_layer("lstm").reset_states()
    fresh = run_in_chunks(model, X[:, 2:], 1)[0]
    separate = build_lstm(3, timesteps=None)(X[:, 2:], training=False)
    np.testing.assert_allclose(fresh, separate, rtol=1e-6, atol=1e-7)


def test_explicit_state_does_the_same():
    model = build_explicit_state(3)
    zeros = np.zeros((2, 3), np.float32)
    _, h, c = model([X[:, :2], zeros, zeros], training=False)
    out, _, _ = model([X[:, 2:], np.asarray(h), np.asarray(c)], training=False)
    full = build_lstm(3, timesteps=None)(X, training=False)
    np.testing.assert_allclose(out, full, rtol=1e-6, atol=1e-7)


def test_bad_input():
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
        build_stateful(batch_size=0)
    with pytest.raises(ValueError, match="chunks must divide the 4"):
        run_in_chunks(build_stateful(1, batch_size=2), X, 3)
    with pytest.raises(TypeError, match="units must be an integer"):
        build_explicit_state(1.5)
