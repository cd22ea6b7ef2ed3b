"""A small table that renders the same on a page (HTML) and in a terminal (text)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    """Rows of strings under a header, with an optional caption and footer lines.

    In a notebook it renders as one HTML ``<table>`` styled by the theme's own
    colours (readable in light and dark mode); ``str()`` gives a fixed-width
    text version with no terminal-dependent wrapping and no ANSI codes.

    >>> table = Table(("flag", "shape"), [("return_sequences", "(1, 3, 1)")], caption="demo")
    >>> print(table)
    demo
    flag              shape
    ----------------  ---------
    return_sequences  (1, 3, 1)
    """

    header: tuple[str, ...]
    rows: Sequence[Sequence[str]]
    caption: str = ""
    footer: tuple[str, ...] = ()
    numeric_columns: frozenset[int] = field(default_factory=frozenset)
    css_class: str = "lstm-table"

    def __post_init__(self) -> None:
        width = len(self.header)
        for row in self.rows:
            if len(row) != width:
                raise ValueError(f"every row needs {width} cells like the header, got {row!r}")
        object.__setattr__(self, "rows", tuple(tuple(str(c) for c in row) for row in self.rows))

    def column(self, name: str) -> list[str]:
        """Return the cells of the column headed ``name``.

        >>> Table(("a", "b"), [("1", "2"), ("3", "4")]).column("b")
        ['2', '4']
        """
        try:
            index = self.header.index(name)
        except ValueError:
            raise KeyError(f"no column {name!r}; columns are {self.header}") from None
        return [row[index] for row in self.rows]

    def to_text(self) -> str:
        """Fixed-width plain text, columns separated by two spaces."""
        widths = [
            max([len(self.header[i]), *(len(row[i]) for row in self.rows)])
            for i in range(len(self.header))
        ]

        def line(cells: Sequence[str]) -> str:
            return "  ".join(
                cell.rjust(w) if i in self.numeric_columns else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()

        lines = [self.caption] if self.caption else []
        lines += [line(self.header), "  ".join("-" * w for w in widths)]
        lines += [line(row) for row in self.rows]
        lines += list(self.footer)
        return "\n".join(lines)

    def to_html(self) -> str:
        """One ``<table>`` element; colours come from the page's theme."""

        def cells(tag: str, row: Sequence[str]) -> str:
            return "".join(
                f'<{tag} class="num">{html.escape(c)}</{tag}>'
                if i in self.numeric_columns
                else f"<{tag}>{html.escape(c)}</{tag}>"
                for i, c in enumerate(row)
            )

        parts = [f'<table class="{html.escape(self.css_class)}">']
        if self.caption:
            parts.append(f"<caption>{html.escape(self.caption)}</caption>")
        parts.append(f"<thead><tr>{cells('th', self.header)}</tr></thead>")
        parts.append("<tbody>")
        parts += [f"<tr>{cells('td', row)}</tr>" for row in self.rows]
        parts.append("</tbody>")
        if self.footer:
            span = len(self.header)
            parts.append("<tfoot>")
            parts += [
                f'<tr><td colspan="{span}">{html.escape(text)}</td></tr>' for text in self.footer
            ]
            parts.append("</tfoot>")
        parts.append("</table>")
        return "".join(parts)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return self.to_html()


class ShownAsTable:
    """Data that a notebook shows as a :class:`~lstm_examples.render.Table`: subclasses define :meth:`to_table`.

    The data stays the object's own (fields, a mapping); the table is made only to
    be shown, so a check reads numbers and names, never the table's strings.

    >>> class Pair(ShownAsTable):
    ...     def to_table(self) -> Table:
    ...         return Table(("a", "b"), [("1", "2")])
    >>> print(repr(Pair()))
    a  b
    -  -
    1  2
    """

    def to_table(self) -> Table:
        """The table a notebook shows for this data."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.to_table().to_text()

    def _repr_html_(self) -> str:
        return self.to_table().to_html()
