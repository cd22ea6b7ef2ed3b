from __future__ import annotations

import keras
import pytest

import lstm_examples
from lstm_examples import gpu_names


def test_gpu_names_match_the_backend():
    names = gpu_names()
    assert all(isinstance(name, str) and name for name in names)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        assert len(names) == len(tf.config.list_physical_devices("GPU"))


def test_lazy_package_attributes():
    assert "build_lstm" in dir(lstm_examples)
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        _ = lstm_examples.nope
