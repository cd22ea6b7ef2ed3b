"""How many parameters a Keras recurrent layer has, and the weight shapes they come from.

Pure arithmetic (no Keras): the shapes are those that Keras 3's cells create in
``build``, and the count is their sum. It depends on the number of units (or filters),
the input's features (or channels) and the kernel size, never on the number of timesteps
or the batch size. ``tests/test_parameters.py`` checks every function here against
``layer.weights`` and ``layer.count_params()``.

- ``LSTM``: four blocks (gates i, f, c, o), ``4 * (units * (features + units) + units)``.
- ``GRU``: three blocks (z, r, h). With ``reset_after=True`` (the default) the bias has
  two rows, one added to the input's projection and one to the previous state's:
  ``3 * (units * (features + units) + 2 * units)``; with ``reset_after=False``, one.
- ``SimpleRNN``: one block, ``units * (features + units) + units``.
- ``Bidirectional``: two copies of the layer, so twice the count.
- ``ConvLSTM1D/2D/3D``: the LSTM's four blocks, with convolution kernels in place of
  the matrices.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Final

from ._types import RNNKind
from .validation import check_bool, check_positive_int

#: Number of weight blocks (gates and candidate) of each kind of layer, in Keras's order.
BLOCKS: Final[dict[str, int]] = {"lstm": 4, "gru": 3, "simple_rnn": 1}


def _check_kind(kind: object) -> str:
    if not isinstance(kind, str):
        raise TypeError(f"kind must be one of {sorted(BLOCKS)}, got {type(kind).__name__} {kind!r}")
    if kind not in BLOCKS:
        raise ValueError(f"kind must be one of {sorted(BLOCKS)}, got {kind!r}")
    return kind


def weight_shapes(
    kind: RNNKind,
    units: int,
    features: int,
    *,
    use_bias: bool = True,
    reset_after: bool = True,
) -> dict[str, tuple[int, ...]]:
    """Return the shapes of ``layer.weights`` of one recurrent layer, by weight name.

    ``kind`` is ``"lstm"``, ``"gru"`` or ``"simple_rnn"``; ``features`` is the size of the
    input's last axis. ``reset_after`` matters for a GRU only (it gives the bias a second
    row) and is ignored otherwise. Without a bias there is no ``"bias"`` entry. For a
    ``Bidirectional`` layer, each direction has these shapes.

    >>> weight_shapes("lstm", units=4, features=3)
    {'kernel': (3, 16), 'recurrent_kernel': (4, 16), 'bias': (16,)}
    >>> weight_shapes("gru", units=3, features=2)
    {'kernel': (2, 9), 'recurrent_kernel': (3, 9), 'bias': (2, 9)}
    >>> weight_shapes("gru", units=3, features=2, reset_after=False)["bias"]
    (9,)
    >>> weight_shapes("simple_rnn", units=3, features=2, use_bias=False)
    {'kernel': (2, 3), 'recurrent_kernel': (3, 3)}
    >>> weight_shapes("rnn", units=3, features=2)
    Traceback (most recent call last):
    ...
    ValueError: kind must be one of ['gru', 'lstm', 'simple_rnn'], got 'rnn'
    """
    kind_name = _check_kind(kind)
    units = check_positive_int("units", units)
    features = check_positive_int("features", features)
    use_bias = check_bool("use_bias", use_bias)
    reset_after = check_bool("reset_after", reset_after)
    width = BLOCKS[kind_name] * units
    shapes: dict[str, tuple[int, ...]] = {
        "kernel": (features, width),
        "recurrent_kernel": (units, width),
    }
    if use_bias:
        shapes["bias"] = (2, width) if kind_name == "gru" and reset_after else (width,)
    return shapes


def parameter_count(
    kind: RNNKind,
    units: int,
    features: int,
    *,
    use_bias: bool = True,
    reset_after: bool = True,
    bidirectional: bool = False,
) -> int:
    """Return ``layer.count_params()`` of one recurrent layer (twice that if bidirectional).

    The sum of the sizes of :func:`weight_shapes`. The number of timesteps and the batch
    size do not appear: the same weights are applied at every step, to every sample.

    >>> parameter_count("lstm", units=4, features=3)  # 4 * (4 * (3 + 4) + 4)
    128
    >>> parameter_count("gru", units=3, features=2)  # 3 * (3 * (2 + 3) + 2 * 3)
    63
    >>> parameter_count("gru", units=3, features=2, reset_after=False)
    54
    >>> parameter_count("simple_rnn", units=3, features=2, bidirectional=True)
    36
    >>> parameter_count("lstm", units=0, features=3)
    Traceback (most recent call last):
    ...
    ValueError: units must be an integer >= 1, got 0
    """
    directions = 2 if check_bool("bidirectional", bidirectional) else 1
    shapes = weight_shapes(kind, units, features, use_bias=use_bias, reset_after=reset_after)
    return directions * sum(math.prod(shape) for shape in shapes.values())


def _check_kernel_size(kernel_size: object, rank: object) -> tuple[int, ...]:
    expected = "kernel_size must be an integer >= 1 or a tuple of 1 to 3 of them"
    if rank is not None:
        rank = check_positive_int("rank", rank)
        if rank > 3:
            raise ValueError(f"rank must be 1, 2 or 3 (ConvLSTM1D, 2D or 3D), got {rank}")
    if isinstance(kernel_size, numbers.Integral) and not isinstance(kernel_size, bool):
        if rank is None:
            raise TypeError(
                f"an integer kernel_size ({kernel_size!r}) needs rank=1, 2 or 3 "
                "(ConvLSTM1D, 2D or 3D); or pass a tuple, e.g. (3, 3)"
            )
        return (check_positive_int("kernel_size", kernel_size),) * rank
    if isinstance(kernel_size, str) or not isinstance(kernel_size, Sequence):
        raise TypeError(f"{expected}, got {type(kernel_size).__name__} {kernel_size!r}")
    if not 1 <= len(kernel_size) <= 3:
        raise ValueError(f"{expected}, got {len(kernel_size)} values: {tuple(kernel_size)!r}")
    if rank is not None and len(kernel_size) != rank:
        raise ValueError(f"kernel_size {tuple(kernel_size)!r} does not have rank={rank} values")
    return tuple(check_positive_int("kernel_size", size) for size in kernel_size)


def conv_lstm_weight_shapes(
    filters: int,
    kernel_size: int | Sequence[int],
    channels: int,
    *,
    rank: int | None = None,
    use_bias: bool = True,
) -> dict[str, tuple[int, ...]]:
    """Return the shapes of ``layer.weights`` of a ``ConvLSTM1D``, ``2D`` or ``3D`` layer.

    ``kernel_size`` is a tuple with one size per spatial axis (its length is the rank:
    1, 2 or 3), or an integer together with ``rank``; ``channels`` is the size of the
    input's channel axis. The input's spatial size and ``padding`` do not change the
    weights: the kernels slide over the image. The recurrent kernel has the same window
    and reads the previous state, which has ``filters`` channels.

    >>> conv_lstm_weight_shapes(filters=4, kernel_size=(3, 3), channels=2)
    {'kernel': (3, 3, 2, 16), 'recurrent_kernel': (3, 3, 4, 16), 'bias': (16,)}
    >>> conv_lstm_weight_shapes(filters=4, kernel_size=3, channels=2, rank=1)["kernel"]
    (3, 2, 16)
    >>> conv_lstm_weight_shapes(filters=4, kernel_size=3, channels=2)
    Traceback (most recent call last):
    ...
    TypeError: an integer kernel_size (3) needs rank=1, 2 or 3 (ConvLSTM1D, 2D or 3D); ...
    """
    window = _check_kernel_size(kernel_size, rank)
    filters = check_positive_int("filters", filters)
    channels = check_positive_int("channels", channels)
    shapes: dict[str, tuple[int, ...]] = {
        "kernel": (*window, channels, 4 * filters),
        "recurrent_kernel": (*window, filters, 4 * filters),
    }
    if check_bool("use_bias", use_bias):
        shapes["bias"] = (4 * filters,)
    return shapes


def conv_lstm_parameter_count(
    filters: int,
    kernel_size: int | Sequence[int],
    channels: int,
    *,
    rank: int | None = None,
    use_bias: bool = True,
) -> int:
    """Return ``layer.count_params()`` of a ``ConvLSTM1D``, ``2D`` or ``3D`` layer.

    With ``k`` the product of the kernel's sizes:
    ``k * channels * 4 * filters + k * filters * 4 * filters + 4 * filters``.

    >>> conv_lstm_parameter_count(filters=4, kernel_size=(3, 3), channels=2)
    880
    >>> conv_lstm_parameter_count(filters=4, kernel_size=(3, 3), channels=0)
    Traceback (most recent call last):
    ...
    ValueError: channels must be an integer >= 1, got 0
    """
    shapes = conv_lstm_weight_shapes(filters, kernel_size, channels, rank=rank, use_bias=use_bias)
    return sum(math.prod(shape) for shape in shapes.values())
