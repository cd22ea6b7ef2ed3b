"""The code on every page runs as a reader takes it away, where lstm_examples is not installed.

A reader copies a page's visible cells into a fresh notebook, or downloads the page's
notebook. Both are one check here: the download's code cells must be exactly the cells
the page shows (as the copy button copies them), and the download must run top to
bottom in a fresh kernel of this environment, where only cells tagged
``raises-exception`` may raise (and must).

Each download runs in a kernel process of its own with an empty namespace, forked from
a process that has already imported NumPy and Keras (``lstm_site.warm_kernel``, the
docs build's warm kernels): a cell that uses a name it did not import still fails, and
TensorFlow's import is paid once per worker instead of once per page. The home page
also runs in a plain ``python3`` kernel, which must print the same outputs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import nbclient
import nbformat
import pytest

from .cells import visible_cells
from .conftest import notebook_docnames, reader_docnames

# What no downloaded notebook may contain: the build's plumbing.
PLUMBING = ("lstm_examples", "lstm_site", "myst_nb", "glue(", "LSTM_STATES")


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


def _run(notebook: nbformat.NotebookNode, kernel: str, folder) -> float:
    """Execute ``notebook`` in place in a new ``kernel`` with a reader's environment."""
    for cell in notebook.cells:
        cell.outputs = [] if cell.cell_type == "code" else cell.get("outputs")
    client = nbclient.NotebookClient(
        notebook,
        kernel_name=kernel,
        timeout=600,
        resources={"metadata": {"path": str(folder)}},  # not the repository
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError unless the cell is tagged raises-exception
    return time.perf_counter() - start


@pytest.mark.parametrize("docname", reader_docnames())
def test_download_runs_in_a_fresh_kernel(docname, site, tmp_path, kernel):
    notebook = _download(site, docname)
    seconds = _run(notebook, kernel, tmp_path)
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        raised = any(output.output_type == "error" for output in cell.outputs)
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        assert raised == tagged, f"{docname} cell {number} ({tagged=}, {raised=}):\n{cell.source}"
    print(json.dumps({"page": docname, "cells": len(notebook.cells), "seconds": round(seconds, 1)}))


def _printed(notebook: nbformat.NotebookNode) -> list[list[str]]:
    """Each code cell's text outputs, in order."""
    texts = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            texts.append(
                [
                    output.get("text") or output.get("data", {}).get("text/plain", "")
                    for output in cell.outputs
                ]
            )
    return texts


def test_a_plain_python3_kernel_prints_the_same(site, tmp_path, kernel):
    """The control: the home page in a plain `python3` kernel and in a warm one agree."""
    plain, warm = _download(site, "index"), _download(site, "index")
    _run(plain, "python3", tmp_path)
    _run(warm, kernel, tmp_path)
    assert _printed(plain) == _printed(warm)
    assert any(any(texts) for texts in _printed(plain)), "the home page printed nothing"


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
