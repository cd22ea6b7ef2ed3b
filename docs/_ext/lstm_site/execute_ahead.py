"""Execute the pages Sphinx is about to read, several at a time, into MyST-NB's cache.

MyST-NB executes a notebook page while Sphinx reads it, one page after another, so a
build that executes every page keeps one core busy while the others wait. Before
Sphinx reads (``env-before-read-docs``), this module reads each notebook page the
way MyST-NB does, looks it up in the execution cache, and executes the pages that are
missing there concurrently, :func:`workers` kernels at a time (the Sphinx setting
``lstm_site_execution_workers``), each in its own kernel
(the warm kernels of :mod:`lstm_site.warm_kernel` where they are configured). Each
executed notebook goes into the cache under the key MyST-NB looks up, so that the
read which follows finds every page there and executes nothing itself.

A page that fails here is not cached: MyST-NB executes it again while it reads it,
and reports the failure, page and traceback, exactly as it would without this
module. ``LSTM_STATES_EXECUTION`` (:data:`lstm_site.EXECUTION_SWITCH`) without
``execute-ahead`` turns it off. Only the ``cache`` execution mode is executed ahead; ``force`` (the GPU
build) and ``off`` leave MyST-NB alone.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

#: The Sphinx setting that says how many pages execute at once (``-D`` on the command
#: line); by default one per CPU core, at most 4.
CONFIG = "lstm_site_execution_workers"


def workers(setting: int | str | None = None) -> int:
    """How many pages execute at once: ``setting``, else one per CPU core (at most 4).

    >>> workers(3), workers("2")
    (3, 2)
    >>> 1 <= workers() <= 4
    True
    >>> workers("none")
    Traceback (most recent call last):
    ...
    ValueError: lstm_site_execution_workers must be a whole number >= 1, not 'none'
    """
    if setting is None:
        cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        return max(1, min(4, len(cores) if cores else os.cpu_count() or 1))
    if not str(setting).isdigit() or int(setting) < 1:
        raise ValueError(f"{CONFIG} must be a whole number >= 1, not {setting!r}")
    return int(setting)


@dataclass
class Page:
    """A notebook page to execute: its source path, notebook, reader format and settings."""

    path: Path
    notebook: Any
    read_fmt: dict[str, Any] | None
    timeout: int | None
    allow_errors: bool


@dataclass
class Outcome:
    """How a page's execution ended: its time in seconds, or the error that stopped it."""

    page: Page
    seconds: float
    error: BaseException | None


def pages_to_execute(env: Any, docnames: list[str]) -> list[Page]:
    """The notebook pages among ``docnames`` that the cache has no outputs for.

    Read as MyST-NB's parser reads them (``myst_nb.sphinx_.Parser.parse``): the same
    reader, the same kernel-name aliases and the same per-page settings, so that a
    notebook executed here is cached under the key MyST-NB then looks up.
    """
    from jupyter_cache import get_cache
    from myst_nb.core.read import create_nb_reader

    nb_config = env.mystnb_config
    if nb_config.execution_mode != "cache":
        return []
    cache = get_cache(cache_path(nb_config))
    pages = []
    for docname in docnames:
        path = Path(env.doc2path(docname))
        if _excluded(path, nb_config.execution_excludepatterns):
            continue
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, nb_config, text)
        if reader is None:  # a plain Markdown or reST page
            continue
        notebook = reader.read(text)
        kernel = notebook.metadata.get("kernelspec", {}).get("name")
        for pattern, alias in (nb_config.kernel_rgx_aliases or {}).items():
            if kernel is not None and re.fullmatch(pattern, kernel):
                notebook.metadata["kernelspec"]["name"] = alias
                break
        config = nb_config
        if nb_config.metadata_key in notebook.metadata:
            overrides = dict(notebook.metadata[nb_config.metadata_key])
            overrides.pop("output_folder", None)
            config = nb_config.copy(**overrides)
        if config.execution_mode != "cache":
            continue
        try:
            cache.match_cache_notebook(notebook)
            continue  # executed before: MyST-NB takes the outputs from the cache
        except KeyError:
            pass
        pages.append(
            Page(path, notebook, reader.read_fmt, config.execution_timeout,
                 config.execution_allow_errors)
        )  # fmt: skip
    # the largest sources first: the long pages start early and the short ones fill in
    return sorted(pages, key=lambda page: -page.path.stat().st_size)


