"""A model summary that is stable on a page: one block, fixed width, no ANSI codes.

Keras 3 prints ``model.summary()`` as a rich table sized to the terminal. Here the
same table is captured through Keras's own ``print_fn`` hook at a fixed, generous
width, read back into rows and rendered as one :class:`~lstm_examples.render.Table`,
so layer names, output shapes and parameter counts are exactly the strings that
Keras reports.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import keras

from .render import Table

# Wide enough that Keras never wraps a cell of the models on this site; wrapped
# cells are still joined back if it does.
_CAPTURE_WIDTH = 240
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_MODEL_NAME = re.compile(r'^Model: "(?P<name>.*)"$')


@dataclass(frozen=True)
class ModelSummary:
    """Keras's summary of one model, as data and as one rendered block.

    >>> from lstm_examples import build_lstm
    >>> summary = summarize(build_lstm(1, return_state=True, name="demo"))
    >>> print(summary)
    Model: "demo"
    Layer (type)        Output Shape                       Param #
    ------------------  ---------------------------------  -------
    input (InputLayer)  (None, 3, 1)                             0
    lstm (LSTM)         [(None, 1), (None, 1), (None, 1)]       12
    Total params: 12 (48.00 B)
    Trainable params: 12 (48.00 B)
    Non-trainable params: 0 (0.00 B)
    >>> summary.params_of("lstm")
    '12'
    """

    model_name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[str, ...]

    @property
    def params_column(self) -> int:
        """Index of Keras's ``Param #`` column."""
        for index, name in enumerate(self.header):
            if name.startswith("Param"):
                return index
        raise ValueError(f"no 'Param #' column in the summary header {self.header}")

    @property
    def table(self) -> Table:
        """The summary as a :class:`Table` (parameter counts right-aligned)."""
        return Table(
            self.header,
            self.rows,
            caption=f'Model: "{self.model_name}"',
            footer=self.totals,
            numeric_columns=frozenset({self.params_column}),
            css_class="lstm-table lstm-summary",
        )

    def params_of(self, layer_name: str) -> str:
        """Keras's parameter count for the layer named ``layer_name``, as Keras printed it."""
        for row in self.rows:
            if row[0].split(" (")[0] == layer_name:
                return row[self.params_column]
        names = [row[0].split(" (")[0] for row in self.rows]
        raise KeyError(f"no layer {layer_name!r} in the summary; layers are {names}")

    def __str__(self) -> str:
        return self.table.to_text()

    def __repr__(self) -> str:
        return self.table.to_text()

    def _repr_html_(self) -> str:
        return self.table.to_html()


def _cells(line: str, separator: str) -> list[str]:
    return [cell.strip() for cell in line.strip()[1:-1].split(separator)]


def parse_summary(text: str) -> ModelSummary:
    """Read the text of ``model.summary()`` (Keras 3's box table) back into rows.

    >>> text = '''Model: "m"
    ... ┏━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━┓
    ... ┃ Layer (type)    ┃ Output Shape ┃ Param # ┃
    ... ┡━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━┩
    ... │ lstm (LSTM)     │ [(None, 1),  │      12 │
    ... │                 │ (None, 1)]   │         │
    ... └─────────────────┴──────────────┴─────────┘
    ...  Total params: 12 (48.00 B)'''
    >>> parse_summary(text).rows
    (('lstm (LSTM)', '[(None, 1), (None, 1)]', '12'),)
    """
    lines = [_ANSI.sub("", line).rstrip() for line in text.splitlines()]
    lines = [line for line in lines if line.strip()]
    match = _MODEL_NAME.match(lines[0].strip()) if lines else None
    if match is None:
        raise ValueError(
            f"expected a Keras summary starting with 'Model: \"...\"', got {text[:80]!r}"
        )
    header: list[str] = []
    rows: list[list[str]] = []
    totals: list[str] = []
    new_row = True
    for line in lines[1:]:
        stripped = line.strip()
        if stripped.startswith("┃"):
            cells = _cells(stripped, "┃")
            header = (
                cells
                if not header
                else [f"{a} {b}".strip() for a, b in zip(header, cells, strict=True)]
            )
        elif stripped.startswith("│"):
            cells = _cells(stripped, "│")
            if new_row:
                rows.append(cells)
                new_row = False
            else:  # a cell Keras wrapped onto the next line
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
        elif stripped[0] in "├┡└┏":
            new_row = True
        else:
            totals.append(stripped)
    if not header or not rows:
        raise ValueError("expected a Keras summary table with a header and at least one layer")
    return ModelSummary(match["name"], tuple(header), tuple(tuple(r) for r in rows), tuple(totals))


def summarize(model: keras.Model) -> ModelSummary:
    """Capture ``model.summary()`` at a fixed width and return it as a :class:`ModelSummary`.

    >>> from lstm_examples import build_lstm
    >>> summarize(build_lstm(12, return_sequences=True)).params_of("lstm")
    '672'
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"expected a keras.Model, got {type(model).__name__}")
    chunks: list[str] = []

    def capture(text: str, line_break: bool = True) -> None:
        chunks.append(text + ("\n" if line_break else ""))

    # Keras sizes its rich console from the environment (the terminal, or
    # Jupyter's default width); pin it for the duration of the call.
    with _environ(COLUMNS=str(_CAPTURE_WIDTH), JUPYTER_COLUMNS=str(_CAPTURE_WIDTH)):
        model.summary(line_length=_CAPTURE_WIDTH, print_fn=capture)
    return parse_summary("".join(chunks))


@contextlib.contextmanager
def _environ(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old
