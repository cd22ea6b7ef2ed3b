"""Benchmark of the docs build against the stock way and its floor, measured in one run.

Run it with `nox -s bench -- --json bench.json` (the docs environment). It measures:

- ``code_s``: the code cells of every notebook page, run once, page after page, in
  one fresh Python process (one TensorFlow import in all), with IPython semantics;
- ``noexec_s``: a Sphinx build of the same pages with execution off;
- ``floor_s`` = ``code_s + noexec_s``: what the build cannot go below;
- ``cold_<name>_s``: the strict docs build (the ``docs`` session's sphinx-build) from an
  empty build folder and execution cache, the environment installed, for each entry of
  :data:`COLD_BUILDS`: the stock ways (``stock_serial``: MyST-NB's default, a plain kernel
  per page, one page at a time; ``stock_parallel``: the same with Sphinx's parallel read,
  ``-j auto``), and the site's build: warm kernels, read one page at a time
  (``site_serial``) and with ``-j auto`` as the Nox sessions build it (``site``);
- ``reader_site_s`` / ``reader_stock_s``: the reader session's checks (``tests/reader``)
  on that site, in warm kernels and in plain ``python3`` kernels;
- ``warm_s``: a second build with nothing changed (this and the edits below: the site's
  build, ``-j auto``);
- ``prose_edit_s`` / ``pages_executed_after_prose_edit``: after one sentence of
  prose changed on one page;
- ``edit_one_s`` / ``pages_executed_after_edit``: after one line of code changed in
  one cell of one page;
- ``peak_pss_mb_site``: the largest proportional set size (PSS, so memory that forked
  kernels share is counted once) of the site build's whole process tree;
- ``pages_differing_between_the_cold_builds``: every cold build must produce the same
  pages as the site's, numbers included;
- the ratios of :func:`ratios`: each cold build over the stock parallel build and over
  the floor, the reader checks over their stock way, a rebuild over a build without
  execution.

``floor_s`` runs the pages one after another: a build that executes them several at a
time on several cores can go below it (``cold_site_over_floor`` < 1).

Pages are edited in place and restored afterwards; builds go to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Self

import lstm_site
from lstm_site import EXECUTION_SWITCH, KERNEL_ENV, SPHINX_PARALLEL, SPHINX_STRICT

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# The kernels' environment, as the docs build sets it (TensorFlow quiet, plain CPU kernels).
KERNEL_TF = {**KERNEL_ENV, "KERAS_BACKEND": "tensorflow"}


def notebook_pages() -> list[Path]:
    return [DOCS / f"{name}.md" for name in lstm_site.notebook_pages(DOCS)]


def run_code_of_all_pages() -> None:
    """Child mode: execute every page's code cells in this one process."""
    from IPython.core.interactiveshell import InteractiveShell
    from myst_nb.core.read import read_myst_markdown_notebook

    shell = InteractiveShell.instance()
    for page in notebook_pages():
        notebook = read_myst_markdown_notebook(page.read_text(encoding="utf-8"))
        shell.reset(new_session=True)
        os.chdir(page.parent)
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            tags = cell.metadata.get("tags", [])
            result = shell.run_cell(cell.source, silent=True)
            if result.error_in_exec is not None and "raises-exception" not in tags:
                raise SystemExit(f"{page.name}: {result.error_in_exec!r}")


# --- measuring --------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    match = re.search(r"^Pss:\s+(\d+) kB", text, flags=re.MULTILINE)
    return int(match.group(1)) if match else 0


