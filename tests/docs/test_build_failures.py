"""An exception in any page's cell fails the docs build, and the error names that page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("page", notebook_pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_failing_cell_fails_the_build_and_names_the_page(page, tmp_path, site):
    docs = copy_project(tmp_path)
    relative = page.relative_to(DOCS)
    message = f"injected failure in {relative.as_posix()}"
    inject(docs / relative, message)
    env = {**os.environ, "LSTM_STATES_NB_EXECUTION_MODE": "cache"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            *SPHINX_STRICT,
            "-b",
            "html",
            str(docs),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert message in output, output[-2000:]
    assert str(relative.with_suffix("")) in output, output[-2000:]
