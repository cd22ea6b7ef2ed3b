"""Explain what any recurrent layer returns: each tensor's role and shape, computed from Keras.

:func:`explain` calls a copy of the layer on a symbolic input, so nothing is
typed by hand and the layer you pass in is left exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import keras

from .outputs import CONV_LSTM_RANKS, output_roles
from .render import ShownAsTable, Table
from .validation import check_optional_positive_int, check_positive_int

Shape = tuple[int | None, ...]


def shape_text(shape: Sequence[int | None]) -> str:
    """Write a symbolic shape with ``batch`` for the unknown batch axis.

    >>> shape_text((None, 3, 4))
    '(batch, 3, 4)'
    >>> shape_text((None, None, 4))
    '(batch, None, 4)'
    """
    dims = ["batch" if d is None and i == 0 else str(d) for i, d in enumerate(shape)]
    return "(" + ", ".join(dims) + ")"


def describe_layer(layer: keras.layers.Layer) -> str:
    """A short constructor-like description of a recurrent layer.

    Shows the units (or cells), the two flags when set, and a ``Bidirectional``
    wrapper's ``merge_mode`` when it is not the default.

    >>> from lstm_examples.models import recurrent_layer
    >>> describe_layer(recurrent_layer("gru", units=4, return_state=True))
    'GRU(4, return_state=True)'
    >>> describe_layer(keras.layers.Bidirectional(recurrent_layer("lstm"), merge_mode=None))
    'Bidirectional(LSTM(1), merge_mode=None)'
    """
    if isinstance(layer, keras.layers.Bidirectional):
        inner = describe_layer(layer.forward_layer)
        merge = "" if layer.merge_mode == "concat" else f", merge_mode={layer.merge_mode!r}"
        return f"Bidirectional({inner}{merge})"
    flags = [
        f"{flag}=True" for flag in ("return_sequences", "return_state") if getattr(layer, flag)
    ]
    if type(layer) is keras.layers.RNN:
        head = _describe_cell(layer.cell)
    else:
        head = str(getattr(layer, "units", "..."))
    return f"{type(layer).__name__}({', '.join([head, *flags])})"


def _describe_cell(cell: keras.layers.Layer) -> str:
    if isinstance(cell, keras.layers.StackedRNNCells):
        return f"StackedRNNCells([{', '.join(_describe_cell(c) for c in cell.cells)}])"
    units = getattr(cell, "units", None)
    return f"{type(cell).__name__}({'' if units is None else units})"


@dataclass(frozen=True, repr=False)  # shown as its table
class Explanation(ShownAsTable):
    """What a recurrent layer returns for one input shape: a role and a shape per tensor.

    Iterating gives the roles; ``explanation["state_h"]`` gives a shape. It
    prints as a small table (``repr``) and renders as an HTML table in a
    notebook. :func:`explain` makes these.

    >>> e = Explanation(
    ...     "GRU(2, return_state=True)",
    ...     (None, 3, 1),
    ...     ("output", "state_h"),
    ...     ((None, 2), (None, 2)),
    ...     ("hidden state after the last step", "final hidden state"),
    ... )
    >>> len(e), e["state_h"], e.shape_texts
    (2, (None, 2), ('(batch, 2)', '(batch, 2)'))
    """

    layer: str
    input_shape: Shape
    roles: tuple[str, ...]
    shapes: tuple[Shape, ...]
    meanings: tuple[str, ...]

    def __post_init__(self) -> None:
        if not len(self.roles) == len(self.shapes) == len(self.meanings):
            raise ValueError(
                f"expected one shape and one meaning per role {self.roles}, got "
                f"{len(self.shapes)} shape(s) and {len(self.meanings)} meaning(s)"
            )

    def __len__(self) -> int:
        return len(self.roles)

    def __iter__(self) -> Iterator[str]:
        return iter(self.roles)

    def __getitem__(self, role: str) -> Shape:
        try:
            return self.shapes[self.roles.index(role)]
        except ValueError:
            raise KeyError(f"{role!r} is not among the returned tensors {self.roles}") from None

    @property
    def shape_texts(self) -> tuple[str, ...]:
        """Each shape as text, ``batch`` for the unknown batch axis."""
        return tuple(shape_text(shape) for shape in self.shapes)

    def to_table(self) -> Table:
        """The explanation as a :class:`~lstm_examples.render.Table`, one row per tensor."""
        rows = [
            (str(index), role, text, meaning)
            for index, (role, text, meaning) in enumerate(
                zip(self.roles, self.shape_texts, self.meanings, strict=True)
            )
        ]
        return Table(
            ("#", "role", "shape", "meaning"),
            rows,
            caption=f"{self.layer} on input {shape_text(self.input_shape)}",
            numeric_columns=frozenset({0}),
        )


def _spatial_axes(layer: keras.layers.Layer) -> int:
    """How many spatial axes a step of the layer's input has: 0 but for a ``ConvLSTM``."""
    if isinstance(layer, keras.layers.Bidirectional):
        layer = layer.forward_layer
    return next((rank for cls, rank in CONV_LSTM_RANKS.items() if isinstance(layer, cls)), 0)


