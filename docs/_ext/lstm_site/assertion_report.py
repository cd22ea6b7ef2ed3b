"""Which cells raised, page by page, in the executed notebooks of a build.

    python -m lstm_site.assertion_report docs/_build/nightly/jupyter_execute

The `nightly` Nox session builds the site against keras-nightly with every cell run
(``nb_execution_allow_errors``); a cell that raised there, outside the ones tagged
``raises-exception``, is a claim of the site that the coming Keras breaks. Exits 1 when
there is one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def failures(folder: Path) -> dict[str, list[str]]:
    """Each page's cells that raised without being tagged ``raises-exception``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = {"cells": [
    ...         {"cell_type": "code", "metadata": {}, "source": "assert 1 == 2, 'no'",
    ...          "outputs": [{"output_type": "error", "ename": "AssertionError", "evalue": "no"}]},
    ...         {"cell_type": "code", "metadata": {"tags": ["raises-exception"]}, "source": "1/0",
    ...          "outputs": [{"output_type": "error", "ename": "ZeroDivisionError",
    ...                       "evalue": "division by zero"}]}]}
    ...     _ = (Path(tmp) / "page.ipynb").write_text(json.dumps(page))
    ...     failures(Path(tmp))
    {'page': ["cell 1: AssertionError: no\\n    assert 1 == 2, 'no'"]}
    """
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for number, cell in enumerate(notebook["cells"], start=1):
            if cell["cell_type"] != "code":
                continue
            if "raises-exception" in cell.get("metadata", {}).get("tags", []):
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    source = "".join(cell["source"]).strip().splitlines()
                    first = source[0] if source else ""
                    page = path.relative_to(folder).with_suffix("").as_posix()
                    found.setdefault(page, []).append(
                        f"cell {number}: {output['ename']}: {output['evalue']}\n    {first}"
                    )
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    found = failures(Path(argv[0]))
    for page, cells in found.items():
        print(f"{page}: {len(cells)} cell(s) no longer hold")
        for cell in cells:
            print(f"  {cell}")
    pages = len(list(Path(argv[0]).rglob("*.ipynb")))
    print(f"{len(found)} of {pages} pages have a failing cell")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
