"""Test-wide setup shared by the unit tests and the doctests.

TensorFlow reads these variables when it is first imported, so they are set
here, before any test module imports Keras.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
