"""lstm_site.check_page: its command line and the run of a page's visible cells.

The pages here are tiny and import nothing heavy; ``execute`` (a Jupyter kernel per
page) is replaced where a test is about the arguments only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from lstm_site import check_page

FRONT_MATTER = """\
---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---

# A page
"""


def page(folder: Path, *cells: tuple[str, str]) -> Path:
    """A MyST-NB page in ``folder`` with ``cells``: (tags line or "", code) each."""
    text = FRONT_MATTER
    for tags, code in cells:
        text += f"\n```{{code-cell}} ipython3\n{tags + chr(10) if tags else ''}{code}\n```\n"
    path = folder / "page.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def trivial(tmp_path: Path) -> Path:
    return page(tmp_path, ("", "x = 1"))


@pytest.fixture
def on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The name of a command on PATH (only) that is this test's Python."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "check-page-python").symlink_to(sys.executable)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return "check-page-python"


@pytest.fixture
def no_kernel(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, str]]:
    """Replaces the kernel run of every cell; records the pages and backends asked for."""
    calls: list[tuple[Path, str]] = []

    def execute(page: Path, backend: str = "tensorflow") -> list[str]:
        calls.append((page, backend))
        return []

    monkeypatch.setattr(check_page, "execute", execute)
    return calls


def test_visible_cells_run_in_a_command_on_path(trivial: Path, on_path: str) -> None:
    assert check_page.run_plain(trivial, on_path) == []


def test_visible_cells_run_in_a_path_relative_to_the_current_folder(
    trivial: Path, on_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert check_page.run_plain(trivial, f"bin{os.sep}{on_path}") == []


def test_an_interpreter_that_does_not_exist_is_an_error(trivial: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no-such-python"):
        check_page.run_plain(trivial, "no-such-python")
    with pytest.raises(FileNotFoundError, match="no-such-python"):
        check_page.run_plain(trivial, "./no-such-python")


def test_visible_cells_run_on_the_backend_asked_for(tmp_path: Path) -> None:
    checked = page(tmp_path, ("", "import os\nassert os.environ['KERAS_BACKEND'] == 'jax'"))
    assert check_page.run_plain(checked, sys.executable, backend="jax") == []
    [problem] = check_page.run_plain(checked, sys.executable)
    assert "cell 1 raised" in problem


def test_hidden_cells_are_not_run_and_raises_exception_cells_must_raise(
    tmp_path: Path,
) -> None:
    hidden = page(
        tmp_path,
        (":tags: [remove-cell]", "raise SystemExit('hidden cell ran')"),
        (":tags: [raises-exception]", "1 / 0"),
        ("", "x = 1"),
    )
    assert check_page.run_plain(hidden, sys.executable) == []
    ran = page(tmp_path, (":tags: [raises-exception]", "x = 1"))
    [problem] = check_page.run_plain(ran, sys.executable)
    assert "cell 1 is tagged raises-exception but ran" in problem


def test_main_runs_the_visible_cells_in_a_command_on_path(
    trivial: Path,
    on_path: str,
    no_kernel: list[tuple[Path, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert check_page.main([str(trivial), "--plain", on_path, "--backend", "jax"]) == 0
    assert no_kernel == [(trivial.resolve(), "jax")]
    assert capsys.readouterr().out.startswith(f"{trivial} [jax]: ok")


def test_main_reports_a_failing_page(
    tmp_path: Path, no_kernel: list[tuple[Path, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    failing = page(tmp_path, ("", "raise ValueError('the reader sees this')"))
    assert check_page.main([str(failing), "--plain", sys.executable]) == 1
    out = capsys.readouterr().out
    assert f"{failing} [tensorflow]: FAILED" in out
    assert "ValueError: the reader sees this" in out


def test_main_rejects_an_interpreter_that_does_not_exist(
    trivial: Path, no_kernel: list[tuple[Path, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        check_page.main([str(trivial), "--plain", "no-such-python"])
    assert exit.value.code == 2
    assert "no-such-python" in capsys.readouterr().err
    assert no_kernel == []  # before any page is run


def test_main_rejects_an_unknown_backend(
    trivial: Path, no_kernel: list[tuple[Path, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        check_page.main([str(trivial), "--backend", "mxnet"])
    assert exit.value.code == 2
    assert "mxnet" in capsys.readouterr().err
    assert no_kernel == []
