"""What a recurrent layer returns for each combination of its two flags, computed from Keras."""

from __future__ import annotations

import keras

from .models import RNNKind, recurrent_layer
from .outputs import output_names
from .render import Table
from .validation import check_optional_positive_int, check_positive_int


def _shape_text(shape: tuple[int | None, ...]) -> str:
    return (
        "("
        + ", ".join("batch" if d is None and i == 0 else str(d) for i, d in enumerate(shape))
        + ")"
    )


def flag_combinations(
    kind: RNNKind = "lstm",
    *,
    units: int = 4,
    timesteps: int | None = 3,
    features: int = 2,
) -> Table:
    """The four combinations of ``return_sequences`` and ``return_state``, and what comes back.

    Each row calls a real layer on a symbolic input ``(batch, timesteps, features)``
    and reads the names and shapes of what it returns; nothing is typed by hand.

    >>> table = flag_combinations(units=4, timesteps=3, features=2)
    >>> print(table)
    return_sequences  return_state  returns                   shapes
    ----------------  ------------  ------------------------  -------------------------------------
    False             False         output                    (batch, 4)
    True              False         output                    (batch, 3, 4)
    False             True          output, state_h, state_c  (batch, 4), (batch, 4), (batch, 4)
    True              True          output, state_h, state_c  (batch, 3, 4), (batch, 4), (batch, 4)
    """
    units = check_positive_int("units", units)
    features = check_positive_int("features", features)
    timesteps = check_optional_positive_int("timesteps", timesteps)
    rows = []
    for return_state in (False, True):
        for return_sequences in (False, True):
            layer = recurrent_layer(
                kind, units=units, return_sequences=return_sequences, return_state=return_state
            )
            result = layer(keras.Input(shape=(timesteps, features)))
            tensors = result if isinstance(result, list | tuple) else [result]
            rows.append(
                (
                    str(return_sequences),
                    str(return_state),
                    ", ".join(output_names(layer)),
                    ", ".join(_shape_text(tuple(t.shape)) for t in tensors),
                )
            )
    return Table(("return_sequences", "return_state", "returns", "shapes"), rows)