def cache_path(nb_config: Any) -> str:
    """Where MyST-NB keeps its execution cache (its default when none is configured)."""
    return str(nb_config.execution_cache_path or ".jupyter_cache")


def _excluded(path: Path, patterns: Any) -> bool:
    posix = PurePosixPath(path.as_posix())
    return any(posix.match(pattern) for pattern in patterns or ())


async def _execute(pages: list[Page], at_once: int) -> list[Outcome]:
    from nbclient import NotebookClient

    gate = asyncio.Semaphore(at_once)

    async def one(page: Page) -> Outcome:
        notebook, timeout, allow_errors = page.notebook, page.timeout, page.allow_errors
        execution = notebook.metadata.get("execution", {})  # as jupyter-cache honours them
        timeout = execution.get("timeout", timeout)
        allow_errors = execution.get("allow_errors", allow_errors)
        async with gate:
            client = NotebookClient(
                notebook,
                timeout=timeout,
                allow_errors=allow_errors,
                record_timing=False,  # as jupyter-cache runs it: timings would change the key
                resources={"metadata": {"path": str(page.path.parent)}},  # the page's folder
            )
            start = time.perf_counter()
            try:
                await client.async_execute()
            except Exception as error:  # noqa: BLE001 - MyST-NB runs the page again, reports it
                return Outcome(page, time.perf_counter() - start, error)
            return Outcome(page, time.perf_counter() - start, None)

    return list(await asyncio.gather(*(one(page) for page in pages)))


def execute_pages(pages: list[Page], at_once: int) -> list[Outcome]:
    """Execute ``pages`` in place, ``at_once`` kernels at a time, and say how each ended."""
    if at_once < 1:
        raise ValueError(f"at_once must be >= 1, not {at_once}")
    return asyncio.run(_execute(pages, at_once)) if pages else []


def cache_outcomes(cache_path: str, outcomes: list[Outcome]) -> int:
    """Store the pages that ran without an error in the execution cache; return how many."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(cache_path)
    stored = 0
    for outcome in outcomes:
        if outcome.error is not None:
            continue
        page = outcome.page
        if page.read_fmt is not None:
            record = cache.add_nb_to_project(str(page.path), read_data=page.read_fmt)
        else:
            record = cache.add_nb_to_project(str(page.path))
        cache.cache_notebook_bundle(
            CacheBundleIn(page.notebook, record.uri, data={"execution_seconds": outcome.seconds}),
            check_validity=False,
            overwrite=True,
        )
        stored += 1
    return stored


def execute_ahead(app: Any, env: Any, docnames: list[str]) -> None:
    """``env-before-read-docs``: execute the stale notebook pages, several at a time."""
    from sphinx.util import logging

    from . import execution_pieces

    if "execute-ahead" not in execution_pieces():
        return  # LSTM_STATES_EXECUTION turned it off: MyST-NB executes each page as it reads
    logger = logging.getLogger(__name__)
    pages = pages_to_execute(env, docnames)
    if not pages:
        return
    at_once = workers(app.config[CONFIG])
    logger.info(f"executing {len(pages)} notebook pages, {at_once} at a time")
    start = time.perf_counter()
    outcomes = execute_pages(pages, at_once)
    for outcome in outcomes:
        status = "failed (run again while read)" if outcome.error else "executed"
        logger.info(f"{outcome.page.path}: {status} in {outcome.seconds:.2f} seconds")
    stored = cache_outcomes(cache_path(env.mystnb_config), outcomes)
    logger.info(
        f"executed {len(pages)} pages in {time.perf_counter() - start:.1f} s, "
        f"{at_once} at a time; {stored} cached"
    )
