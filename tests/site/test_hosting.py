"""The hosting configurations (.readthedocs.yaml, the GitHub workflows) agree with the
noxfile and the README: same environment, same strictness, same output folder, the README's
test command in CI, and no deployment without passing tests; the workflows run with least
privilege and pinned actions. Also: where the repository buttons point."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from unittest import mock

import lstm_site
import pytest
import yaml

from .conftest import DOCS, ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RTD = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
WORKFLOWS = ROOT / ".github" / "workflows"
PAGES = yaml.safe_load((WORKFLOWS / "pages.yml").read_text(encoding="utf-8"))
TESTS = yaml.safe_load((WORKFLOWS / "tests.yml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
# the README's two commands: build the site, and run every test
_COMMAND = r"^python3 -m pip install .* && python3 -m nox{}$"
(README_DOCS,) = re.findall(_COMMAND.format(" -s docs"), README, re.MULTILINE)
(README_TESTS,) = re.findall(_COMMAND.format(""), README, re.MULTILINE)
NOX_PIN = re.search(r'"nox\[uv\]==[^"]+"', README_TESTS).group(0)


def _on(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as True
    return workflow.get("on", workflow.get(True))


class _Session:
    """Records what a session function asks nox to do."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.posargs: list[str] = []
        self.venv_backend = "uv"
        self.installs: list[tuple[str, ...]] = []
        self.runs: list[tuple[str, ...]] = []

    def install(self, *args: str, **kwargs: object) -> None:
        self.installs.append(args)

    def run(self, *args: str, **kwargs: object) -> None:
        self.runs.append(args)

    def log(self, *args: object) -> None:
        pass

    def error(self, *args: object) -> None:
        raise AssertionError(args)


