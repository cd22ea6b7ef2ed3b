"""The code on every page runs as a reader takes it away, where lstm_examples is not installed.

A reader copies a page's visible cells into a fresh notebook, or downloads the page's
notebook. Both are one check here: the download's code cells must be exactly the cells
the page shows (as the copy button copies them), and the download must run top to
bottom in a fresh plain ``python3`` kernel of this environment, where only cells tagged
``raises-exception`` may raise (and must).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import nbclient
import nbformat
import pytest

from .cells import visible_cells
from .conftest import READER_ENV, notebook_docnames, reader_docnames

# What no downloaded notebook may contain: the build's plumbing.
PLUMBING = ("lstm_examples", "myst_nb", "glue(", "LSTM_STATES", "assert_imported_from")


def test_this_environment_is_a_readers(tmp_path):
    """The test is only worth something where the package and the site's tools are absent."""
    probe = (
        "import importlib.util as u; "
        "print([m for m in ('keras', 'tensorflow', 'lstm_examples', 'myst_nb', 'sphinx') "
        "if u.find_spec(m)])"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "['keras', 'tensorflow']"


def _download(site, docname: str) -> nbformat.NotebookNode:
    path = site / "_sources" / f"{docname}.ipynb"
    assert path.exists(), f"{docname} has no notebook download"
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("docname", notebook_docnames())
def test_download_is_a_plain_notebook_of_the_visible_code(docname, site):
    notebook = _download(site, docname)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    code = [cell.source.rstrip("\n") for cell in notebook.cells if cell.cell_type == "code"]
    shown = [cell.code.rstrip("\n") for cell in visible_cells(site / f"{docname}.html")]
    assert code == shown, f"{docname}: the download's code is not the code the page shows"
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert "{glue" not in cell.source, f"{docname}: unpasted glue in {cell.source[:200]}"
        elif docname in reader_docnames():
            found = [word for word in PLUMBING if word in cell.source]
            assert not found, f"{docname}: {found} in a visible cell:\n{cell.source}"


@pytest.mark.parametrize("docname", reader_docnames())
def test_download_runs_in_a_plain_kernel(docname, site, tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith("LSTM_STATES_"):
            monkeypatch.delenv(name)
    for name, value in READER_ENV.items():
        monkeypatch.setenv(name, value)
    notebook = _download(site, docname)
    for cell in notebook.cells:
        cell.outputs = [] if cell.cell_type == "code" else cell.get("outputs")
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(tmp_path)}},  # not the repository
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError unless the cell is tagged raises-exception
    seconds = time.perf_counter() - start
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        raised = any(output.output_type == "error" for output in cell.outputs)
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        assert raised == tagged, f"{docname} cell {number} ({tagged=}, {raised=}):\n{cell.source}"
    print(json.dumps({"page": docname, "cells": len(notebook.cells), "seconds": round(seconds, 1)}))


SAMPLE = """<html><body><article>
<div class="cell docutils container"><div class="cell_input docutils container">
<div class="highlight-ipython3 notranslate"><div class="highlight"><pre><span></span>x = 1
</pre></div></div></div></div>
<div class="cell tag_remove-input docutils container"><div class="cell_output">2</div></div>
<div class="cell tag_raises-exception docutils container"><div class="cell_input docutils container">
<div class="highlight-ipython3 notranslate"><div class="highlight"><pre><span class="gp">&gt;&gt;&gt; </span>1 / (x - 1)
<span class="go">ZeroDivisionError</span>
</pre></div></div></div></div>
</article></body></html>"""


def test_cells_are_read_as_the_reader_sees_and_copies_them(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(SAMPLE)
    cells = visible_cells(page)
    assert [(c.code, c.raises) for c in cells] == [("x = 1\n", False), ("1 / (x - 1)\n\n", True)]
