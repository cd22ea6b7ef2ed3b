"""LSTM and GRU forward passes in NumPy that reproduce Keras from its own weights.

Nothing here imports TensorFlow or Keras: the functions take the arrays that
``layer.get_weights()`` returns and compute, step by step, what the layer
computes. The arithmetic is done in ``float64``, so the results are the exact
values that Keras's ``float32`` results approximate. The pages of the site write
the same steps in a few lines of NumPy for the reader; their hidden cells check
that code against these functions.

The weight layout is Keras's. For an ``LSTM`` with ``units`` units the kernel
``(features, 4 * units)``, the recurrent kernel ``(units, 4 * units)`` and the
bias ``(4 * units,)`` hold four blocks of ``units`` columns each, in the order
input gate ``i``, forget gate ``f``, candidate ``c_tilde`` and output gate ``o``::

    i = recurrent_activation(x_t W_i + h_{t-1} U_i + b_i)
    f = recurrent_activation(x_t W_f + h_{t-1} U_f + b_f)
    c_tilde = activation(x_t W_c + h_{t-1} U_c + b_c)
    o = recurrent_activation(x_t W_o + h_{t-1} U_o + b_o)
    c_t = f * c_{t-1} + i * c_tilde
    h_t = o * activation(c_t)

A ``GRU`` has three blocks, update gate ``z``, reset gate ``r`` and candidate
``h_tilde``, and one state ``h``; see :func:`gru`.

Masking follows Keras's generic loop with its default
``zero_output_for_mask=False``: at a masked step the states are carried over
unchanged and the sequence output repeats the previous step's output. Before the
first unmasked step the backends differ, and ``backend`` says which one to follow:
TensorFlow and PyTorch show zeros there, JAX the initial state ``h0`` (its default
loop, ``unroll=False``, repeats the previous state ``h`` rather than the previous
output; JAX with ``unroll=True`` shows zeros, so pass ``"tensorflow"``). With
``go_backwards=True`` the sequence is read from the last step to the first and
the outputs are returned in that processing order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from ._types import BACKENDS, Backend, Float64Array
from .validation import as_batch, check_bool

Activation = Callable[[Float64Array], Float64Array]


def _sigmoid(x: Float64Array) -> Float64Array:
    # Split by sign so that exp never overflows.
    out = np.empty_like(x)
    positive = x >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
    exp_x = np.exp(x[~positive])
    out[~positive] = exp_x / (1.0 + exp_x)
    return out


#: The activations the reference knows, by their Keras names.
ACTIVATIONS: Final[dict[str, Activation]] = {
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "hard_sigmoid": lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0),
    "relu": lambda x: np.maximum(x, 0.0),
    "linear": lambda x: x,
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "hard_tanh": lambda x: np.clip(x, -1.0, 1.0),
}

#: Gate names of each layer kind, in the order of the weight blocks.
GATES: Final[dict[str, tuple[str, ...]]] = {
    "lstm": ("input", "forget", "candidate", "output"),
    "gru": ("update", "reset", "candidate"),
}


def activation_fn(name: str) -> Activation:
    """Return the NumPy function for a Keras activation name.

    >>> activation_fn("hard_sigmoid")(np.array([-6.0, 0.0, 1.5]))
    array([0.  , 0.5 , 0.75])
    >>> activation_fn("swish")
    Traceback (most recent call last):
    ...
    ValueError: unknown activation 'swish'; expected one of ['hard_sigmoid', 'hard_tanh', ...]
    """
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name]


@dataclass(frozen=True)
class Trace:
    """Every step of a recurrent layer's forward pass, in processing order.

    ``gates`` maps each gate's name (``input``, ``forget``, ``candidate``,
    ``output`` for an LSTM; ``update``, ``reset``, ``candidate`` for a GRU) to
    its activations, ``states`` maps ``h`` (and ``c`` for an LSTM) to the state
    after each step, and ``outputs`` holds what the layer's sequence output shows
    at each step. Every array is ``(batch, timesteps, units)``. ``mask`` is
    ``(batch, timesteps)``, also in processing order. Gates are computed at
    masked steps too, but the states ignore them.

    >>> trace = lstm_trace(np.ones((1, 2, 1)), np.full((1, 4), 0.5), np.zeros((1, 4)), None)
    >>> trace.kind, list(trace.gates), list(trace.states), trace.states["h"].shape
    ('lstm', ['input', 'forget', 'candidate', 'output'], ['h', 'c'], (1, 2, 1))
    """

    kind: str
    gates: Mapping[str, Float64Array]
    states: Mapping[str, Float64Array]
    outputs: Float64Array
    mask: npt.NDArray[np.bool_]
    go_backwards: bool = False

    @property
    def timesteps(self) -> int:
        """Number of steps in the trace."""
        return int(self.outputs.shape[1])

    @property
    def units(self) -> int:
        """Number of units of the layer."""
        return int(self.outputs.shape[2])


def _weights(
    kind: str,
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike | None,
    *,
    blocks: int,
    bias_rows: int,
    features: int | None = None,
) -> tuple[Float64Array, Float64Array, Float64Array | None, int]:
    """Check the weights against each other (and ``features``); return them as float64."""
    recurrent_kernel = np.asarray(recurrent_kernel, dtype=np.float64)
    if (
        recurrent_kernel.ndim != 2
        or recurrent_kernel.shape[1] != blocks * recurrent_kernel.shape[0]
    ):
        raise ValueError(
            f"{kind} recurrent_kernel must have shape (units, {blocks} * units), "
            f"got {recurrent_kernel.shape}"
        )
    units = recurrent_kernel.shape[0]
    kernel = np.asarray(kernel, dtype=np.float64)
    if features is None:
        features = kernel.shape[0] if kernel.ndim == 2 else 0
    if kernel.shape != (features, blocks * units):
        raise ValueError(
            f"{kind} kernel must have shape (features, {blocks} * units) = "
            f"{(features, blocks * units)} for {features} input feature(s) and {units} unit(s), "
            f"got {kernel.shape}"
        )
    if bias is not None:
        bias = np.asarray(bias, dtype=np.float64)
        expected = (blocks * units,) if bias_rows == 1 else (bias_rows, blocks * units)
        if bias.shape != expected:
            raise ValueError(
                f"{kind} bias must have shape {expected} for {units} unit(s), got {bias.shape}"
            )
    return kernel, recurrent_kernel, bias, units


def _prepare(
    kind: str,
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike | None,
    *,
    blocks: int,
    bias_rows: int,
) -> tuple[Float64Array, Float64Array, Float64Array, Float64Array | None, int]:
    """Check ``x`` and the weights against each other; return them as float64, and ``units``."""
    x = as_batch(x).astype(np.float64)
    weights = _weights(
        kind,
        kernel,
        recurrent_kernel,
        bias,
        blocks=blocks,
        bias_rows=bias_rows,
        features=x.shape[2],
    )
    return (x, *weights)


def split_weights(
    kind: str,
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike | None,
    *,
    reset_after: bool = True,
) -> dict[str, dict[str, Float64Array]]:
    """Cut Keras's weights into one ``kernel``, ``recurrent_kernel`` (and ``bias``) per gate.

    For a GRU with ``reset_after=True`` each gate's bias has two rows: the input
    bias and the recurrent bias.

    >>> kernel, recurrent_kernel = np.arange(8.0).reshape(2, 4), np.zeros((1, 4))
    >>> blocks = split_weights("lstm", kernel, recurrent_kernel, np.array([0.0, 1.0, 0.0, 0.0]))
    >>> list(blocks), blocks["forget"]["kernel"].tolist(), blocks["forget"]["bias"].tolist()
    (['input', 'forget', 'candidate', 'output'], [[1.0], [5.0]], [1.0])
    """
    if kind not in GATES:
        raise ValueError(f"kind must be one of {sorted(GATES)}, got {kind!r}")
    gates = GATES[kind]
    two_rows = kind == "gru" and check_bool("reset_after", reset_after)
    kernel, recurrent_kernel, bias, units = _weights(
        kind.upper(),
        kernel,
        recurrent_kernel,
        bias,
        blocks=len(gates),
        bias_rows=2 if two_rows else 1,
    )
    blocks = {}
    for index, gate in enumerate(gates):
        columns = slice(index * units, (index + 1) * units)
        block = {"kernel": kernel[:, columns], "recurrent_kernel": recurrent_kernel[:, columns]}
        if bias is not None:
            block["bias"] = bias[..., columns]
        blocks[gate] = block
    return blocks


def _mask(mask: npt.ArrayLike | None, batch: int, timesteps: int) -> npt.NDArray[np.bool_]:
    if mask is None:
        return np.ones((batch, timesteps), dtype=bool)
    array = np.asarray(mask)
    if array.shape != (batch, timesteps):
        raise ValueError(
            f"mask must have shape (batch, timesteps) = {(batch, timesteps)}, got {array.shape}"
        )
    if not (np.issubdtype(array.dtype, np.bool_) or np.issubdtype(array.dtype, np.integer)):
        raise ValueError(f"mask must hold booleans, got dtype {array.dtype}")
    return array.astype(bool)


def _state(value: object, name: str, batch: int, units: int) -> Float64Array:
    array = np.asarray(value, dtype=np.float64)
    if array.shape != (batch, units):
        raise ValueError(
            f"{name} must have shape (batch, units) = {(batch, units)}, got {array.shape}"
        )
    return array


def _run(
    kind: str,
    step: Callable[
        [Float64Array, tuple[Float64Array, ...]],
        tuple[dict[str, Float64Array], tuple[Float64Array, ...]],
    ],
    x: Float64Array,
    states: tuple[Float64Array, ...],
    *,
    mask: npt.ArrayLike | None,
    go_backwards: bool,
    backend: str,
) -> Trace:
    """Keras's generic RNN loop: masked steps keep the states and repeat the last output."""
    keep = _mask(mask, x.shape[0], x.shape[1])
    go_backwards = check_bool("go_backwards", go_backwards)
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {list(BACKENDS)}, got {backend!r}")
    if go_backwards:
        x, keep = x[:, ::-1], keep[:, ::-1]
    gates: dict[str, list[Float64Array]] = {name: [] for name in GATES[kind]}
    history: list[tuple[Float64Array, ...]] = []
    outputs = []
    # Before the first real step: TensorFlow and PyTorch start from a zero "previous
    # output", JAX repeats the previous state h, which is then h0.
    output = states[0].copy() if backend == "jax" else np.zeros_like(states[0])
    for t in range(x.shape[1]):
        step_gates, new_states = step(x[:, t], states)
        real = keep[:, t, None]
        output = np.where(real, new_states[0], output)
        states = tuple(
            np.where(real, new, old) for new, old in zip(new_states, states, strict=True)
        )
        for name, values in gates.items():
            values.append(step_gates[name])
        history.append(states)
        outputs.append(output)
    names = ("h", "c")[: len(states)]
    return Trace(
        kind=kind,
        gates={name: np.stack(values, axis=1) for name, values in gates.items()},
        states={name: np.stack([s[i] for s in history], axis=1) for i, name in enumerate(names)},
        outputs=np.stack(outputs, axis=1),
        mask=np.ascontiguousarray(keep),
        go_backwards=go_backwards,
    )


