"""Keras LSTM weights in PyTorch's ``nn.LSTM`` layout and back, with NumPy only.

Both frameworks order an LSTM's four gates the same way: input, forget, candidate
(Keras's ``c``, PyTorch's ``g``) and output. They differ in three places:

- Keras's ``kernel`` is ``(features, 4 * units)`` and multiplies from the right
  (``x @ kernel``); PyTorch's ``weight_ih_l0`` is ``(4 * hidden, features)`` and
  multiplies from the left, so it is the transpose. Likewise ``recurrent_kernel``
  and ``weight_hh_l0``.
- Keras has one bias of ``4 * units``, PyTorch two (``bias_ih_l0`` and ``bias_hh_l0``)
  that are added together, so the Keras bias goes into ``bias_ih`` and ``bias_hh`` is 0.
- Parameter names carry the layer (``l0``, ``l1``...) and, for the second direction
  of a bidirectional LSTM, the suffix ``_reverse``.

Nothing here imports PyTorch: the arrays go into ``nn.LSTM.load_state_dict`` after
``torch.from_numpy``. :func:`torch_lstm_forward` runs PyTorch's equations in NumPy,
so the conversion can be checked without PyTorch installed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

from .render import Table
from .validation import as_batch, check_bool, check_positive_int

Array = npt.NDArray[np.float32]

#: Gate order of Keras's LSTM weights, and of PyTorch's (the same gates, other letters).
KERAS_GATES: Final[tuple[str, ...]] = ("i", "f", "c", "o")
TORCH_GATES: Final[tuple[str, ...]] = ("i", "f", "g", "o")


class HasWeights(Protocol):
    """Anything with Keras's ``get_weights()``: an ``LSTM`` layer, for example."""

    def get_weights(self) -> list[np.ndarray]: ...  # pragma: no cover


def torch_name(kind: str, layer: int = 0, *, reverse: bool = False) -> str:
    """PyTorch's name for one parameter of ``nn.LSTM``.

    >>> torch_name("weight_ih", 1, reverse=True)
    'weight_ih_l1_reverse'
    """
    if kind not in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        raise ValueError(
            f"kind must be one of weight_ih, weight_hh, bias_ih, bias_hh, got {kind!r}"
        )
    if isinstance(layer, bool) or not isinstance(layer, int) or layer < 0:
        raise ValueError(f"layer must be an integer >= 0, got {layer!r}")
    return f"{kind}_l{layer}{'_reverse' if check_bool('reverse', reverse) else ''}"


def _as_matrix(name: str, value: npt.ArrayLike, ndim: int) -> Array:
    array = np.asarray(value, dtype=np.float32)
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    return array


def keras_to_torch(
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike | None = None,
    *,
    layer: int = 0,
    reverse: bool = False,
) -> dict[str, Array]:
    """Convert one Keras LSTM's weights to PyTorch's parameters of one layer and direction.

    ``kernel`` is ``(features, 4 * units)``, ``recurrent_kernel`` ``(units, 4 * units)``,
    ``bias`` ``(4 * units,)`` or ``None`` (``use_bias=False``: both PyTorch biases are 0).

    >>> units, features = 3, 2
    >>> params = keras_to_torch(np.ones((features, 4 * units)), np.ones((units, 4 * units)))
    >>> {name: value.shape for name, value in params.items()}
    {'weight_ih_l0': (12, 2), 'weight_hh_l0': (12, 3), 'bias_ih_l0': (12,), 'bias_hh_l0': (12,)}
    >>> keras_to_torch(np.ones((2, 12)), np.ones((3, 8)))
    Traceback (most recent call last):
    ...
    ValueError: recurrent_kernel must be (units, 4 * units) = (3, 12) for a kernel of shape (2, 12), got (3, 8)
    """
    k = _as_matrix("kernel", kernel, 2)
    if k.shape[1] % 4 or k.shape[1] == 0:
        raise ValueError(f"kernel must be (features, 4 * units), got shape {k.shape}")
    units = k.shape[1] // 4
    r = _as_matrix("recurrent_kernel", recurrent_kernel, 2)
    if r.shape != (units, 4 * units):
        raise ValueError(
            f"recurrent_kernel must be (units, 4 * units) = {(units, 4 * units)} "
            f"for a kernel of shape {k.shape}, got {r.shape}"
        )
    if bias is None:
        b = np.zeros(4 * units, dtype=np.float32)
    else:
        b = _as_matrix("bias", bias, 1)
        if b.shape != (4 * units,):
            raise ValueError(f"bias must be (4 * units,) = {(4 * units,)}, got {b.shape}")
    return {
        torch_name("weight_ih", layer, reverse=reverse): np.ascontiguousarray(k.T),
        torch_name("weight_hh", layer, reverse=reverse): np.ascontiguousarray(r.T),
        torch_name("bias_ih", layer, reverse=reverse): b.copy(),
        torch_name("bias_hh", layer, reverse=reverse): np.zeros_like(b),
    }


