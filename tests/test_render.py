from __future__ import annotations

import pytest

from lstm_examples import Table


def test_text_and_html():
    table = Table(
        ("name", "n"),
        [("a", "1"), ("bbb", "22")],
        caption="cap",
        footer=("total",),
        numeric_columns=frozenset({1}),
    )
    assert str(table) == "cap\nname   n\n----  --\na      1\nbbb   22\ntotal"
    html = table._repr_html_()
    assert html.startswith('<table class="lstm-table"><caption>cap</caption>')
    assert '<td class="num">22</td>' in html
    assert '<tfoot><tr><td colspan="2">total</td></tr></tfoot>' in html


def test_html_escapes():
    assert "&lt;b&gt;" in Table(("x",), [("<b>",)]).to_html()


def test_column():
    table = Table(("a", "b"), [("1", "2")])
    assert table.column("a") == ["1"]
    with pytest.raises(KeyError, match="no column 'c'"):
        table.column("c")


def test_rows_must_match_header():
    with pytest.raises(ValueError, match="every row needs 2 cells like the header"):
        Table(("a", "b"), [("1",)])
