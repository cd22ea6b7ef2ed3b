"""Keras LSTM and GRU weights in PyTorch's ``nn.LSTM``/``nn.GRU`` layout and back, with NumPy only.

LSTM: both frameworks order the four gates the same way: input, forget, candidate
(Keras's ``c``, PyTorch's ``g``) and output. They differ in three places:

- Keras's ``kernel`` is ``(features, 4 * units)`` and multiplies from the right
  (``x @ kernel``); PyTorch's ``weight_ih_l0`` is ``(4 * hidden, features)`` and
  multiplies from the left, so it is the transpose. Likewise ``recurrent_kernel``
  and ``weight_hh_l0``.
- Keras has one bias of ``4 * units``, PyTorch two (``bias_ih_l0`` and ``bias_hh_l0``)
  that are only ever added together, so the Keras bias goes into ``bias_ih`` and
  ``bias_hh`` is 0, and converting back sums them, exactly.
- Parameter names carry the layer (``l0``, ``l1``...) and, for the second direction
  of a bidirectional layer, the suffix ``_reverse``.

GRU (Keras's default ``reset_after=True``, the only form ``nn.GRU`` computes): Keras
orders the gates update, reset, candidate (``z, r, h``), PyTorch reset, update, new
(``r, z, n``), so the first two blocks swap places. Keras's bias is ``(2, 3 * units)``:
row 0 is added to the input projection and row 1 to the recurrent one, exactly as
``bias_ih`` and ``bias_hh``. They must stay apart: the recurrent bias of the candidate
sits inside the reset gate's product, ``tanh(W_in x + b_in + r * (W_hn h + b_hn))``.

Nothing here imports PyTorch: the arrays go into ``load_state_dict`` after
``torch.from_numpy``. :func:`torch_lstm_forward` and :func:`torch_gru_forward` run
``nn.LSTM`` and ``nn.GRU`` in NumPy, so the conversion can be checked without PyTorch:
they convert each layer back and run ``lstm_examples.reference``, the package's one
NumPy copy of the equations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Literal, Protocol

import numpy as np
import numpy.typing as npt

from . import reference
from ._types import FloatArray
from .render import Table
from .validation import as_batch, check_bool, check_positive_int

#: Gate order of Keras's LSTM weights, and of PyTorch's (the same gates, other letters).
KERAS_GATES: Final[tuple[str, ...]] = ("i", "f", "c", "o")
TORCH_GATES: Final[tuple[str, ...]] = ("i", "f", "g", "o")

#: Gate order of Keras's GRU weights, and of PyTorch's ``nn.GRU`` (the first two swap).
KERAS_GRU_GATES: Final[tuple[str, ...]] = ("z", "r", "h")
TORCH_GRU_GATES: Final[tuple[str, ...]] = ("r", "z", "n")

#: The layer kinds PyTorch and this module convert: no ``SimpleRNN``.
TorchRNNKind = Literal["lstm", "gru"]


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


def _as_matrix(name: str, value: npt.ArrayLike, ndim: int) -> FloatArray:
    array = np.asarray(value, dtype=np.float32)
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    return array


def _kernels(
    kernel: npt.ArrayLike, recurrent_kernel: npt.ArrayLike, *, gates: int
) -> tuple[FloatArray, FloatArray, int]:
    """Keras's ``kernel`` and ``recurrent_kernel`` of a layer with ``gates`` gate blocks."""
    k = _as_matrix("kernel", kernel, 2)
    if k.shape[1] % gates or k.shape[1] == 0:
        raise ValueError(f"kernel must be (features, {gates} * units), got shape {k.shape}")
    units = k.shape[1] // gates
    r = _as_matrix("recurrent_kernel", recurrent_kernel, 2)
    if r.shape != (units, gates * units):
        raise ValueError(
            f"recurrent_kernel must be (units, {gates} * units) = {(units, gates * units)} "
            f"for a kernel of shape {k.shape}, got {r.shape}"
        )
    return k, r, units


