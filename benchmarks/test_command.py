"""The README's test command under each parallelism scheme, measured in one run.

Run it from the repository root after the test command has run once (so that every
session's environment exists): ``python3 benchmarks/test_command.py``. For each scheme in
:data:`SCHEMES` it runs ``python3 -m nox -R`` (the default sessions, environments reused,
nothing installed) from an empty ``docs/_build`` (so every page executes), and prints the
wall-clock seconds, each session's seconds, and each scheme's ratio to the fastest.
``docs/_build`` is moved aside (into ``.nox``) for the runs and put back afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
SAVED = ROOT / ".nox" / "docs-build-saved-by-bench"

#: Each scheme: nox's ``-j`` (sessions at once) and pytest-xdist's ``-n`` in each session
#: (``LSTM_STATES_TEST_WORKERS``). The docs build executes up to one page per core in
#: every scheme. ``stacked``: sessions side by side and test workers side by side;
#: ``sessions``: sessions side by side, one test process each; ``workers``: one session
#: at a time, one test worker per core.
SCHEMES: dict[str, tuple[str, str]] = {
    "stacked": ("auto", "auto"),
    "sessions": ("auto", "1"),
    "workers": ("1", "auto"),
}

_SESSION_LINE = re.compile(r"^\s+([\w-]+)\s+(\d+) s$", re.MULTILINE)


def session_seconds(output: str) -> dict[str, int]:
    """The per-session seconds the noxfile prints when nox ends.

    >>> session_seconds("seconds per session (installs included):\\n  docs  151 s\\n"
    ...                 "  site-tests     229 s\\n  (wall clock)   301 s\\n")
    {'docs': 151, 'site-tests': 229}
    """
    return {name: int(seconds) for name, seconds in _SESSION_LINE.findall(output)}


def run_scheme(sessions_at_once: str, test_workers: str) -> dict[str, object]:
    """One run of the default sessions from an empty build folder: its figures."""
    shutil.rmtree(BUILD, ignore_errors=True)
    env = {**os.environ, "LSTM_STATES_TEST_WORKERS": test_workers}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "nox", "-R", "-j", sessions_at_once],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    output = result.stdout + result.stderr
    if result.returncode != 0:
        sys.stderr.write(output[-6000:])
        raise SystemExit(f"nox failed under -j {sessions_at_once}, -n {test_workers}")
    return {"seconds": round(seconds, 1), "sessions": session_seconds(output)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemes", nargs="+", choices=list(SCHEMES), default=list(SCHEMES))
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    # outside docs/: Sphinx would read the notebooks of a saved build beside docs/_build
    # (its .jupyter_cache) as pages of the site, since only `_build` itself is excluded
    saved = SAVED
    saved.parent.mkdir(parents=True, exist_ok=True)
    if BUILD.exists():
        shutil.rmtree(saved, ignore_errors=True)
        BUILD.rename(saved)
    results: dict[str, dict[str, object]] = {}
    try:
        for name in args.schemes:
            results[name] = run_scheme(*SCHEMES[name])
            print(f"{name}: {json.dumps(results[name])}", flush=True)
    finally:
        if saved.exists():
            shutil.rmtree(BUILD, ignore_errors=True)
            saved.rename(BUILD)
    fastest = min(results, key=lambda name: float(results[name]["seconds"]))  # type: ignore[arg-type]
    for name, figures in results.items():
        ratio = float(figures["seconds"]) / float(results[fastest]["seconds"])  # type: ignore[arg-type]
        print(f"{name:<10} {figures['seconds']:>7} s  {ratio:.2f} x {fastest}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