def lstm_trace(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike | None,
    *,
    initial_state: Sequence[npt.ArrayLike] | None = None,
    mask: npt.ArrayLike | None = None,
    go_backwards: bool = False,
    activation: str = "tanh",
    recurrent_activation: str = "sigmoid",
    backend: Backend = "tensorflow",
) -> Trace:
    """Run an LSTM like :func:`lstm` and return every gate and state of every step.

    >>> x = np.array([[[1.0], [2.0]]])
    >>> trace = lstm_trace(x, np.full((1, 4), 0.5), np.zeros((1, 4)), None)
    >>> trace.gates["forget"][0, :, 0].round(4).tolist()
    [0.6225, 0.7311]
    >>> trace.states["c"][0, :, 0].round(4).tolist()
    [0.2876, 0.7671]
    """
    x, kernel, recurrent_kernel, bias, units = _prepare(
        "LSTM", x, kernel, recurrent_kernel, bias, blocks=4, bias_rows=1
    )
    batch = x.shape[0]
    act, rec_act = activation_fn(activation), activation_fn(recurrent_activation)
    if initial_state is None:
        states = (np.zeros((batch, units)), np.zeros((batch, units)))
    else:
        if len(initial_state) != 2:
            raise ValueError(
                f"an LSTM's initial_state is [h0, c0], each (batch, units) = {(batch, units)}; "
                f"got {len(initial_state)} array(s)"
            )
        h0, c0 = initial_state
        states = (_state(h0, "h0", batch, units), _state(c0, "c0", batch, units))

    def step(
        x_t: Float64Array, state: tuple[Float64Array, ...]
    ) -> tuple[dict[str, Float64Array], tuple[Float64Array, ...]]:
        h, c = state
        z = x_t @ kernel + h @ recurrent_kernel
        if bias is not None:
            z = z + bias
        z_i, z_f, z_c, z_o = np.split(z, 4, axis=1)
        i, f, c_tilde, o = rec_act(z_i), rec_act(z_f), act(z_c), rec_act(z_o)
        c = f * c + i * c_tilde
        h = o * act(c)
        return {"input": i, "forget": f, "candidate": c_tilde, "output": o}, (h, c)

    return _run("lstm", step, x, states, mask=mask, go_backwards=go_backwards, backend=backend)


