"""Figures of a recurrent layer's states and gates over time, from a reference ``Trace``.

The figures are plain ``matplotlib.figure.Figure`` objects (no pyplot state,
any backend). Their background is transparent and their text and axes are a
neutral grey, so they read on a light and on a dark page; the lines use the
Okabe-Ito colours, which stay apart for colour-blind readers.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from typing import Final

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator

from .reference import Trace

#: Line colours, one per unit (Okabe-Ito, without its black).
COLOURS: Final[tuple[str, ...]] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#0072B2",
    "#F0E442",
)
#: Text, ticks, frames and reference lines.
NEUTRAL: Final[str] = "#8a8a8a"
#: At most this many units are drawn; the legend says which.
MAX_UNITS: Final[int] = len(COLOURS)

#: Axis labels of the states and gates; the candidate's depends on the layer.
LABELS: Final[dict[str, str]] = {
    "h": "hidden state $h_t$",
    "c": "cell state $c_t$",
    "input": "input gate $i_t$",
    "forget": "forget gate $f_t$",
    "output": "output gate $o_t$",
    "update": "update gate $z_t$",
    "reset": "reset gate $r_t$",
    "lstm candidate": r"candidate $\tilde c_t$",
    "gru candidate": r"candidate $\tilde h_t$",
}


#: Resolution of the figures' notebook images (dots per inch).
DPI: Final[int] = 144


def figure_png(figure: Figure) -> bytes:
    """Render ``figure`` as a PNG with a transparent background.

    The figures of this module show themselves in a notebook through this
    function, without pyplot.

    >>> figure_png(Figure(figsize=(1, 1)))[:4]
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, transparent=True)
    return buffer.getvalue()


def _figure(rows: int, columns: int, *, width: float, height: float) -> tuple[Figure, list[Axes]]:
    figure = Figure(figsize=(width, height), layout="constrained")
    # shown as a PNG in notebooks
    figure._repr_png_ = functools.partial(figure_png, figure)  # type: ignore[attr-defined]
    figure.patch.set_alpha(0.0)
    axes = figure.subplots(rows, columns, squeeze=False, sharex=True).ravel().tolist()
    for ax in axes:
        ax.set_facecolor("none")
        ax.tick_params(colors=NEUTRAL, labelcolor=NEUTRAL)
        for spine in ax.spines.values():
            spine.set_color(NEUTRAL)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(color=NEUTRAL, alpha=0.25, linewidth=0.6)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return figure, axes


def _check_sample(trace: Trace, sample: int) -> None:
    batch = trace.outputs.shape[0]
    if isinstance(sample, bool) or not isinstance(sample, int | np.integer):
        raise TypeError(f"sample must be an int in [0, {batch - 1}], got {sample!r}")
    if not 0 <= sample < batch:
        raise ValueError(f"sample must be in [0, {batch - 1}], got {sample!r}")


def _panel(ax: Axes, trace: Trace, values: np.ndarray, name: str) -> None:
    steps = np.arange(1, trace.timesteps + 1)
    for unit in range(min(trace.units, MAX_UNITS)):
        ax.plot(
            steps,
            values[:, unit],
            color=COLOURS[unit],
            marker="o" if trace.timesteps <= 30 else None,
            markersize=3,
            linewidth=1.5,
            label=f"unit {unit}",
        )
    label = LABELS.get(f"{trace.kind} {name}", LABELS.get(name, name))
    ax.set_ylabel(label, color=NEUTRAL)


def _finish(
    figure: Figure, axes: Sequence[Axes], trace: Trace, *, columns: int, title: str
) -> Figure:
    xlabel = "step t (processing order: last input first)" if trace.go_backwards else "step t"
    for ax in axes[-columns:]:
        ax.set_xlabel(xlabel, color=NEUTRAL)
    handles, labels = axes[0].get_legend_handles_labels()
    legend = figure.legend(
        handles, labels, loc="outside right upper", frameon=False, labelcolor=NEUTRAL
    )
    legend.set_title("units", prop=FontProperties(size="small"))
    legend.get_title().set_color(NEUTRAL)
    if title:
        figure.suptitle(title, color=NEUTRAL)
    return figure


def plot_states(trace: Trace, sample: int = 0, *, title: str = "") -> Figure:
    """Plot ``h_t`` and, for an LSTM, ``c_t`` of one sample over the steps, one line per unit.

    The hidden-state panel marks ``±1``: with a ``tanh`` activation ``h_t`` can
    never leave that band, while ``c_t`` can.

    >>> from lstm_examples.reference import lstm_trace
    >>> x = np.linspace(0, 1, 20).reshape(1, 20, 1)
    >>> figure = plot_states(lstm_trace(x, np.ones((1, 8)), np.zeros((2, 8)), None))
    >>> [ax.get_ylabel() for ax in figure.axes]
    ['hidden state $h_t$', 'cell state $c_t$']
    """
    _check_sample(trace, sample)
    names = list(trace.states)
    figure, axes = _figure(len(names), 1, width=7.0, height=2.2 * len(names) + 0.4)
    for ax, name in zip(axes, names, strict=True):
        _panel(ax, trace, trace.states[name][sample], name)
    for bound in (-1.0, 1.0):
        axes[0].axhline(bound, color=NEUTRAL, linestyle=":", linewidth=1.0)
    return _finish(figure, axes, trace, columns=1, title=title)


def plot_gates(trace: Trace, sample: int = 0, *, title: str = "") -> Figure:
    """Plot every gate of one sample over the steps, one panel per gate, one line per unit.

    >>> from lstm_examples.reference import gru_trace
    >>> x = np.linspace(0, 1, 20).reshape(1, 20, 1)
    >>> figure = plot_gates(gru_trace(x, np.ones((1, 6)), np.zeros((2, 6)), None))
    >>> [ax.get_ylabel() for ax in figure.axes][:2]
    ['update gate $z_t$', 'reset gate $r_t$']
    >>> figure.axes[2].get_ylabel() == r"candidate $\\tilde h_t$"
    True
    """
    _check_sample(trace, sample)
    names = list(trace.gates)
    columns = 2 if len(names) % 2 == 0 else 1
    rows = len(names) // columns
    figure, axes = _figure(rows, columns, width=7.0 if columns == 1 else 8.0, height=2.0 * rows)
    for ax, name in zip(axes, names, strict=True):
        _panel(ax, trace, trace.gates[name][sample], name)
    return _finish(figure, axes, trace, columns=columns, title=title)
