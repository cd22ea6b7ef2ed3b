"""What every recurrent layer returns, for every choice of flags and wrapper, with symbolic shapes.

:func:`explorer_table` runs Keras on each combination of layer (``LSTM``, ``GRU``,
``SimpleRNN``, ``ConvLSTM2D``), ``return_sequences``, ``return_state`` and
``Bidirectional`` wrapper (each ``merge_mode``) and keeps each returned tensor's
name, role and shape. A shape is kept as a template such as
``["batch", "timesteps", "2*units"]``: the layer is called at two different sets of
sizes, and each axis is written as the one expression that gives both results.
The home page's explorer (:func:`render_explorer`) only fills in a reader's numbers.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, NamedTuple

import keras
import numpy as np

from .outputs import output_roles
from .render import Table

#: The layers the explorer offers, in its order.
LAYERS: Final = ("LSTM", "GRU", "SimpleRNN", "ConvLSTM2D")
#: ``Bidirectional``'s merge modes, default first (``None`` returns both directions).
MERGE_MODES: Final = ("concat", "sum", "mul", "ave", None)
#: ConvLSTM2D's fixed arguments, stated on the page.
KERNEL_SIZE: Final = 3
PADDING: Final = "same"

#: The sizes a reader chooses, per family of layer, in input order (units last).
SEQUENCE_SIZES: Final = ("batch", "timesteps", "features", "units")
CONV_SIZES: Final = ("batch", "timesteps", "rows", "cols", "channels", "filters")

# Two sets of sizes, all different primes (and different from each other), so that
# each axis of a result has exactly one expression (``n``, ``name`` or ``k*name``)
# that gives both results.
_SIZES_A: Final = {
    "batch": 2,
    "timesteps": 3,
    "features": 5,
    "units": 7,
    "rows": 5,
    "cols": 7,
    "channels": 11,
    "filters": 13,
}
_SIZES_B: Final = {
    "batch": 17,
    "timesteps": 19,
    "features": 23,
    "units": 29,
    "rows": 23,
    "cols": 29,
    "channels": 31,
    "filters": 37,
}

_TEMPLATE_TERM = re.compile(r"^(?:(?P<count>[0-9]+)\*)?(?P<name>[a-z]+)$|^(?P<number>[0-9]+)$")


def size_names(layer: str) -> tuple[str, ...]:
    """The sizes a reader picks for ``layer``, batch first, units (or filters) last.

    >>> size_names("GRU")
    ('batch', 'timesteps', 'features', 'units')
    >>> size_names("ConvLSTM2D")
    ('batch', 'timesteps', 'rows', 'cols', 'channels', 'filters')
    """
    if layer not in LAYERS:
        raise ValueError(f"layer must be one of {LAYERS}, got {layer!r}")
    return CONV_SIZES if layer == "ConvLSTM2D" else SEQUENCE_SIZES


def symbolic_axis(
    first: int, second: int, first_sizes: Mapping[str, int], second_sizes: Mapping[str, int]
) -> str:
    """The one expression (``"7"``, ``"units"``, ``"2*units"``) giving both lengths of an axis.

    ``first`` and ``second`` are the axis's lengths when the layer was called with
    ``first_sizes`` and with ``second_sizes``. Raises ``ValueError`` when no
    expression, or more than one, gives both.

    >>> symbolic_axis(14, 58, {"units": 7, "batch": 2}, {"units": 29, "batch": 17})
    '2*units'
    >>> symbolic_axis(3, 3, {"units": 7}, {"units": 29})
    '3'
    """
    found = [
        name if first == size else f"{first // size}*{name}"
        for name, size in first_sizes.items()
        if first % size == 0 and second == first // size * second_sizes[name]
    ]
    if first == second:
        found.append(str(first))
    if len(found) != 1:
        raise ValueError(
            f"an axis of length {first} (then {second}) matches "
            f"{found or 'no expression'} of the sizes {dict(first_sizes)} / {dict(second_sizes)}"
        )
    return found[0]


def evaluate_template(template: Sequence[str], sizes: Mapping[str, int]) -> tuple[int, ...]:
    """Fill a shape template with sizes, as the explorer does in the browser.

    >>> evaluate_template(["batch", "timesteps", "2*units"], {"batch": 4, "timesteps": 3, "units": 8})
    (4, 3, 16)
    """
    shape = []
    for term in template:
        match = _TEMPLATE_TERM.match(term)
        if match is None:
            raise ValueError(f"not a shape term: {term!r} (expected n, name or n*name)")
        if match["number"] is not None:
            shape.append(int(match["number"]))
            continue
        if match["name"] not in sizes:
            raise KeyError(f"shape term {term!r} needs the size {match['name']!r}")
        shape.append(int(match["count"] or 1) * sizes[match["name"]])
    return tuple(shape)


class Choice(NamedTuple):
    """One combination a reader can pick: the layer, its two flags and its wrapper."""

    layer: str
    return_sequences: bool
    return_state: bool
    bidirectional: bool = False
    merge_mode: str | None = "concat"

    @property
    def key(self) -> str:
        """The table's key: ``"LSTM|0|1|-"`` (layer, flags as 0/1, merge mode or ``-``)."""
        wrapper = str(self.merge_mode) if self.bidirectional else "-"
        return f"{self.layer}|{int(self.return_sequences)}|{int(self.return_state)}|{wrapper}"


