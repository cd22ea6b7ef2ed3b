"""Sessions for the lstm-states site: docs, lint, tests, reader, site tests, GPU build, preview.

`nox` alone runs the strict docs build with its checks, lint, tests (with the doctests),
the reader's checks and the site's checks in Chromium (what CI runs), one session per
CPU core at a time: `reader` and `site-tests` need the site that `docs` builds, so they
start after it (`requires=`) while `lint` and `tests` run beside it.
`nox -t gpu` runs the GPU-tagged sessions; `nox -s serve` previews the site.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nox

nox.needs_version = ">=2026.8.10"  # the first nox with parallel sessions
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
# Sessions run side by side, one per CPU core (`-j 1` for one at a time), in the order
# their `requires=` allow; each session's output is printed in one block when it ends.
# Measured on 2 cores: from a fresh clone (installs included) this took 302 s against
# 362 s one session at a time, since installs and the docs build's idle moments overlap
# with other sessions. With every environment already installed, one at a time is the
# faster (268.6 s against 315.1 s, benchmarks/test_command.py): a contributor rerunning
# the tests may prefer `-j 1`.
nox.options.parallel = "auto"
nox.options.allow_parallel = True  # all but `bench`, whose timings need the machine alone
# Inside a session, pytest-xdist runs TEST_WORKERS test processes (below), and the docs
# build reads and executes one page per core at once (Sphinx's `-j auto`).

DIR = Path(__file__).parent.resolve()
# The docs tooling's shared settings (its package imports nothing but the standard library).
sys.path.insert(0, str(DIR / "docs" / "_ext"))
from lstm_site import SPHINX_PARALLEL, SPHINX_STRICT, TENSORFLOW_QUIET

PYPROJECT = nox.project.load_toml(DIR / "pyproject.toml")
DOCS = DIR / "docs"
BUILD = DOCS / "_build"

# --- how long each session took, printed when nox ends ----------------------------
# nox's own summary rounds to minutes; under `--parallel` each session runs in a nox
# subprocess, so each writes its time to a file and the main process prints them all.
SECONDS_DIR = DIR / ".nox" / ".session-seconds"
STARTED = time.time()
#: The main nox process's pid, which its parallel workers (its children) inherit.
MAIN_PID_VAR = "LSTM_STATES_NOX_MAIN_PID"


def _is_parallel_worker(argv: list[str], environ: dict[str, str], parent_pid: int) -> bool:
    """Whether this nox process is a worker that the main nox process started.

    nox 2026.10.20 passes its workers `--parallel-worker`; 2026.8.x passes nothing
    that tells them apart, so the main process leaves its pid in the environment too.
    """
    options = argv[: argv.index("--")] if "--" in argv else argv  # not the posargs
    return "--parallel-worker" in options or environ.get(MAIN_PID_VAR) == str(parent_pid)


PARALLEL_WORKER = _is_parallel_worker(sys.argv, dict(os.environ), os.getppid())
if not PARALLEL_WORKER:
    os.environ[MAIN_PID_VAR] = str(os.getpid())


def session(**options: object) -> Callable[[Callable[[nox.Session], None]], object]:
    """`nox.session(**options)`, also recording how long the session took."""

    def register(func: Callable[[nox.Session], None]) -> object:
        @functools.wraps(func)
        def timed(session: nox.Session) -> None:
            start = time.monotonic()
            try:
                func(session)
            finally:
                SECONDS_DIR.mkdir(parents=True, exist_ok=True)
                seconds = time.monotonic() - start
                (SECONDS_DIR / f"{session.name}.txt").write_text(f"{seconds:.1f}\n")

        return nox.session(**options)(timed)

    return register


@atexit.register
def _print_session_seconds() -> None:
    if PARALLEL_WORKER:  # the main process prints for all
        return
    ran = sorted(
        (path.stem, float(path.read_text()))
        for path in SECONDS_DIR.glob("*.txt")
        if path.stat().st_mtime >= STARTED
    )
    if ran:
        print("seconds per session (installs included, virtualenv creation not):")
        for name, seconds in ran:
            print(f"  {name:<14} {seconds:6.0f} s")
        print(f"  {'(wall clock)':<14} {time.time() - STARTED:6.0f} s")


# Versions are bounded in pyproject.toml and pinned here, so that a build in a
# year resolves to the same packages (regenerate with `nox -s lock`).
CONSTRAINTS = {"cpu": DIR / "constraints" / "cpu.txt", "gpu": DIR / "constraints" / "gpu.txt"}

# TensorFlow's C++ start-up logging off, and its plain CPU kernels (oneDNN's
# fused kernels change results in the last bits depending on the CPU). And Python
# may cache compiled modules in the session's environment even where the shell sets
# PYTHONDONTWRITEBYTECODE: every test worker, kernel and build imports TensorFlow,
# which takes 4.5 s from bytecode and 14 s from source on the 2-core machine.
SESSION_ENV: dict[str, str | None] = {
    **TENSORFLOW_QUIET,
    "KERAS_BACKEND": "tensorflow",
    "PYTHONDONTWRITEBYTECODE": None,
}


# --- parallelism ------------------------------------------------------------------
#: pytest-xdist's `-n` in the test sessions: `auto`, one test process per core;
#: LSTM_STATES_TEST_WORKERS overrides it. benchmarks/test_command.py compares this
#: scheme (sessions side by side, workers side by side) with each level alone.
TEST_WORKERS = os.environ.get("LSTM_STATES_TEST_WORKERS", "auto")
# A worker that runs out of tests takes some of the other's: a few tests (fixture-site
# builds, kernels) take seconds each, and xdist's default hands them out in fixed shares.
# Measured on 2 cores, alternating: the docs session's checks took 61.4 s and 51.4 s
# with fixed shares, 53.0 s and 38.1 s with stealing (idle core-s 36, 29 against 20, 16).
XDIST = ("-n", TEST_WORKERS, "--dist", "worksteal")


# Printed by the sessions that pick other versions than the pinned ones.
VERSIONS = "import keras, tensorflow as tf; print('Keras', keras.__version__, 'TensorFlow', tf.__version__)"
BACKEND_VERSIONS = (
    "import os; from lstm_site.build_info import backend_version as v; "
    "b = os.environ['KERAS_BACKEND']; print('Keras', v('keras'), 'on', b, v(b))"
)


# The site's build tooling (its Sphinx extension and warm kernels), installed with the
# docs group only: the teaching package registers nothing.
SITE_TOOLING = ["-e", "docs/_ext"]


def install(session: nox.Session, *groups: str, extra: str = "cpu") -> None:
    """Install the package (editable, with a TensorFlow extra) and dependency groups."""
    session.install(
        "-c",
        str(CONSTRAINTS[extra]),
        "-e",
        f".[{extra}]",
        *(SITE_TOOLING if "docs" in groups else []),
        *nox.project.dependency_groups(PYPROJECT, *groups),
    )


def build_site(
    session: nox.Session,
    outdir: Path,
    *,
    env: dict[str, str | None],
    args: list[str] | None = None,
) -> None:
    extra = session.posargs if args is None else args
    session.run(
        "sphinx-build", *SPHINX_STRICT, *SPHINX_PARALLEL, "-b", "html", "docs", str(outdir), *extra,
        env=env,
    )  # fmt: skip


@session()
def docs(session: nox.Session) -> None:
    """Build the site into docs/_build/html, strictly, then check the built pages.

    Pages are executed in Jupyter kernels at build time; a failing cell, a warning
    or stderr output in any page fails the build. Extra arguments go to sphinx-build
    (e.g. `nox -s docs -- -E` to re-read every page).
    """
    install(session, "docs", "test")
    build_site(session, BUILD / "html", env=SESSION_ENV)
    session.run("pytest", "-m", "docs", *XDIST, "tests/docs", "docs/_ext", env=SESSION_ENV)


@session()
def lint(session: nox.Session) -> None:
    """Ruff (lint and format) on all the Python; mypy --strict on lstm_examples."""
    session.install("-c", str(CONSTRAINTS["cpu"]), "ruff", "mypy", "matplotlib", "-e", ".")
    targets = [
        "lstm_examples",
        "tests",
        "benchmarks",
        "noxfile.py",
        "docs/conf.py",
        "docs/_ext",
        "conftest.py",
    ]
    session.run("ruff", "check", *targets)
    session.run("ruff", "format", "--check", *targets)
    session.run("mypy")  # [tool.mypy] in pyproject.toml: strict, on lstm_examples


@session()
def tests(session: nox.Session) -> None:
    """Unit tests and doctests of lstm_examples, and the README's example (`pytest` alone).

    The folders that need more (a built site, Chromium, a GPU, PyTorch) are reported as
    skipped with what they need; their own sessions select them by marker.
    """
    install(session, "test")
    session.run("pytest", *XDIST, *session.posargs, env=SESSION_ENV)


@session(requires=["docs"])
def reader(session: nox.Session) -> None:
    """The site's code as a reader takes it away, in an environment without lstm_examples.

    Installs only what a reader has after `pip install tensorflow` (the `reader`
    dependency group: TensorFlow CPU, NumPy, Matplotlib, pandas, a Jupyter kernel), never
    this package or MyST-NB. Then, on the site the `docs` session builds (it runs first;
    `--no-dependencies` to use the site already built): each page's
    download is the code the page shows, and runs top to bottom in a fresh kernel (forked
    from a process that imported Keras: lstm_site.warm_kernel, installed without its
    dependencies); the home page also runs in a plain `python3` kernel, to the same outputs.
    """
    session.install(
        "-c", str(CONSTRAINTS["cpu"]), *nox.project.dependency_groups(PYPROJECT, "reader")
    )
    # the warm kernels only (their module needs nothing the reader group lacks)
    session.install("--no-deps", *SITE_TOOLING)
    session.run("pytest", "-m", "reader", *XDIST, "tests/reader", *session.posargs, env=SESSION_ENV)


@session(default=False, venv_backend="uv")
def lowest(session: nox.Session) -> None:
    """Unit tests, doctests and the strict docs build on the lowest versions allowed.

    uv's `lowest-direct` resolution puts every direct dependency at the lower bound
    in pyproject.toml (Keras 3.10, TensorFlow 2.16, NumPy 1.26, Sphinx 8.1, ...), so
    that every claim the pages assert holds on every version the project allows. CI
    runs it after the README's test command. The site goes to docs/_build/lowest/html.
    """
    session.install(
        "--resolution=lowest-direct",
        "-e",
        ".[cpu]",
        *SITE_TOOLING,
        *nox.project.dependency_groups(PYPROJECT, "docs", "test"),
    )
    session.run("python", "-c", VERSIONS, env=SESSION_ENV)
    session.run("pytest", "-q", *session.posargs, env=SESSION_ENV)
    out = BUILD / "lowest"
    env = {**SESSION_ENV, "LSTM_STATES_BUILD_DIR": str(out), "LSTM_STATES_SITE": str(out / "html")}
    build_site(session, out / "html", env=env, args=[])
    session.run("pytest", "-m", "docs", "-q", "tests/docs/test_built_site.py", env=env)


@session(default=False)
def nightly(session: nox.Session) -> None:
    """The site built against keras-nightly: which assertions no longer hold, page by page.

    Every cell of every page runs (a failing cell does not stop its page); then
    lstm_site.assertion_report lists each cell that raised, with its page and error,
    and fails if there is one. Warnings are reported, not fatal. Not run by default
    (`nox -s nightly`); the site goes to docs/_build/nightly/html.
    """
    install(session, "docs", "test")
    # keras-nightly replaces keras's files: remove keras with the environment's installer
    # (uv makes environments without pip; without uv, nox falls back to virtualenv)
    if session.venv_backend == "uv":
        session.run("uv", "pip", "uninstall", "keras", external=True, silent=True)
    else:
        session.run("python", "-m", "pip", "uninstall", "--yes", "keras", silent=True)
    session.install("--pre", "--upgrade", "keras-nightly")
    session.run("python", "-c", VERSIONS, env=SESSION_ENV)
    out = BUILD / "nightly"
    shutil.rmtree(out, ignore_errors=True)  # every page runs afresh on this nightly
    env = {**SESSION_ENV, "LSTM_STATES_BUILD_DIR": str(out), "LSTM_STATES_NB_ALLOW_ERRORS": "1"}
    session.run(
        "sphinx-build",
        "--keep-going",
        "-T",
        *SPHINX_PARALLEL,
        "-b",
        "html",
        "docs",
        str(out / "html"),
        env=env,
    )
    session.run("python", "-m", "lstm_site.assertion_report", str(out))


#: Keras's backends other than TensorFlow, on which `backends` runs every page.
OTHER_BACKENDS = ("jax", "torch")
# pytest, in a process where `import tensorflow` fails.
WITHOUT_TENSORFLOW = (
    "import sys; sys.modules['tensorflow'] = None; import pytest; "
    "sys.exit(pytest.main(sys.argv[1:]))"
)
# Into docs/reference/backends.json, which the build information page shows.
MERGE_RESULTS = (
    "import json, sys; from lstm_site.build_info import BACKEND_RESULTS, merge_backend_results; "
    "merge_backend_results(BACKEND_RESULTS, json.load(open(sys.argv[1]))); "
    "print('results written to', BACKEND_RESULTS, '(commit them)')"
)


@session(default=False)
def backends(session: nox.Session) -> None:
    """Every page, every cell, on Keras's JAX and PyTorch backends (CPU): what fails, page by page.

    The site is built on TensorFlow; a page that states what Keras does must hold on the
    other backends too, or say where it differs. For each backend (`nox -s backends --
    jax` for one), every page is executed with KERAS_BACKEND set (a failing cell does not
    stop its page) into docs/_build/backends/BACKEND; then lstm_site.assertion_report lists
    each cell that raised or wrote to stderr, and the page-by-page results go into
    docs/reference/backends.json, which the build information page shows (commit it).
    Fails if any cell failed. The environment has
    TensorFlow too (some pages' subject is TensorFlow), with JAX's CPU build and PyPI's
    torch (its CUDA build, which runs on a CPU).
    """
    install(session, "docs", "test", "backends")
    chosen = session.posargs or list(OTHER_BACKENDS)
    unknown = sorted(set(chosen) - set(OTHER_BACKENDS))
    if unknown:
        session.error(f"unknown backend(s) {unknown}: choose from {list(OTHER_BACKENDS)}")
    failed = []
    for backend in chosen:
        out = BUILD / "backends" / backend
        env = {
            **SESSION_ENV,
            "KERAS_BACKEND": backend,
            "LSTM_STATES_BUILD_DIR": str(out),
            "LSTM_STATES_NB_ALLOW_ERRORS": "1",
        }
        session.run("python", "-c", BACKEND_VERSIONS, env=env)
        shutil.rmtree(out, ignore_errors=True)  # every page runs afresh: none from a cache
        # the dummy builder reads (so executes) every page and writes no HTML
        # PyTorch's eager training loop is slower than TensorFlow's graphs on a CPU: the
        # seq2seq page's 20 epochs take minutes there, beyond the build's 120 s a cell.
        session.run(
            "sphinx-build", "-q", "-T", *SPHINX_PARALLEL, "-D", "nb_execution_timeout=900", "-b", "dummy",
            "docs", str(out / "dummy"), env=env,
        )  # fmt: skip
        report = out.with_suffix(".json")
        session.run(
            "python", "-m", "lstm_site.assertion_report", str(out),
            "--json", str(report), "--stderr", env=env, success_codes=[0, 1],
        )  # fmt: skip
        # the build information page shows the last run's results, page by page
        session.run("python", "-c", MERGE_RESULTS, str(report), env=env)
        if any(json.loads(report.read_text(encoding="utf-8"))["pages"].values()):
            failed.append(backend)
        # The GPU tests must run where JAX or PyTorch has CUDA and TensorFlow is absent:
        # they are collected (so imported) here with TensorFlow made unimportable.
        session.run("python", "-c", WITHOUT_TENSORFLOW, "-m", "gpu", "--collect-only", "-q",
                    "tests/gpu", env=env)  # fmt: skip
    if failed:
        session.error(f"cells fail on {', '.join(failed)}: see the reports above")


# Debian's Chromium, launched by path: the test tool never downloads a browser.
CHROMIUM = Path("/usr/bin/chromium")


def _ensure_installed(session: nox.Session, path: Path, packages: list[str], hint: str) -> None:
    """Install Debian's ``packages`` (as root, with apt-get) when ``path`` is missing."""
    if path.exists():
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        session.error(
            f"{path} is missing and this session can install it only as root with apt-get "
            f"(Debian or Ubuntu). Install it yourself (`sudo apt-get install {' '.join(packages)}`)"
            f"{hint}."
        )
    session.log(f"{path} is missing: installing Debian's {', '.join(packages)}")
    apt_env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", external=True, env=apt_env)
    session.run("apt-get", "install", "-y", *packages, external=True, env=apt_env)
    if not path.exists():
        session.error(f"apt-get installed {' '.join(packages)}, but {path} is still missing")


def _ensure_chromium(session: nox.Session) -> Path:
    """Return Chromium's path, installing Debian's `chromium` package when it is missing."""
    override = os.environ.get("LSTM_STATES_CHROMIUM")
    if override:
        if not Path(override).exists():
            session.error(f"LSTM_STATES_CHROMIUM={override} does not exist")
        return Path(override)
    _ensure_installed(
        session, CHROMIUM, ["chromium"], " or set LSTM_STATES_CHROMIUM to a Chromium binary"
    )
    return CHROMIUM


@session(name="site-tests", requires=["docs"])
def site_tests(session: nox.Session) -> None:
    """The built site as a reader meets it, in Chromium over HTTP on 127.0.0.1.

    On the site the `docs` session builds (it runs first; `--no-dependencies` to test
    the site already built): every page loads with no console error, no failed request
    and no request leaving 127.0.0.1; axe-core finds no serious or critical violation;
    every code cell's copy button copies exactly its code; no broken internal link or
    anchor; search works; the hosting configurations agree with this file. Screenshots
    and figures go to docs/_build/site-report. Extra arguments go to pytest (e.g.
    `-- -k axe`).
    """
    chromium = _ensure_chromium(session)
    install(session, "docs", "test", "site")
    env = {**SESSION_ENV, "LSTM_STATES_CHROMIUM": str(chromium)}
    # each test worker with its own Chromium and server
    session.run(
        "pytest", "-m", "site", *XDIST, "tests/site", "--durations=5", *session.posargs, env=env
    )


# Lighthouse from npm, pinned exactly in package-lock.json; `npm ci` installs it beside it.
LIGHTHOUSE = DIR / "tests" / "lighthouse"


@session(requires=["docs"], default=False, venv_backend="none")
def lighthouse(session: nox.Session) -> None:
    """Lighthouse (mobile) on every page of the built site, against the site's thresholds.

    On the site the `docs` session builds (it runs first; `--no-dependencies` to use the
    site already built), served on 127.0.0.1 with gzip as GitHub Pages serves it, one page
    at a time: performance at least 95, LCP at most 2.5 s, TBT at most 200 ms,
    accessibility, best practices and SEO 100, the home page at most 600 KB transferred.
    Below them it prints, page by page, the audits that cost the points. Needs Node.js 20
    or later and npm, and Chromium: where they are missing, installs Debian's packages as
    `site-tests` installs Chromium. The summary and each page's
    report go to docs/_build/lighthouse. Extra arguments go to tests/lighthouse/check.py
    (e.g. `-- --pages index.html basics.html`).
    """
    chromium = _ensure_chromium(session)
    if shutil.which("npm") is None:  # Lighthouse 12.2.3 runs on Node.js 20 (Debian 13's)
        _ensure_installed(session, Path("/usr/bin/npm"), ["nodejs", "npm"], "")
    # `npm ci` again only when the lock file changed
    lock = (LIGHTHOUSE / "package-lock.json").read_bytes()
    stamp = LIGHTHOUSE / "node_modules" / ".lstm-states-lock"
    if not stamp.exists() or stamp.read_bytes() != lock:
        session.run("npm", "ci", "--no-audit", "--no-fund", "--prefix", str(LIGHTHOUSE))
        stamp.write_bytes(lock)
    env = {"CHROME_PATH": str(chromium)}
    session.run(sys.executable, str(LIGHTHOUSE / "check.py"), *session.posargs, env=env)


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


@session(name="docs-gpu", tags=["gpu"], default=False)
def docs_gpu(session: nox.Session) -> None:
    """Build the site on an NVIDIA GPU into docs/_build/html-gpu (every page executed afresh)."""
    require_nvidia_gpu(session)
    install(session, "docs", extra="gpu")
    env = {
        **SESSION_ENV,
        "LSTM_STATES_REQUIRE_GPU": "1",
        "LSTM_STATES_NB_EXECUTION_MODE": "force",
        # Full float32 matrix products: the pages assert float32 equalities, which
        # TF32 (on by default for float32 on Ampere and newer GPUs) would break.
        "NVIDIA_TF32_OVERRIDE": "0",
    }
    session.run(
        "python",
        "-c",
        "from lstm_site.build_info import require_gpu; print('TensorFlow sees:', require_gpu())",
        env=env,
    )
    build_site(session, BUILD / "html-gpu", env=env)


@session(name="tests-gpu", tags=["gpu"], default=False)
def tests_gpu(session: nox.Session) -> None:
    """The `gpu` tests (cuDNN against the generic kernel) on an NVIDIA GPU; never skipped here.

    On TensorFlow's CUDA build by default; `KERAS_BACKEND=jax` or `=torch` installs that
    backend's CUDA build instead, and no TensorFlow. Where nothing can be installed (a
    machine without network that has JAX or PyTorch with CUDA), run the tests with that
    Python directly: `KERAS_BACKEND=jax PYTHONPATH=. python -m pytest -m gpu tests/gpu`
    (they need Keras, NumPy, lazy-loader and pytest; the `backends` session checks that
    they import without TensorFlow).
    """
    require_nvidia_gpu(session)
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    if backend == "tensorflow":
        install(session, "test", extra="gpu")
    elif backend in GPU_BUILDS:
        session.install(
            "-c", str(CONSTRAINTS["cpu"]), "-e", ".", GPU_BUILDS[backend],
            *nox.project.dependency_groups(PYPROJECT, "test"),
        )  # fmt: skip
    else:
        session.error(f"KERAS_BACKEND={backend!r}: choose tensorflow, jax or torch")
    env = {**SESSION_ENV, "KERAS_BACKEND": backend}
    session.run("pytest", "-m", "gpu", "tests/gpu", *session.posargs, env=env)


#: The CUDA builds of Keras's other backends, for `tests-gpu` (PyPI's torch is one).
GPU_BUILDS = {"jax": "jax[cuda13]", "torch": "torch"}


@session(default=False)
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
        env=SESSION_ENV,
    )


