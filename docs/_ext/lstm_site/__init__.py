"""Sphinx extension for the lstm-states site: what the theme does not do by itself.

- Each notebook page's download menu offers the executed notebook (``.ipynb``, with
  its outputs) next to the MyST source: MyST-NB writes the executed notebooks to
  ``_build/jupyter_execute``; they are copied into ``_sources`` for the theme's button.
- :func:`repository_url` says which repository the repository and edit buttons
  point at, from configuration (never a guess).
- :func:`label_nav_toggles` names the theme's expand/collapse toggles in the left
  navigation: the theme draws them as a ``<summary>`` holding only an icon, which a
  screen reader announces as an unnamed control (axe-core: ``summary-name``).
- Outputs as a reader needs them: what ``rich`` prints in a notebook (``model.summary()``
  writes one HTML block per line group, with inline colours) becomes one plain-text
  block that the theme colours in light and dark mode; a deliberate error shows the
  exception type and message (:func:`exception_lines`), never the builder's paths.
- :func:`reader_notebook` makes each page's notebook download: the visible cells only,
  a plain ``python3`` kernel, glued numbers written into the prose.

Importing the package needs neither Sphinx nor docutils: the ``reader`` session uses its
warm kernels (:mod:`lstm_site.warm_kernel`) where only a reader's packages are installed.
"""

from __future__ import annotations

import copy
import functools
import html
import http.server
import json
import os
import re
import threading
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docutils import nodes

ENV_VAR = "LSTM_STATES_REPOSITORY_URL"


def repository_url(environ: Mapping[str, str], pyproject: Path) -> str | None:
    """The site's repository URL, or None when none is configured (then no repository buttons).

    In order: the ``LSTM_STATES_REPOSITORY_URL`` environment variable (the GitHub
    Pages workflow sets it from the repository it runs in); ``Repository`` under
    ``[project.urls]`` in pyproject.toml; the clone URL that Read the Docs builds
    from (``READTHEDOCS_GIT_CLONE_URL``, when it is an https URL).
    """
    url = environ.get(ENV_VAR, "").strip()
    if not url and pyproject.exists():
        with pyproject.open("rb") as file:
            url = tomllib.load(file).get("project", {}).get("urls", {}).get("Repository", "")
    if not url:
        clone = environ.get("READTHEDOCS_GIT_CLONE_URL", "")
        url = clone if clone.startswith("https://") else ""
    url = url.strip().removesuffix("/").removesuffix(".git")
    return url or None


def text_of(fragment: str) -> str:
    """The text a reader sees in an HTML ``fragment``: its tags dropped, its entities decoded.

    >>> text_of('API of <code class="literal">lstm_examples</code> &amp; <em>more</em>')
    'API of lstm_examples & more'
    """
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


_UNNAMED_TOGGLE = re.compile(
    r'(<a class="[^"]*\breference internal\b[^"]*" href="[^"]*">(?P<title>(?:(?!</a>).)*)</a>\s*'
    r'<details(?: open="open")?>'
    r"\s*)<summary>(?=\s*<span class=\"toctree-toggle\")"
)


def label_nav_toggles(page: str) -> str:
    """Give each icon-only navigation toggle of ``page`` (HTML) an accessible name.

    >>> label_nav_toggles(
    ...     '<a class="reference internal" href="p/index.html">Pitfalls</a><details>'
    ...     '<summary><span class="toctree-toggle" role="presentation"></span></summary>'
    ... )  # doctest: +NORMALIZE_WHITESPACE
    '<a class="reference internal" href="p/index.html">Pitfalls</a><details><summary
    aria-label="Show or hide the pages of Pitfalls"><span class="toctree-toggle"
    role="presentation"></span></summary>'

    A title with markup in it is named by its text:

    >>> label_nav_toggles(
    ...     '<a class="reference internal" href="api.html">API of <code>lstm_examples</code></a>'
    ...     '<details open="open"><summary><span class="toctree-toggle"></span></summary>'
    ... )  # doctest: +ELLIPSIS
    '...<summary aria-label="Show or hide the pages of API of lstm_examples">...'
    """

    def named(match: re.Match[str]) -> str:
        title = text_of(match["title"]).strip()
        label = html.escape(f"Show or hide the pages of {title}", quote=True)
        return f'{match.group(1)}<summary aria-label="{label}">'

    return _UNNAMED_TOGGLE.sub(named, page)


