"""The site's build settings fail the build on a failing cell, and name the page.

Checked on a fixture site of two tiny pages built with the site's own ``conf.py`` (its
strict options, MyST-NB settings and extension), in seconds, rather than by rebuilding
the whole site: what is tested is the configuration, not the pages.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from lstm_site import EXECUTION_SWITCH, SPHINX_PARALLEL, SPHINX_STRICT

from .conftest import DOCS

FRONT = "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n"

CONF = f"""
import runpy
_site = runpy.run_path({str(DOCS / "conf.py")!r})
globals().update({{k: v for k, v in _site.items() if not k.startswith("__")}})
html_static_path = [{str(DOCS / "_static")!r}]
html_favicon = {str(DOCS / "_static" / "favicon.svg")!r}
"""


def page(title: str, *cells: str, tags: str = "") -> str:
    body = "".join(f"```{{code-cell}} ipython3\n{tags}{cell}\n```\n\n" for cell in cells)
    return f"{FRONT}\n# {title}\n\n{body}"


def site(folder: Path, pages: dict[str, str]) -> Path:
    docs = folder / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text(CONF, encoding="utf-8")
    toctree = "\n".join(name for name in pages if name != "index")
    (docs / "index.md").write_text(
        pages.get("index", "# Fixture\n\n") + f"\n```{{toctree}}\n{toctree}\n```\n",
        encoding="utf-8",
    )
    for name, text in pages.items():
        if name != "index":
            (docs / f"{name}.md").write_text(text, encoding="utf-8")
    return docs


def build(
    docs: Path,
    *options: str,
    strict: bool = True,
    execution: str = "stock",  # no warm kernels: these pages import nothing heavy
) -> tuple[int, str]:
    env = {
        **os.environ,
        "LSTM_STATES_BUILD_DIR": str(docs.parent / "_build"),
        EXECUTION_SWITCH: execution,
        "LSTM_STATES_NB_EXECUTION_MODE": "cache",
    }
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *(SPHINX_STRICT if strict else ["-T"]), *options,
         "-b", "html", str(docs),
         *SPHINX_PARALLEL,  # as the site is built: pages read and executed side by side
         str(docs.parent / "_build" / "html")],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


GOOD = page("Good", "x = 1\nx + 1")


def test_the_fixture_site_builds_and_shows_a_deliberate_error_briefly(tmp_path):
    """The control: with nothing wrong, the same settings build the fixture site; a cell
    tagged `raises-exception` may raise, and shows the exception's type and message."""
    shown = page("Err", 'raise ValueError("shown")', tags=":tags: [raises-exception]\n\n")
    docs = site(tmp_path, {"good": GOOD, "err": shown})
    code, output = build(docs)
    assert code == 0, output[-3000:]
    assert output.count("Executing notebook") == 2, output  # each page, as it is read
    code, again = build(docs)
    assert code == 0, again[-3000:]
    assert "Executing notebook" not in again  # nothing changed: the cache has both
    html = (tmp_path / "_build" / "html" / "err.html").read_text(encoding="utf-8")
    assert "ValueError: shown" in html
    assert "Traceback" not in html  # the type and message, not the frames


def test_a_failing_cell_stops_the_build_and_names_its_page(tmp_path):
    docs = site(tmp_path, {"good": GOOD, "bad": page("Bad", 'raise RuntimeError("injected")')})
    code, output = build(docs)
    assert code != 0, output[-3000:]
    assert "injected" in output
    assert f"{docs / 'bad.md'}" in output
    assert 'raise RuntimeError("injected")' in output  # the failing cell's code is shown


def test_every_failing_page_is_named(tmp_path):
    """With errors not raised at once, each failing page is reported, and the build fails."""
    pages = {name: page(name, f'raise RuntimeError("injected in {name}")') for name in "ab"}
    docs = site(tmp_path, {"good": GOOD, **pages})
    code, output = build(docs, "-D", "nb_execution_raise_on_error=0")
    assert code != 0, output[-3000:]
    for name in pages:
        assert f"injected in {name}" in output
        assert f"{docs / name}.md: WARNING: Executing notebook failed" in output


def test_stderr_in_a_cell_fails_the_build(tmp_path):
    noisy = page("Noisy", 'import sys\nprint("noise", file=sys.stderr)')
    code, output = build(site(tmp_path, {"noisy": noisy}))
    assert code != 0, output[-3000:]
    assert "stderr was found in the cell outputs" in output


GLUED = (
    f"{FRONT}\n# Glued\n\n```{{code-cell}} ipython3\n:tags: [remove-cell]\n\n"
    "from myst_nb import glue\nglue('n', 3, display=False)\n```\n\nThere are {glue:text}`n`.\n"
)


def test_the_downloads_carry_the_glued_numbers_and_execution_off_offers_none(tmp_path):
    """A download needs the executed page's glued numbers; with execution off (the bench's
    floor build) the build still succeeds and offers no notebook download."""
    docs = site(tmp_path, {"glued": GLUED})
    code, output = build(docs)
    assert code == 0, output[-3000:]
    download = tmp_path / "_build" / "html" / "_sources" / "glued.ipynb"
    assert "There are 3." in download.read_text(encoding="utf-8")
    download.unlink()
    code, output = build(docs, "-E", "-D", "nb_execution_mode=off", strict=False)
    assert code == 0, output[-3000:]
    assert not download.exists()


def test_the_execution_switch_turns_the_warm_kernels_off_without_a_page_change(tmp_path):
    """`site`: each page runs in a kernel forked from a process that imported Keras;
    `stock`: in a plain kernel; an unknown piece stops the build and names it."""
    probe = page("Probe", 'import sys\nprint("keras imported:", "keras" in sys.modules)')
    docs = site(tmp_path, {"probe": probe})
    printed = {}
    for execution in ("stock", "site"):
        code, output = build(docs, execution=execution)
        assert code == 0, output[-3000:]
        html = (tmp_path / "_build" / "html" / "probe.html").read_text(encoding="utf-8")
        printed[execution] = "keras imported: True" in html
        (tmp_path / "_build").rename(tmp_path / f"_build-{execution}")
    assert printed == {"stock": False, "site": True}

    code, output = build(docs, execution="warm")
    assert code != 0
    assert "LSTM_STATES_EXECUTION='warm': expected 'site', 'stock'" in output


def test_the_execution_cache_exists_before_the_parallel_read(tmp_path):
    """Reading processes that find no cache database each create its tables, and all but
    the first fail: the configuration creates it, in the one main process."""
    env = {**os.environ, "LSTM_STATES_BUILD_DIR": str(tmp_path)}
    conf = str(DOCS / "conf.py")
    subprocess.run(
        [sys.executable, "-c", f"import runpy; runpy.run_path({conf!r})"],
        env=env, cwd=DOCS, check=True, timeout=300,
    )  # fmt: skip
    with sqlite3.connect(tmp_path / ".jupyter_cache" / "global.db") as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert {"settings", "nbcache", "nbproject"} <= tables
