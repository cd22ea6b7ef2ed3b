"""Sessions for the lstm-states site: tests, doctests, docs, lint, GPU build, preview.

`nox` alone runs lint, tests, doctests and the strict docs build (what CI runs).
`nox -t gpu` runs the GPU-tagged sessions; `nox -s serve` previews the site.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"

DIR = Path(__file__).parent.resolve()
PYPROJECT = nox.project.load_toml(DIR / "pyproject.toml")
DOCS = DIR / "docs"
BUILD = DOCS / "_build"

# Versions are bounded in pyproject.toml and pinned here, so that a build in a
# year resolves to the same packages (regenerate with `nox -s lock`).
CONSTRAINTS = {"cpu": DIR / "constraints" / "cpu.txt", "gpu": DIR / "constraints" / "gpu.txt"}

# TensorFlow's C++ start-up logging off, and its plain CPU kernels (oneDNN's
# fused kernels change results in the last bits depending on the CPU).
QUIET_TF = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "KERAS_BACKEND": "tensorflow",
}

SPHINX_STRICT = ["-n", "-W", "--keep-going", "-T"]


def install(session: nox.Session, *groups: str, extra: str = "cpu") -> None:
    """Install the package (editable, with a TensorFlow extra) and dependency groups."""
    session.install(
        "-c",
        str(CONSTRAINTS[extra]),
        "-e",
        f".[{extra}]",
        *nox.project.dependency_groups(PYPROJECT, *groups),
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff: lint and formatting of the package, tests and noxfile."""
    session.install("-c", str(CONSTRAINTS["cpu"]), "ruff")
    targets = ["lstm_examples", "tests", "benchmarks", "noxfile.py", "docs/conf.py", "conftest.py"]
    session.run("ruff", "check", *targets)
    session.run("ruff", "format", "--check", *targets)


@nox.session
def tests(session: nox.Session) -> None:
    """Unit tests of lstm_examples (the built-site checks run in the docs session)."""
    install(session, "test")
    session.run("pytest", "--ignore=tests/docs", *session.posargs, env=QUIET_TF)


@nox.session
def doctests(session: nox.Session) -> None:
    """Docstring examples of lstm_examples, and `>>>` blocks in README.md and docs/*.md."""
    install(session, "test")
    markdown = [
        "README.md",
        *sorted(str(p.relative_to(DIR)) for p in DOCS.glob("**/*.md") if BUILD not in p.parents),
    ]
    session.run(
        "pytest",
        "--doctest-modules",
        "--doctest-glob=*.md",
        "-o",
        "testpaths=",
        "lstm_examples",
        *markdown,
        *session.posargs,
        env=QUIET_TF,
    )


def build_site(session: nox.Session, outdir: Path, *, env: dict[str, str]) -> None:
    session.run(
        "sphinx-build", *SPHINX_STRICT, "-b", "html", "docs", str(outdir), *session.posargs, env=env
    )


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site into docs/_build/html, strictly, then check the built pages.

    Pages are executed in Jupyter kernels at build time; a failing cell, a warning
    or stderr output in any page fails the build. Extra arguments go to sphinx-build
    (e.g. `nox -s docs -- -E` to re-read every page).
    """
    install(session, "docs", "test")
    build_site(session, BUILD / "html", env=QUIET_TF)
    session.run("pytest", "tests/docs", "-o", "testpaths=", env=QUIET_TF)


def _nvidia_gpus() -> list[str]:
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return []
    try:
        result = subprocess.run(
            [smi, "-L"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [line for line in result.stdout.splitlines() if line.startswith("GPU ")]


def require_nvidia_gpu(session: nox.Session) -> None:
    """Refuse, before installing anything, where no NVIDIA GPU is visible."""
    gpus = _nvidia_gpus()
    if not gpus:
        session.error(
            "no NVIDIA GPU is visible (nvidia-smi is missing or lists no GPU): "
            f"`{session.name}` runs only on a machine with an NVIDIA GPU and driver"
        )
    session.log("GPUs: " + "; ".join(gpus))


@nox.session(name="docs-gpu", tags=["gpu"], default=False)
def docs_gpu(session: nox.Session) -> None:
    """Build the site on an NVIDIA GPU into docs/_build/html-gpu (every page executed afresh)."""
    require_nvidia_gpu(session)
    install(session, "docs", extra="gpu")
    env = {**QUIET_TF, "LSTM_STATES_REQUIRE_GPU": "1", "LSTM_STATES_NB_EXECUTION_MODE": "force"}
    session.run(
        "python",
        "-c",
        "import lstm_examples as le; print('TensorFlow sees:', le.require_gpu())",
        env=env,
    )
    build_site(session, BUILD / "html-gpu", env=env)


@nox.session(name="tests-gpu", tags=["gpu"], default=False)
def tests_gpu(session: nox.Session) -> None:
    """The `gpu` tests (cuDNN against the generic kernel) on an NVIDIA GPU; never skipped here."""
    require_nvidia_gpu(session)
    install(session, "test", extra="gpu")
    env = {**QUIET_TF, "LSTM_STATES_REQUIRE_GPU": "1"}
    session.run("pytest", "-m", "gpu", "-rs", "tests/gpu", *session.posargs, env=env)


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Live preview for authors: rebuild on save and reload the browser (sphinx-autobuild)."""
    install(session, "docs", "dev")
    session.run(
        "sphinx-autobuild",
        "-n",
        "--keep-going",
        "-b",
        "html",
        "docs",
        str(BUILD / "html"),
        "--ignore",
        str(BUILD),
        "--watch",
        "lstm_examples",
        *session.posargs,
        env=QUIET_TF,
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time the docs build against its floor (`nox -s bench -- --json bench.json`)."""
    install(session, "docs")
    session.run("python", "benchmarks/docs_build.py", *session.posargs, env=QUIET_TF)


@nox.session(default=False, venv_backend="uv")
def lock(session: nox.Session) -> None:
    """Regenerate constraints/cpu.txt and constraints/gpu.txt from pyproject.toml."""
    session.install("uv")
    for extra, path in CONSTRAINTS.items():
        groups = ["--group", "dev"] if extra == "cpu" else ["--group", "docs", "--group", "test"]
        session.run(
            "uv", "pip", "compile", "--universal", "--quiet", "--python-version", "3.11",
            "pyproject.toml", "--extra", extra, *groups, "-o", str(path),
            "--no-header", "--no-annotate",
        )  # fmt: skip


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run this file with nox: `python -m nox -l`")
