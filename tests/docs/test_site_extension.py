"""The site's Sphinx extension (docs/_ext/lstm_site), as far as it needs no build."""

from __future__ import annotations

import lstm_site
import pytest

TOGGLE = '<summary><span class="toctree-toggle" role="presentation"><i></i></span></summary>'


def nav_entry(title: str, *, open_: bool = False) -> str:
    details = '<details open="open">' if open_ else "<details>"
    return f'<a class="reference internal" href="x/index.html">{title}</a>{details}{TOGGLE}'


def test_every_icon_only_toggle_gets_the_name_of_its_section():
    page = nav_entry("Pitfalls") + nav_entry("Using the states", open_=True)
    labelled = lstm_site.label_nav_toggles(page)
    assert labelled.count("<summary aria-label=") == 2
    assert 'aria-label="Show or hide the pages of Pitfalls"' in labelled
    assert 'aria-label="Show or hide the pages of Using the states"' in labelled


def test_the_current_page_entry_is_labelled_too():
    current = (
        '<a class="current reference internal" href="#">Pitfalls</a><details open="open">' + TOGGLE
    )
    assert 'aria-label="Show or hide the pages of Pitfalls"' in lstm_site.label_nav_toggles(current)


def test_names_are_escaped_and_labelling_is_idempotent():
    labelled = lstm_site.label_nav_toggles(nav_entry("Keras 2 &amp; 3 &quot;tips&quot;"))
    assert 'aria-label="Show or hide the pages of Keras 2 &amp; 3 &quot;tips&quot;"' in labelled
    assert lstm_site.label_nav_toggles(labelled) == labelled


def test_a_title_with_inline_code_is_named_by_its_text():
    """Sphinx writes a title's `code` as markup inside the link (the API page's title)."""
    page = nav_entry('API of <code class="docutils literal"><span class="pre">x</span></code>')
    page += nav_entry("Pitfalls")
    labelled = lstm_site.label_nav_toggles(page)
    assert 'aria-label="Show or hide the pages of API of x"' in labelled
    assert 'aria-label="Show or hide the pages of Pitfalls"' in labelled


def test_a_title_does_not_run_into_the_next_link():
    page = '<a class="reference internal" href="a.html">A</a> ' + nav_entry("B")
    assert 'aria-label="Show or hide the pages of B"' in lstm_site.label_nav_toggles(page)


def test_text_of_a_fragment_is_what_a_reader_reads():
    fragment = 'A <code class="x"><span class="pre">&lt;b&gt;</span></code> &amp; <em>c</em>'
    assert lstm_site.text_of(fragment) == "A <b> & c"
    assert lstm_site.text_of("plain") == "plain"


def test_summaries_with_text_are_left_alone():
    caption = '<details><summary><p class="caption">Section</p><span class="toctree-toggle">'
    assert lstm_site.label_nav_toggles(caption) == caption


# --- outputs as a reader needs them -------------------------------------------------

IPYTHON_TRACEBACK = "\n".join(  # noqa: FLY002 - one line of the traceback a row
    [
        "\x1b[31m-----------------------------------------------------------\x1b[39m",
        "\x1b[31mValueError\x1b[39m                      Traceback (most recent call last)",
        "\x1b[36mCell\x1b[39m In[3], line 1",
        "----> 1 keras.layers.LSTM(4, time_major=True)",
        "",
        "File /home/builder/.venv/lib/python3.11/site-packages/keras/src/layers/rnn/lstm.py:499,",
        "--> 499     super().__init__(",
        "",
        "ValueError: Unrecognized keyword arguments passed to LSTM: {'time_major': True}",
    ]
)


def test_a_traceback_shows_only_the_exception():
    assert lstm_site.exception_lines(IPYTHON_TRACEBACK) == (
        "ValueError: Unrecognized keyword arguments passed to LSTM: {'time_major': True}"
    )


def test_a_chained_traceback_shows_the_last_exception_with_its_whole_message():
    chained = (
        IPYTHON_TRACEBACK
        + "\n\nDuring handling of the above exception, another exception occurred:\n\n"
        + "TypeError          Traceback (most recent call last)\nFile /tmp/x.py:1\n\n"
        + "TypeError: first line\nsecond line"
    )
    assert lstm_site.exception_lines(chained) == "TypeError: first line\nsecond line"


def _bundle(html: str, text: str):
    from docutils import nodes

    bundle = nodes.container(nb_element="mime_bundle")
    for mime, child in (
        ("text/html", nodes.raw(html, html, format="html")),
        ("text/plain", nodes.literal_block(text, text)),
    ):
        holder = nodes.container(mime_type=mime)
        holder += child
        bundle += holder
    return bundle


def test_rich_output_blocks_merge_into_one_plain_text_block():
    from docutils import nodes
    from docutils.utils import new_document

    document = new_document("page")
    output = nodes.container(nb_element="cell_code_output")
    rich = lstm_site.RICH_HTML + "...</pre>"
    output += _bundle(rich, '\x1b[1mModel: "functional"\x1b[0m\n')
    output += _bundle(rich, "┏━━┓\n")
    output += _bundle("<table>a pandas table</table>", "a pandas table")
    output += nodes.literal_block(IPYTHON_TRACEBACK, IPYTHON_TRACEBACK, classes=["traceback"])
    document += output
    lstm_site.clean_outputs(None, document)
    blocks = [child.astext() for child in output.children]
    assert blocks[0] == 'Model: "functional"\n┏━━┓'  # one block, ANSI codes gone
    assert "a pandas table" in blocks[1]  # other HTML outputs are left as they are
    assert blocks[2].startswith("ValueError: Unrecognized keyword")
    assert len(blocks) == 3
    assert "site-packages" not in "".join(blocks)


def test_reader_notebook_keeps_what_the_page_shows():
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "lstm-states-warm"}, "mystnb": {"x": 1}},
        "cells": [
            {"cell_type": "code", "metadata": {"tags": ["remove-cell"]}, "source": "import x",
             "outputs": []},
            {"cell_type": "code", "metadata": {"tags": ["remove-input"]}, "source": "table",
             "outputs": []},
            {"cell_type": "code", "metadata": {"tags": ["raises-exception"]}, "source": "1/0",
             "outputs": [
                 {"output_type": "stream", "name": "stderr", "text": "noise"},
                 {"output_type": "error", "ename": "ZeroDivisionError",
                  "evalue": "division by zero", "traceback": ["File /home/me/x.py", "..."]},
             ]},
            {"cell_type": "markdown", "metadata": {},
             "source": ["See {doc}`the basics <../basics>` and {ref}`a label`."]},
        ],
    }  # fmt: skip
    reader = lstm_site.reader_notebook(notebook, {})
    assert [cell["id"] for cell in reader["cells"]] == ["cell-1", "cell-2"]  # not random
    assert reader["metadata"]["kernelspec"]["name"] == "python3"
    assert "mystnb" not in reader["metadata"]
    assert [cell["source"] for cell in reader["cells"]] == [
        "1/0",
        "See the basics and a label.",
    ]
    assert reader["cells"][0]["outputs"] == [
        {
            "output_type": "error",
            "ename": "ZeroDivisionError",
            "evalue": "division by zero",
            "traceback": ["ZeroDivisionError: division by zero"],
        }
    ]


def test_reader_notebook_refuses_an_unglued_number():
    notebook = {
        "metadata": {},
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": "{glue:text}`n`"}],
    }
    with pytest.raises(KeyError, match="nothing was glued under 'n'"):
        lstm_site.reader_notebook(notebook, {})
