"""Padding sequences and running a masked recurrent layer next to the unpadded one.

A batch needs sequences of one length, so shorter ones are padded with a value
the model is told to skip (``keras.layers.Masking(mask_value)`` or an
``Embedding(mask_zero=True)``). These helpers pad on either side and build a
masked model whose recurrent layer has the same seeded weights as an unmasked
one, so that the two runs can be compared number for number.
"""

from __future__ import annotations

from typing import Literal

import keras
import numpy as np
import numpy.typing as npt

from .models import DEFAULT_SEED, RNNKind, recurrent_layer
from .outputs import NamedOutputs, run_named
from .validation import as_batch, check_positive_int

Side = Literal["right", "left"]


def pad_sequences(
    x: npt.ArrayLike, length: int, *, side: Side = "right", value: float = 0.0
) -> npt.NDArray[np.float32]:
    """Pad a batch ``(batch, timesteps, features)`` with ``value`` to ``length`` steps.

    ``side="right"`` appends the padding after the real steps, ``side="left"`` puts
    it before them.

    >>> x = np.array([[[1.0], [2.0]]])
    >>> pad_sequences(x, 4)[0, :, 0].tolist()
    [1.0, 2.0, 0.0, 0.0]
    >>> pad_sequences(x, 4, side="left")[0, :, 0].tolist()
    [0.0, 0.0, 1.0, 2.0]
    >>> pad_sequences(x, 1)
    Traceback (most recent call last):
    ...
    ValueError: length must be at least the 2 step(s) of x, got 1
    """
    batch = as_batch(x)
    length = check_positive_int("length", length)
    if side not in ("right", "left"):
        raise ValueError(f"side must be 'right' or 'left', got {side!r}")
    steps = batch.shape[1]
    if length < steps:
        raise ValueError(f"length must be at least the {steps} step(s) of x, got {length}")
    if np.any(np.all(batch == value, axis=-1)):
        raise ValueError(
            f"x has a step whose features all equal the padding value {value}; "
            "Masking would skip it too"
        )
    widths = (0, length - steps) if side == "right" else (length - steps, 0)
    return np.pad(batch, ((0, 0), widths, (0, 0)), constant_values=value).astype(np.float32)


def build_masked(
    kind: RNNKind = "lstm",
    *,
    units: int = 1,
    features: int = 1,
    mask_value: float | None = 0.0,
    return_sequences: bool = True,
    use_cudnn: bool | Literal["auto"] = "auto",
    seed: int = DEFAULT_SEED,
) -> keras.Model:
    """Build ``Input((None, features)) -> Masking(mask_value) -> recurrent layer``.

    The layer returns its sequence and its final states (``return_state=True``), with
    the seeded weights of :func:`~lstm_examples.models.recurrent_layer`, so a model
    built with ``mask_value=None`` (no ``Masking`` layer) has the same weights.
    ``use_cudnn`` is passed to an ``LSTM`` or ``GRU`` (``False``: Keras's generic kernel
    on every device).

    >>> model = build_masked(units=2, features=3)
    >>> [layer.name for layer in model.layers]
    ['input', 'masking', 'lstm']
    >>> model.output_shape
    [(None, None, 2), (None, 2), (None, 2)]
    >>> build_masked(use_cudnn=False).get_layer("lstm").use_cudnn
    False
    """
    features = check_positive_int("features", features)
    inputs = keras.Input(shape=(None, features), name="input")
    hidden = inputs
    if mask_value is not None:
        hidden = keras.layers.Masking(mask_value=float(mask_value), name="masking")(inputs)
    layer = recurrent_layer(
        kind, units=units, return_sequences=return_sequences, return_state=True, seed=seed
    )
    if use_cudnn not in ("auto", True, False):
        raise ValueError(f"use_cudnn must be 'auto', True or False, got {use_cudnn!r}")
    if kind != "simple_rnn":
        layer = type(layer).from_config({**layer.get_config(), "use_cudnn": use_cudnn})
    name = f"masked_{kind}" if mask_value is not None else f"plain_{kind}"
    return keras.Model(inputs, layer(hidden), name=name)


def run_padded(
    model: keras.Model, x: npt.ArrayLike, length: int, *, side: Side = "right"
) -> NamedOutputs:
    """Pad ``x`` to ``length`` steps on ``side`` with zeros and run ``model`` on it.

    >>> model = build_masked(units=2)
    >>> run_padded(model, [[[0.5], [0.7]]], 4, side="left").shapes
    {'output': (1, 4, 2), 'state_h': (1, 2), 'state_c': (1, 2)}
    """
    return run_named(model, pad_sequences(x, length, side=side))


def real_steps(length: int, steps: int, side: Side) -> slice:
    """The positions of the real steps in a sequence of ``steps`` padded to ``length``.

    >>> real_steps(5, 3, "right"), real_steps(5, 3, "left")
    (slice(0, 3, None), slice(2, 5, None))
    """
    length = check_positive_int("length", length)
    steps = check_positive_int("steps", steps)
    if steps > length:
        raise ValueError(f"steps must be at most length {length}, got {steps}")
    if side not in ("right", "left"):
        raise ValueError(f"side must be 'right' or 'left', got {side!r}")
    return slice(0, steps) if side == "right" else slice(length - steps, length)