def lstm(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike | None,
    *,
    initial_state: Sequence[npt.ArrayLike] | None = None,
    mask: npt.ArrayLike | None = None,
    go_backwards: bool = False,
    return_sequences: bool = False,
    activation: str = "tanh",
    recurrent_activation: str = "sigmoid",
    backend: Backend = "tensorflow",
) -> tuple[Float64Array, Float64Array, Float64Array]:
    """Return ``(output, state_h, state_c)`` of a Keras ``LSTM`` with these weights.

    ``x`` is ``(batch, timesteps, features)``; ``kernel``, ``recurrent_kernel`` and
    ``bias`` are ``layer.get_weights()`` (``bias=None`` for ``use_bias=False``).
    ``initial_state`` is ``[h0, c0]``, each ``(batch, units)``; ``mask`` is
    ``(batch, timesteps)`` booleans, ``True`` where a step is real. ``backend``
    (``"tensorflow"``, ``"jax"`` or ``"torch"``) picks what the output shows at masked
    steps before the first real one: zeros, except on JAX with ``unroll=False``
    (its default), where it is ``h0``.

    ``output`` is the hidden state after the last step, ``(batch, units)``, or
    after every step with ``return_sequences=True``, ``(batch, timesteps, units)``.

    A one-unit LSTM whose every weight is 0.5 and whose biases are 0, on two steps:

    >>> x = np.array([[[1.0], [2.0]]])
    >>> output, state_h, state_c = lstm(
    ...     x, np.full((1, 4), 0.5), np.full((1, 4), 0.5), np.zeros(4), return_sequences=True
    ... )
    >>> output.round(4).tolist(), state_h.round(4).tolist(), state_c.round(4).tolist()
    ([[[0.1743], [0.5009]]], [[0.5009]], [[0.8103]])

    The first step masked, from ``h0 = 0.25``: the output there is zeros on
    TensorFlow and PyTorch, ``h0`` on JAX; the states are the same on all three.

    >>> start = [np.full((1, 1), 0.25), np.zeros((1, 1))]
    >>> for backend in ("tensorflow", "jax"):
    ...     output, state_h, _ = lstm(x, np.full((1, 4), 0.5), np.full((1, 4), 0.5), None,
    ...         initial_state=start, mask=[[False, True]], return_sequences=True,
    ...         backend=backend)
    ...     print(backend, output[0, :, 0].round(4).tolist(), state_h.round(4).tolist())
    tensorflow [0.0, 0.4113] [[0.4113]]
    jax [0.25, 0.4113] [[0.4113]]
    >>> lstm(x, np.full((1, 4), 0.5), np.full((1, 4), 0.5), None, backend="mlx")
    Traceback (most recent call last):
    ...
    ValueError: backend must be one of ['tensorflow', 'jax', 'torch'], got 'mlx'
    >>> lstm(x, np.zeros((2, 4)), np.zeros((1, 4)), None)
    Traceback (most recent call last):
    ...
    ValueError: LSTM kernel must have shape (features, 4 * units) = (1, 4) for 1 input ...
    """
    return_sequences = check_bool("return_sequences", return_sequences)
    trace = lstm_trace(
        x,
        kernel,
        recurrent_kernel,
        bias,
        initial_state=initial_state,
        mask=mask,
        go_backwards=go_backwards,
        activation=activation,
        recurrent_activation=recurrent_activation,
        backend=backend,
    )
    output = trace.outputs if return_sequences else trace.outputs[:, -1]
    return output, trace.states["h"][:, -1], trace.states["c"][:, -1]


