"""The site's code as a reader takes it away, run where lstm_examples is not installed.

The `reader` Nox session runs this folder in an environment with only what a reader has
after `pip install tensorflow` (TensorFlow CPU, NumPy, Matplotlib, pandas, a Jupyter
kernel), after `nox -s docs` has built the site.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from lstm_site import built_site, execution_pieces, notebook_pages

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SITE = built_site(DOCS)

# reference/ documents lstm_examples itself: its pages may use the package.
PACKAGE_PAGES = ("reference/",)

# What a reader's notebook has: TensorFlow's quiet settings (the root conftest.py sets
# them), no variable of this build, and figures drawn without a display.
READER_ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("LSTM_STATES_")},
    "MPLBACKEND": "Agg",
}


def notebook_docnames() -> list[str]:
    """Every page that is a MyST-NB notebook, as a docname (``pitfalls/masking``)."""
    return notebook_pages(DOCS)


def reader_docnames() -> list[str]:
    """The notebook pages whose code a reader must be able to run without the package."""
    return [name for name in notebook_docnames() if not name.startswith(PACKAGE_PAGES)]


@pytest.fixture(scope="session")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The kernelspec the downloads run in: kernels forked from a process that imported Keras.

    For the whole session the environment is a reader's (:data:`READER_ENV`), which the
    forking process and every kernel inherit. With the warm kernels switched off
    (``LSTM_STATES_EXECUTION``, the stock way the benchmark compares with), a plain
    ``python3`` kernel.
    """
    from lstm_site.warm_kernel import KERNEL_NAME, ZYGOTE, install_kernel_spec

    saved = dict(os.environ)
    if "warm-kernels" not in execution_pieces():
        os.environ.clear()
        os.environ.update(READER_ENV)
        try:
            yield "python3"
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return
    jupyter = tmp_path_factory.mktemp("jupyter")
    install_kernel_spec(jupyter)
    os.environ.clear()
    os.environ.update(READER_ENV)
    os.environ["JUPYTER_PATH"] = str(jupyter)
    ZYGOTE.start()
    try:
        yield KERNEL_NAME
    finally:
        ZYGOTE.close()
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site in {SITE}: build it first with `nox -s docs`")
    return SITE