#: TensorFlow's C++ start-up logging off and its plain (non-oneDNN) CPU kernels, whose
#: results do not depend on the CPU's instruction set. The one home of these settings:
#: the kernels (below), the Nox sessions and the root conftest.py take them from here.
TENSORFLOW_QUIET: dict[str, str] = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
}

#: The environment of every kernel that executes a page (docs/conf.py and check_page):
#: TensorFlow quiet; no colour codes; and the width Keras's model.summary() is drawn
#: for, whatever terminal runs the build (a kernel's stdout is no terminal, and a
#: COLUMNS inherited from one would change pages).
KERNEL_ENV: dict[str, str] = {
    **TENSORFLOW_QUIET,
    "NO_COLOR": "1",
    "COLUMNS": "80",
    "JUPYTER_COLUMNS": "80",
}


#: sphinx-build's strict options: nitpicky, warnings are errors (all reported), tracebacks.
SPHINX_STRICT: tuple[str, ...] = ("-n", "-W", "--keep-going", "-T")

#: The one switch for the site's own execution machinery, read by docs/conf.py and by the
#: reader tests: the pieces that are on, comma separated. Unset or ``site``: all of them.
#: ``stock``: none, which is MyST-NB's own way (a plain ``python3`` kernel started for each
#: page as Sphinx reads it). No page changes either way. The build reads (and executes)
#: pages in parallel with Sphinx's own ``-j auto`` (:data:`SPHINX_PARALLEL`).
EXECUTION_SWITCH = "LSTM_STATES_EXECUTION"
#: ``warm-kernels``: each page's kernel forks from a process that has imported Keras
#: (:mod:`lstm_site.warm_kernel`). A second piece, executing the pages ahead of Sphinx's
#: read several at a time, was removed when the benchmark showed ``-j auto`` as fast.
EXECUTION_PIECES: tuple[str, ...] = ("warm-kernels",)

#: Sphinx's parallel read, one process per core, which MyST-NB supports: the pages
#: execute side by side. Every build of the site passes it (the Nox sessions, the bench).
SPHINX_PARALLEL: tuple[str, ...] = ("-j", "auto")


def execution_pieces(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """The execution pieces :data:`EXECUTION_SWITCH` turns on (``os.environ`` by default).

    >>> sorted(execution_pieces({}))
    ['warm-kernels']
    >>> execution_pieces({"LSTM_STATES_EXECUTION": "stock"})
    frozenset()
    >>> execution_pieces({"LSTM_STATES_EXECUTION": "warm-kernels"})
    frozenset({'warm-kernels'})
    >>> execution_pieces({"LSTM_STATES_EXECUTION": "warm"})
    Traceback (most recent call last):
    ...
    ValueError: LSTM_STATES_EXECUTION='warm': expected 'site', 'stock' or a comma-separated \
list of 'warm-kernels'
    """
    value = (os.environ if environ is None else environ).get(EXECUTION_SWITCH, "site").strip()
    if value in ("", "site"):
        return frozenset(EXECUTION_PIECES)
    if value == "stock":
        return frozenset()
    pieces = frozenset(piece.strip() for piece in value.split(","))
    if not pieces <= set(EXECUTION_PIECES):
        choices = ", ".join(map(repr, EXECUTION_PIECES))
        raise ValueError(
            f"{EXECUTION_SWITCH}={value!r}: expected 'site', 'stock' or a comma-separated "
            f"list of {choices}"
        )
    return pieces


def built_site(docs: Path) -> Path:
    """Where the built site is: ``LSTM_STATES_SITE`` when set, else ``docs/_build/html``."""
    return Path(os.environ.get("LSTM_STATES_SITE", docs / "_build" / "html"))


#: The most bytes a compressing host (GitHub Pages, Read the Docs) may send for the home
#: page and everything it loads: a reader on a phone with a slow connection lands there.
HOME_PAGE_BYTES = 600_000


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(
    site: Path, handler: type[http.server.BaseHTTPRequestHandler] = QuietHandler
) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 (a free port), in a thread; yields its URL.

    >>> import tempfile, urllib.request
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "index.html").write_text("<p>hello</p>")
    ...     with serve(Path(tmp)) as url:
    ...         urllib.request.urlopen(url + "index.html").read()
    b'<p>hello</p>'
    """
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def is_notebook_page(path: Path) -> bool:
    """Whether the page at ``path`` is a MyST-NB notebook (its front matter says so)."""
    return "file_format: mystnb" in path.read_text(encoding="utf-8")[:200]


def notebook_pages(docs: Path) -> list[str]:
    """The site's notebook pages under ``docs``, as document names (``pitfalls/masking``).

    A page is a notebook when its front matter says ``file_format: mystnb``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "page.md").write_text("---\\nfile_format: mystnb\\n---\\n# Page")
    ...     _ = (Path(tmp) / "plain.md").write_text("# Plain Markdown")
    ...     notebook_pages(Path(tmp))
    ['page']
    """
    return sorted(
        path.relative_to(docs).with_suffix("").as_posix()
        for path in docs.rglob("*.md")
        if "_build" not in path.relative_to(docs).parts and is_notebook_page(path)
    )


#: Cell tags of the site's own cells: its checks and its presentation, never the reader's.
HIDDEN_TAGS = frozenset({"remove-cell", "remove-input"})

# Runs at the start of every kernel that executes a page (IPython startup file).
KERNEL_STARTUP = """\
# Written by the lstm-states docs build: runs in every kernel that executes a page.
import logging as _logging