def gru_trace(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike | None,
    *,
    reset_after: bool = True,
    initial_state: npt.ArrayLike | Sequence[npt.ArrayLike] | None = None,
    mask: npt.ArrayLike | None = None,
    go_backwards: bool = False,
    activation: str = "tanh",
    recurrent_activation: str = "sigmoid",
    backend: Backend = "tensorflow",
) -> Trace:
    """Run a GRU like :func:`gru` and return every gate and state of every step.

    >>> x = np.array([[[1.0], [2.0]]])
    >>> trace = gru_trace(x, np.full((1, 3), 0.5), np.zeros((1, 3)), None)
    >>> list(trace.gates), list(trace.states)
    (['update', 'reset', 'candidate'], ['h'])
    >>> trace.states["h"][0, :, 0].round(4).tolist()
    [0.1745, 0.3324]
    """
    reset_after = check_bool("reset_after", reset_after)
    x, kernel, recurrent_kernel, bias, units = _prepare(
        "GRU", x, kernel, recurrent_kernel, bias, blocks=3, bias_rows=2 if reset_after else 1
    )
    batch = x.shape[0]
    act, rec_act = activation_fn(activation), activation_fn(recurrent_activation)
    if initial_state is None:
        h0 = np.zeros((batch, units))
    else:
        if isinstance(initial_state, list | tuple):
            if len(initial_state) != 1:
                raise ValueError(
                    f"a GRU's initial_state is one array h0 (batch, units) = {(batch, units)}; "
                    f"got {len(initial_state)} array(s)"
                )
            initial_state = initial_state[0]
        h0 = _state(initial_state, "h0", batch, units)
    input_bias, recurrent_bias = (None, None) if bias is None else (bias, None)
    if bias is not None and reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]

    def step(
        x_t: Float64Array, state: tuple[Float64Array, ...]
    ) -> tuple[dict[str, Float64Array], tuple[Float64Array, ...]]:
        (h,) = state
        projected = x_t @ kernel if input_bias is None else x_t @ kernel + input_bias
        x_z, x_r, x_h = np.split(projected, 3, axis=1)
        u_z, u_r, u_h = np.split(recurrent_kernel, 3, axis=1)
        h_z, h_r = h @ u_z, h @ u_r
        if recurrent_bias is not None:
            b_z, b_r, b_h = np.split(recurrent_bias, 3)
            h_z, h_r = h_z + b_z, h_r + b_r
        z, r = rec_act(x_z + h_z), rec_act(x_r + h_r)
        if reset_after:
            recurrent_h = h @ u_h if recurrent_bias is None else h @ u_h + b_h
            h_tilde = act(x_h + r * recurrent_h)
        else:
            h_tilde = act(x_h + (r * h) @ u_h)
        h = z * h + (1.0 - z) * h_tilde
        return {"update": z, "reset": r, "candidate": h_tilde}, (h,)

    return _run("gru", step, x, (h0,), mask=mask, go_backwards=go_backwards, backend=backend)


