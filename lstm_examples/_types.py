"""Types and constants that several modules of the package share, each defined once here.

Nothing here imports Keras, so the modules that must stay importable without it
(``reference``, ``parameters``) can use them too.
"""

from __future__ import annotations

from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

#: A Keras recurrent layer kind: ``LSTM``, ``GRU`` or ``SimpleRNN``.
RNNKind = Literal["lstm", "gru", "simple_rnn"]

#: A Keras 3 backend.
Backend = Literal["tensorflow", "jax", "torch"]

#: The Keras 3 backends, in the order the site lists them.
BACKENDS: Final[tuple[Backend, ...]] = ("tensorflow", "jax", "torch")

#: An array of ``float64``: the NumPy reference computes in it.
Float64Array = npt.NDArray[np.float64]

#: An array of any float type: converted weights keep ``float32``.
FloatArray = npt.NDArray[np.floating[Any]]