def timed(command: list[str], env: dict[str, str], *, sample_memory: bool = False) -> dict:
    """Run ``command``; return wall seconds, its output, and the peak PSS of its tree."""
    peak = 0
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.2):
            peak = max(peak, sum(_pss_kb(p) for p in _descendants(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_memory:
        sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    if sample_memory:
        sampler.join()
    if process.returncode != 0:
        sys.stderr.write(output[-4000:])
        raise SystemExit(f"command failed ({process.returncode}): {' '.join(command)}")
    return {
        "seconds": seconds,
        # pages MyST-NB executed while reading
        "executed": output.count("Executing notebook"),
        "peak_mb": peak / 1024,
    }


# The execution table on the build-information page holds run times and dates.
_EXEC_TABLE = re.compile(r'(<section id="execution-of-each-page">).*?(</section>)', re.DOTALL)


def differing_pages(first: Path, second: Path) -> list[str]:
    """Pages whose HTML differs between two builds (the execution table aside)."""
    differing = []
    for page in sorted(first.rglob("*.html")):
        other = second / page.relative_to(first)
        same = (
            other.exists()
            and len(
                {_EXEC_TABLE.sub(r"\1\2", p.read_text(encoding="utf-8")) for p in (page, other)}
            )
            == 1
        )
        if not same:
            differing.append(page.relative_to(first).as_posix())
    return differing


def add_prose(text: str) -> str:
    """A sentence more under the page's title: its prose changes, its code does not."""
    title = re.search(r"^# .*\n", text, flags=re.MULTILINE)
    if title is None:
        raise SystemExit("the page has no title to add a sentence under")
    return f"{text[: title.end()]}\nAn added sentence.\n{text[title.end() :]}"


def add_code_comment(text: str) -> str:
    """A comment more at the end of the page's first code cell: that cell's code changes."""
    cell = text.find("```{code-cell}")
    end = text.find("\n```\n", cell)
    if cell < 0 or end < 0:
        raise SystemExit("the page has no code cell to edit")
    return f"{text[:end]}\n# edited{text[end:]}"


class PageEdit:
    """Edit a page in place for one build; restore it afterwards."""

    def __init__(self, page: Path, edit: Callable[[str], str]) -> None:
        self.page, self.edit = page, edit
        self.original = page.read_text(encoding="utf-8")

    def __enter__(self) -> Self:
        self.page.write_text(self.edit(self.original), encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        self.page.write_text(self.original, encoding="utf-8")


#: The cold builds compared, each from an empty build folder and execution cache: its
#: ``LSTM_STATES_EXECUTION`` (the pieces of the site's execution machinery that are on)
#: and its extra sphinx-build options. ``stock_serial`` is MyST-NB's default and
#: ``stock_parallel`` the stock way a user would pick to go faster (Sphinx's parallel
#: read, which MyST-NB supports): plain kernels and none of the site's execution hooks.
COLD_BUILDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "stock_serial": ("stock", ()),
    "stock_parallel": ("stock", SPHINX_PARALLEL),
    "site_serial": ("site", ()),
    "site": ("site", SPHINX_PARALLEL),
}
#: The reader session's checks (tests/reader), with warm kernels and the stock way.
READER_RUNS: dict[str, str] = {"reader_stock": "stock", "reader_site": "site"}


class Figures(dict[str, float | int]):
    """The figures measured so far, each printed as it comes (a later failure keeps them)."""

    def __setitem__(self, key: str, value: float) -> None:
        print(f"{key}: {round(value, 3) if isinstance(value, float) else value}", flush=True)
        super().__setitem__(key, value)


def measure(reader_workers: str) -> dict[str, float | int]:
    """Run every build of the benchmark in a temporary folder; return the raw figures."""
    base_env = {**os.environ, **KERNEL_TF}
    base_env.pop(EXECUTION_SWITCH, None)
    work = Path(tempfile.mkdtemp(prefix="lstm-states-bench-"))
    results = Figures(pages=len(notebook_pages()))

    def sphinx(name: str, *extra: str, env: dict[str, str], memory: bool = False) -> dict:
        build = work / name
        env = {**env, "LSTM_STATES_BUILD_DIR": str(build)}
        command = [sys.executable, "-m", "sphinx", *SPHINX_STRICT, *extra, "-b", "html", "docs"]
        return timed([*command, str(build / "html")], env, sample_memory=memory)

    try:
        code = timed([sys.executable, __file__, "--run-code"], base_env)
        results["code_s"] = code["seconds"]
        noexec = timed(
            [sys.executable, "-m", "sphinx", "-q", "-T", "-D", "nb_execution_mode=off",
             "-b", "html", "docs", str(work / "noexec" / "html")],
            {**base_env, "LSTM_STATES_BUILD_DIR": str(work / "noexec")},
        )  # fmt: skip
        results["noexec_s"] = noexec["seconds"]
        results["floor_s"] = results["code_s"] + results["noexec_s"]

        for name, (pieces, options) in COLD_BUILDS.items():
            shutil.rmtree(work / name, ignore_errors=True)
            env = {**base_env, EXECUTION_SWITCH: pieces}
            cold = sphinx(name, *options, env=env, memory=name == "site")
            results[f"cold_{name}_s"] = cold["seconds"]
            results[f"pages_executed_{name}"] = cold["executed"]
            if name == "site":
                results["peak_pss_mb_site"] = round(cold["peak_mb"], 1)
        differing = sorted(
            {
                page
                for name in COLD_BUILDS
                if name != "site"
                for page in differing_pages(work / name / "html", work / "site" / "html")
            }
        )
        results["pages_differing_between_the_cold_builds"] = len(differing)
        if differing:
            print("pages that differ between the builds:", ", ".join(differing))

        for name, pieces in READER_RUNS.items():
            env = {
                **base_env,
                EXECUTION_SWITCH: pieces,
                "LSTM_STATES_SITE": str(work / "site" / "html"),
            }
            results[f"{name}_s"] = timed(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "reader",
                 "-n", reader_workers, "tests/reader",
                 # the docs environment is no reader's: that one check belongs to `reader`
                 "-k", "not this_environment_is_a_readers"],
                env,
            )["seconds"]  # fmt: skip

        warm = sphinx("site", *SPHINX_PARALLEL, env=base_env)
        results["warm_s"] = warm["seconds"]
        results["pages_executed_warm"] = warm["executed"]

        page = DOCS / "basics.md"
        with PageEdit(page, add_prose):
            prose = sphinx("site", *SPHINX_PARALLEL, env=base_env)
        results["prose_edit_s"] = prose["seconds"]
        results["pages_executed_after_prose_edit"] = prose["executed"]
        sphinx("site", *SPHINX_PARALLEL, env=base_env)  # back to the original prose

        with PageEdit(page, add_code_comment):
            edit = sphinx("site", *SPHINX_PARALLEL, env=base_env)
        results["edit_one_s"] = edit["seconds"]
        results["pages_executed_after_edit"] = edit["executed"]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    return results


def ratios(results: dict[str, float | int]) -> dict[str, float]:
    """The comparisons the README quotes, all from the one run in ``results``.

    >>> figures = {"floor_s": 50.0, "noexec_s": 20.0, "warm_s": 25.0, "reader_site_s": 40.0,
    ...            "reader_stock_s": 80.0, **{f"cold_{n}_s": 100.0 for n in COLD_BUILDS}}
    >>> figures["cold_site_s"] = 80.0
    >>> ratios(figures)["site_over_stock_parallel"], ratios(figures)["reader_site_over_stock"]
    (0.8, 0.5)
    """
    cold = {name: float(results[f"cold_{name}_s"]) for name in COLD_BUILDS}
    out = {f"{name}_over_stock_parallel": s / cold["stock_parallel"] for name, s in cold.items()}
    out |= {f"{name}_over_floor": s / float(results["floor_s"]) for name, s in cold.items()}
    out["reader_site_over_stock"] = float(results["reader_site_s"]) / float(
        results["reader_stock_s"]
    )
    out["warm_over_noexec"] = float(results["warm_s"]) / float(results["noexec_s"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument(
        "--reader-workers", default="1", help="pytest-xdist's -n for tests/reader, as `reader`"
    )
    parser.add_argument("--run-code", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_code:
        run_code_of_all_pages()
        return

    results = measure(args.reader_workers)
    results |= ratios(results)
    results = {k: round(v, 3) if isinstance(v, float) else v for k, v in results.items()}
    width = max(map(len, results))
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        print(f"written to {args.json}")


if __name__ == "__main__":
    main()
