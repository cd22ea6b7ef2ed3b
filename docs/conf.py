"""Sphinx configuration for the lstm-states site.

Every page is a MyST-NB notebook executed at build time. The build is strict:
an exception in a cell, any warning, or anything written to stderr by a cell
fails it (``nb_output_stderr = "remove-warn"`` turns stderr into a warning and
the Nox session runs Sphinx with ``-W``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# --- the environment every notebook kernel inherits ------------------------
# The site's build tooling (docs/_ext, installed with the docs environment): its
# extension, warm kernels, kernel environment and startup file.
from lstm_site import (
    KERNEL_ENV,
    execution_pieces,
    ipython_dir_with_startup,
    is_notebook_page,
    repository_url,
)
from lstm_site.web import base_url

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.update(KERNEL_ENV)
os.environ.setdefault("LSTM_STATES_REQUIRE_GPU", "0")


def _check_kernels_import_this_tree() -> None:
    """The pages' kernels run this Python: it must import lstm_examples from this tree.

    A stale install elsewhere would make the site check an old package; checked once
    per build here rather than in every page (a reader's download has no such cell).
    """
    with tempfile.TemporaryDirectory() as elsewhere:  # not the repository: the install counts
        found = subprocess.run(
            [sys.executable, "-c", "import lstm_examples; print(lstm_examples.__file__)"],
            cwd=elsewhere,
            capture_output=True,
            text=True,
            check=False,
        )
    path = Path(found.stdout.strip() or "(not importable)")
    if found.returncode != 0 or (ROOT / "lstm_examples") not in path.resolve().parents:
        raise RuntimeError(
            f"{sys.executable} imports lstm_examples from {path}, not from {ROOT}: "
            f"install this tree (`pip install -e {ROOT}`). {found.stderr[-500:]}"
        )


_check_kernels_import_this_tree()

sys.path.insert(0, str(ROOT))  # for autodoc in this process; kernels use the editable install

# --- project -----------------------------------------------------------------
project = "lstm-states"
author = "The lstm-states contributors"
copyright = "2026, The lstm-states contributors"
html_title = "What a Keras LSTM returns"
html_favicon = "_static/favicon.svg"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx_copybutton",
]

exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
nitpicky = True
nitpick_ignore_regex = [
    # Third-party types in signatures; no intersphinx inventories are fetched
    # (the build must work offline).
    ("py:class", r"(keras|numpy|np|npt|tensorflow|matplotlib)\..*"),
    ("py:class", r"(NDArray|ArrayLike|RNNKind|Final|Literal|Sequence|Iterator|Mapping|PathLike)"),
    ("py:class", r"(os\.PathLike|pathlib\.Path|collections\.abc\..*|typing\..*)"),
]

# --- MyST and MyST-NB ---------------------------------------------------------
myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath", "deflist"]
myst_heading_anchors = 3

nb_execution_mode = os.environ.get("LSTM_STATES_NB_EXECUTION_MODE", "cache")
# The execution cache lives with the build outputs (the benchmark points it elsewhere).
BUILD_DIR = Path(os.environ.get("LSTM_STATES_BUILD_DIR", DOCS / "_build"))
nb_execution_cache_path = str(BUILD_DIR / ".jupyter_cache")
nb_execution_raise_on_error = True
# The `nightly` session runs every cell of every page and reports the failures itself
# (lstm_site.assertion_report), rather than stopping at the first.
if os.environ.get("LSTM_STATES_NB_ALLOW_ERRORS") == "1":
    nb_execution_allow_errors = True
    nb_execution_raise_on_error = False
nb_execution_show_tb = True
nb_execution_timeout = 120  # seconds per cell
nb_execution_in_temp = False
nb_output_stderr = "remove-warn"
nb_merge_streams = True
nb_render_markdown_format = "myst"


# Every kernel that runs a page starts with lstm_site.KERNEL_STARTUP.
os.environ["IPYTHONDIR"] = str(ipython_dir_with_startup(BUILD_DIR / "ipython"))

# Each page runs in a kernel of its own, forked from a process that has already
# imported Keras (lstm_site.warm_kernel): isolated like a fresh kernel, without
# paying TensorFlow's import per page. The one switch of the site's execution
# machinery, LSTM_STATES_EXECUTION (lstm_site.EXECUTION_SWITCH), turns it off.
WARM_KERNELS = "warm-kernels" in execution_pieces()
if WARM_KERNELS:
    from lstm_site.warm_kernel import KERNEL_NAME, ZYGOTE, install_kernel_spec

    _jupyter_dir = BUILD_DIR / "jupyter"
    install_kernel_spec(_jupyter_dir)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(_jupyter_dir), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    )
    nb_kernel_rgx_aliases = {"python3": KERNEL_NAME}


def _package_fingerprint() -> str:
    """A hash of the package sources: outputs cached under another hash are stale."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "lstm_examples").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _drop_stale_cache(fingerprint: str) -> None:
    """jupyter-cache keys on a page's code only: drop it when the package changed."""
    cache = Path(nb_execution_cache_path)
    stamp = cache.parent / ".lstm_examples.sha256"
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    shutil.rmtree(cache, ignore_errors=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint)


# A page's outputs depend on the package as much as on the page. The fingerprint
# is a config value that invalidates Sphinx's environment (see setup()), so a
# change to the package re-reads, and with the cache dropped re-executes, every page.
lstm_examples_fingerprint = _package_fingerprint()


def _create_cache_database() -> None:
    """Create the execution cache's database now, in this one process. Under `-j` the
    reading processes open it at once, and on an empty cache each would create its
    tables: all but the first fail ("table settings already exists")."""
    from jupyter_cache import get_cache

    get_cache(nb_execution_cache_path).db.dispose()


if nb_execution_mode == "cache":
    _drop_stale_cache(lstm_examples_fingerprint)
    _create_cache_database()

# --- HTML ---------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["lstm-states.css"]
html_theme_options = {
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "use_download_button": True,
}
html_last_updated_fmt = None
html_copy_source = True

# Copy code only, never prompts or outputs.
copybutton_exclude = ".linenos, .gp, .go"

# --- site: navigation, buttons, local assets -----------------------------------
# The site must work offline and load fast on a phone: math is typeset at build time
# into MathML, which browsers draw themselves (lstm_site.web, with latex2mathml in
# Python): no math script or font. The theme's fonts and icons are its own local
# files; lstm_site.web drops its icon script, defers the scripts in the head and
# sizes the images once the pages are written.
extensions += ["lstm_site"]  # with lstm_site.web, which it sets up
html_math_renderer = "mathml"

html_theme_options |= {
    "show_navbar_depth": 1,  # the site-map sections as the left navigation
    "show_prev_next": True,
    "navigation_with_keys": False,
}
# Follow the reader's light or dark preference (an empty mode is a console error).
html_context = {"default_mode": "auto"}
# The repository and edit buttons point at a configured repository only
# (LSTM_STATES_REPOSITORY_URL, [project.urls] Repository, or Read the Docs' clone
# URL); with none configured they are left out rather than pointing at a guess.
REPOSITORY_URL = repository_url(os.environ, ROOT / "pyproject.toml")
if REPOSITORY_URL:
    html_theme_options |= {
        "repository_url": REPOSITORY_URL,
        "repository_branch": os.environ.get("LSTM_STATES_REPOSITORY_BRANCH", "main"),
        "path_to_docs": "docs",
        "use_repository_button": True,
        "use_edit_page_button": True,
        "use_source_button": True,
        "use_issues_button": True,
    }

# --- found and previewed: description, link previews, sitemap ---------------------
# The site's address: LSTM_STATES_BASE_URL (the Pages workflow sets it from the Pages
# URL), else Read the Docs' canonical URL. With it, each page names its canonical URL,
# the site has a sitemap (sitemap.xml, which robots.txt points at) and the link
# previews absolute URLs; without it, neither sitemap nor og:url (never a guess).
# Each page's meta description is its first paragraph, unless the page sets its own
# (front matter `myst: html_meta: description: ...`); the link previews reuse it.
BASE_URL = base_url(os.environ)
extensions += ["sphinxext.opengraph"]
ogp_site_url = BASE_URL or ""
ogp_social_cards = {"enable": False}  # no generated preview images
if BASE_URL:
    html_baseurl = BASE_URL
    extensions += ["sphinx_sitemap"]
    sitemap_url_scheme = "{link}"  # one language, one version: no /en/latest/ of its own
    # the generated pages: no answer of their own to offer a search engine
    sitemap_excludes = ["search.html", "genindex.html", "py-modindex.html"]

# --- autodoc ------------------------------------------------------------------
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": False}


def _start_zygote_early(app: Any, env: Any, docnames: list[str]) -> None:
    """Start importing Keras for the kernels now, if this process is to read a notebook
    (a serial read): the import overlaps Sphinx's own work before the first page. Under
    `-j` the reading processes are forks, each starting a zygote of its own."""
    if (
        WARM_KERNELS
        and app.parallel <= 1
        and any(is_notebook_page(Path(env.doc2path(name))) for name in docnames)
    ):
        ZYGOTE.start()


def setup(app: Any) -> None:
    app.add_config_value("lstm_examples_fingerprint", "", "env", types=[str])
    app.connect("env-before-read-docs", _start_zygote_early)
