"""What recurrent layers return for each combination of their flags, computed from Keras."""

from __future__ import annotations

import keras

from .explanation import Explanation, explain
from .models import LAYER_CLASSES, RNNKind, recurrent_layer
from .render import Table
from .validation import check_optional_positive_int, check_positive_int

#: The two flags, in the order the tables vary them.
FLAGS = ((False, False), (True, False), (False, True), (True, True))


def _explain_flags(
    kind: RNNKind,
    *,
    bidirectional: bool,
    units: int,
    timesteps: int | None,
    features: int,
) -> list[tuple[bool, bool, Explanation]]:
    """Explain ``kind`` (wrapped or not) for each ``(return_sequences, return_state)``."""
    rows = []
    for return_sequences, return_state in FLAGS:
        layer = recurrent_layer(
            kind, units=units, return_sequences=return_sequences, return_state=return_state
        )
        if bidirectional:
            layer = keras.layers.Bidirectional(layer)
        rows.append((return_sequences, return_state, explain(layer, (timesteps, features))))
    return rows


def _checked(units: object, timesteps: object, features: object) -> tuple[int, int | None, int]:
    return (
        check_positive_int("units", units),
        check_optional_positive_int("timesteps", timesteps),
        check_positive_int("features", features),
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
    (through ``explain``) and reads the names and shapes
    of what it returns; nothing is typed by hand.

    >>> table = flag_combinations(units=4, timesteps=3, features=2)
    >>> print(table)
    return_sequences  return_state  returns                   shapes
    ----------------  ------------  ------------------------  -------------------------------------
    False             False         output                    (batch, 4)
    True              False         output                    (batch, 3, 4)
    False             True          output, state_h, state_c  (batch, 4), (batch, 4), (batch, 4)
    True              True          output, state_h, state_c  (batch, 3, 4), (batch, 4), (batch, 4)
    """
    units, timesteps, features = _checked(units, timesteps, features)
    rows = [
        (str(sequences), str(state), ", ".join(e.roles), ", ".join(e.shape_texts))
        for sequences, state, e in _explain_flags(
            kind, bidirectional=False, units=units, timesteps=timesteps, features=features
        )
    ]
    return Table(("return_sequences", "return_state", "returns", "shapes"), rows)


def cheat_sheet(
    *,
    units: int = 4,
    timesteps: int | None = 3,
    features: int = 2,
) -> Table:
    """Every recurrent layer, with and without ``Bidirectional``, under each pair of flags.

    One row per combination of ``LSTM`` / ``GRU`` / ``SimpleRNN``, plain or wrapped
    in ``Bidirectional`` (default ``merge_mode="concat"``), ``return_sequences`` and
    ``return_state``: how many tensors come back, their names, and their shapes for a
    symbolic input ``(batch, timesteps, features)``, all read from Keras by
    ``explain``.

    >>> table = cheat_sheet(units=4, timesteps=3, features=2)
    >>> len(table.rows)
    24
    >>> for row in table.rows[4:8]:
    ...     print(" | ".join(row[1:]))
    False | False | 1 | output | (batch, 8)
    True | False | 1 | output | (batch, 3, 8)
    False | True | 5 | output, forward_h, forward_c, backward_h, backward_c | (batch, 8), (batch, 4), (batch, 4), (batch, 4), (batch, 4)
    True | True | 5 | output, forward_h, forward_c, backward_h, backward_c | (batch, 3, 8), (batch, 4), (batch, 4), (batch, 4), (batch, 4)
    >>> table.rows[4][0]
    'Bidirectional(LSTM)'
    """
    units, timesteps, features = _checked(units, timesteps, features)
    rows = []
    for kind, layer_class in LAYER_CLASSES.items():
        for bidirectional in (False, True):
            name = layer_class.__name__
            label = f"Bidirectional({name})" if bidirectional else name
            for sequences, state, e in _explain_flags(
                kind,  # type: ignore[arg-type]
                bidirectional=bidirectional,
                units=units,
                timesteps=timesteps,
                features=features,
            ):
                rows.append(
                    (
                        label,
                        str(sequences),
                        str(state),
                        str(len(e)),
                        ", ".join(e.roles),
                        ", ".join(e.shape_texts),
                    )
                )
    return Table(
        ("layer", "return_sequences", "return_state", "count", "returns", "shapes"),
        rows,
        caption=f"units={units}, input (batch, {timesteps}, {features})",
        numeric_columns=frozenset({3}),
    )