def _torch_weights(
    weight_ih: npt.ArrayLike,
    weight_hh: npt.ArrayLike,
    bias_ih: npt.ArrayLike | None,
    bias_hh: npt.ArrayLike | None,
    *,
    gates: int,
) -> tuple[FloatArray, FloatArray, list[FloatArray]]:
    """PyTorch's weights and two biases of a layer with ``gates`` gate blocks (None -> 0)."""
    w_ih = _as_matrix("weight_ih", weight_ih, 2)
    w_hh = _as_matrix("weight_hh", weight_hh, 2)
    hidden = w_hh.shape[1]
    if w_hh.shape != (gates * hidden, hidden) or w_ih.shape[0] != gates * hidden:
        raise ValueError(
            f"weight_hh must be ({gates} * hidden, hidden) and weight_ih ({gates} * hidden, "
            f"features), got {w_hh.shape} and {w_ih.shape}"
        )
    biases = []
    for name, value in (("bias_ih", bias_ih), ("bias_hh", bias_hh)):
        if value is None:
            biases.append(np.zeros(gates * hidden, dtype=np.float32))
            continue
        b = _as_matrix(name, value, 1)
        if b.shape != (gates * hidden,):
            raise ValueError(
                f"{name} must be ({gates} * hidden,) = {(gates * hidden,)}, got {b.shape}"
            )
        biases.append(b)
    return w_ih, w_hh, biases


def keras_to_torch(
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike | None = None,
    *,
    layer: int = 0,
    reverse: bool = False,
) -> dict[str, FloatArray]:
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
    k, r, units = _kernels(kernel, recurrent_kernel, gates=4)
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
) -> list[FloatArray]:
    """Convert one layer and direction of PyTorch's ``nn.LSTM`` to Keras's ``[kernel, recurrent_kernel, bias]``.

    The two PyTorch biases are summed into Keras's one (missing ones count as 0),
    which is exact: the LSTM only ever uses their sum.

    >>> w_ih, w_hh = np.ones((8, 3)), np.ones((8, 2))
    >>> [w.shape for w in torch_to_keras(w_ih, w_hh, np.ones(8), np.ones(8))]
    [(3, 8), (2, 8), (8,)]
    >>> float(torch_to_keras(w_ih, w_hh, np.ones(8), np.ones(8))[2][0])
    2.0
    """
    w_ih, w_hh, (b_ih, b_hh) = _torch_weights(weight_ih, weight_hh, bias_ih, bias_hh, gates=4)
    return [np.ascontiguousarray(w_ih.T), np.ascontiguousarray(w_hh.T), b_ih + b_hh]


def _swap_update_and_reset(array: FloatArray, axis: int) -> FloatArray:
    """Swap the first two of three gate blocks: Keras's ``z, r, h`` <-> PyTorch's ``r, z, n``."""
    first, second, third = np.split(array, 3, axis=axis)
    return np.concatenate([second, first, third], axis=axis)


