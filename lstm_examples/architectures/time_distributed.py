"""A per-step ``Dense`` head after ``return_sequences=True``, with or without ``TimeDistributed``."""

from __future__ import annotations

import keras

from .._types import RNNKind
from ..models import DEFAULT_SEED, recurrent_layer, set_seed
from ..validation import check_bool, check_optional_positive_int, check_positive_int


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
    recurrent layer and then the ``Dense`` layer are created after
    ``set_seed(seed)`` with Keras's default initializers, so with the same seed
    the two variants have the same weights.

    >>> plain = build_sequence_head(False)
    >>> wrapped = build_sequence_head(True)
    >>> plain.output_shape == wrapped.output_shape == (None, 5, 3)
    True
    >>> [w.shape for w in wrapped.get_weights()] == [w.shape for w in plain.get_weights()]
    True
    >>> all((a == b).all() for a, b in zip(plain.get_weights(), wrapped.get_weights()))
    True
    """
    time_distributed = check_bool("time_distributed", time_distributed)
    units = check_positive_int("units", units)
    outputs = check_positive_int("outputs", outputs)
    timesteps = check_optional_positive_int("timesteps", timesteps)
    features = check_positive_int("features", features)
    set_seed(seed)
    inputs = keras.Input(shape=(timesteps, features), name="input")
    sequence = recurrent_layer(kind, units=units, return_sequences=True, name=kind)(inputs)
    dense = keras.layers.Dense(outputs, name="dense")
    if time_distributed:
        head = keras.layers.TimeDistributed(dense, name="time_distributed")
        return keras.Model(inputs, head(sequence), name="time_distributed_head")
    return keras.Model(inputs, dense(sequence), name="dense_head")
