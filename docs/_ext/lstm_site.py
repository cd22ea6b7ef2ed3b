"""Sphinx extension for the lstm-states site: what the theme does not do by itself.

- Each notebook page's download menu offers the executed notebook (``.ipynb``, with
  its outputs) next to the MyST source: MyST-NB writes the executed notebooks to
  ``_build/jupyter_execute``; they are copied into ``_sources`` for the theme's button.
- :func:`repository_url` says which repository the repository and edit buttons
  point at, from configuration (never a guess).
"""

from __future__ import annotations

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
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
