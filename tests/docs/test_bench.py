"""The benchmark's own logic: what it edits, what it compares, the ratios it prints.

The timings themselves are never tested (the machines are shared and noisy): the
benchmark prints them, measured in one run.
"""

from __future__ import annotations

import doctest
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load("docs_build")
test_command = _load("test_command")


@pytest.mark.parametrize("module", [bench, test_command], ids=lambda m: m.__name__)
def test_doctests(module: ModuleType):
    failures, tried = doctest.testmod(module, verbose=False)
    assert tried > 0
    assert failures == 0


def test_the_schemes_compared_cover_each_level_of_parallelism_alone_and_stacked():
    schemes = test_command.SCHEMES
    assert schemes["stacked"] == ("auto", "auto")
    assert {jobs for jobs, workers in schemes.values() if workers == "1"} == {"auto"}
    assert {workers for jobs, workers in schemes.values() if jobs == "1"} == {"auto"}


def test_the_stock_builds_turn_every_piece_off_and_the_site_turns_all_on():
    from lstm_site import EXECUTION_PIECES, SPHINX_PARALLEL, execution_pieces

    builds = bench.COLD_BUILDS
    pieces = {name: execution_pieces({bench.EXECUTION_SWITCH: value})
              for name, (value, _) in builds.items()}  # fmt: skip
    assert pieces["stock_serial"] == pieces["stock_parallel"] == frozenset()
    assert pieces["site"] == pieces["site_serial"] == set(EXECUTION_PIECES)
    # the stock parallel build and the site's differ only in the machinery
    assert builds["stock_parallel"][1] == builds["site"][1] == SPHINX_PARALLEL
    assert builds["stock_serial"][1] == builds["site_serial"][1] == ()


def test_a_prose_edit_leaves_the_code_and_a_code_edit_changes_one_cell():
    page = "---\nfile_format: mystnb\n---\n\n# Title\n\nText.\n\n```{code-cell}\nx = 1\n```\n"
    prose = bench.add_prose(page)
    assert "An added sentence." in prose
    assert prose.count("x = 1\n```") == 1
    code = bench.add_code_comment(page)
    assert "x = 1\n# edited\n```" in code
    with pytest.raises(SystemExit, match="no code cell"):
        bench.add_code_comment("# Title\n\nno code\n")


def test_differing_pages_ignores_the_execution_table_only(tmp_path: Path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, seconds in ((first, "1.0"), (second, "2.5")):
        folder.mkdir()
        (folder / "build-info.html").write_text(
            f'<p>x</p><section id="execution-of-each-page"><td>{seconds}</td></section>'
        )
        (folder / "page.html").write_text("<p>1</p>" if folder == first else "<p>2</p>")
    assert bench.differing_pages(first, second) == ["page.html"]
    (second / "page.html").unlink()
    assert bench.differing_pages(first, second) == ["page.html"]


def test_the_build_the_test_command_bench_moves_aside_is_not_read_as_pages():
    """Sphinx reads every notebook under docs/ but `_build`: a saved build there would
    have its cached notebooks read (and executed) as pages of the site."""
    assert test_command.DOCS not in test_command.SAVED.parents
    assert test_command.BUILD.parent == test_command.DOCS
