"""The build information page's data (lstm_site.build_info)."""

from __future__ import annotations

import dataclasses
import json
import re

import keras
import pytest
from lstm_site import notebook_pages
from lstm_site.build_info import BACKEND_RESULTS, backend_version, build_info, require_gpu

from lstm_examples import gpu_names

from .conftest import DOCS


def test_build_info_names_every_gpu_in_text_and_html():
    # The GPU build may see several GPUs: the device row names each, escaped in HTML.
    info = dataclasses.replace(build_info(), gpus=("GPU <0>", "GPU 1"))
    assert info.device == "GPU <0>, GPU 1"
    assert info.to_table().column("version or name")[-1] == info.device
    assert re.fullmatch(r"Device +GPU <0>, GPU 1", repr(info).splitlines()[-1])
    assert "<td>GPU &lt;0&gt;, GPU 1</td>" in info._repr_html_()
    # The versions are the installed ones, not a default.
    assert info.keras_version == keras.__version__
    assert info.backend_version == backend_version(info.backend) != "unknown"


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
