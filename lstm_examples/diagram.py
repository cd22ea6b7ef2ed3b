"""An SVG diagram of an LSTM unrolled over its time steps, marking what each flag returns.

The SVG is plain text built here (no plotting library), meant to be inlined in
an HTML page: strokes and text use ``currentColor`` and the two highlight
colours are CSS variables of the site's theme (with fallbacks), so the drawing
follows the page's light or dark mode. It carries a ``<title>``, a ``<desc>``
and ``role="img"`` for screen readers.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from xml.etree import ElementTree

from .validation import check_positive_int

# Geometry, in SVG user units.
_CELL_W, _CELL_H, _GAP = 100, 80, 60
_LEFT, _CELL_TOP = 90, 170
_C_Y, _H_Y = _CELL_TOP + 22, _CELL_TOP + _CELL_H - 22
_OUT_TOP = 95  # where the h_t arrows above the cells end
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

_STYLE = """
.lstm-diagram text { font: 15px sans-serif; fill: currentColor; }
.lstm-diagram .small { font-size: 13px; }
.lstm-diagram .code { font-family: monospace; font-size: 13px; }
.lstm-diagram .line { stroke: currentColor; stroke-width: 1.6; fill: none; }
.lstm-diagram .cell { stroke: currentColor; stroke-width: 1.6; fill: none; }
.lstm-diagram .seq { stroke: var(--pst-color-primary, #0a7d91); stroke-width: 2.2; fill: none; }
.lstm-diagram text.seq { fill: var(--pst-color-primary, #0a7d91); stroke: none; }
.lstm-diagram .state { stroke: var(--pst-color-secondary, #b8336a); stroke-width: 2.2;
  fill: none; stroke-dasharray: 6 4; }
.lstm-diagram text.state { fill: var(--pst-color-secondary, #b8336a); stroke: none; }
.lstm-diagram .head { fill: currentColor; }
"""


@dataclass(frozen=True)
class Diagram:
    """SVG text that a notebook shows inline (``_repr_html_``), so it inherits the page's colours.

    >>> Diagram("<svg/>")._repr_html_()
    '<svg/>'
    """

    svg: str

    @property
    def labels(self) -> tuple[str, ...]:
        """The text of every label, in drawing order.

        >>> Diagram('<svg xmlns="http://www.w3.org/2000/svg"><text>h₁</text></svg>').labels
        ('h₁',)
        """
        root = ElementTree.fromstring(self.svg)
        return tuple(el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text"))

    def _repr_html_(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


def _sub(text: str, index: int | str) -> str:
    return f"{text}{str(index).translate(_SUB)}"


def _text(x: float, y: float, label: str, css: str = "", anchor: str = "middle") -> str:
    cls = f' class="{css}"' if css else ""
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{cls}>{html.escape(label)}</text>'


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    """A line with an arrowhead at (x2, y2); horizontal or vertical lines only."""
    if y1 == y2:
        sign = 1 if x2 > x1 else -1
        head = f"{x2:g},{y2:g} {x2 - 8 * sign:g},{y2 - 4:g} {x2 - 8 * sign:g},{y2 + 4:g}"
    else:
        sign = 1 if y2 > y1 else -1
        head = f"{x2:g},{y2:g} {x2 - 4:g},{y2 - 8 * sign:g} {x2 + 4:g},{y2 - 8 * sign:g}"
    return (
        f'<line class="line" x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}"/>'
        f'<polygon class="head" points="{head}"/>'
    )


def unrolled_lstm_svg(steps: int = 3) -> str:
    """Return SVG text of an LSTM unrolled over ``steps`` steps, marking what each flag returns.

    Each step reads ``x_t`` and passes ``h_t`` and ``c_t`` on to the next one; the
    drawing marks ``h`` of every step (what ``return_sequences=True`` returns as
    ``output``), ``h`` of the last step (the default ``output``) and the final
    ``h`` and ``c`` (what ``return_state=True`` adds as ``state_h`` and ``state_c``).

    >>> svg = unrolled_lstm_svg(3)
    >>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    True
    >>> [label in svg for label in ("x₃", "h₃", "c₃", "return_sequences", "return_state")]
    [True, True, True, True, True]
    >>> svg.count('class="cell"')
    3
    """
    steps = check_positive_int("steps", steps)
    last = steps
    right = _LEFT + steps * _CELL_W + (steps - 1) * _GAP
    width, height = right + 230, 360
    parts: list[str] = []
    cells_x = [_LEFT + i * (_CELL_W + _GAP) for i in range(steps)]

    # initial states
    parts.append(_text(_LEFT - 60, _C_Y + 5, _sub("c", 0)))
    parts.append(_text(_LEFT - 60, _H_Y + 5, _sub("h", 0)))
    parts.append(_arrow(_LEFT - 45, _C_Y, _LEFT, _C_Y))
    parts.append(_arrow(_LEFT - 45, _H_Y, _LEFT, _H_Y))

    for t, x in enumerate(cells_x, start=1):
        mid = x + _CELL_W / 2
        parts.append(
            f'<rect class="cell" x="{x}" y="{_CELL_TOP}" width="{_CELL_W}" '
            f'height="{_CELL_H}" rx="10"/>'
        )
        parts.append(_text(mid, _CELL_TOP + _CELL_H / 2 + 5, "LSTM"))
        parts.append(_text(mid, _CELL_TOP + _CELL_H + 85, _sub("x", t)))
        parts.append(_text(mid, _CELL_TOP + _CELL_H + 103, f"step {t}", "small"))
        parts.append(_arrow(mid, _CELL_TOP + _CELL_H + 65, mid, _CELL_TOP + _CELL_H))
        parts.append(_arrow(mid, _CELL_TOP, mid, _OUT_TOP))
        parts.append(_text(mid, _OUT_TOP - 8, _sub("h", t)))
        if t < steps:
            nxt = x + _CELL_W + _GAP
            for y, name in ((_C_Y, "c"), (_H_Y, "h")):
                parts.append(_arrow(x + _CELL_W, y, nxt, y))
                parts.append(_text(x + _CELL_W + _GAP / 2, y - 6, _sub(name, t), "small"))

    # return_sequences=True: h of every step, as output
    top = _OUT_TOP - 42
    parts.append(
        f'<path class="seq" d="M{cells_x[0] + 10} {top + 8} V{top} '
        f'H{cells_x[-1] + _CELL_W - 10} V{top + 8}"/>'
    )
    centre = (cells_x[0] + cells_x[-1] + _CELL_W) / 2
    parts.append(_text(centre, top - 26, "return_sequences=True: output = every h,", "seq code"))
    parts.append(_text(centre, top - 9, f"shape (batch, {steps}, units)", "seq code"))
    # default: h of the last step, as output
    last_mid = cells_x[-1] + _CELL_W / 2
    parts.append(
        f'<rect class="seq" x="{last_mid - 22}" y="{_OUT_TOP - 28}" width="44" height="36" rx="6"/>'
    )
    default = f"default: output = {_sub('h', last)},"
    parts.append(_text(last_mid + 30, _OUT_TOP + 12, default, "seq code", anchor="start"))
    parts.append(_text(last_mid + 30, _OUT_TOP + 29, "shape (batch, units)", "seq code", "start"))
    # return_state=True: the final h and c, as state_h and state_c
    parts.append(_arrow(right, _C_Y, right + 45, _C_Y))
    parts.append(_arrow(right, _H_Y, right + 45, _H_Y))
    parts.append(_text(right + 52, _C_Y + 5, f"{_sub('c', last)} → state_c", "code", "start"))
    parts.append(_text(right + 52, _H_Y + 5, f"{_sub('h', last)} → state_h", "code", "start"))
    parts.append(
        f'<rect class="state" x="{right + 5}" y="{_C_Y - 20}" width="170" '
        f'height="{_H_Y - _C_Y + 36}" rx="8"/>'
    )
    parts.append(_text(right + 90, _H_Y + 40, "return_state=True adds", "state code"))
    parts.append(_text(right + 90, _H_Y + 57, "these after output", "state code"))

    title = f"An LSTM unrolled over {steps} steps, and what each flag returns"
    desc = (
        f"The same LSTM cell runs once per step. Step t reads the input x_t and the previous "
        f"states h and c, and passes h_t and c_t to the next step. With the defaults the layer "
        f"returns output = h_{last}, the hidden state of the last step, shaped (batch, units). "
        f"With return_sequences=True, output holds h_1 to h_{last}, shaped "
        f"(batch, {steps}, units). With return_state=True the layer also returns state_h = "
        f"h_{last} and state_c = c_{last}, the final hidden and cell states."
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lstm-diagram" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width: {width}px" '
        f'aria-labelledby="lstm-diagram-title lstm-diagram-desc">'
        f'<title id="lstm-diagram-title">{html.escape(title)}</title>'
        f'<desc id="lstm-diagram-desc">{html.escape(desc)}</desc>'
        f"<style>{_STYLE}</style>" + "".join(parts) + "</svg>"
    )


def unrolled_lstm(steps: int = 3) -> Diagram:
    """The diagram of :func:`unrolled_lstm_svg`, shown inline when it is a cell's result.

    >>> diagram = unrolled_lstm()
    >>> diagram._repr_html_() == unrolled_lstm_svg(3)
    True
    """
    return Diagram(unrolled_lstm_svg(steps))
