"""Which cells failed, page by page, in the executed notebooks of a build.

    python -m lstm_site.assertion_report FOLDER [--json RESULTS.json] [--stderr]

The `nightly` and `backends` Nox sessions execute every page with every cell run
(``nb_execution_allow_errors``): on keras-nightly, and on Keras's JAX and PyTorch
backends. A cell that raised there, outside the ones tagged ``raises-exception``, is a
claim of the site that does not hold on that Keras; with ``--stderr``, a cell that wrote
to stderr (a warning, which the strict build refuses) counts as failed too. ``--json``
writes each page's result (the versions, and the failing cells of each page, empty where
all hold) for the build information page. Exits 1 when a cell failed.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import sys
from pathlib import Path


def _tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def failures(folder: Path, *, stderr: bool = False) -> dict[str, list[str]]:
    """Each page's failing cells: raised without ``raises-exception``, or (``stderr``) warned.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = {"cells": [
    ...         {"cell_type": "code", "metadata": {}, "source": "assert 1 == 2, 'no'",
    ...          "outputs": [{"output_type": "error", "ename": "AssertionError", "evalue": "no"}]},
    ...         {"cell_type": "code", "metadata": {"tags": ["raises-exception"]}, "source": "1/0",
    ...          "outputs": [{"output_type": "error", "ename": "ZeroDivisionError",
    ...                       "evalue": "division by zero"}]},
    ...         {"cell_type": "code", "metadata": {}, "source": "warn()",
    ...          "outputs": [{"output_type": "stream", "name": "stderr", "text": "Warning: x"}]}]}
    ...     _ = (Path(tmp) / "page.ipynb").write_text(json.dumps(page))
    ...     failures(Path(tmp)), failures(Path(tmp), stderr=True)["page"][1]
    ({'page': ["cell 1: AssertionError: no\\n    assert 1 == 2, 'no'"]}, 'cell 3: stderr: Warning: x\\n    warn()')
    """
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        page = path.relative_to(folder).with_suffix("").as_posix()
        for number, cell in enumerate(notebook["cells"], start=1):
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"]).strip().splitlines()
            first = source[0] if source else ""
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    if "raises-exception" in _tags(cell):
                        continue
                    problem = f"{output['ename']}: {output['evalue']}"
                elif (
                    stderr
                    and output.get("output_type") == "stream"
                    and (output.get("name") == "stderr")
                ):
                    text = "".join(output["text"]).strip().splitlines()
                    problem = f"stderr: {text[0] if text else ''}"
                else:
                    continue
                found.setdefault(page, []).append(f"cell {number}: {problem}\n    {first}")
    return found


def results(folder: Path, *, stderr: bool = False) -> dict[str, object]:
    """The report as data: date, Keras backend and versions, and each page's failing cells."""
    found = failures(folder, stderr=stderr)
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    package = {"jax": "jax", "torch": "torch"}.get(backend, "tensorflow-cpu")
    versions = {}
    for name in ("keras", package):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    pages = sorted(
        p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.ipynb")
    )
    return {
        "date": datetime.date.today().isoformat(),
        "backend": backend,
        "versions": versions,
        "pages": {page: found.get(page, []) for page in pages},
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", type=Path, help="write the page-by-page results here")
    parser.add_argument("--stderr", action="store_true", help="a cell's stderr output fails it")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder of executed notebooks")
    report = results(args.folder, stderr=args.stderr)
    pages: dict[str, list[str]] = report["pages"]  # type: ignore[assignment]
    for page, cells in pages.items():
        if cells:
            print(f"{page}: {len(cells)} cell(s) do not hold")
            for cell in cells:
                print(f"  {cell}")
    failing = sum(1 for cells in pages.values() if cells)
    print(f"{failing} of {len(pages)} pages have a failing cell ({report['backend']})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