def _layer(choice: Choice, sizes: Mapping[str, int], kind: str | None = None) -> keras.layers.Layer:
    """A fresh layer for ``choice`` (or, with ``kind``, one of that class, one unit)."""
    flags = {"return_sequences": choice.return_sequences, "return_state": choice.return_state}
    if kind is not None:
        inner = getattr(keras.layers, kind)(1, **flags)
    elif choice.layer == "ConvLSTM2D":
        inner = keras.layers.ConvLSTM2D(sizes["filters"], KERNEL_SIZE, padding=PADDING, **flags)
    else:
        inner = getattr(keras.layers, choice.layer)(sizes["units"], **flags)
    if choice.bidirectional:
        return keras.layers.Bidirectional(inner, merge_mode=choice.merge_mode)
    return inner


def _input_shape(layer: str, sizes: Mapping[str, int]) -> tuple[int, ...]:
    """The input's shape without the batch axis."""
    return tuple(sizes[name] for name in size_names(layer)[1:-1])


def code_line(choice: Choice, names: Sequence[str]) -> str:
    """The line of Keras that makes and calls the layer, its results unpacked into ``names``.

    The layer's size is left as ``{units}`` (``{filters}``) for the reader's number.

    >>> code_line(Choice("LSTM", False, True), ["output", "state_h", "state_c"])
    'output, state_h, state_c = keras.layers.LSTM({units}, return_state=True)(inputs)'
    >>> code_line(Choice("GRU", True, False, True, None), ["output_forward", "output_backward"])
    'output_forward, output_backward = keras.layers.Bidirectional(keras.layers.GRU({units}, return_sequences=True), merge_mode=None)(inputs)'
    """
    size = size_names(choice.layer)[-1]
    arguments = [f"{{{size}}}"]
    if choice.layer == "ConvLSTM2D":
        arguments += [str(KERNEL_SIZE), f'padding="{PADDING}"']
    arguments += [
        f"{flag}=True" for flag in ("return_sequences", "return_state") if getattr(choice, flag)
    ]
    call = f"keras.layers.{choice.layer}({', '.join(arguments)})"
    if choice.bidirectional:
        mode = choice.merge_mode
        merge = (
            ""
            if mode == "concat"
            else f", merge_mode={mode}"
            if mode is None
            else f', merge_mode="{mode}"'
        )
        call = f"keras.layers.Bidirectional({call}{merge})"
    return f"{', '.join(names)} = {call}(inputs)"