def torch_to_keras(
    weight_ih: npt.ArrayLike,
    weight_hh: npt.ArrayLike,
    bias_ih: npt.ArrayLike | None = None,
    bias_hh: npt.ArrayLike | None = None,
) -> list[Array]:
    """Convert one layer and direction of PyTorch's ``nn.LSTM`` to Keras's ``[kernel, recurrent_kernel, bias]``.

    The two PyTorch biases are summed into Keras's one (missing ones count as 0),
    which is exact: the LSTM only ever uses their sum.

    >>> w_ih, w_hh = np.ones((8, 3)), np.ones((8, 2))
    >>> [w.shape for w in torch_to_keras(w_ih, w_hh, np.ones(8), np.ones(8))]
    [(3, 8), (2, 8), (8,)]
    >>> float(torch_to_keras(w_ih, w_hh, np.ones(8), np.ones(8))[2][0])
    2.0
    """
    w_ih = _as_matrix("weight_ih", weight_ih, 2)
    w_hh = _as_matrix("weight_hh", weight_hh, 2)
    hidden = w_hh.shape[1]
    if w_hh.shape != (4 * hidden, hidden) or w_ih.shape[0] != 4 * hidden:
        raise ValueError(
            "weight_hh must be (4 * hidden, hidden) and weight_ih (4 * hidden, features), "
            f"got {w_hh.shape} and {w_ih.shape}"
        )
    bias = np.zeros(4 * hidden, dtype=np.float32)
    for name, value in (("bias_ih", bias_ih), ("bias_hh", bias_hh)):
        if value is not None:
            b = _as_matrix(name, value, 1)
            if b.shape != (4 * hidden,):
                raise ValueError(f"{name} must be (4 * hidden,) = {(4 * hidden,)}, got {b.shape}")
            bias = bias + b
    return [np.ascontiguousarray(w_ih.T), np.ascontiguousarray(w_hh.T), bias]


def _directions(layer: object) -> list[HasWeights]:
    forward = getattr(layer, "forward_layer", None)
    backward = getattr(layer, "backward_layer", None)
    if forward is not None and backward is not None:
        return [forward, backward]
    if not callable(getattr(layer, "get_weights", None)):
        raise TypeError(
            "expected Keras LSTM or Bidirectional(LSTM) layers (objects with get_weights()), "
            f"got {type(layer).__name__}"
        )
    return [layer]  # type: ignore[list-item]


