"""noxfile.py's own logic, loaded without nox (a stand-in module takes its place).

Under ``--parallel`` nox runs each session in a child ``nox`` process that loads the
noxfile again; only the main process may print the seconds per session.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from unittest import mock

import pytest

NOXFILE = Path(__file__).resolve().parents[1] / "noxfile.py"


class Process:
    """A nox process: its arguments, its parent, and the noxfile as it loaded it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, argv: list[str], parent_pid: int) -> None:
        self.monkeypatch, self.argv, self.parent_pid = monkeypatch, argv, parent_pid
        self.enter()
        self.noxfile = load_noxfile(monkeypatch)

    def enter(self) -> None:
        """Make ``sys.argv`` and ``os.getppid()`` this process's."""
        self.monkeypatch.setattr(sys, "argv", self.argv)
        self.monkeypatch.setattr(os, "getppid", lambda: self.parent_pid)

    def summary(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
        """What the process prints when it exits, after a session that took 12 s."""
        folder.mkdir(exist_ok=True)
        (folder / "lint.txt").write_text("12.0\n")
        self.noxfile.SECONDS_DIR = folder
        self.enter()
        capsys.readouterr()
        self.noxfile._print_session_seconds()
        return capsys.readouterr().out


def load_noxfile(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    stand_in = mock.MagicMock(name="nox")
    stand_in.session = lambda **options: lambda func: func  # a session is its function
    monkeypatch.setitem(sys.modules, "nox", stand_in)
    spec = importlib.util.spec_from_file_location("noxfile_under_test", NOXFILE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    atexit.unregister(module._print_session_seconds)
    return module


# How nox starts a parallel worker: `python -m nox` with the session's options. From
# nox 2026.10.20 the arguments include --parallel-worker; 2026.8.x has no such flag.
WORKER_ARGS = ["--parallel", "1", "--report", "r.json", "--session", "lint", "--no-dependencies"]


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A copy of the environment, for the noxfile to write into, restored afterwards."""
    copy = dict(os.environ)
    monkeypatch.setattr(os, "environ", copy)
    return copy


@pytest.mark.parametrize(
    "worker_args",
    [
        pytest.param(WORKER_ARGS, id="nox 2026.8"),
        pytest.param([*WORKER_ARGS, "--parallel-worker"], id="nox 2026.10"),
    ],
)
def test_only_the_main_nox_process_prints_the_seconds(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    environ: dict[str, str],
    worker_args: list[str],
) -> None:
    shell = os.getpid() + 1  # any process but the main nox process
    main = Process(monkeypatch, ["nox"], parent_pid=shell)
    # the worker is a child of the main process (this one) and inherits its environment
    worker = Process(monkeypatch, ["nox", *worker_args], parent_pid=os.getpid())

    assert worker.summary(tmp_path, capsys) == ""
    assert "lint" in main.summary(tmp_path, capsys)


def test_a_nox_run_inside_a_session_prints_its_own_seconds(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    environ: dict[str, str],
) -> None:
    Process(monkeypatch, ["nox"], parent_pid=os.getpid() + 1)
    # `nox` started by a command in a session: it inherits the environment, but its
    # parent is that command, not the main nox process
    nested = Process(monkeypatch, ["nox", "-s", "lint"], parent_pid=os.getpid() + 2)

    assert "lint" in nested.summary(tmp_path, capsys)


def test_nox_versions_without_parallel_sessions_are_refused(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str]
) -> None:
    from packaging.specifiers import SpecifierSet

    # nox.options.parallel, nox.options.allow_parallel and session(allow_parallel=...)
    # came with nox 2026.8.10; 2026.7.11 is the release before it
    process = Process(monkeypatch, ["nox"], parent_pid=os.getpid() + 1)
    needs = SpecifierSet(process.noxfile.nox.needs_version)
    assert "2026.7.11" not in needs
    assert "2026.8.10" in needs
    assert "2026.10.20" in needs  # the README's


@pytest.mark.parametrize("backend", ["uv", "virtualenv"])
def test_nightly_removes_keras_with_the_installer_of_its_environment(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], tmp_path: Path, backend: str
) -> None:
    # nox falls back from uv to virtualenv where uv is missing: then uv cannot be run;
    # an environment that uv made has no pip
    noxfile = Process(monkeypatch, ["nox"], parent_pid=os.getpid() + 1).noxfile
    noxfile.SECONDS_DIR = tmp_path
    session = mock.MagicMock(venv_backend=backend, posargs=[])
    session.name = "nightly"

    noxfile.nightly(session)

    commands = [c.args for c in session.run.call_args_list]
    removals = [c for c in commands if "uninstall" in c]
    assert len(removals) == 1
    assert "keras" in removals[0]
    if backend == "uv":
        assert removals[0][:3] == ("uv", "pip", "uninstall")
    else:
        assert removals[0][:4] == ("python", "-m", "pip", "uninstall")
        assert all(command[0] != "uv" for command in commands)
