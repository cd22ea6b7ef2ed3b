"""An exception in any page's cell fails the docs build, and the error names that page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import DOCS, ROOT, notebook_pages

SPHINX_STRICT = ["-n", "-W", "--keep-going", "-T"]


def copy_project(destination: Path) -> Path:
    """Copy the docs sources, their execution cache and the package, but no built HTML."""
    shutil.copytree(ROOT / "lstm_examples", destination / "lstm_examples")
    shutil.copytree(
        DOCS,
        destination / "docs",
        ignore=shutil.ignore_patterns("html", "html-gpu", "doctrees", "jupyter_execute"),
    )
    return destination / "docs"


def inject(page: Path, message: str) -> None:
    text = page.read_text(encoding="utf-8")
    cell = f'```{{code-cell}} ipython3\nraise RuntimeError("{message}")\n```\n\n'
    first = text.index("```{code-cell}")
    page.write_text(text[:first] + cell + text[first:], encoding="utf-8")


def build(docs: Path, out: Path, *options: str) -> tuple[int, str]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            *SPHINX_STRICT,
            *options,
            "-b",
            "html",
            str(docs),
            str(out),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "LSTM_STATES_NB_EXECUTION_MODE": "cache"},
        timeout=900,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def message_for(relative: Path) -> str:
    return f"injected failure in {relative.as_posix()}"


def test_a_failing_cell_stops_the_build_and_names_its_page(tmp_path, site):
    """The docs session's own configuration: the first failure ends the build."""
    docs = copy_project(tmp_path)
    relative = Path("basics.md")
    inject(docs / relative, message_for(relative))
    code, output = build(docs, tmp_path / "out")
    assert code != 0, output[-3000:]
    assert message_for(relative) in output, output[-3000:]
    assert "Executing notebook failed" in output
    assert f"{docs / relative}" in output


def test_every_page_fails_on_a_failing_cell(tmp_path, site):
    """A cell that raises is caught on every page; with errors not raised at once, the
    strict build reports each page by name and still fails."""
    docs = copy_project(tmp_path)
    pages = [page.relative_to(DOCS) for page in notebook_pages()]
    for relative in pages:
        inject(docs / relative, message_for(relative))
    code, output = build(docs, tmp_path / "out", "-D", "nb_execution_raise_on_error=0")
    assert code != 0, output[-3000:]
    for relative in pages:
        assert message_for(relative) in output, f"{relative} not reported:\n{output[-3000:]}"
        assert f"{docs / relative}: WARNING: Executing notebook failed" in output