def input_line(layer: str) -> str:
    """The ``keras.Input`` line, sizes left as ``{timesteps}`` and so on.

    >>> input_line("LSTM")
    'inputs = keras.Input(shape=({timesteps}, {features}))'
    """
    return f"inputs = keras.Input(shape=({', '.join(f'{{{n}}}' for n in size_names(layer)[1:-1])}))"


def _call(choice: Choice, sizes: Mapping[str, Any]) -> tuple[keras.layers.Layer, Any, Any]:
    """Call a fresh layer on a symbolic input whose batch is ``sizes["batch"]``."""
    made = _layer(choice, sizes)
    inputs = keras.Input(batch_shape=(sizes["batch"], *_input_shape(choice.layer, sizes)))
    return made, inputs, made(inputs)


def _roles(choice: Choice, made: keras.layers.Layer, count: int) -> tuple[tuple[str, str], ...]:
    roles = output_roles(made)
    if len(roles) != count and choice.layer == "ConvLSTM2D":
        # output_roles reads a cell's states from its state_size, which ConvLSTMCell
        # leaves at -1; its states are an LSTM's (h, then c), so an LSTM with the same
        # flags names them.
        roles = output_roles(_layer(choice, {}, kind="LSTM"))
    if len(roles) != count:
        raise ValueError(f"{made.name} returned {count} tensor(s), but the roles are {roles}")
    return roles


def _run_code(layer: str, code: str, sizes: Mapping[str, int]) -> Any:
    """Run a ``code_line`` at ``sizes`` (batch included); return what the call returned.

    The line runs as written, except that its right-hand side is kept (as
    ``returned``) before it is unpacked, and the input's batch is ``sizes["batch"]``.
    """
    names, call = code.split(" = ", 1)
    batch_shape = (sizes["batch"], *_input_shape(layer, sizes))
    namespace: dict[str, Any] = {"keras": keras, "inputs": keras.Input(batch_shape=batch_shape)}
    exec(f"returned = {call.format(**sizes)}\n{names} = returned", namespace)  # noqa: S102
    returned = namespace["returned"]
    unpacked = [namespace[name.strip()] for name in names.split(",")]
    flat = keras.tree.flatten(returned)
    if len(flat) != len(unpacked) or any(a is not b for a, b in zip(flat, unpacked, strict=True)):
        # pragma: no cover - the line unpacks what the call returns
        raise ValueError(f"{code} does not unpack into its names")
    return returned


def _combination(choice: Choice) -> dict[str, Any]:
    """One combination: its line of Keras run at sizes A, a fresh layer called at sizes B."""
    layer = choice.layer
    made, _, returned_b = _call(choice, _SIZES_B)
    tensors_b = keras.tree.flatten(returned_b)
    roles = _roles(choice, made, len(tensors_b))
    names = [name for name, _ in roles]
    code = code_line(choice, names)
    sizes_a = {n: _SIZES_A[n] for n in size_names(layer)}
    sizes_b = {n: _SIZES_B[n] for n in size_names(layer)}
    returned_a = _run_code(layer, code, sizes_a)
    tensors_a = keras.tree.flatten(returned_a)
    if len(tensors_a) != len(tensors_b):  # pragma: no cover - Keras would be inconsistent
        raise ValueError(f"{code} returned {len(tensors_a)} then {len(tensors_b)} tensors")
    shapes = [
        symbolic_template(tuple(a.shape), tuple(b.shape), sizes_a, sizes_b)
        for a, b in zip(tensors_a, tensors_b, strict=True)
    ]
    return {
        "layer": layer,
        "return_sequences": choice.return_sequences,
        "return_state": choice.return_state,
        "bidirectional": choice.bidirectional,
        "merge_mode": choice.merge_mode if choice.bidirectional else None,
        "call_returns": type(returned_a).__name__ if keras.tree.is_nested(returned_a) else "tensor",
        "outputs": [
            {"name": name, "role": role, "shape": shape}
            for (name, role), shape in zip(roles, shapes, strict=True)
        ],
        "code": code,
    }


