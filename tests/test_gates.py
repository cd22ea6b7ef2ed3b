"""The marker gates of the root conftest.py: which folders ``-m EXPR`` imports.

Each case collects (only) a scratch tree that holds a copy of the root conftest.py (and the settings it reads) and
two gated folders: a folder that is imported lists its test, one that is not lists the
single skipped item that says what the folder needs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]

INI = """\
[pytest]
addopts = --strict-markers --strict-config -p no:cacheprovider
markers =
    docs: tests/docs
    reader: tests/reader
"""

DOCS = "tests/docs/test_docs.py::test_docs"
READER = "tests/reader/test_reader.py::test_reader"
DOCS_GATED = "tests/docs::docs"
READER_GATED = "tests/reader::reader"
PLAIN = "tests/test_plain.py::test_plain"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param((), {PLAIN, DOCS_GATED, READER_GATED}, id="no -m"),
        pytest.param(("-m", "not docs"), {PLAIN, DOCS_GATED, READER_GATED}, id="not docs"),
        # docs tests match `not reader`, but the expression does not ask for them
        pytest.param(("-m", "not reader"), {PLAIN, DOCS_GATED, READER_GATED}, id="not reader"),
        pytest.param(("-m", "docs"), {DOCS}, id="docs"),
        pytest.param(("-m", "docs or reader"), {DOCS, READER}, id="docs or reader"),
        pytest.param(("-m", "reader and not docs"), {READER}, id="reader and not docs"),
    ],
)
def test_a_folder_is_imported_only_when_its_marker_is_selected(
    pytester: pytest.Pytester, args: tuple[str, ...], expected: set[str]
) -> None:
    shutil.copy(ROOT / "conftest.py", pytester.path / "conftest.py")
    settings = Path("docs", "_ext", "lstm_site", "__init__.py")  # the conftest reads it
    (pytester.path / settings).parent.mkdir(parents=True)
    shutil.copy(ROOT / settings, pytester.path / settings)
    pytester.makeini(INI)
    for folder in ("docs", "reader"):
        (pytester.path / "tests" / folder).mkdir(parents=True)
        (pytester.path / "tests" / folder / f"test_{folder}.py").write_text(
            f"def test_{folder}():\n    pass\n"
        )
    (pytester.path / "tests" / "test_plain.py").write_text("def test_plain():\n    pass\n")

    result = pytester.runpytest_inprocess("--collect-only", "-q", *args, "tests")

    assert result.ret == pytest.ExitCode.OK, result.outlines
    assert {line for line in result.outlines if "::" in line} == expected
