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
    built: needs the built site
"""

DOCS = "tests/docs/test_docs.py::test_docs"
DOCS_BUILT = "tests/docs/test_docs.py::test_docs_built"  # also marked `built`, no gate
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
        pytest.param(("-m", "docs"), {DOCS, DOCS_BUILT}, id="docs"),
        pytest.param(("-m", "docs or reader"), {DOCS, DOCS_BUILT, READER}, id="docs or reader"),
        pytest.param(("-m", "reader and not docs"), {READER}, id="reader and not docs"),
        # a marker that is no folder's gate narrows the selection within a folder
        pytest.param(("-m", "docs and built"), {DOCS_BUILT}, id="docs and built"),
        pytest.param(("-m", "docs and not built"), {DOCS}, id="docs and not built"),
        # `built` alone does not ask for the docs folder: gated, its item deselected
        pytest.param(("-m", "built"), set(), id="built"),
        pytest.param(("-m", "not built"), {PLAIN, DOCS_GATED, READER_GATED}, id="not built"),
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
            f"import pytest\n\ndef test_{folder}():\n    pass\n"
        )
    with (pytester.path / "tests" / "docs" / "test_docs.py").open("a") as module:
        module.write("\n@pytest.mark.built\ndef test_docs_built():\n    pass\n")
    (pytester.path / "tests" / "test_plain.py").write_text("def test_plain():\n    pass\n")

    result = pytester.runpytest_inprocess("--collect-only", "-q", *args, "tests")

    ok = pytest.ExitCode.OK if expected else pytest.ExitCode.NO_TESTS_COLLECTED
    assert result.ret == ok, result.outlines
    assert {line for line in result.outlines if "::" in line} == expected