def symbolic_template(
    first: Sequence[int],
    second: Sequence[int],
    first_sizes: Mapping[str, int],
    second_sizes: Mapping[str, int],
) -> list[str]:
    """A shape template that gives ``first`` at ``first_sizes`` and ``second`` at ``second_sizes``.

    Raises ``ValueError`` if no single template gives both.

    >>> symbolic_template((2, 3, 14), (17, 19, 58), {"batch": 2, "timesteps": 3, "units": 7},
    ...                   {"batch": 17, "timesteps": 19, "units": 29})
    ['batch', 'timesteps', '2*units']
    """
    if len(first) != len(second):
        raise ValueError(f"shapes of different lengths: {first} and {second}")
    template = [
        symbolic_axis(a, b, first_sizes, second_sizes) for a, b in zip(first, second, strict=True)
    ]
    for shape, sizes in ((first, first_sizes), (second, second_sizes)):
        if evaluate_template(template, sizes) != tuple(shape):  # pragma: no cover - by design
            raise ValueError(f"template {template} does not give {shape} at {dict(sizes)}")
    return template


def _predict(entry: Mapping[str, Any]) -> str:
    """Predict on zeros through a model around the layer; say what came back.

    The arrays must have the template's shapes.
    """
    sizes = {n: _SIZES_A[n] for n in size_names(entry["layer"])}
    choice = Choice(
        entry["layer"],
        entry["return_sequences"],
        entry["return_state"],
        entry["bidirectional"],
        entry["merge_mode"],
    )
    _, inputs, returned = _call(choice, {**sizes, "batch": None})
    model = keras.Model(inputs, returned)
    # eagerly: the same predict loop, without tracing (and TensorFlow's warnings about
    # tracing again) for each model
    model.compile(run_eagerly=True)
    x = np.zeros((sizes["batch"], *_input_shape(entry["layer"], sizes)), dtype="float32")
    predicted = model.predict(x, verbose=0)
    arrays = keras.tree.flatten(predicted)
    expected = [evaluate_template(o["shape"], sizes) for o in entry["outputs"]]
    if [a.shape for a in arrays] != expected:
        raise ValueError(f"predict gave {[a.shape for a in arrays]}, not {expected}")
    if not all(isinstance(a, np.ndarray) for a in arrays):  # pragma: no cover
        raise ValueError(f"predict returned {[type(a).__name__ for a in arrays]}")
    return "ndarray" if isinstance(predicted, np.ndarray) else type(predicted).__name__


@cache
def _table() -> str:
    combinations = {}
    for layer in LAYERS:
        for return_sequences in (False, True):
            for return_state in (False, True):
                for bidirectional, merge_mode in ((False, None), *((True, m) for m in MERGE_MODES)):
                    choice = Choice(
                        layer, return_sequences, return_state, bidirectional, merge_mode
                    )
                    combinations[choice.key] = _combination(choice)
    # Model.predict returns the structure of the model's outputs (a tuple of n arrays,
    # or one array): it runs once for each structure the calls returned, on a layer
    # of each kind that returns it first, and the others share its answer.
    predicted: dict[tuple[str, int], str] = {}
    for entry in combinations.values():
        structure = (entry["call_returns"], len(entry["outputs"]))
        if structure not in predicted:
            predicted[structure] = _predict(entry)
        entry["predict_returns"] = predicted[structure]
    table = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "layers": list(LAYERS),
        "merge_modes": [str(m) for m in MERGE_MODES],
        "sizes": {layer: list(size_names(layer)) for layer in LAYERS},
        "kernel_size": KERNEL_SIZE,
        "padding": PADDING,
        "inputs": {layer: input_line(layer) for layer in LAYERS},
        "combinations": combinations,
    }
    return json.dumps(table, separators=(",", ":"))


