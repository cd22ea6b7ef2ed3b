"""Stacked recurrent layers: every layer but the last returns its whole sequence."""

from __future__ import annotations

from collections.abc import Sequence

import keras

from .._types import RNNKind
from ..models import DEFAULT_SEED, recurrent_layer, set_seed
from ..validation import check_bool, check_optional_positive_int, check_positive_int


def build_stacked(
    units: Sequence[int] = (8, 4),
    *,
    kind: RNNKind = "lstm",
    timesteps: int | None = 5,
    features: int = 2,
    return_sequences: bool = False,
    seed: int = DEFAULT_SEED,
    name: str = "stacked",
) -> keras.Model:
    """Stack one recurrent layer per entry of ``units``, each feeding the next.

    Every layer but the last is built with ``return_sequences=True``, so the next
    one receives a 3-D sequence ``(batch, timesteps, units)``; ``return_sequences``
    sets the last layer's flag. The layers are created in order after
    ``set_seed(seed)``, with Keras's default initializers, and named ``{kind}_1``,
    ``{kind}_2``, ...

    >>> model = build_stacked((8, 4), timesteps=5, features=2)
    >>> [layer.return_sequences for layer in model.layers[1:]]
    [True, False]
    >>> model.output_shape
    (None, 4)
    >>> build_stacked(())
    Traceback (most recent call last):
    ...
    ValueError: units must list at least one layer size, got ()
    """
    if isinstance(units, str | bytes) or not isinstance(units, Sequence):
        raise TypeError(f"units must be a sequence of integers >= 1, got {units!r}")
    if len(units) == 0:
        raise ValueError(f"units must list at least one layer size, got {tuple(units)!r}")
    sizes = [check_positive_int(f"units[{i}]", u) for i, u in enumerate(units)]
    timesteps = check_optional_positive_int("timesteps", timesteps)
    features = check_positive_int("features", features)
    last_sequences = check_bool("return_sequences", return_sequences)
    set_seed(seed)
    inputs = keras.Input(shape=(timesteps, features), name="input")
    x = inputs
    for i, size in enumerate(sizes):
        x = recurrent_layer(
            kind,
            units=size,
            return_sequences=i < len(sizes) - 1 or last_sequences,
            name=f"{kind}_{i + 1}",
        )(x)
    return keras.Model(inputs, x, name=name)