def keras_layers_to_torch(layers: Sequence[object]) -> dict[str, Array]:
    """Convert a stack of Keras ``LSTM`` (or ``Bidirectional(LSTM)``) layers to one ``nn.LSTM``'s state dict.

    Layer ``k`` of the stack becomes ``..._l{k}``; a ``Bidirectional`` layer's backward
    LSTM becomes ``..._l{k}_reverse``. All layers must have the same number of units
    and directions, as PyTorch's one ``nn.LSTM`` requires.

    >>> class Fake:
    ...     def get_weights(self):
    ...         return [np.ones((2, 4)), np.ones((1, 4)), np.zeros(4)]
    >>> sorted(keras_layers_to_torch([Fake()]))
    ['bias_hh_l0', 'bias_ih_l0', 'weight_hh_l0', 'weight_ih_l0']
    """
    if isinstance(layers, str | bytes) or not isinstance(layers, Sequence) or not layers:
        raise TypeError("expected a non-empty list of Keras LSTM or Bidirectional layers")
    state: dict[str, Array] = {}
    directions = None
    for index, layer in enumerate(layers):
        parts = _directions(layer)
        if directions is None:
            directions = len(parts)
        elif len(parts) != directions:
            raise ValueError("every layer must have the same number of directions")
        for direction, part in enumerate(parts):
            weights = part.get_weights()
            if len(weights) not in (2, 3):
                raise ValueError(
                    f"expected an LSTM's [kernel, recurrent_kernel(, bias)], got {len(weights)} "
                    f"array(s) from layer {index}"
                )
            state.update(
                keras_to_torch(*weights, layer=index, reverse=direction == 1)  # type: ignore[misc]
            )
    return state


def _sigmoid(x: Array) -> Array:
    return 1.0 / (1.0 + np.exp(-x))


def torch_lstm_forward(
    x: npt.ArrayLike,
    state_dict: Mapping[str, npt.ArrayLike],
    *,
    num_layers: int = 1,
    bidirectional: bool = False,
    batch_first: bool = True,
) -> tuple[Array, tuple[Array, Array]]:
    """Run PyTorch's ``nn.LSTM`` equations in NumPy: ``output, (h_n, c_n)`` from zero states.

    ``output`` is ``(batch, timesteps, num_directions * hidden)`` (``batch_first``) and
    ``h_n``, ``c_n`` are ``(num_layers * num_directions, batch, hidden)``.

    >>> params = keras_to_torch(np.zeros((1, 8)), np.zeros((2, 8)))
    >>> output, (h_n, c_n) = torch_lstm_forward(np.ones((3, 5, 1)), params)
    >>> output.shape, h_n.shape, c_n.shape
    ((3, 5, 2), (1, 3, 2), (1, 3, 2))
    """
    num_layers = check_positive_int("num_layers", num_layers)
    directions = 2 if check_bool("bidirectional", bidirectional) else 1
    seq = as_batch(x)
    if not check_bool("batch_first", batch_first):
        seq = seq.transpose(1, 0, 2)
    h_n, c_n = [], []
    for layer in range(num_layers):
        outs = []
        for direction in range(directions):
            reverse = direction == 1
            try:
                w_ih, w_hh, b_ih, b_hh = (
                    np.asarray(state_dict[torch_name(kind, layer, reverse=reverse)], np.float64)
                    for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
                )
            except KeyError as error:
                raise ValueError(f"state_dict has no {error.args[0]!r}") from None
            hidden = w_hh.shape[1]
            h = np.zeros((seq.shape[0], hidden))
            c = np.zeros((seq.shape[0], hidden))
            steps = range(seq.shape[1] - 1, -1, -1) if reverse else range(seq.shape[1])
            out = np.zeros((seq.shape[0], seq.shape[1], hidden))
            for t in steps:
                gates = seq[:, t, :] @ w_ih.T + b_ih + h @ w_hh.T + b_hh
                i, f, g, o = np.split(gates, 4, axis=-1)
                c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
                h = _sigmoid(o) * np.tanh(c)
                out[:, t, :] = h
            outs.append(out)
            h_n.append(h)
            c_n.append(c)
        seq = np.concatenate(outs, axis=-1)
    output = seq if batch_first else seq.transpose(1, 0, 2)
    return (
        output.astype(np.float32),
        (np.stack(h_n).astype(np.float32), np.stack(c_n).astype(np.float32)),
    )