def explorer_table() -> dict[str, Any]:
    """What each layer returns for every choice of flags and wrapper, computed by Keras.

    One entry per layer (``LSTM``, ``GRU``, ``SimpleRNN``, ``ConvLSTM2D``),
    ``return_sequences``, ``return_state`` and wrapper (none, or ``Bidirectional``
    with each ``merge_mode``), keyed ``"LSTM|0|1|-"`` (layer, the two flags as 0/1,
    the merge mode or ``-`` for no wrapper). Each entry lists the returned tensors in
    Keras's order with their name and role (from
    :func:`~lstm_examples.outputs.output_roles`) and a shape template; ``code`` is
    the line of Keras that unpacks them (run here, at small sizes, to check it) and
    ``predict_returns`` the type ``Model.predict`` returned (``ndarray``, ``tuple``,
    ``list``) when it ran on zeros, its arrays of the template's shapes.

    The result is a fresh copy of a table computed once per process.

    >>> table = explorer_table()
    >>> len(table["combinations"])
    96
    >>> entry = table["combinations"]["LSTM|0|1|-"]
    >>> [(o["name"], o["shape"]) for o in entry["outputs"]]
    [('output', ['batch', 'units']), ('state_h', ['batch', 'units']), ('state_c', ['batch', 'units'])]
    >>> entry["code"], entry["predict_returns"]
    ('output, state_h, state_c = keras.layers.LSTM({units}, return_state=True)(inputs)', 'tuple')
    >>> table["combinations"]["GRU|1|0|concat"]["outputs"][0]["shape"]
    ['batch', 'timesteps', '2*units']
    """
    table: dict[str, Any] = json.loads(_table())
    return table


def fallback_table(table: Mapping[str, Any] | None = None) -> Table:
    """Every combination with symbolic shapes, merge modes with the same result on one row.

    What the home page shows without JavaScript.

    >>> rows = fallback_table().rows
    >>> rows[8]
    ('LSTM', '—', 'False', 'True', 'output, state_h, state_c', '(batch, units), (batch, units), (batch, units)')
    >>> [row[1] for row in rows if row[0] == "GRU" and row[2:4] == ("True", "True")]
    ['—', 'concat', 'sum, mul, ave', 'None']
    """
    table = explorer_table() if table is None else table
    rows: dict[tuple[str, ...], list[str]] = {}
    for entry in table["combinations"].values():
        names = ", ".join(o["name"] for o in entry["outputs"])
        shapes = ", ".join(f"({', '.join(o['shape'])})" for o in entry["outputs"])
        flags = (str(entry["return_sequences"]), str(entry["return_state"]))
        wrapper = str(entry["merge_mode"]) if entry["bidirectional"] else "—"
        rows.setdefault((entry["layer"], entry["bidirectional"], *flags, names, shapes), []).append(
            wrapper
        )
    # stable: within a layer and flags, the wrappers keep the table's order
    ordered = sorted(rows.items(), key=lambda item: (LAYERS.index(item[0][0]), *item[0][3:1:-1]))
    return Table(
        (
            "layer",
            "Bidirectional merge_mode",
            "return_sequences",
            "return_state",
            "returns",
            "shapes",
        ),
        [(k[0], ", ".join(w), k[2], k[3], k[4], k[5]) for k, w in ordered],
        caption=f"What each layer returns (ConvLSTM2D: kernel_size={KERNEL_SIZE}, "
        f'padding="{PADDING}")',
    )


