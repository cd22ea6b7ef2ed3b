"""Figures of the states and gates: what they draw, and that drawing them warns about nothing."""

from __future__ import annotations

import io

import numpy as np
import pytest

from lstm_examples.plotting import COLOURS, MAX_UNITS, figure_png, plot_gates, plot_states
from lstm_examples.reference import gru_trace, lstm_trace

RNG = np.random.default_rng(0)
X = RNG.uniform(-1, 1, (2, 12, 2))
LSTM_TRACE = lstm_trace(X, RNG.uniform(-1, 1, (2, 12)), RNG.uniform(-1, 1, (3, 12)), np.zeros(12))
GRU_TRACE = gru_trace(X, RNG.uniform(-1, 1, (2, 9)), RNG.uniform(-1, 1, (3, 9)), None)


def render(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_lstm_states_figure():
    figure = plot_states(LSTM_TRACE, sample=1, title="states")
    assert [ax.get_ylabel() for ax in figure.axes] == ["hidden state $h_t$", "cell state $c_t$"]
    h_axis, c_axis = figure.axes
    lines = [line for line in h_axis.get_lines() if line.get_label().startswith("unit")]
    assert len(lines) == 3
    np.testing.assert_array_equal(lines[2].get_ydata(), LSTM_TRACE.states["h"][1, :, 2])
    np.testing.assert_array_equal(lines[0].get_xdata(), np.arange(1, 13))
    assert c_axis.get_xlabel() == "step t"
    assert figure.get_suptitle() == "states"
    assert render(figure).startswith(b"\x89PNG")


def test_the_background_is_transparent():
    figure = plot_states(LSTM_TRACE)
    assert figure.patch.get_alpha() == 0.0
    assert all(ax.get_facecolor()[3] == 0.0 for ax in figure.axes)


def test_gate_panels():
    assert [ax.get_ylabel() for ax in plot_gates(LSTM_TRACE).axes] == [
        "input gate $i_t$",
        "forget gate $f_t$",
        r"candidate $\tilde c_t$",
        "output gate $o_t$",
    ]
    gru_figure = plot_gates(GRU_TRACE)
    assert gru_figure.axes[2].get_ylabel() == r"candidate $\tilde h_t$"
    assert len(gru_figure.axes) == 3
    assert render(gru_figure).startswith(b"\x89PNG")


def test_gru_states_have_one_panel():
    assert [ax.get_ylabel() for ax in plot_states(GRU_TRACE).axes] == ["hidden state $h_t$"]


def test_go_backwards_is_named_on_the_axis():
    trace = lstm_trace(
        X, *(w for w in (np.ones((2, 4)), np.zeros((1, 4)), None)), go_backwards=True
    )
    assert "processing order" in plot_states(trace).axes[-1].get_xlabel()


def test_many_units_draw_at_most_max_units_lines():
    trace = lstm_trace(X[:, :3], np.ones((2, 40)), np.zeros((10, 40)), None)
    lines = plot_states(trace).axes[0].get_lines()
    assert len([line for line in lines if line.get_label().startswith("unit")]) == MAX_UNITS
    assert len(COLOURS) == MAX_UNITS


@pytest.mark.parametrize("plot", [plot_states, plot_gates])
def test_bad_sample(plot):
    with pytest.raises(ValueError, match=r"sample must be in \[0, 1\]"):
        plot(LSTM_TRACE, sample=2)
    with pytest.raises(TypeError, match="sample must be an int"):
        plot(LSTM_TRACE, sample="0")


def test_figures_show_themselves_as_png():
    figure = plot_states(LSTM_TRACE)
    png = figure._repr_png_()
    assert png.startswith(b"\x89PNG")
    assert png == figure_png(figure)
    assert png != render(plot_states(LSTM_TRACE, sample=1))
