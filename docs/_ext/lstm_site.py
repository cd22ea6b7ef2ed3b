"""Sphinx extension for the lstm-states site: what the theme does not do by itself.

- Each notebook page's download menu offers the executed notebook (``.ipynb``, with
  its outputs) next to the MyST source: MyST-NB writes the executed notebooks to
  ``_build/jupyter_execute``; they are copied into ``_sources`` for the theme's button.
- :func:`repository_url` says which repository the repository and edit buttons
  point at, from configuration (never a guess).
- :func:`label_nav_toggles` names the theme's expand/collapse toggles in the left
  navigation: the theme draws them as a ``<summary>`` holding only an icon, which a
  screen reader announces as an unnamed control (axe-core: ``summary-name``).
"""

from __future__ import annotations

import html
import re
import shutil
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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


_UNNAMED_TOGGLE = re.compile(
    r'(<a class="[^"]*\breference internal\b[^"]*" href="[^"]*">(?P<title>[^<]*)</a>\s*'
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
    """

    def named(match: re.Match[str]) -> str:
        title = html.unescape(match["title"]).strip()
        label = html.escape(f"Show or hide the pages of {title}", quote=True)
        return f'{match.group(1)}<summary aria-label="{label}">'

    return _UNNAMED_TOGGLE.sub(named, page)


def _label_nav_toggles_in_site(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        labelled = label_nav_toggles(text)
        if labelled != text:
            path.write_text(labelled, encoding="utf-8")


def _add_notebook_download(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is None or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Any) -> dict[str, Any]:
    # before sphinx-book-theme builds its header buttons (priority 501)
    app.connect("html-page-context", _add_notebook_download, priority=400)
    app.connect("build-finished", _label_nav_toggles_in_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
