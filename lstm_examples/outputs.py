"""Name what a recurrent layer returns, in Keras's order: ``output``, ``state_h``, ``state_c``.

Keras returns the tensors as a tuple and names none of them; these are the names
the site (and :func:`~lstm_examples.explanation.explain`) gives them.
"""

from __future__ import annotations

from typing import Final

import keras

#: The convolutional LSTM layers, each with its number of spatial axes. Their cell carries
#: ``h`` and ``c`` like an LSTM's, but it is no ``LSTMCell``, and its ``state_size`` is a
#: placeholder (-1) until the layer is built.
CONV_LSTM_RANKS: Final[dict[type[keras.layers.Layer], int]] = {
    keras.layers.ConvLSTM1D: 1,
    keras.layers.ConvLSTM2D: 2,
    keras.layers.ConvLSTM3D: 3,
}


def _layer_state_suffixes(layer: keras.layers.RNN) -> tuple[str, ...]:
    """``h``/``c`` for each state a recurrent layer returns (see :func:`_state_suffixes`)."""
    if isinstance(layer, tuple(CONV_LSTM_RANKS)):
        return ("h", "c")
    return _state_suffixes(layer.cell)


def _state_suffixes(cell: keras.layers.Layer) -> tuple[str, ...]:
    """``h``/``c`` for each state a cell carries; ``cell<i>_...`` inside a stack."""
    if isinstance(cell, keras.layers.StackedRNNCells):
        return tuple(
            f"cell{index}_{suffix}"
            for index, inner in enumerate(cell.cells)
            for suffix in _state_suffixes(inner)
        )
    state_size = cell.state_size
    count = len(state_size) if isinstance(state_size, list | tuple) else 1
    if count == 1:
        return ("h",)
    if count == 2 and isinstance(cell, keras.layers.LSTMCell):
        return ("h", "c")
    return tuple(str(index) for index in range(count))


def _state_meaning(suffix: str, direction: str = "") -> str:
    """Say in words what the final state named ``suffix`` (``h``, ``cell1_c``, ``0``) holds."""
    cell, _, last = suffix.rpartition("_")
    what = {"h": "hidden state", "c": "cell state"}.get(last, f"state {last}")
    of_cell = f" of cell {cell.removeprefix('cell')}" if cell else ""
    where = {"forward": " (after the last step)", "backward": " (at step 0)"}.get(direction, "")
    owner = f"{direction} layer's " if direction else ""
    return f"{owner}final {what}{of_cell}{where}"


def output_roles(layer: keras.layers.Layer) -> tuple[tuple[str, str], ...]:
    """Name and describe, in Keras's order, each tensor a recurrent layer returns.

    Returns ``(name, meaning)`` pairs, one per tensor once nested lists (the
    per-cell states of ``StackedRNNCells``) are flattened. :func:`output_names`
    gives the names alone.

    >>> from lstm_examples.models import recurrent_layer
    >>> for name, meaning in output_roles(recurrent_layer("lstm", return_state=True)):
    ...     print(f"{name}: {meaning}")
    output: hidden state after the last step
    state_h: final hidden state
    state_c: final cell state
    """
    if isinstance(layer, keras.layers.Bidirectional):
        return _bidirectional_roles(layer)
    if not isinstance(layer, keras.layers.RNN):
        raise TypeError(
            "expected a Keras recurrent layer (LSTM, GRU, SimpleRNN or RNN) or a "
            f"Bidirectional wrapper around one, got {type(layer).__name__}"
        )
    steps = "at every step" if layer.return_sequences else "after the last step"
    stacked = isinstance(layer.cell, keras.layers.StackedRNNCells)
    whose = "last cell's hidden state" if stacked else "hidden state"
    roles = [("output", f"{whose} {steps}")]
    if layer.return_state:
        roles += [
            (suffix if stacked else f"state_{suffix}", _state_meaning(suffix))
            for suffix in _layer_state_suffixes(layer)
        ]
    return tuple(roles)


def _bidirectional_roles(layer: keras.layers.Bidirectional) -> tuple[tuple[str, str], ...]:
    if layer.return_sequences:
        forward_steps, backward_steps = "at every step", "at every step, in input order"
    else:
        forward_steps, backward_steps = "after the last step", "at step 0 (its last step)"
    if layer.merge_mode is None:
        roles = [
            ("output_forward", f"forward layer's hidden state {forward_steps}"),
            ("output_backward", f"backward layer's hidden state {backward_steps}"),
        ]
    else:
        merged = {"concat": "concatenated", "sum": "summed", "ave": "averaged"}.get(
            layer.merge_mode, "multiplied"
        )
        steps = "hidden states at every step" if layer.return_sequences else "last hidden states"
        roles = [("output", f"both directions' {steps}, {merged}")]
    if layer.return_state:
        for direction, sublayer in (
            ("forward", layer.forward_layer),
            ("backward", layer.backward_layer),
        ):
            roles += [
                (f"{direction}_{suffix}", _state_meaning(suffix, direction))
                for suffix in _layer_state_suffixes(sublayer)
            ]
    return tuple(roles)


def output_names(layer: keras.layers.Layer) -> tuple[str, ...]:
    """Name what a recurrent layer returns, in the order Keras returns it.

    ``output`` is the last hidden state, or every step's hidden state with
    ``return_sequences=True``. With ``return_state=True`` the final states follow:
    ``state_h`` (the hidden state) and, for an LSTM, ``state_c`` (the cell state).
    A ``Bidirectional`` wrapper returns ``output`` (or ``output_forward`` and
    ``output_backward`` with ``merge_mode=None``), then the forward layer's states
    (``forward_h``, ``forward_c``), then the backward layer's (``backward_h``,
    ``backward_c``). An ``RNN`` over ``StackedRNNCells`` returns each cell's final
    states as ``cell0_h``, ``cell0_c``, ``cell1_h``, ... (``forward_cell0_h`` and
    so on inside ``Bidirectional``). A cell with several states that is not an
    LSTM cell numbers them: ``state_0``, ``state_1``, ...

    >>> import keras
    >>> from lstm_examples.models import recurrent_layer
    >>> output_names(recurrent_layer("lstm", return_state=True))
    ('output', 'state_h', 'state_c')
    >>> output_names(recurrent_layer("gru", return_state=True))
    ('output', 'state_h')
    >>> output_names(recurrent_layer("lstm"))
    ('output',)
    >>> output_names(keras.layers.Bidirectional(recurrent_layer("lstm", return_state=True)))
    ('output', 'forward_h', 'forward_c', 'backward_h', 'backward_c')
    """
    return tuple(name for name, _ in output_roles(layer))