def gru(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike | None,
    *,
    reset_after: bool = True,
    initial_state: npt.ArrayLike | Sequence[npt.ArrayLike] | None = None,
    mask: npt.ArrayLike | None = None,
    go_backwards: bool = False,
    return_sequences: bool = False,
    activation: str = "tanh",
    recurrent_activation: str = "sigmoid",
    backend: Backend = "tensorflow",
) -> tuple[Float64Array, Float64Array]:
    """Return ``(output, state)`` of a Keras ``GRU`` with these weights.

    The three weight blocks are the update gate ``z``, the reset gate ``r`` and
    the candidate ``h_tilde``; ``b`` is the input bias and ``b'`` the recurrent
    one, which only ``reset_after=True`` has::

        z = recurrent_activation(x_t W_z + b_z + h_{t-1} U_z + b'_z)
        r = recurrent_activation(x_t W_r + b_r + h_{t-1} U_r + b'_r)
        h_tilde = activation(x_t W_h + b_h + r * (h_{t-1} U_h + b'_h))  # reset_after=True
        h_tilde = activation(x_t W_h + (r * h_{t-1}) U_h + b_h)  # reset_after=False
        h_t = z * h_{t-1} + (1 - z) * h_tilde

    With ``reset_after=True`` (Keras's default) the bias is ``(2, 3 * units)``:
    row 0 is added to the input projection, row 1 to the recurrent one. With
    ``reset_after=False`` it is ``(3 * units,)``. ``initial_state`` is ``h0``
    (or ``[h0]``), ``(batch, units)``; the other arguments are as in :func:`lstm`.

    >>> x = np.array([[[1.0], [2.0]]])
    >>> output, state = gru(x, np.full((1, 3), 0.5), np.full((1, 3), 0.5), np.zeros((2, 3)))
    >>> output.round(4).tolist(), bool((output == state).all())
    ([[0.3291]], True)
    >>> gru(x, np.full((1, 3), 0.5), np.full((1, 3), 0.5), np.zeros(3))
    Traceback (most recent call last):
    ...
    ValueError: GRU bias must have shape (2, 3) for 1 unit(s), got (3,)
    """
    return_sequences = check_bool("return_sequences", return_sequences)
    trace = gru_trace(
        x,
        kernel,
        recurrent_kernel,
        bias,
        reset_after=reset_after,
        initial_state=initial_state,
        mask=mask,
        go_backwards=go_backwards,
        activation=activation,
        recurrent_activation=recurrent_activation,
        backend=backend,
    )
    output = trace.outputs if return_sequences else trace.outputs[:, -1]
    return output, trace.states["h"][:, -1]