def gru_keras_to_torch(
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike | None = None,
    *,
    layer: int = 0,
    reverse: bool = False,
) -> dict[str, FloatArray]:
    """Convert one Keras GRU's weights (``reset_after=True``) to ``nn.GRU``'s parameters.

    ``kernel`` is ``(features, 3 * units)``, ``recurrent_kernel`` ``(units, 3 * units)``,
    ``bias`` ``(2, 3 * units)`` or ``None`` (``use_bias=False``: both PyTorch biases are
    0). The gate blocks go from Keras's ``z, r, h`` to PyTorch's ``r, z, n``; bias row 0
    becomes ``bias_ih`` and row 1 ``bias_hh``, never summed.

    >>> units, features = 2, 1
    >>> kernel = np.repeat(np.arange(3.0), units)[None, :]  # gate numbers: z=0, r=1, h=2
    >>> params = gru_keras_to_torch(kernel, np.zeros((units, 3 * units)), np.zeros((2, 6)))
    >>> params["weight_ih_l0"][:, 0].tolist()  # rows r, z, n
    [1.0, 1.0, 0.0, 0.0, 2.0, 2.0]
    >>> gru_keras_to_torch(np.ones((1, 6)), np.ones((2, 6)), np.ones(6))
    Traceback (most recent call last):
    ...
    ValueError: bias must be (2, 3 * units) = (2, 6), got (6,); a bias of (3 * units,) is GRU(reset_after=False), which nn.GRU does not compute
    """
    k, r, units = _kernels(kernel, recurrent_kernel, gates=3)
    b: FloatArray
    if bias is None:
        b = np.zeros((2, 3 * units), dtype=np.float32)
    else:
        b = np.asarray(bias, dtype=np.float32)
        if b.shape != (2, 3 * units):
            hint = (
                "; a bias of (3 * units,) is GRU(reset_after=False), which nn.GRU does not compute"
                if b.shape == (3 * units,)
                else ""
            )
            raise ValueError(f"bias must be (2, 3 * units) = {(2, 3 * units)}, got {b.shape}{hint}")
    return {
        torch_name("weight_ih", layer, reverse=reverse): np.ascontiguousarray(
            _swap_update_and_reset(k, 1).T
        ),
        torch_name("weight_hh", layer, reverse=reverse): np.ascontiguousarray(
            _swap_update_and_reset(r, 1).T
        ),
        torch_name("bias_ih", layer, reverse=reverse): _swap_update_and_reset(b[0], 0),
        torch_name("bias_hh", layer, reverse=reverse): _swap_update_and_reset(b[1], 0),
    }


def gru_torch_to_keras(
    weight_ih: npt.ArrayLike,
    weight_hh: npt.ArrayLike,
    bias_ih: npt.ArrayLike | None = None,
    bias_hh: npt.ArrayLike | None = None,
) -> list[FloatArray]:
    """Convert one layer and direction of ``nn.GRU`` to Keras's ``[kernel, recurrent_kernel, bias]``.

    The result fits ``keras.layers.GRU(hidden)`` (``reset_after=True``, the default):
    the gates go from ``r, z, n`` to ``z, r, h``, and the bias is ``(2, 3 * hidden)``
    with ``bias_ih`` in row 0 and ``bias_hh`` in row 1 (missing ones count as 0).

    >>> w_ih, w_hh = np.ones((6, 3)), np.ones((6, 2))
    >>> [w.shape for w in gru_torch_to_keras(w_ih, w_hh, np.arange(6.0), np.ones(6))]
    [(3, 6), (2, 6), (2, 6)]
    >>> gru_torch_to_keras(w_ih, w_hh, np.arange(6.0))[2][0].tolist()  # r, z, n -> z, r, h
    [2.0, 3.0, 0.0, 1.0, 4.0, 5.0]
    """
    w_ih, w_hh, biases = _torch_weights(weight_ih, weight_hh, bias_ih, bias_hh, gates=3)
    return [
        np.ascontiguousarray(_swap_update_and_reset(w_ih, 0).T),
        np.ascontiguousarray(_swap_update_and_reset(w_hh, 0).T),
        np.stack([_swap_update_and_reset(b, 0) for b in biases]),
    ]


def _directions(layer: object) -> list[HasWeights]:
    forward = getattr(layer, "forward_layer", None)
    backward = getattr(layer, "backward_layer", None)
    if forward is not None and backward is not None:
        return [forward, backward]
    if not callable(getattr(layer, "get_weights", None)):
        raise TypeError(
            "expected Keras LSTM or GRU layers, or Bidirectional ones (objects with "
            f"get_weights()), got {type(layer).__name__}"
        )
    return [layer]  # type: ignore[list-item]


