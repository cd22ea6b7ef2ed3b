"""Seeded builders for small recurrent models, and the five examples of the basics page.

Every weight comes from an initializer given an explicit seed, so the same call
returns the same weights in any process, whatever ran before it. Layer and model
names are explicit too, so summaries do not depend on how many layers a session
has already created.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import keras
import numpy as np
import numpy.typing as npt

from .validation import check_bool, check_optional_positive_int, check_positive_int, check_seed

RNNKind = Literal["lstm", "gru", "simple_rnn"]

#: Keras layer class for each kind of recurrent layer.
LAYER_CLASSES: Final[dict[str, type[keras.layers.Layer]]] = {
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
    "simple_rnn": keras.layers.SimpleRNN,
}

#: The input sequence of the seed notebook: one sample, three steps, one feature.
SEED_SEQUENCE: Final[tuple[float, float, float]] = (0.1, 0.2, 0.3)

#: The seed used by the examples unless another is given.
DEFAULT_SEED: Final[int] = 1


def seed_input() -> npt.NDArray[np.float32]:
    """Return the seed notebook's input, ``[0.1, 0.2, 0.3]`` shaped ``(1, 3, 1)``.

    >>> x = seed_input()
    >>> x.shape, x.dtype.name
    ((1, 3, 1), 'float32')
    >>> x[0, :, 0].tolist() == [np.float32(v) for v in SEED_SEQUENCE]
    True
    """
    return np.asarray(SEED_SEQUENCE, dtype=np.float32).reshape(1, len(SEED_SEQUENCE), 1)


def recurrent_layer(
    kind: RNNKind = "lstm",
    *,
    units: int = 1,
    return_sequences: bool = False,
    return_state: bool = False,
    seed: int = DEFAULT_SEED,
    name: str | None = None,
) -> keras.layers.Layer:
    """Return a recurrent layer whose initial weights depend only on ``seed``.

    The input kernel uses ``GlorotUniform(seed)`` and the recurrent kernel
    ``Orthogonal(seed + 1)``, Keras's default distributions made deterministic.

    >>> layer = recurrent_layer("gru", units=4, return_state=True)
    >>> type(layer).__name__, layer.units, layer.return_state, layer.name
    ('GRU', 4, True, 'gru')
    """
    if kind not in LAYER_CLASSES:
        raise ValueError(f"kind must be one of {sorted(LAYER_CLASSES)}, got {kind!r}")
    units = check_positive_int("units", units)
    seed = check_seed(seed)
    return LAYER_CLASSES[kind](
        units,
        return_sequences=check_bool("return_sequences", return_sequences),
        return_state=check_bool("return_state", return_state),
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        recurrent_initializer=keras.initializers.Orthogonal(seed=(seed + 1) % 2**31),
        name=name or kind,
    )


def build_rnn(
    kind: RNNKind = "lstm",
    *,
    units: int = 1,
    return_sequences: bool = False,
    return_state: bool = False,
    timesteps: int | None = 3,
    features: int = 1,
    seed: int = DEFAULT_SEED,
    name: str | None = None,
) -> keras.Model:
    """Build ``Input((timesteps, features)) -> recurrent layer`` as a functional model.

    The model's outputs are exactly what the layer returns: one tensor, or a list
    ``[output, state_h(, state_c)]`` when ``return_state=True``. ``timesteps=None``
    accepts sequences of any length.

    >>> model = build_rnn("lstm", units=2, return_sequences=True, timesteps=5, features=3)
    >>> model.output_shape, model.count_params()
    ((None, 5, 2), 48)
    >>> build_rnn(units=0)
    Traceback (most recent call last):
    ...
    ValueError: units must be an integer >= 1, got 0
    """
    timesteps = check_optional_positive_int("timesteps", timesteps)
    features = check_positive_int("features", features)
    layer = recurrent_layer(
        kind,
        units=units,
        return_sequences=return_sequences,
        return_state=return_state,
        seed=seed,
    )
    inputs = keras.Input(shape=(timesteps, features), name="input")
    outputs = layer(inputs)
    return keras.Model(inputs, outputs, name=name or f"{kind}_model")


def build_lstm(
    units: int = 1,
    *,
    return_sequences: bool = False,
    return_state: bool = False,
    timesteps: int | None = 3,
    features: int = 1,
    seed: int = DEFAULT_SEED,
    name: str | None = None,
) -> keras.Model:
    """Build a one-layer LSTM model; shorthand for ``build_rnn("lstm", ...)``.

    >>> model = build_lstm(1, return_state=True)
    >>> model.output_shape
    [(None, 1), (None, 1), (None, 1)]
    """
    return build_rnn(
        "lstm",
        units=units,
        return_sequences=return_sequences,
        return_state=return_state,
        timesteps=timesteps,
        features=features,
        seed=seed,
        name=name,
    )


@dataclass(frozen=True)
class Example:
    """One configuration of the seed notebook: an ``LSTM`` layer and its two flags.

    >>> example = get_example(2)
    >>> example.code
    'keras.layers.LSTM(1, return_sequences=True)'
    >>> example.build().output_shape
    (None, 3, 1)
    """

    number: int
    title: str
    units: int
    return_sequences: bool = False
    return_state: bool = False

    @property
    def code(self) -> str:
        """The Keras call this example makes, as a reader would type it."""
        flags = [
            f"{flag}=True" for flag in ("return_sequences", "return_state") if getattr(self, flag)
        ]
        return f"keras.layers.LSTM({', '.join([str(self.units), *flags])})"

    def build(self, seed: int = DEFAULT_SEED) -> keras.Model:
        """Build this example's model for the seed input ``(1, 3, 1)``."""
        return build_lstm(
            self.units,
            return_sequences=self.return_sequences,
            return_state=self.return_state,
            timesteps=len(SEED_SEQUENCE),
            features=1,
            seed=seed,
            name=f"example_{self.number}",
        )


#: The seed notebook's five configurations, in its order.
EXAMPLES: Final[tuple[Example, ...]] = (
    Example(1, "The default: the last hidden state", units=1),
    Example(2, "return_sequences: one hidden state per step", units=1, return_sequences=True),
    Example(3, "return_sequences with 12 units", units=12, return_sequences=True),
    Example(4, "return_state: output, state_h and state_c", units=1, return_state=True),
    Example(
        5,
        "Both flags: the sequence and the final states",
        units=1,
        return_sequences=True,
        return_state=True,
    ),
)


def get_example(number: int) -> Example:
    """Return example ``number`` (1 to 5) of :data:`EXAMPLES`.

    >>> get_example(3).units
    12
    >>> get_example(6)
    Traceback (most recent call last):
    ...
    ValueError: example number must be one of [1, 2, 3, 4, 5], got 6
    """
    numbers = [example.number for example in EXAMPLES]
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError(f"example number must be an int in {numbers}, got {number!r}")
    if number not in numbers:
        raise ValueError(f"example number must be one of {numbers}, got {number!r}")
    return EXAMPLES[numbers.index(number)]
