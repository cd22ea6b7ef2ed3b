"""The hosting configurations (.readthedocs.yaml, the GitHub Pages workflow) agree with the
noxfile: same environment, same strictness, same output folder; the workflow deploys with
least privilege and pinned actions. Also: where the repository buttons point."""

from __future__ import annotations

import ast
import os
import re
import tomllib

import lstm_site
import pytest
import yaml

from .conftest import DOCS, ROOT

NOXFILE = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RTD = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
PAGES = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
NOX_PIN = re.search(r'"nox\[uv\]==[^"]+"', (ROOT / ".ci" / "run").read_text()).group(0)


def _literal(name: str):
    """The value of a module-level `NAME = <literal>` in noxfile.py."""
    for node in NOXFILE.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"noxfile.py has no {name} = ...")


def _session(name: str) -> ast.FunctionDef:
    for node in NOXFILE.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise AssertionError(f"noxfile.py has no session {name}")


def _calls(function: ast.FunctionDef, callee: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == callee
    ]


def _docs_session_groups() -> set[str]:
    (call,) = _calls(_session("docs"), "install")
    return {ast.literal_eval(arg) for arg in call.args[1:]}


def _docs_session_outdir() -> str:
    """docs/_build/<name>: where the `docs` session builds the site."""
    (call,) = _calls(_session("docs"), "build_site")
    outdir = call.args[1]
    assert isinstance(outdir, ast.BinOp), "the docs session builds into BUILD / '<name>'"
    assert isinstance(outdir.left, ast.Name)
    assert outdir.left.id == "BUILD"
    return f"docs/_build/{ast.literal_eval(outdir.right)}"


def _python_ok(version: str) -> bool:
    minimum = PYPROJECT["project"]["requires-python"].removeprefix(">=")
    return tuple(map(int, version.split("."))) >= tuple(map(int, minimum.split(".")))


# --- Read the Docs ---------------------------------------------------------------------


def test_readthedocs_fails_on_warnings_like_the_docs_session():
    assert RTD["version"] == 2
    assert "-W" in _literal("SPHINX_STRICT")
    assert RTD["sphinx"]["fail_on_warning"] is True
    assert RTD["sphinx"]["configuration"] == "docs/conf.py"
    assert (DOCS / "conf.py").exists()


def test_readthedocs_installs_what_the_docs_session_installs():
    install = " ".join(RTD["build"]["jobs"]["install"])
    assert "-c constraints/cpu.txt" in install  # the noxfile's CONSTRAINTS["cpu"]
    assert '-e ".[cpu]"' in install  # install()'s default extra
    assert " ".join(_literal("SITE_TOOLING")) in install  # the docs tooling, docs/_ext
    groups = set(re.findall(r"--group (\S+)", install))
    assert "docs" in groups
    assert groups <= _docs_session_groups()
    assert _python_ok(RTD["build"]["tools"]["python"])


# --- GitHub Pages ----------------------------------------------------------------------


def _steps(job: str) -> list[dict]:
    return PAGES["jobs"][job]["steps"]


def test_pages_builds_with_the_docs_session_and_uploads_its_output():
    runs = [step["run"] for step in _steps("build") if "run" in step]
    assert any(
        f"python3 -m pip install {NOX_PIN}" in run and "python3 -m nox -s docs" in run
        for run in runs
    ), runs
    (upload,) = [s for s in _steps("build") if "upload-pages-artifact" in s.get("uses", "")]
    assert upload["with"]["path"] == _docs_session_outdir()
    setup = [s for s in _steps("build") if "setup-python" in s.get("uses", "")]
    assert setup
    assert setup[0]["with"]["python-version"] == RTD["build"]["tools"]["python"]


def test_pages_has_least_privilege_permissions():
    assert PAGES["permissions"] == {}
    assert PAGES["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert PAGES["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert PAGES["jobs"]["deploy"]["needs"] == "build"
    for step in _steps("build"):
        if "actions/checkout" in step.get("uses", ""):
            assert step["with"]["persist-credentials"] is False


def test_pages_actions_are_pinned_to_commits():
    uses = [s["uses"] for job in PAGES["jobs"] for s in _steps(job) if "uses" in s]
    assert len(uses) >= 4
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action


def test_readme_runs_the_site_tests():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`site-tests`" in readme
    site_tests = _session("site_tests")
    decorator = site_tests.decorator_list[0]
    assert isinstance(decorator, ast.Call)
    keywords = {k.arg: ast.literal_eval(k.value) for k in decorator.keywords}
    assert keywords["name"] == "site-tests"
    assert keywords.get("default", True) is True  # a plain `nox` (CI) runs it


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
