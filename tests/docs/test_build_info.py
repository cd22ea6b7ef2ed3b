"""The build information page's data (lstm_site.build_info)."""

from __future__ import annotations

import json

import keras
import numpy as np
import pytest
from lstm_site import notebook_pages
from lstm_site.build_info import BACKEND_RESULTS, build_info, require_gpu

from lstm_examples import gpu_names

from .conftest import DOCS


def test_build_info_reports_real_versions():
    info = build_info()
    assert info.keras_version == keras.__version__
    assert info.numpy_version == np.__version__
    assert info.backend == keras.backend.backend()
    assert info.backend_version != "unknown"
    assert info.device == (", ".join(info.gpus) if info.gpus else "CPU")
    assert keras.__version__ in str(info)
    assert "<table" in info._repr_html_()


def test_require_gpu_agrees_with_gpu_names():
    names = gpu_names()
    if names:
        assert require_gpu() == names
    else:
        with pytest.raises(RuntimeError, match=r"no GPU is visible to Keras's .* backend"):
            require_gpu()


def test_the_backends_table_covers_every_page():
    """docs/reference/backends.json is the last `backends` run: stale once a page is added."""
    results = json.loads(BACKEND_RESULTS.read_text(encoding="utf-8"))
    pages = notebook_pages(DOCS)
    for backend in ("jax", "torch"):
        assert sorted(results[backend]["pages"]) == pages, (
            f"{BACKEND_RESULTS} is older than the site's pages: run `nox -s backends` and commit it"
        )
        assert results[backend]["versions"]["keras"] == keras.__version__