def _input_shape(input_shape: object, spatial: int = 0) -> Shape:
    """Check ``input_shape`` for a layer whose steps have ``spatial`` spatial axes."""
    if spatial:
        step = f"{spatial} spatial axes and channels"
        expected = f"input_shape as (timesteps, {step}) or (batch, timesteps, {step})"
    else:
        expected = "input_shape as (timesteps, features) or (batch, timesteps, features)"
    if not isinstance(input_shape, tuple | list):
        raise TypeError(f"expected {expected}, got {type(input_shape).__name__} {input_shape!r}")
    if len(input_shape) not in (2 + spatial, 3 + spatial):
        raise ValueError(
            f"expected {expected}, got {len(input_shape)} dimension(s) {input_shape!r}"
        )
    leading, axes = list(input_shape[: -1 - spatial]), input_shape[-1 - spatial :]
    if len(leading) == 1:
        leading = [None, *leading]
    batch, timesteps = leading
    if spatial:  # Keras itself says which of these it needs known
        step_shape = tuple(
            check_optional_positive_int("a spatial or channel axis", d) for d in axes
        )
    else:
        step_shape = (check_positive_int("features", axes[0]),)
    return (
        check_optional_positive_int("batch", batch),
        check_optional_positive_int("timesteps", timesteps),
        *step_shape,
    )


def _size(layer: keras.layers.Layer) -> object:
    """What sets the sizes a recurrent layer returns: its cell's units (a ConvLSTM's
    filters), else the cell's state sizes (cells stacked in one ``RNN``)."""
    cell = layer.cell
    return getattr(cell, "units", getattr(cell, "filters", cell.state_size))


def _check_backward_layer(layer: keras.layers.Bidirectional) -> None:
    """Reject a backward layer of another class or size than the forward one.

    Keras accepts it, but its symbolic call reports the forward layer's sizes for the
    backward half (Keras 3.15 on TensorFlow: a backward LSTM(2) beside an LSTM(3) is
    said to return (batch, 3), and returns (batch, 2) when called on data), and an
    LSTM half and a GRU half return different states: explain would answer wrongly.
    """
    forward, backward = layer.forward_layer, layer.backward_layer
    if type(forward) is not type(backward) or _size(forward) != _size(backward):
        raise ValueError(
            "explain expects a Bidirectional whose backward layer has the forward layer's "
            f"class and size; got {describe_layer(forward)} forward and "
            f"{describe_layer(backward)} backward"
        )


def explain(layer: keras.layers.Layer, input_shape: Sequence[int | None]) -> Explanation:
    """Say what ``layer`` returns for inputs of ``input_shape``: each tensor's role and shape.

    ``layer`` is any Keras recurrent layer (``LSTM``, ``GRU``, ``SimpleRNN``,
    ``ConvLSTM1D/2D/3D``, an ``RNN`` around any cell, ``StackedRNNCells`` included) or a
    ``Bidirectional`` wrapper around one, configured however you like (but a custom
    backward layer must be of the forward layer's class and size). ``input_shape``
    is ``(timesteps, features)``, as for ``keras.Input(shape=...)``, or
    ``(batch, timesteps, features)``; ``timesteps`` (and ``batch``) may be ``None``. For
    a ``ConvLSTM`` each step is an image or volume, so ``features`` becomes its spatial
    axes and channels, e.g. ``(timesteps, rows, cols, channels)`` for ``ConvLSTM2D``.

    The roles are those of :func:`~lstm_examples.outputs.output_names`; the shapes
    come from calling a fresh copy of the layer (made from its config) on a
    symbolic input, so your layer is neither built nor changed.

    >>> layer = keras.layers.Bidirectional(keras.layers.LSTM(4, return_state=True))
    >>> explain(layer, (3, 2))
    Bidirectional(LSTM(4, return_state=True)) on input (batch, 3, 2)
    #  role        shape       meaning
    -  ----------  ----------  --------------------------------------------------------
    0  output      (batch, 8)  both directions' last hidden states, concatenated
    1  forward_h   (batch, 4)  forward layer's final hidden state (after the last step)
    2  forward_c   (batch, 4)  forward layer's final cell state (after the last step)
    3  backward_h  (batch, 4)  backward layer's final hidden state (at step 0)
    4  backward_c  (batch, 4)  backward layer's final cell state (at step 0)
    >>> layer.built
    False
    """
    if isinstance(layer, keras.layers.Bidirectional):
        _check_backward_layer(layer)
    roles = output_roles(layer)  # raises TypeError for anything not recurrent
    shape = _input_shape(input_shape, _spatial_axes(layer))
    copy = type(layer).from_config(layer.get_config())
    inputs = keras.Input(batch_shape=shape)
    tensors = keras.tree.flatten(copy(inputs))
    if len(tensors) != len(roles):  # pragma: no cover - a layer Keras added after this code
        raise ValueError(
            f"{type(layer).__name__} returned {len(tensors)} tensor(s) but "
            f"{len(roles)} were expected: {[name for name, _ in roles]}"
        )
    return Explanation(
        layer=describe_layer(layer),
        input_shape=shape,
        roles=tuple(name for name, _ in roles),
        shapes=tuple(tuple(tensor.shape) for tensor in tensors),
        meanings=tuple(meaning for _, meaning in roles),
    )