def _kind(weights: Sequence[np.ndarray], index: int) -> TorchRNNKind:
    """``"lstm"`` or ``"gru"``, from the shape of a layer's weights."""
    if len(weights) not in (2, 3):
        raise ValueError(
            "expected an LSTM's or GRU's [kernel, recurrent_kernel(, bias)], got "
            f"{len(weights)} array(s) from layer {index}"
        )
    recurrent = np.shape(weights[1])
    gates = recurrent[1] // recurrent[0] if len(recurrent) == 2 and recurrent[0] else 0
    if len(recurrent) != 2 or recurrent[1] != gates * recurrent[0] or gates not in (3, 4):
        raise ValueError(
            f"layer {index}'s recurrent kernel {recurrent} is neither an LSTM's "
            "(units, 4 * units) nor a GRU's (units, 3 * units)"
        )
    return "lstm" if gates == 4 else "gru"


def keras_layers_to_torch(layers: Sequence[object]) -> dict[str, FloatArray]:
    """Convert a stack of Keras ``LSTM`` or ``GRU`` layers to one ``nn.LSTM``'s or ``nn.GRU``'s state dict.

    Layer ``k`` of the stack becomes ``..._l{k}``; a ``Bidirectional`` layer's backward
    layer becomes ``..._l{k}_reverse``. All layers must be of one kind, with the same
    number of units and directions, as PyTorch's one module requires.

    >>> class Fake:
    ...     def get_weights(self):
    ...         return [np.ones((2, 4)), np.ones((1, 4)), np.zeros(4)]
    >>> sorted(keras_layers_to_torch([Fake()]))
    ['bias_hh_l0', 'bias_ih_l0', 'weight_hh_l0', 'weight_ih_l0']
    """
    if isinstance(layers, str | bytes) or not isinstance(layers, Sequence) or not layers:
        raise TypeError("expected a non-empty list of Keras LSTM, GRU or Bidirectional layers")
    state: dict[str, FloatArray] = {}
    directions, kinds = None, set()
    for index, layer in enumerate(layers):
        parts = _directions(layer)
        if directions is None:
            directions = len(parts)
        elif len(parts) != directions:
            raise ValueError("every layer must have the same number of directions")
        for direction, part in enumerate(parts):
            weights = part.get_weights()
            kinds.add(_kind(weights, index))
            if len(kinds) > 1:
                raise ValueError("every layer must be of one kind: all LSTM or all GRU")
            convert = keras_to_torch if kinds == {"lstm"} else gru_keras_to_torch
            state.update(convert(*weights, layer=index, reverse=direction == 1))
    return state


def _torch_forward(
    x: npt.ArrayLike,
    state_dict: Mapping[str, npt.ArrayLike],
    *,
    kind: TorchRNNKind,
    num_layers: int,
    bidirectional: bool,
    batch_first: bool,
) -> tuple[FloatArray, list[FloatArray]]:
    """Run ``nn.LSTM``'s or ``nn.GRU``'s equations; the output and each final state, stacked.

    Each layer and direction is converted back to Keras's layout and run by
    :mod:`lstm_examples.reference`, which holds the one NumPy copy of the equations:
    PyTorch's reverse direction is Keras's ``go_backwards=True``, its outputs flipped
    back into input order.
    """
    num_layers = check_positive_int("num_layers", num_layers)
    directions = 2 if check_bool("bidirectional", bidirectional) else 1
    seq: FloatArray = as_batch(x)
    if not check_bool("batch_first", batch_first):
        seq = seq.transpose(1, 0, 2)
    finals: list[tuple[FloatArray, ...]] = []
    for layer in range(num_layers):
        outs = []
        for direction in range(directions):
            reverse = direction == 1
            try:
                w_ih, w_hh, b_ih, b_hh = (
                    state_dict[torch_name(name, layer, reverse=reverse)]
                    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
                )
            except KeyError as error:
                raise ValueError(f"state_dict has no {error.args[0]!r}") from None
            final: tuple[FloatArray, ...]
            if kind == "lstm":
                weights = torch_to_keras(w_ih, w_hh, b_ih, b_hh)
                out, h, c = reference.lstm(
                    seq, *weights, go_backwards=reverse, return_sequences=True
                )
                final = (h, c)
            else:
                weights = gru_torch_to_keras(w_ih, w_hh, b_ih, b_hh)
                out, h = reference.gru(seq, *weights, go_backwards=reverse, return_sequences=True)
                final = (h,)
            outs.append(out[:, ::-1] if reverse else out)
            finals.append(final)
        seq = np.concatenate(outs, axis=-1)
    output = seq if batch_first else seq.transpose(1, 0, 2)
    stacked = [np.stack([f[i] for f in finals]).astype(np.float32) for i in range(len(finals[0]))]
    return output.astype(np.float32), stacked