@session(name="torch-parity", default=False, venv_backend="virtualenv")
def torch_parity(session: nox.Session) -> None:
    """Keras and PyTorch agree: nn.LSTM, nn.GRU and the torch backend, on converted weights.

    Installs PyTorch with pip; not run by default (`nox -s torch-parity`). On Linux, PyPI's
    torch is the CUDA build (gigabytes): set PIP_INDEX_URL=https://download.pytorch.org/whl/cpu
    (with PIP_EXTRA_INDEX_URL=https://pypi.org/simple) for the CPU build.
    """
    install(session, "test")
    session.install("torch>=2.4")
    session.run("pytest", "-m", "torch", "tests/torch", *session.posargs, env=SESSION_ENV)


@session(default=False, allow_parallel=False)
def bench(session: nox.Session) -> None:
    """Time the docs build and the reader checks against the stock way and the floor.

    `nox -s bench -- --json bench.json`; about 15 minutes on 2 cores.
    """
    install(session, "docs", "test")
    session.run(
        "python", "benchmarks/docs_build.py", "--reader-workers", TEST_WORKERS, *session.posargs,
        env=SESSION_ENV,
    )  # fmt: skip


@session(default=False, venv_backend="uv")
def lock(session: nox.Session) -> None:
    """Regenerate constraints/cpu.txt and constraints/gpu.txt from pyproject.toml."""
    session.install("uv")
    for extra, path in CONSTRAINTS.items():
        groups = (
            ["--group", "dev", "--group", "backends"]
            if extra == "cpu"
            else ["--group", "docs", "--group", "test"]
        )
        session.run(
            "uv", "pip", "compile", "--universal", "--quiet", "--python-version", "3.11",
            "pyproject.toml", "--extra", extra, *groups, "-o", str(path),
            "--no-header", "--no-annotate",
        )  # fmt: skip


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run this file with nox: `python -m nox -l`")
