"""Which cells failed, page by page, in the executed notebooks of a build.

    python -m lstm_site.assertion_report BUILD_DIR [--docs docs] [--json RESULTS.json] [--stderr]

The `nightly` and `backends` Nox sessions execute every page with every cell run
(``nb_execution_allow_errors``): on keras-nightly, and on Keras's JAX and PyTorch
backends. The executed notebooks are read from the build's execution cache
(``BUILD_DIR/.jupyter_cache``): the copies MyST-NB writes to ``jupyter_execute`` hold no
outputs when a page comes from that cache. A page of ``docs`` that the cache lacks did not
run to its end (a kernel that died, a cell that timed out) and is reported as failed. A cell that raised there, outside the ones tagged ``raises-exception``, is a
claim of the site that does not hold on that Keras; with ``--stderr``, a cell that wrote
to stderr (a warning, which the strict build refuses) counts as failed too. ``--json``
writes each page's result (the versions, and the failing cells of each page, empty where
all hold) for the build information page. Exits 1 when a cell failed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def _tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def executed_notebooks(build: Path, docs: Path) -> dict[str, Any]:
    """The notebooks in ``build``'s execution cache, by page name (the latest of each page)."""
    from jupyter_cache import get_cache

    cache = get_cache(str(build / ".jupyter_cache"))
    found: dict[str, Any] = {}
    for record in sorted(cache.list_cache_records(), key=lambda record: record.created):
        page = Path(record.uri).resolve().relative_to(docs.resolve()).with_suffix("")
        found[page.as_posix()] = cache.get_cache_bundle(record.pk).nb
    return found


def failures(notebooks: Mapping[str, Any], *, stderr: bool = False) -> dict[str, list[str]]:
    """Each page's failing cells: raised without ``raises-exception``, or (``stderr``) warned.

    >>> page = {"cells": [
    ...     {"cell_type": "code", "metadata": {}, "source": "assert 1 == 2, 'no'",
    ...      "outputs": [{"output_type": "error", "ename": "AssertionError", "evalue": "no"}]},
    ...     {"cell_type": "code", "metadata": {"tags": ["raises-exception"]}, "source": "1/0",
    ...      "outputs": [{"output_type": "error", "ename": "ZeroDivisionError",
    ...                   "evalue": "division by zero"}]},
    ...     {"cell_type": "code", "metadata": {}, "source": "warn()",
    ...      "outputs": [{"output_type": "stream", "name": "stderr", "text": "Warning: x"}]}]}
    >>> failures({"page": page}), failures({"page": page}, stderr=True)["page"][1]
    ({'page': ["cell 1: AssertionError: no\\n    assert 1 == 2, 'no'"]}, 'cell 3: stderr: Warning: x\\n    warn()')
    """
    found: dict[str, list[str]] = {}
    for page, notebook in sorted(notebooks.items()):
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


def results(build: Path, docs: Path, *, stderr: bool = False) -> dict[str, Any]:
    """The report as data: date, Keras backend and versions, and each page's failing cells."""
    from lstm_site import notebook_pages
    from lstm_site.build_info import backend_version

    notebooks = executed_notebooks(build, docs)
    found = failures(notebooks, stderr=stderr)
    for page in notebook_pages(docs):
        if page not in notebooks:
            found[page] = ["the page did not run to its end (see the build's log)"]
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    versions = {name: backend_version(name) for name in ("keras", backend)}
    return {
        "date": datetime.date.today().isoformat(),
        "backend": backend,
        "versions": versions,
        "pages": {page: found.get(page, []) for page in sorted({*notebooks, *found})},
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build", type=Path, help="the build folder (LSTM_STATES_BUILD_DIR)")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="the site's sources")
    parser.add_argument("--json", type=Path, help="write the page-by-page results here")
    parser.add_argument("--stderr", action="store_true", help="a cell's stderr output fails it")
    args = parser.parse_args(argv)
    if not (args.build / ".jupyter_cache").is_dir():
        parser.error(f"{args.build} has no execution cache (.jupyter_cache)")
    report = results(args.build, args.docs, stderr=args.stderr)
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