def torch_output_shapes(
    batch: int,
    timesteps: int,
    hidden: int,
    *,
    num_layers: int = 1,
    bidirectional: bool = False,
    batch_first: bool = True,
) -> dict[str, tuple[int, int, int]]:
    """Shapes of ``output``, ``h_n`` and ``c_n`` from PyTorch's ``nn.LSTM``.

    >>> torch_output_shapes(4, 10, 8, num_layers=2, bidirectional=True)
    {'output': (4, 10, 16), 'h_n': (4, 4, 8), 'c_n': (4, 4, 8)}
    >>> torch_output_shapes(4, 10, 8, batch_first=False)["output"]
    (10, 4, 8)
    """
    batch = check_positive_int("batch", batch)
    timesteps = check_positive_int("timesteps", timesteps)
    hidden = check_positive_int("hidden", hidden)
    num_layers = check_positive_int("num_layers", num_layers)
    directions = 2 if check_bool("bidirectional", bidirectional) else 1
    lead = (batch, timesteps) if check_bool("batch_first", batch_first) else (timesteps, batch)
    state = (num_layers * directions, batch, hidden)
    return {"output": (*lead, directions * hidden), "h_n": state, "c_n": state}


def shape_table(batch: int, timesteps: int, hidden: int) -> Table:
    """Keras's and PyTorch's output shapes side by side, for one to two layers and directions.

    The Keras column is the last layer with ``return_sequences=True, return_state=True``
    (a ``Bidirectional`` one returning ``[output, h_fwd, c_fwd, h_bwd, c_bwd]``); PyTorch's
    is ``nn.LSTM(batch_first=True)``.

    >>> shape_table(2, 5, 3).column("PyTorch h_n")
    ['(1, 2, 3)', '(2, 2, 3)', '(2, 2, 3)', '(4, 2, 3)']
    """
    rows = []
    for num_layers, bidirectional in ((1, False), (2, False), (1, True), (2, True)):
        torch_shapes = torch_output_shapes(
            batch, timesteps, hidden, num_layers=num_layers, bidirectional=bidirectional
        )
        directions = 2 if bidirectional else 1
        states = ", ".join([str((batch, hidden))] * (2 * directions))
        rows.append(
            (
                f"{num_layers} layer(s), {'bidirectional' if bidirectional else 'one direction'}",
                str((batch, timesteps, directions * hidden)),
                states,
                str(torch_shapes["output"]),
                str(torch_shapes["h_n"]),
            )
        )
    return Table(("LSTM", "Keras output", "Keras states", "PyTorch output", "PyTorch h_n"), rows)


def conversion_table(layers: Sequence[object]) -> Table:
    """Each Keras weight of a stack of LSTM layers, with its shape, PyTorch name and shape.

    >>> class Weight:
    ...     def __init__(self, path, shape):
    ...         self.path, self.shape = path, shape
    >>> class Fake:
    ...     weights = [Weight("lstm/kernel", (2, 4)), Weight("lstm/recurrent_kernel", (1, 4)),
    ...                Weight("lstm/bias", (4,))]
    ...     def get_weights(self):
    ...         return [np.ones(w.shape) for w in self.weights]
    >>> print(conversion_table([Fake()]))
    Keras weight           Keras shape  PyTorch parameter              PyTorch shape
    ---------------------  -----------  -----------------------------  -------------
    lstm/kernel            (2, 4)       weight_ih_l0                   (4, 2)
    lstm/recurrent_kernel  (1, 4)       weight_hh_l0                   (4, 1)
    lstm/bias              (4,)         bias_ih_l0 (+ bias_hh_l0 = 0)  (4,)
    """
    state = keras_layers_to_torch(layers)
    rows = []
    for index, layer in enumerate(layers):
        for direction, part in enumerate(_directions(layer)):
            variables = list(getattr(part, "weights", []))
            kinds = ("weight_ih", "weight_hh", "bias_ih")
            for variable, kind in zip(variables, kinds, strict=False):
                name = torch_name(kind, index, reverse=direction == 1)
                label = name
                if kind == "bias_ih":
                    label = f"{name} (+ {torch_name('bias_hh', index, reverse=direction == 1)} = 0)"
                rows.append(
                    (
                        str(getattr(variable, "path", getattr(variable, "name", "?"))),
                        str(tuple(int(d) for d in variable.shape)),
                        label,
                        str(state[name].shape),
                    )
                )
    return Table(("Keras weight", "Keras shape", "PyTorch parameter", "PyTorch shape"), rows)
