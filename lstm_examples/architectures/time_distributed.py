"""A per-step ``Dense`` head after ``return_sequences=True``, with or without ``TimeDistributed``."""

from __future__ import annotations

import keras

from ..models import DEFAULT_SEED, RNNKind, recurrent_layer
from ..validation import check_bool, check_optional_positive_int, check_positive_int, check_seed
from .common import dense_layer


def build_sequence_head(
    time_distributed: bool,
    *,
    kind: RNNKind = "lstm",
    units: int = 4,
    outputs: int = 3,
    timesteps: int | None = 5,
    features: int = 2,
    seed: int = DEFAULT_SEED,
) -> keras.Model:
    """Build ``Input -> recurrent layer (return_sequences=True) -> Dense`` applied at every step.

    With ``time_distributed=True`` the ``Dense`` layer is wrapped in
    ``TimeDistributed``; otherwise it is applied to the 3-D sequence directly. The
    recurrent layer is seeded with ``seed`` and the ``Dense`` kernel with
    ``seed + 2``, so the two variants start from the same weights.

    >>> plain = build_sequence_head(False)
    >>> wrapped = build_sequence_head(True)
    >>> plain.output_shape == wrapped.output_shape == (None, 5, 3)
    True
    >>> plain.count_params() == wrapped.count_params()
    True
    """
    time_distributed = check_bool("time_distributed", time_distributed)
    outputs = check_positive_int("outputs", outputs)
    timesteps = check_optional_positive_int("timesteps", timesteps)
    features = check_positive_int("features", features)
    seed = check_seed(seed)
    inputs = keras.Input(shape=(timesteps, features), name="input")
    sequence = recurrent_layer(kind, units=units, return_sequences=True, seed=seed, name=kind)(
        inputs
    )
    dense = dense_layer(outputs, seed=(seed + 2) % 2**31, name="dense")
    if time_distributed:
        head = keras.layers.TimeDistributed(dense, name="time_distributed")
        return keras.Model(inputs, head(sequence), name="time_distributed_head")
    return keras.Model(inputs, dense(sequence), name="dense_head")
