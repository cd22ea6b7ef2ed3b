"""Carrying an LSTM's state across calls: ``stateful=True``, or ``return_state`` by hand.

A stateful layer keeps its final states in variables and starts its next call from
them, which needs a batch size fixed when the model is built. The explicit way
returns the states (``return_state=True``) and feeds them back through
``initial_state``. Both models here share the seeded weights of
:func:`~lstm_examples.models.recurrent_layer`.
"""

from __future__ import annotations

import keras
import numpy as np
import numpy.typing as npt

from .models import DEFAULT_SEED, recurrent_layer
from .validation import as_batch, check_optional_positive_int, check_positive_int


def build_stateful(
    units: int = 1,
    *,
    batch_size: int = 1,
    timesteps: int | None = None,
    features: int = 1,
    seed: int = DEFAULT_SEED,
) -> keras.Model:
    """Build ``Input(batch_shape=(batch_size, timesteps, features)) -> LSTM(stateful=True)``.

    >>> model = build_stateful(2, batch_size=3)
    >>> model.get_layer("lstm").stateful, model.input_shape
    (True, (3, None, 1))
    """
    batch_size = check_positive_int("batch_size", batch_size)
    timesteps = check_optional_positive_int("timesteps", timesteps)
    features = check_positive_int("features", features)
    layer = recurrent_layer("lstm", units=units, seed=seed)
    stateful = keras.layers.LSTM.from_config({**layer.get_config(), "stateful": True})
    inputs = keras.Input(batch_shape=(batch_size, timesteps, features), name="input")
    return keras.Model(inputs, stateful(inputs), name="stateful_lstm")


def build_explicit_state(
    units: int = 1, *, features: int = 1, seed: int = DEFAULT_SEED
) -> keras.Model:
    """Build a model ``[x, h0, c0] -> [output, state_h, state_c]`` (LSTM with ``initial_state``).

    >>> model = build_explicit_state(2)
    >>> [tuple(t.shape) for t in model.inputs]
    [(None, None, 1), (None, 2), (None, 2)]
    """
    units = check_positive_int("units", units)
    features = check_positive_int("features", features)
    x = keras.Input(shape=(None, features), name="input")
    h0 = keras.Input(shape=(units,), name="h0")
    c0 = keras.Input(shape=(units,), name="c0")
    layer = recurrent_layer("lstm", units=units, return_state=True, seed=seed)
    return keras.Model([x, h0, c0], layer(x, initial_state=[h0, c0]), name="explicit_state")


def run_in_chunks(model: keras.Model, x: npt.ArrayLike, chunks: int) -> list[np.ndarray]:
    """Call ``model`` on ``x`` split into ``chunks`` equal pieces along time; one output each.

    A stateful model starts each call from the states the previous call left.

    >>> model = build_stateful(1)
    >>> [out.shape for out in run_in_chunks(model, np.ones((1, 4, 1)), 2)]
    [(1, 1), (1, 1)]
    """
    batch = as_batch(x)
    chunks = check_positive_int("chunks", chunks)
    if batch.shape[1] % chunks:
        raise ValueError(f"chunks must divide the {batch.shape[1]} timestep(s) of x, got {chunks}")
    return [
        keras.ops.convert_to_numpy(model(piece, training=False))
        for piece in np.split(batch, chunks, axis=1)
    ]
