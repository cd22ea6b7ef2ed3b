"""Every snippet runs as copied: each page's visible code cells, taken from the built HTML,
run in order in a fresh Python process; only cells tagged `raises-exception` may raise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import nbformat
import pytest

from .cells import visible_cells
from .conftest import DOCS, SITE, notebook_sources, record, site_pages

RUNNER = r"""
import json, sys, traceback
cells = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}
for number, cell in enumerate(cells, start=1):
    try:
        exec(compile(cell["code"], f"<cell {number}>", "exec"), namespace)
    except BaseException:
        if cell["raises"]:
            continue
        print(f"cell {number} raised:\n{cell['code']}", file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)
    if cell["raises"]:
        print(f"cell {number} is tagged raises-exception but ran:\n{cell['code']}", file=sys.stderr)
        sys.exit(1)
"""

PAGES_WITH_CELLS = [page for page in site_pages() if visible_cells(SITE / page)]
COVERED: dict[str, int] = {}


def _visible_source_cells(docname: str) -> list[str]:
    """The code cells of the executed notebook that the page shows (input not removed)."""
    path = SITE.parent / "jupyter_execute" / f"{docname}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    hidden = {"remove-cell", "remove-input"}  # hide-* cells are shown folded
    return [
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "code" and not hidden & set(cell.metadata.get("tags", []))
    ]


def test_every_notebook_page_is_covered():
    """Each notebook page is built, and its visible cells are the notebook's code cells."""
    for source in notebook_sources():
        docname = source.relative_to(DOCS).with_suffix("").as_posix()
        built = SITE / f"{docname}.html"
        assert built.exists(), f"{docname} was not built"
        shown = [cell.code.rstrip("\n") for cell in visible_cells(built)]
        assert shown == [code.rstrip("\n") for code in _visible_source_cells(docname)], docname


@pytest.mark.parametrize("page", PAGES_WITH_CELLS)
def test_snippets_run_as_copied(page, site, tmp_path):
    cells = visible_cells(site / page)
    script = tmp_path / "cells.json"
    script.write_text(json.dumps([{"code": c.code, "raises": c.raises} for c in cells]))
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "TF_ENABLE_ONEDNN_OPTS": "0",
        "KERAS_BACKEND": "tensorflow",
        "MPLBACKEND": "Agg",
    }
    # what a reader's notebook would not have: this repository's variables for the build
    env.pop("LSTM_STATES_ROOT", None)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(script)],
        cwd=tmp_path,  # not the repository: the package is imported as installed
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    seconds = time.perf_counter() - start
    assert result.returncode == 0, f"{page}:\n{result.stderr[-4000:]}"
    COVERED[page] = len(cells)
    record(
        "copy-paste",
        f"{len(COVERED)} pages, {sum(COVERED.values())} visible code cells run as copied "
        f"({', '.join(f'{p}: {n}' for p, n in COVERED.items())})",
    )
    record(f"copy-paste seconds {page}", round(seconds, 1))


def test_pages_without_cells_have_none_hidden_from_the_test():
    """A page counted as 'no cells' really shows no code cell input."""
    for page in site_pages():
        if page in PAGES_WITH_CELLS:
            continue
        text = (SITE / page).read_text(encoding="utf-8")
        assert 'class="cell_input' not in text, page


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


def _run(cells, tmp_path) -> subprocess.CompletedProcess:
    script = tmp_path / "cells.json"
    script.write_text(json.dumps([{"code": c.code, "raises": c.raises} for c in cells]))
    return subprocess.run(
        [sys.executable, "-c", RUNNER, str(script)], capture_output=True, text=True, check=False
    )


def test_cells_are_read_as_the_reader_sees_and_copies_them(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(SAMPLE)
    cells = visible_cells(page)
    assert [(c.code, c.raises) for c in cells] == [("x = 1\n", False), ("1 / (x - 1)\n\n", True)]
    assert _run(cells, tmp_path).returncode == 0  # the tagged cell raised, as it should
    untagged = [type(c)(c.code, False) for c in cells]
    result = _run(untagged, tmp_path)
    assert result.returncode == 1
    assert "ZeroDivisionError" in result.stderr
    not_raising = [type(c)("y = 2\n", True) for c in cells[:1]]
    assert "tagged raises-exception but ran" in _run(not_raising, tmp_path).stderr