def torch_lstm_forward(
    x: npt.ArrayLike,
    state_dict: Mapping[str, npt.ArrayLike],
    *,
    num_layers: int = 1,
    bidirectional: bool = False,
    batch_first: bool = True,
) -> tuple[FloatArray, tuple[FloatArray, FloatArray]]:
    """Run PyTorch's ``nn.LSTM`` equations in NumPy: ``output, (h_n, c_n)`` from zero states.

    ``output`` is ``(batch, timesteps, num_directions * hidden)`` (``batch_first``) and
    ``h_n``, ``c_n`` are ``(num_layers * num_directions, batch, hidden)``.

    >>> params = keras_to_torch(np.zeros((1, 8)), np.zeros((2, 8)))
    >>> output, (h_n, c_n) = torch_lstm_forward(np.ones((3, 5, 1)), params)
    >>> output.shape, h_n.shape, c_n.shape
    ((3, 5, 2), (1, 3, 2), (1, 3, 2))
    """
    output, (h_n, c_n) = _torch_forward(
        x,
        state_dict,
        kind="lstm",
        num_layers=num_layers,
        bidirectional=bidirectional,
        batch_first=batch_first,
    )
    return output, (h_n, c_n)


def torch_gru_forward(
    x: npt.ArrayLike,
    state_dict: Mapping[str, npt.ArrayLike],
    *,
    num_layers: int = 1,
    bidirectional: bool = False,
    batch_first: bool = True,
) -> tuple[FloatArray, FloatArray]:
    """Run PyTorch's ``nn.GRU`` equations in NumPy: ``output, h_n`` from a zero state.

    Per step, with gates in PyTorch's order ``r, z, n``:
    ``r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)``, ``z`` likewise,
    ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))`` and ``h = (1 - z) * n + z * h``.

    >>> params = gru_keras_to_torch(np.zeros((1, 6)), np.zeros((2, 6)))
    >>> output, h_n = torch_gru_forward(np.ones((3, 5, 1)), params, bidirectional=False)
    >>> output.shape, h_n.shape
    ((3, 5, 2), (1, 3, 2))
    """
    output, (h_n,) = _torch_forward(
        x,
        state_dict,
        kind="gru",
        num_layers=num_layers,
        bidirectional=bidirectional,
        batch_first=batch_first,
    )
    return output, h_n


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
    """Each Keras weight of a stack of LSTM or GRU layers, with its shape, PyTorch name and shape.

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
            gru = _kind(part.get_weights(), index) == "gru"
            names = {
                kind: torch_name(kind, index, reverse=direction == 1)
                for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
            }
            labels = {
                "weight_ih": names["weight_ih"] + (" (z, r, h -> r, z, n)" if gru else ""),
                "weight_hh": names["weight_hh"] + (" (z, r, h -> r, z, n)" if gru else ""),
                "bias_ih": f"{names['bias_ih']} = row 0, {names['bias_hh']} = row 1"
                if gru
                else f"{names['bias_ih']} (+ {names['bias_hh']} = 0)",
            }
            variables = list(getattr(part, "weights", []))
            for variable, kind in zip(
                variables, ("weight_ih", "weight_hh", "bias_ih"), strict=False
            ):
                shape = str(state[names[kind]].shape)
                rows.append(
                    (
                        str(getattr(variable, "path", getattr(variable, "name", "?"))),
                        str(tuple(int(d) for d in variable.shape)),
                        labels[kind],
                        f"2 x {shape}" if gru and kind == "bias_ih" else shape,
                    )
                )
    return Table(("Keras weight", "Keras shape", "PyTorch parameter", "PyTorch shape"), rows)
