from __future__ import annotations

from pathlib import Path

import pytest

import lstm_examples
from lstm_examples import assert_imported_from, build_info, gpu_names, require_gpu

ROOT = Path(__file__).resolve().parents[1]


def test_build_info_reports_real_versions():
    import keras
    import numpy as np

    info = build_info()
    assert info.keras_version == keras.__version__
    assert info.numpy_version == np.__version__
    assert info.backend == keras.backend.backend()
    assert info.backend_version != "unknown"
    assert info.device == (", ".join(info.gpus) if info.gpus else "CPU")
    text = str(info)
    assert f"Keras                  {keras.__version__}" in text or keras.__version__ in text
    assert "<table" in info._repr_html_()


def test_require_gpu_agrees_with_gpu_names():
    names = gpu_names()
    if names:
        assert require_gpu() == names
    else:
        with pytest.raises(RuntimeError, match=r"no GPU is visible to Keras's .* backend"):
            require_gpu()


def test_assert_imported_from_working_tree():
    assert assert_imported_from(ROOT) == ROOT / "lstm_examples"
    assert Path(lstm_examples.__file__).resolve().is_relative_to(ROOT)


def test_assert_imported_from_elsewhere(tmp_path):
    with pytest.raises(RuntimeError, match=f"not from the working tree {tmp_path}"):
        assert_imported_from(tmp_path)


def test_lazy_package_attributes():
    assert "build_lstm" in dir(lstm_examples)
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        _ = lstm_examples.nope
