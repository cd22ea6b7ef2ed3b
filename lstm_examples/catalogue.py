"""What recurrent layers return for each combination of their flags, computed from Keras."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import keras

from ._types import RNNKind
from .explanation import Explanation, explain
from .models import LAYER_CLASSES, recurrent_layer
from .render import ShownAsTable, Table
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


#: A cheat-sheet row's key: layer label, ``return_sequences``, ``return_state``.
Key = tuple[str, bool, bool]


@dataclass(frozen=True, repr=False)  # shown as its table
class CheatSheet(ShownAsTable, Mapping[Key, Explanation]):
    """What every recurrent layer returns under each pair of flags: data first, a table to show.

    A read-only mapping from ``(layer, return_sequences, return_state)``, with
    ``layer`` one of ``"LSTM"``, ``"GRU"``, ``"SimpleRNN"`` or
    ``"Bidirectional(LSTM)"`` and so on, to the :class:`~lstm_examples.explanation.Explanation` of that layer
    (names and shapes of what it returns). In a notebook it renders as one table.
    :func:`cheat_sheet` makes these.

    >>> sheet = cheat_sheet(units=4, timesteps=3, features=2)
    >>> sheet["Bidirectional(GRU)", False, True].roles
    ('output', 'forward_h', 'backward_h')
    >>> sheet["LSTM", True, True].shapes
    ((None, 3, 4), (None, 4), (None, 4))
    """

    units: int
    timesteps: int | None
    features: int
    entries: Mapping[Key, Explanation]

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", MappingProxyType(dict(self.entries)))

    def __getitem__(self, key: Key) -> Explanation:
        try:
            return self.entries[key]
        except KeyError:
            raise KeyError(
                f"{key!r} is not in the cheat sheet; keys are (layer, return_sequences, "
                f"return_state) with layer one of {sorted({k[0] for k in self.entries})}"
            ) from None

    def __iter__(self) -> Iterator[Key]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def to_table(self) -> Table:
        """One row per entry: the layer, the flags, how many tensors, their names and shapes.

        A sheet of one layer leaves out the layer and count columns (the layer goes
        in the caption): four narrow columns, as the home page shows them.
        """
        layers = {layer for layer, _, _ in self.entries}
        caption = f"units={self.units}, input (batch, {self.timesteps}, {self.features})"
        if len(layers) == 1:
            return Table(
                ("return_sequences", "return_state", "returns", "shapes"),
                [
                    (str(sequences), str(state), ", ".join(e.roles), ", ".join(e.shape_texts))
                    for (_, sequences, state), e in self.entries.items()
                ],
                caption=f"{layers.pop()}, {caption}",
            )
        rows = [
            (
                layer,
                str(sequences),
                str(state),
                str(len(e)),
                ", ".join(e.roles),
                ", ".join(e.shape_texts),
            )
            for (layer, sequences, state), e in self.entries.items()
        ]
        return Table(
            ("layer", "return_sequences", "return_state", "count", "returns", "shapes"),
            rows,
            caption=caption,
            numeric_columns=frozenset({3}),
        )


def flag_combinations(
    kind: RNNKind = "lstm",
    *,
    units: int = 4,
    timesteps: int | None = 3,
    features: int = 2,
) -> CheatSheet:
    """The four combinations of ``return_sequences`` and ``return_state``, and what comes back.

    Each entry calls a real layer on a symbolic input ``(batch, timesteps, features)``
    (through ``explain``) and reads the names and shapes of what it returns; nothing
    is typed by hand. The result is data (a :class:`CheatSheet` of one layer); it
    shows as a table.

    >>> combinations = flag_combinations(units=4, timesteps=3, features=2)
    >>> combinations["LSTM", False, True].roles
    ('output', 'state_h', 'state_c')
    >>> print(combinations)
    LSTM, units=4, input (batch, 3, 2)
    return_sequences  return_state  returns                   shapes
    ----------------  ------------  ------------------------  -------------------------------------
    False             False         output                    (batch, 4)
    True              False         output                    (batch, 3, 4)
    False             True          output, state_h, state_c  (batch, 4), (batch, 4), (batch, 4)
    True              True          output, state_h, state_c  (batch, 3, 4), (batch, 4), (batch, 4)
    """
    units, timesteps, features = _checked(units, timesteps, features)
    if kind not in LAYER_CLASSES:
        raise ValueError(f"kind must be one of {sorted(LAYER_CLASSES)}, got {kind!r}")
    label = LAYER_CLASSES[kind].__name__
    entries = {
        (label, sequences, state): e
        for sequences, state, e in _explain_flags(
            kind, bidirectional=False, units=units, timesteps=timesteps, features=features
        )
    }
    return CheatSheet(units, timesteps, features, entries)


def cheat_sheet(
    *,
    units: int = 4,
    timesteps: int | None = 3,
    features: int = 2,
) -> CheatSheet:
    """Every recurrent layer, with and without ``Bidirectional``, under each pair of flags.

    One entry per combination of ``LSTM`` / ``GRU`` / ``SimpleRNN``, plain or wrapped
    in ``Bidirectional`` (default ``merge_mode="concat"``), ``return_sequences`` and
    ``return_state``: the names and shapes of what comes back for a symbolic input
    ``(batch, timesteps, features)``, all read from Keras by ``explain``.

    >>> sheet = cheat_sheet(units=4, timesteps=3, features=2)
    >>> len(sheet)
    24
    >>> for row in sheet.to_table().rows[4:8]:
    ...     print(" | ".join(row))
    Bidirectional(LSTM) | False | False | 1 | output | (batch, 8)
    Bidirectional(LSTM) | True | False | 1 | output | (batch, 3, 8)
    Bidirectional(LSTM) | False | True | 5 | output, forward_h, forward_c, backward_h, backward_c | (batch, 8), (batch, 4), (batch, 4), (batch, 4), (batch, 4)
    Bidirectional(LSTM) | True | True | 5 | output, forward_h, forward_c, backward_h, backward_c | (batch, 3, 8), (batch, 4), (batch, 4), (batch, 4), (batch, 4)
    """
    units, timesteps, features = _checked(units, timesteps, features)
    entries: dict[Key, Explanation] = {}
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
                entries[label, sequences, state] = e
    return CheatSheet(units, timesteps, features, entries)
