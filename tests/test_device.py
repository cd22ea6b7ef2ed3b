from __future__ import annotations

import pytest

import lstm_examples
from lstm_examples import build_info, gpu_names, require_gpu


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


def test_lazy_package_attributes():
    assert "build_lstm" in dir(lstm_examples)
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        _ = lstm_examples.nope
