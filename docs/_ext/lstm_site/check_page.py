"""Run one or more pages quickly while writing them, without building the site.

    python -m lstm_site.check_page docs/basics.md [more.md ...] [--plain PYTHON] [--backend NAME]

With the docs environment's Python (``.nox/docs/bin/python``): executes every cell of
each page, hidden ones included, in a fresh ``python3`` kernel, and fails on an
exception outside a ``raises-exception`` cell, on a ``raises-exception`` cell that
does not raise, and on anything written to stderr (the strict build's rules).
With ``--plain`` (for example ``--plain .nox/reader/bin/python``): also runs the
page's visible cells, as a reader would paste them, in that interpreter, which has
neither ``lstm_examples`` nor MyST-NB. With ``--backend jax`` or ``--backend torch``
(in an environment that has that backend, such as ``.nox/backends/bin/python``): the
kernels run Keras on that backend instead of TensorFlow. The strict build (``nox -s docs``)
and the ``backends`` session stay the judges; this is the quick loop.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lstm_site import HIDDEN_TAGS, KERNEL_ENV, ipython_dir_with_startup

# The build's kernel environment; a reader's notebook draws figures the same way.
QUIET = {**KERNEL_ENV, "KERAS_BACKEND": "tensorflow", "MPLBACKEND": "Agg"}

#: The Keras backends a page can be checked on.
BACKENDS = ("tensorflow", "jax", "torch")

# Runs visible cells in order in one namespace; only `raises-exception` cells may raise.
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


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def execute(page: Path, backend: str = "tensorflow") -> list[str]:
    """Every cell of ``page`` in a fresh kernel: the problems found (empty when none)."""
    import nbclient
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(page.read_text(encoding="utf-8"), path=page)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    os.environ.update({**QUIET, "KERAS_BACKEND": backend})
    folder = Path(tempfile.mkdtemp(prefix="check-page-ipython-"))
    os.environ["IPYTHONDIR"] = str(ipython_dir_with_startup(folder))
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3")
    problems = []
    try:
        client.execute(cwd=str(page.parent))
    except nbclient.exceptions.CellExecutionError as error:
        problems.append(str(error)[-3000:])
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                problems.append(f"cell {number} wrote to stderr: {output['text'][:500]}")
        raised = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        if "raises-exception" in _tags(cell) and not raised:
            problems.append(f"cell {number} is tagged raises-exception but ran")
    return problems


def interpreter(python: str) -> Path:
    """The Python that ``--plain python`` names, as a shell would find it.

    A bare name (``python3``) is a command on ``PATH``; anything with a folder in it
    (``.nox/reader/bin/python``) is a path, relative to the current folder. Raises
    FileNotFoundError when there is no such program.

    >>> interpreter(sys.executable) == Path(sys.executable)
    True
    >>> interpreter("no-such-python")
    Traceback (most recent call last):
    FileNotFoundError: no command 'no-such-python' on PATH
    """
    if os.sep in python or (os.altsep and os.altsep in python):
        path = Path(python).absolute()
        if path.is_file() and os.access(path, os.X_OK):
            return path
        raise FileNotFoundError(f"no Python at {python!r} (from {Path.cwd()})")
    found = shutil.which(python)
    if found is None:
        raise FileNotFoundError(f"no command {python!r} on PATH")
    return Path(found)


def run_plain(page: Path, python: str, backend: str = "tensorflow") -> list[str]:
    """The page's visible cells, in order, in ``python``: the problems found.

    ``python`` is a command on ``PATH`` or a path (see :func:`interpreter`).
    """
    from myst_nb.core.read import read_myst_markdown_notebook

    executable = interpreter(python)

    notebook = read_myst_markdown_notebook(page.read_text(encoding="utf-8"), path=page)
    cells = [
        {"code": cell.source, "raises": "raises-exception" in _tags(cell)}
        for cell in notebook.cells
        if cell.cell_type == "code" and not HIDDEN_TAGS & _tags(cell)
    ]
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "cells.json"
        script.write_text(json.dumps(cells), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("LSTM_STATES_")}
        result = subprocess.run(
            [str(executable), "-c", RUNNER, str(script)],
            cwd=folder,
            env={**env, **QUIET, "KERAS_BACKEND": backend},
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        return [f"visible cells in {python}:\n{result.stderr[-3000:]}"]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--plain", help="a Python without lstm_examples for the visible cells")
    parser.add_argument(
        "--backend", default="tensorflow", choices=BACKENDS, help="the Keras backend to run on"
    )
    args = parser.parse_args(argv)
    if args.plain:
        try:
            interpreter(args.plain)
        except FileNotFoundError as error:
            parser.error(f"--plain: {error}")
    failed = False
    for page in args.pages:
        start = time.perf_counter()
        problems = execute(page.resolve(), args.backend)
        if args.plain and not problems:
            problems = run_plain(page.resolve(), args.plain, args.backend)
        seconds = time.perf_counter() - start
        status = "FAILED" if problems else "ok"
        print(f"{page} [{args.backend}]: {status} ({seconds:.1f} s)")
        for problem in problems:
            print(problem)
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
