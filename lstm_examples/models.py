"""Seeded builders for small recurrent models, and the five examples of the basics page.

A builder given ``seed`` calls ``keras.utils.set_random_seed(seed)`` and then builds
its layers with Keras's default initializers: exactly what a page's visible code
does, so a model built on a page and the package's model for it have the same
weights, whatever ran before either (:func:`assert_same_model` checks it). Setting
the seed resets Python's, NumPy's and Keras's global random generators, as it does
in the reader's code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import keras
import numpy as np
import numpy.typing as npt

from ._types import RNNKind
from .validation import check_bool, check_optional_positive_int, check_positive_int, check_seed

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


def set_seed(seed: int) -> None:
    """Seed Keras's, NumPy's and Python's random generators, as the pages do.

    ``keras.utils.set_random_seed`` also resets Keras's global seed generator, so
    the layers built after it get the same initial weights in any process,
    whatever was drawn before.

    >>> set_seed(3); first = keras.layers.Dense(2); first.build((None, 2))
    >>> set_seed(3); again = keras.layers.Dense(2); again.build((None, 2))
    >>> bool((first.kernel.numpy() == again.kernel.numpy()).all())
    True
    """
    keras.utils.set_random_seed(check_seed(seed))


def recurrent_layer(
    kind: RNNKind = "lstm",
    *,
    units: int = 1,
    return_sequences: bool = False,
    return_state: bool = False,
    name: str | None = None,
) -> keras.layers.Layer:
    """Return ``keras.layers.LSTM``, ``GRU`` or ``SimpleRNN`` with Keras's defaults.

    Its weights are drawn when it is built: call :func:`set_seed` first for
    reproducible ones.

    >>> layer = recurrent_layer("gru", units=4, return_state=True)
    >>> type(layer).__name__, layer.units, layer.return_state, layer.name
    ('GRU', 4, True, 'gru')
    """
    if kind not in LAYER_CLASSES:
        raise ValueError(f"kind must be one of {sorted(LAYER_CLASSES)}, got {kind!r}")
    return LAYER_CLASSES[kind](
        check_positive_int("units", units),
        return_sequences=check_bool("return_sequences", return_sequences),
        return_state=check_bool("return_state", return_state),
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

    The weights are drawn after ``keras.utils.set_random_seed(seed)``. The model's
    outputs are exactly what the layer returns: one tensor, or the tuple
    ``(output, state_h(, state_c))`` when ``return_state=True``, which ``predict`` returns
    as a tuple too. ``timesteps=None`` accepts sequences of any length.

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
    set_seed(seed)
    inputs = keras.Input(shape=(timesteps, features), name="input")
    layer = recurrent_layer(
        kind, units=units, return_sequences=return_sequences, return_state=return_state
    )
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


def _comparable_config(layer: keras.layers.Layer) -> dict[str, object]:
    """A layer's configuration without the names Keras numbers per session."""

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "name"}
        if isinstance(value, list | tuple):
            return [strip(v) for v in value]
        return value

    return {"class": type(layer).__name__, **strip(layer.get_config())}  # type: ignore[dict-item]


def assert_same_model(model: keras.Model, expected: keras.Model) -> None:
    """Check that two models have the same layers, configurations and weights.

    Layer and model names are ignored (Keras numbers them per session); everything
    else in each layer's ``get_config()``, and every weight, must be equal. A page
    calls this in a hidden cell to prove that the model its visible code builds is
    the one the package builds, so the page and the package cannot drift apart.

    >>> assert_same_model(build_lstm(2, seed=4), build_lstm(2, seed=4))
    >>> assert_same_model(build_lstm(2, seed=4), build_lstm(2, seed=5))
    Traceback (most recent call last):
    ...
    AssertionError: weight 0 of layer 1 (LSTM) differs: largest difference ...
    >>> assert_same_model(build_lstm(2), build_lstm(2, return_state=True))
    Traceback (most recent call last):
    ...
    AssertionError: layer 1 (LSTM) differs in return_state: False != True
    """
    for name, value in (("model", model), ("expected", expected)):
        if not isinstance(value, keras.Model):
            raise TypeError(f"{name} must be a keras.Model, got {type(value).__name__}")
    if len(model.layers) != len(expected.layers):
        raise AssertionError(
            f"{len(model.layers)} layers != {len(expected.layers)}: "
            f"{[type(x).__name__ for x in model.layers]} vs "
            f"{[type(x).__name__ for x in expected.layers]}"
        )
    for index, (mine, theirs) in enumerate(zip(model.layers, expected.layers, strict=True)):
        label = f"layer {index} ({type(mine).__name__})"
        got, want = _comparable_config(mine), _comparable_config(theirs)
        for key in sorted(set(got) | set(want)):
            if got.get(key) != want.get(key):
                raise AssertionError(
                    f"{label} differs in {key}: {got.get(key)!r} != {want.get(key)!r}"
                )
        weights, wanted = mine.get_weights(), theirs.get_weights()
        if len(weights) != len(wanted):
            raise AssertionError(f"{label} has {len(weights)} weights, expected {len(wanted)}")
        for number, (a, b) in enumerate(zip(weights, wanted, strict=True)):
            if a.shape != b.shape or not np.array_equal(a, b):
                gap = float(np.max(np.abs(a - b))) if a.shape == b.shape else float("nan")
                raise AssertionError(
                    f"weight {number} of {label} differs: largest difference {gap:.3g}"
                )
