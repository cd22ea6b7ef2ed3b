"""Run a model and give each returned array its name: ``output``, ``state_h``, ``state_c``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import keras
import numpy as np
import numpy.typing as npt

from .validation import as_batch


def output_names(layer: keras.layers.Layer) -> tuple[str, ...]:
    """Name what a recurrent layer returns, in the order Keras returns it.

    ``output`` is the last hidden state, or every step's hidden state with
    ``return_sequences=True``. With ``return_state=True`` the final states follow:
    ``state_h`` (the hidden state) and, for an LSTM, ``state_c`` (the cell state).

    >>> from lstm_examples.models import recurrent_layer
    >>> output_names(recurrent_layer("lstm", return_state=True))
    ('output', 'state_h', 'state_c')
    >>> output_names(recurrent_layer("gru", return_state=True))
    ('output', 'state_h')
    >>> output_names(recurrent_layer("lstm"))
    ('output',)
    """
    if not isinstance(layer, keras.layers.RNN):
        raise TypeError(
            "expected a Keras recurrent layer (LSTM, GRU, SimpleRNN or RNN), "
            f"got {type(layer).__name__}"
        )
    if not layer.return_state:
        return ("output",)
    state_size = layer.cell.state_size
    count = len(state_size) if isinstance(state_size, list | tuple) else 1
    if count == 1:
        return ("output", "state_h")
    if count == 2 and isinstance(layer.cell, keras.layers.LSTMCell):
        return ("output", "state_h", "state_c")
    return ("output", *(f"state_{i}" for i in range(count)))


@dataclass(frozen=True)
class NamedOutputs(Mapping[str, npt.NDArray[np.float32]]):
    """The arrays a model returned, each under its name; a read-only mapping.

    Items are reachable as ``outputs["state_h"]`` or ``outputs.state_h``.

    >>> import numpy as np
    >>> named = NamedOutputs(("output", "state_h"), (np.zeros((1, 1)), np.ones((1, 1))))
    >>> named.shapes
    {'output': (1, 1), 'state_h': (1, 1)}
    >>> list(named)
    ['output', 'state_h']
    """

    names: tuple[str, ...]
    arrays: tuple[npt.NDArray[np.float32], ...]

    def __post_init__(self) -> None:
        if len(self.names) != len(self.arrays):
            raise ValueError(
                f"expected one array per name {self.names}, got {len(self.arrays)} array(s)"
            )
        if len(set(self.names)) != len(self.names):
            raise ValueError(f"names must be unique, got {self.names}")

    def __getitem__(self, name: str) -> npt.NDArray[np.float32]:
        try:
            return self.arrays[self.names.index(name)]
        except ValueError:
            raise KeyError(f"{name!r} is not among the outputs {self.names}") from None

    def __getattr__(self, name: str) -> npt.NDArray[np.float32]:
        if name.startswith("_") or name in ("names", "arrays"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(str(error)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    @property
    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Each output's shape, as plain tuples of ints."""
        return {name: tuple(int(d) for d in a.shape) for name, a in self.items()}

    def __repr__(self) -> str:
        with np.printoptions(precision=6, suppress=True):
            body = "\n".join(
                f"{name} {tuple(array.shape)}:\n"
                + "\n".join("    " + line for line in np.array2string(array).splitlines())
                for name, array in self.items()
            )
        return f"NamedOutputs(\n{body}\n)"


def recurrent_layers(model: keras.Model) -> list[keras.layers.RNN]:
    """Return the recurrent layers of ``model``, in order.

    >>> from lstm_examples import build_lstm
    >>> [layer.name for layer in recurrent_layers(build_lstm())]
    ['lstm']
    """
    return [layer for layer in model.layers if isinstance(layer, keras.layers.RNN)]


def run_named(model: keras.Model, x: npt.ArrayLike) -> NamedOutputs:
    """Run ``model`` on ``x`` and return its outputs named after the final recurrent layer.

    ``x`` must be ``(batch, timesteps, features)`` with the model's feature size.

    >>> from lstm_examples import build_lstm, seed_input
    >>> named = run_named(build_lstm(1, return_state=True), seed_input())
    >>> named.names, named.shapes["state_c"]
    (('output', 'state_h', 'state_c'), (1, 1))
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"expected a keras.Model, got {type(model).__name__}")
    layers = recurrent_layers(model)
    if not layers:
        raise ValueError(f"model {model.name!r} has no recurrent layer to name outputs after")
    names = output_names(layers[-1])
    input_shape = tuple(model.inputs[0].shape)
    batch = as_batch(x, features=input_shape[-1], timesteps=input_shape[1])
    result = model(batch, training=False)
    arrays = result if isinstance(result, list | tuple) else (result,)
    if len(arrays) != len(names):
        raise ValueError(
            f"model {model.name!r} returned {len(arrays)} array(s), but its last recurrent "
            f"layer {layers[-1].name!r} returns {len(names)}: {names}"
        )
    return NamedOutputs(names, tuple(keras.ops.convert_to_numpy(a) for a in arrays))
