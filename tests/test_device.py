from __future__ import annotations

import keras

from lstm_examples import gpu_names


def test_gpu_names_match_the_backend():
    names = gpu_names()
    assert all(isinstance(name, str) and name for name in names)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        assert len(names) == len(tf.config.list_physical_devices("GPU"))