class _NoRetracingNotice(_logging.Filter):
    # TensorFlow warns once a page has called predict() on five models, each traced
    # anew by design; the notice is about speed, says nothing about the numbers.
    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


_logging.getLogger("tensorflow").addFilter(_NoRetracingNotice())
"""


def ipython_dir_with_startup(folder: Path) -> Path:
    """An IPython directory whose startup file quiets TensorFlow's retracing notice.

    Point ``IPYTHONDIR`` at it and every kernel started with that environment runs
    :data:`KERNEL_STARTUP` first.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ipython = ipython_dir_with_startup(Path(tmp))
    ...     sorted(p.name for p in ipython.rglob("*.py"))
    ['00-lstm-states.py']
    """
    startup = folder / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-lstm-states.py").write_text(KERNEL_STARTUP, encoding="utf-8")
    return folder


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

# rich (which draws Keras's model summary) writes each print in a notebook as HTML in
# this <pre> (rich/jupyter.py), with inline colours made for a white background.
RICH_HTML = '<pre style="white-space:pre;overflow-x:auto;line-height:normal;font-family:Menlo'

_TRACEBACK_HEADER = re.compile(r"^(?P<name>[A-Za-z_][\w.]*)\s+Traceback \(most recent call last\)")


def exception_lines(traceback: str) -> str:
    """The exception type and message that end an IPython traceback (ANSI codes removed).

    What a reader would search for; the frames above, with the paths of the machine
    that built the page, are dropped.

    >>> exception_lines(
    ...     "-----\\nValueError      Traceback (most recent call last)\\n"
    ...     "File /home/me/.venv/keras/src/x.py:3, in f()\\n----> 3 raise ValueError('bad')\\n\\n"
    ...     "ValueError: bad input\\nExpected 3 steps"
    ... )
    'ValueError: bad input\\nExpected 3 steps'
    """
    lines = ANSI.sub("", traceback).rstrip().splitlines()
    names = [m["name"] for line in lines if (m := _TRACEBACK_HEADER.match(line))]
    if not names:
        return "\n".join(lines[-1:])
    name = names[-1]
    starts = [i for i, line in enumerate(lines) if line == name or line.startswith(f"{name}: ")]
    return "\n".join(lines[starts[-1] :]) if starts else lines[-1]


def _rich_text(bundle: nodes.Element) -> str | None:
    """The plain text of a mime bundle that rich printed, else None."""
    by_type = {child.get("mime_type"): child for child in bundle.children}
    if "text/html" not in by_type or "text/plain" not in by_type:
        return None
    if not by_type["text/html"].astext().startswith(RICH_HTML):
        return None
    return ANSI.sub("", by_type["text/plain"].astext())


def _is_bundle(node: nodes.Node) -> bool:
    from docutils import nodes

    return isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"


def clean_outputs(app: Any, doctree: nodes.document) -> None:
    """Merge rich's output blocks of a cell into one text block; shorten tracebacks."""
    from docutils import nodes

    for output in list(doctree.findall(nodes.container)):
        if output.get("nb_element") != "cell_code_output":
            continue
        children, run = [], []
        for child in [*output.children, None]:
            text = _rich_text(child) if child is not None and _is_bundle(child) else None
            if text is not None:
                run.append(text)
                continue
            if run:
                merged = "".join(run).rstrip("\n")
                if merged.strip():
                    block = nodes.literal_block(
                        merged, merged, classes=["output", "text_plain", "rich-output"]
                    )
                    block["language"] = "none"
                    children.append(block)
                run = []
            if child is not None:
                children.append(child)
        output.children = []
        output.extend(children)
        for block in output.findall(nodes.literal_block):
            if "traceback" in block["classes"]:
                short = exception_lines(block.astext())
                block.children = [nodes.Text(short)]
                block.rawsource = short
                block["language"] = "none"


_GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`(?P<key>[^`:]+)(?::(?P<fmt>[^`]*))?`")
_NAMED_ROLE = re.compile(r"\{[a-z:]+\}`(?P<text>[^`<]*?)\s*(?:<(?P<target>[^`>]+)>)?`")


def reader_notebook(
    notebook: Mapping[str, Any], glued: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """A page's executed notebook as a reader downloads it.

    Only the cells the page shows, in a plain ``python3`` kernel: cells tagged
    ``remove-cell`` or ``remove-input`` (the site's own checks and presentation)
    are dropped; the values glued into the prose (``glued``: MyST-NB's
    ``<page>.glue.json``, key -> output) are written in; other MyST roles become
    their text; stderr is dropped and errors keep their type and message.

    >>> page = {"metadata": {"kernelspec": {"name": "lstm-states-warm"}}, "nbformat": 4,
    ...     "nbformat_minor": 5, "cells": [
    ...     {"cell_type": "code", "metadata": {"tags": ["remove-cell"]}, "source": "glue('n', 3)",
    ...      "outputs": []},
    ...     {"cell_type": "markdown", "metadata": {},
    ...      "source": "It returns {glue:text}`n` arrays, {glue:text}`x:.2f`; see {doc}`basics`."}]}
    >>> glued = {"n": {"data": {"text/plain": "3"}}, "x": {"data": {"text/plain": "0.123"}}}
    >>> reader = reader_notebook(page, glued)
    >>> reader["metadata"]["kernelspec"]["name"], [c["source"] for c in reader["cells"]]
    ('python3', ['It returns 3 arrays, 0.12; see basics.'])
    """
    from myst_nb.core.variables import format_plain_text

    notebook = copy.deepcopy(dict(notebook))
    values = {key: output["data"].get("text/plain", "") for key, output in (glued or {}).items()}

    def paste(match: re.Match[str]) -> str:
        value = values.get(match["key"].split("::")[-1])
        if value is None:
            raise KeyError(f"nothing was glued under {match['key']!r}")
        return format_plain_text(value, match["fmt"] or "s")

    cells = []
    for cell in notebook["cells"]:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if HIDDEN_TAGS & tags:
            continue
        if cell["cell_type"] == "markdown":
            text = _GLUE_ROLE.sub(paste, _source(cell))
            cell["source"] = _NAMED_ROLE.sub(lambda m: m["text"] or m["target"], text)
        elif cell["cell_type"] == "code":
            outputs = []
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    continue
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output['ename']}: {output['evalue']}"]
                outputs.append(output)
            cell["outputs"] = outputs
        cells.append(cell)
    for number, cell in enumerate(cells, start=1):
        cell["id"] = f"cell-{number}"  # MyST-NB draws random ids: two builds must agree
    notebook["cells"] = cells
    notebook["metadata"] = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    return notebook


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _add_notebook_download(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is None or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    if app.config.nb_execution_mode == "off":  # nothing ran: no outputs, no glued numbers
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    glue_file = executed.with_name(f"{executed.stem}.glue.json")
    glued = json.loads(glue_file.read_text(encoding="utf-8")) if glue_file.exists() else {}
    notebook = reader_notebook(json.loads(executed.read_text(encoding="utf-8")), glued)
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Any) -> dict[str, Any]:
    # before sphinx-book-theme builds its header buttons (priority 501)
    app.connect("html-page-context", _add_notebook_download, priority=400)
    # the written pages are rewritten in one pass: toggles named, scripts trimmed
    app.setup_extension("lstm_site.web")
    app.connect("doctree-read", clean_outputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
