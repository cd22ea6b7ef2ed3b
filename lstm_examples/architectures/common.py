"""Pieces the architecture builders share: a seeded ``Dense`` layer and a per-layer shape table."""

from __future__ import annotations

import keras
import numpy as np
import numpy.typing as npt

from ..render import Table
from ..validation import check_positive_int, check_seed


def dense_layer(
    units: int,
    *,
    activation: str | None = None,
    seed: int = 1,
    name: str = "dense",
) -> keras.layers.Dense:
    """Return a ``Dense`` layer whose kernel comes from ``GlorotUniform(seed)`` (bias: zeros).

    >>> layer = dense_layer(3, activation="softmax", seed=5, name="head")
    >>> layer.units, layer.name, layer.kernel_initializer.seed
    (3, 'head', 5)
    """
    units = check_positive_int("units", units)
    seed = check_seed(seed)
    return keras.layers.Dense(
        units,
        activation=activation,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        name=name,
    )


def _shape_text(arrays: list[npt.NDArray[np.float32]]) -> str:
    return ", ".join(str(tuple(int(d) for d in a.shape)) for a in arrays)


def layer_shapes(model: keras.Model, x: npt.ArrayLike | list[npt.ArrayLike]) -> Table:
    """Run ``model`` on ``x`` and list the shape of what every layer returns.

    The shapes are those of real arrays for this batch, not the symbolic ``None``
    of a summary. A layer that returns several arrays (``return_state=True``) shows
    each shape, in order. ``model`` must be a functional model, built by the first
    call of each of its layers (reusing the layers afterwards, as
    :func:`~lstm_examples.architectures.seq2seq.inference_models` does, is fine).

    >>> from lstm_examples.models import build_lstm
    >>> print(layer_shapes(build_lstm(2, return_state=True), np.zeros((4, 3, 1))))
    layer  type        output shape
    -----  ----------  ----------------------
    input  InputLayer  (4, 3, 1)
    lstm   LSTM        (4, 2), (4, 2), (4, 2)
    """
    if not isinstance(model, keras.Model) or isinstance(model, keras.Sequential):
        raise TypeError(f"expected a functional keras.Model, got {type(model).__name__}")
    tensors, counts = [], []
    for layer in model.layers:
        output = layer.output  # the tensors of the layer's first call
        outputs = list(output) if isinstance(output, list | tuple) else [output]
        tensors += outputs
        counts.append(len(outputs))
    probe = keras.Model(
        model.inputs if len(model.inputs) > 1 else model.inputs[0],
        tensors,
        name=f"{model.name}_shapes",
    )
    inputs = [np.asarray(a, dtype=np.float32) for a in (x if isinstance(x, list) else [x])]
    if len(inputs) != len(model.inputs):
        raise ValueError(
            f"model {model.name!r} takes {len(model.inputs)} input(s), got {len(inputs)}"
        )
    for array, spec in zip(inputs, model.inputs, strict=True):
        if array.ndim != len(spec.shape) or any(
            d is not None and d != a for d, a in zip(spec.shape[1:], array.shape[1:], strict=True)
        ):
            raise ValueError(
                f"expected an input shaped {tuple(spec.shape)} (None: any size), got {array.shape}"
            )
    results = probe(inputs if len(inputs) > 1 else inputs[0], training=False)
    arrays = [keras.ops.convert_to_numpy(r) for r in results]
    rows, start = [], 0
    for layer, count in zip(model.layers, counts, strict=True):
        rows.append((layer.name, type(layer).__name__, _shape_text(arrays[start : start + count])))
        start += count
    return Table(("layer", "type", "output shape"), rows)