def page_data(table: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The table as the page embeds it: each role written once, flags only in the keys.

    Each output becomes ``[name, role index, shape template]``; ``roles`` lists the roles.

    >>> data = page_data()
    >>> entry = data["combinations"]["GRU|0|1|-"]
    >>> [(name, data["roles"][role], shape) for name, role, shape in entry["outputs"]]
    [('output', 'hidden state after the last step', ['batch', 'units']), ('state_h', 'final hidden state', ['batch', 'units'])]
    """
    table = explorer_table() if table is None else table
    roles: dict[str, int] = {}
    combinations = {}
    for key, entry in table["combinations"].items():
        combinations[key] = {
            "call_returns": entry["call_returns"],
            "predict_returns": entry["predict_returns"],
            "code": entry["code"],
            "outputs": [
                [o["name"], roles.setdefault(o["role"], len(roles)), o["shape"]]
                for o in entry["outputs"]
            ],
        }
    skipped = {"combinations"}
    return {
        **{k: v for k, v in table.items() if k not in skipped},
        "roles": list(roles),
        "combinations": combinations,
    }


#: The sizes the explorer starts with.
DEFAULT_SIZES: Final = {
    "batch": 32,
    "timesteps": 10,
    "features": 8,
    "units": 16,
    "rows": 32,
    "cols": 32,
    "channels": 3,
    "filters": 16,
}


@dataclass(frozen=True)
class Explorer:
    """The home page's explorer: a form, a result area, the table as JSON, a fallback table.

    It renders as HTML in a notebook; ``docs/_static/explorer.js`` makes it work, and
    without JavaScript the fallback table (every combination, symbolic) shows instead.
    """

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<explorer: {len(self.html)} characters of HTML>"


def _option(value: str, label: str, selected: bool) -> str:
    chosen = " selected" if selected else ""
    return f'<option value="{html.escape(value)}"{chosen}>{html.escape(label)}</option>'


def render_explorer(static: str = "_static/") -> Explorer:
    """The explorer's HTML, with the table computed by :func:`explorer_table` embedded.

    ``static`` is where ``explorer.js`` and ``explorer.css`` are, relative to the page.
    The form stays hidden until the script shows it; the fallback table is open.

    >>> explorer = render_explorer()
    >>> 'type="application/json"' in explorer.html and 'aria-live="polite"' in explorer.html
    True
    >>> explorer.html.count("<select"), explorer.html.count('type="number"')
    (2, 8)
    """
    if not isinstance(static, str):
        raise TypeError(f"static must be a str (a relative URL), got {type(static).__name__}")
    data = json.dumps(page_data(), separators=(",", ":")).replace("<", "\\u003c")
    layers = "".join(_option(layer, layer, layer == "LSTM") for layer in LAYERS)
    merges = "".join(_option(str(m), str(m), m == "concat") for m in MERGE_MODES)
    sizes = "".join(
        f'<label class="lstm-explorer-size" data-size="{name}">{name} '
        f'<input type="number" name="{name}" value="{value}" min="1" max="100000" step="1" '
        f'inputmode="numeric" required></label>'
        for name, value in DEFAULT_SIZES.items()
    )
    fallback = (
        fallback_table()
        .to_html()
        .replace('<table class="lstm-table">', '<table class="lstm-explorer-all lstm-table">', 1)
    )
    return Explorer(
        f'<div class="lstm-explorer">'
        f'<link rel="stylesheet" href="{html.escape(static)}explorer.css">'
        '<form class="lstm-explorer-form" hidden aria-label="Choose a layer">'
        "<fieldset><legend>Layer</legend>"
        f'<label>layer <select name="layer">{layers}</select></label>'
        '<label><input type="checkbox" name="return_sequences"> return_sequences=True</label>'
        '<label><input type="checkbox" name="return_state" checked> return_state=True</label>'
        "</fieldset>"
        "<fieldset><legend>Wrapper</legend>"
        '<label><input type="checkbox" name="bidirectional"> Bidirectional</label>'
        f'<label>merge_mode <select name="merge_mode">{merges}</select></label>'
        "</fieldset>"
        f"<fieldset><legend>Sizes</legend>{sizes}"
        f'<p class="lstm-explorer-note" data-size="filters">ConvLSTM2D here has '
        f'kernel_size={KERNEL_SIZE} and padding="{PADDING}", so rows and cols stay as they are.'
        "</p></fieldset>"
        "</form>"
        '<div class="lstm-explorer-result" hidden>'
        '<p class="lstm-explorer-summary" role="status" aria-live="polite"></p>'
        '<div class="lstm-explorer-details"></div>'
        "</div>"
        '<details class="lstm-explorer-every" open>'
        "<summary>Every combination, with symbolic shapes</summary>"
        f"{fallback}</details>"
        f'<script type="application/json" class="lstm-explorer-data">{data}</script>'
        f'<script src="{html.escape(static)}explorer.js" defer></script>'
        "</div>"
    )