def _load_noxfile() -> tuple[ModuleType, dict[str, dict]]:
    """noxfile.py, loaded with a stand-in for nox; and each session's options by name."""
    options: dict[str, dict] = {}
    stand_in = mock.MagicMock(name="nox")
    stand_in.project.dependency_groups = lambda pyproject, *groups: tuple(
        f"<{group}>" for group in groups
    )

    def session(**kwargs: object):
        def register(func):
            options[str(kwargs.get("name", func.__name__))] = kwargs
            return func

        return register

    stand_in.session = session
    saved = sys.modules.get("nox"), dict(os.environ)
    sys.modules["nox"] = stand_in
    try:
        spec = importlib.util.spec_from_file_location("noxfile_for_hosting", ROOT / "noxfile.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if saved[0] is None:
            del sys.modules["nox"]
        else:
            sys.modules["nox"] = saved[0]
        os.environ.clear()
        os.environ.update(saved[1])
    import atexit

    atexit.unregister(module._print_session_seconds)
    return module, options


NOXFILE, SESSIONS = _load_noxfile()


def _run_session(name: str, tmp_path: Path) -> _Session:
    NOXFILE.SECONDS_DIR = tmp_path
    session = _Session(name)
    getattr(NOXFILE, name.replace("-", "_"))(session)
    return session


@pytest.fixture(scope="module")
def docs_session(tmp_path_factory: pytest.TempPathFactory) -> _Session:
    return _run_session("docs", tmp_path_factory.mktemp("seconds"))


def _docs_session_groups(docs_session: _Session) -> set[str]:
    (install,) = docs_session.installs
    return {arg[1:-1] for arg in install if arg.startswith("<")}


def _docs_session_outdir(docs_session: _Session) -> str:
    """Where the `docs` session's sphinx-build writes the site, relative to the root."""
    (build,) = [run for run in docs_session.runs if run[0] == "sphinx-build"]
    return Path(build[build.index("docs") + 1]).relative_to(ROOT).as_posix()


def _python_ok(version: str) -> bool:
    minimum = PYPROJECT["project"]["requires-python"].removeprefix(">=")
    return tuple(map(int, version.split("."))) >= tuple(map(int, minimum.split(".")))


# --- Read the Docs ---------------------------------------------------------------------


def test_readthedocs_fails_on_warnings_like_the_docs_session(docs_session):
    assert RTD["version"] == 2
    (build,) = [run for run in docs_session.runs if run[0] == "sphinx-build"]
    assert "-W" in build
    assert RTD["sphinx"]["fail_on_warning"] is True
    assert RTD["sphinx"]["configuration"] == "docs/conf.py"
    assert (DOCS / "conf.py").exists()


def test_readthedocs_installs_what_the_docs_session_installs(docs_session):
    install = " ".join(RTD["build"]["jobs"]["install"])
    (installed,) = docs_session.installs
    constraints = Path(installed[installed.index("-c") + 1]).relative_to(ROOT).as_posix()
    assert f"-c {constraints}" in install
    assert '-e ".[cpu]"' in install  # the CPU extra, as install() installs it
    assert ".[cpu]" in installed
    assert " ".join(NOXFILE.SITE_TOOLING) in install  # the docs tooling, docs/_ext
    assert " ".join(NOXFILE.SITE_TOOLING) in " ".join(installed)
    groups = set(re.findall(r"--group (\S+)", install))
    assert "docs" in groups
    assert groups <= _docs_session_groups(docs_session)
    assert _python_ok(RTD["build"]["tools"]["python"])


# --- GitHub: the tests workflow, and Pages after it --------------------------------------


def _steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def _runs(workflow: dict) -> list[str]:
    return [
        step["run"].strip() for job in workflow["jobs"] for step in _steps(workflow, job)
        if "run" in step
    ]  # fmt: skip


def test_ci_runs_the_readmes_test_command_on_every_push_and_pull_request():
    on = _on(TESTS)
    assert "push" in on
    assert not (on["push"] or {}).get("branches")  # every branch
    assert "pull_request" in on
    runs = _runs(TESTS)
    assert README_TESTS in runs, runs
    # then Lighthouse on the site that command built, the lowest versions allowed (whose
    # site goes elsewhere), and the JAX and PyTorch backends
    lighthouse = runs.index("python3 -m nox -s lighthouse --no-dependencies")
    assert runs.index(README_TESTS) < lighthouse < runs.index("python3 -m nox -s lowest")
    assert "python3 -m nox -s backends" in runs
    # .ci/run runs the same commands in the same order
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    nox_runs = [r for r in runs if "python3 -m nox" in r]
    assert [line for line in ci if "python3 -m nox" in line] == nox_runs, ci
    for job in TESTS["jobs"].values():
        assert job["runs-on"] == "ubuntu-latest"
        (setup,) = [s for s in job["steps"] if "setup-python" in s.get("uses", "")]
        assert setup["with"]["python-version"] == RTD["build"]["tools"]["python"]


def test_ci_caches_uvs_downloads_keyed_on_the_pinned_versions():
    for name, job in TESTS["jobs"].items():
        (cache,) = [s for s in job["steps"] if "actions/cache" in s.get("uses", "")]
        assert cache["with"]["path"] == "~/.cache/uv", name
        key = cache["with"]["key"]
        assert "hashFiles('constraints/*.txt', 'pyproject.toml')" in key, key
        # restored before nox installs anything
        steps = job["steps"]
        first_nox = min(i for i, s in enumerate(steps) if "nox" in s.get("run", ""))
        assert steps.index(cache) < first_nox


def test_pages_deploys_only_a_commit_whose_tests_passed():
    on = _on(PAGES)
    assert set(on) == {"workflow_run"}  # no push, no manual run around the tests
    assert on["workflow_run"]["workflows"] == [TESTS["name"]]
    assert on["workflow_run"]["types"] == ["completed"]
    assert on["workflow_run"]["branches"] == ["main"]
    condition = PAGES["jobs"]["build"]["if"]
    assert "github.event.workflow_run.conclusion == 'success'" in condition
    assert "github.event.workflow_run.event == 'push'" in condition  # not a pull request
    (checkout,) = [s for s in _steps(PAGES, "build") if "actions/checkout" in s.get("uses", "")]
    assert checkout["with"]["ref"] == "${{ github.event.workflow_run.head_sha }}"  # the tested


def test_pages_builds_with_the_docs_session_and_uploads_its_output(docs_session):
    assert README_DOCS in _runs(PAGES)
    (upload,) = [s for s in _steps(PAGES, "build") if "upload-pages-artifact" in s.get("uses", "")]
    assert upload["with"]["path"] == _docs_session_outdir(docs_session)
    (setup,) = [s for s in _steps(PAGES, "build") if "setup-python" in s.get("uses", "")]
    assert setup["with"]["python-version"] == RTD["build"]["tools"]["python"]


def test_workflows_have_least_privilege_permissions():
    assert PAGES["permissions"] == {}
    assert PAGES["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert PAGES["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert PAGES["jobs"]["deploy"]["needs"] == "build"
    assert TESTS["permissions"] == {}
    for job in TESTS["jobs"].values():
        assert job["permissions"] == {"contents": "read"}
    for workflow in (PAGES, TESTS):
        for job in workflow["jobs"]:
            for step in _steps(workflow, job):
                if "actions/checkout" in step.get("uses", ""):
                    assert step["with"]["persist-credentials"] is False


def test_workflow_actions_are_pinned_to_commits():
    for workflow in (PAGES, TESTS):
        uses = [s["uses"] for job in workflow["jobs"] for s in _steps(workflow, job) if "uses" in s]
        assert len(uses) >= 3
        for action in uses:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action


def test_the_readmes_test_command_runs_the_site_tests():
    assert "`site-tests`" in README
    options = SESSIONS["site-tests"]
    assert options.get("default", True) is True  # a plain `nox` (CI) runs it
    assert SESSIONS["lowest"].get("default") is False  # CI runs it as a step of its own
    assert SESSIONS["backends"].get("default") is False
    assert NOX_PIN in README_DOCS


# --- where the repository buttons point ----------------------------------------------


@pytest.mark.parametrize(
    ("environ", "urls", "expected"),
    [
        ({}, {}, None),
        ({"LSTM_STATES_REPOSITORY_URL": "https://example.org/a/b/"}, {}, "https://example.org/a/b"),
        ({}, {"Repository": "https://example.org/c/d.git"}, "https://example.org/c/d"),
        (
            {"LSTM_STATES_REPOSITORY_URL": "https://example.org/e/f"},
            {"Repository": "https://example.org/c/d"},
            "https://example.org/e/f",
        ),
        (
            {"READTHEDOCS_GIT_CLONE_URL": "https://example.org/g/h.git"},
            {},
            "https://example.org/g/h",
        ),
        ({"READTHEDOCS_GIT_CLONE_URL": "git@example.org:g/h.git"}, {}, None),
    ],
)
def test_repository_url_comes_from_configuration(tmp_path, environ, urls, expected):
    pyproject = tmp_path / "pyproject.toml"
    lines = ["[project]", 'name = "x"']
    if urls:
        lines += ["[project.urls]", *(f'{k} = "{v}"' for k, v in urls.items())]
    pyproject.write_text("\n".join(lines) + "\n")
    assert lstm_site.repository_url(environ, pyproject) == expected


def test_no_repository_buttons_without_a_configured_repository(site):
    if lstm_site.repository_url(os.environ, ROOT / "pyproject.toml"):
        pytest.skip("a repository is configured in this environment")
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "repository-button" not in html
    assert "edit-this-page" not in html
