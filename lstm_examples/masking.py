"""The masked LSTM of the masking page, built the way the page builds it.

A batch needs sequences of one length, so shorter ones are padded
(``keras.utils.pad_sequences``) and the model is told which steps to skip
(``keras.layers.Masking(mask_value)``). :func:`build_masked` builds
``Input -> Masking -> LSTM(return_sequences=True, return_state=True)`` after
:func:`~lstm_examples.models.set_seed`, exactly as the page's visible code does, so a
hidden cell can check that both are the same model
(:func:`~lstm_examples.models.assert_same_model`).
"""

from __future__ import annotations

import numbers
from typing import Literal

import keras

from .models import DEFAULT_SEED, set_seed
from .validation import check_bool, check_positive_int


def build_masked(
    units: int = 1,
    *,
    features: int = 1,
    mask_value: float = 0.0,
    return_sequences: bool = True,
    use_cudnn: bool | Literal["auto"] = "auto",
    seed: int = DEFAULT_SEED,
) -> keras.Model:
    """Build ``Input((None, features)) -> Masking(mask_value) -> LSTM(units, ...)``.

    The LSTM returns its final states too (``return_state=True``), and the model's
    outputs are the list ``[output, state_h, state_c]``. The weights are Keras's
    defaults drawn after ``set_seed(seed)``, so they equal those of
    ``build_lstm(units, timesteps=None, features=features, seed=seed)``.
    ``use_cudnn=False`` runs Keras's generic kernel on every device.

    A step whose features all equal ``mask_value`` is skipped, so the final state of
    a padded sequence is the state after its last real step:

    >>> import numpy as np
    >>> model = build_masked(2, use_cudnn=False)
    >>> [type(layer).__name__ for layer in model.layers]
    ['InputLayer', 'Masking', 'LSTM']
    >>> padded = np.array([[[0.5], [0.7], [0.0], [0.0]]], dtype="float32")
    >>> _, padded_h, _ = model.predict(padded, verbose=0)
    >>> _, real_h, _ = model.predict(padded[:, :2], verbose=0)
    >>> bool(np.allclose(padded_h, real_h))
    True
    >>> build_masked(use_cudnn="yes")
    Traceback (most recent call last):
    ...
    ValueError: use_cudnn must be 'auto', True or False, got 'yes'
    """
    units = check_positive_int("units", units)
    features = check_positive_int("features", features)
    return_sequences = check_bool("return_sequences", return_sequences)
    if isinstance(mask_value, bool) or not isinstance(mask_value, numbers.Real):
        raise TypeError(f"mask_value must be a number, got {type(mask_value).__name__}")
    if use_cudnn != "auto" and not isinstance(use_cudnn, bool):
        raise ValueError(f"use_cudnn must be 'auto', True or False, got {use_cudnn!r}")
    set_seed(seed)
    inputs = keras.Input(shape=(None, features), name="input")
    masked = keras.layers.Masking(mask_value=float(mask_value), name="masking")(inputs)
    lstm = keras.layers.LSTM(
        units,
        return_sequences=return_sequences,
        return_state=True,
        use_cudnn=use_cudnn,
        name="lstm",
    )
    return keras.Model(inputs, list(lstm(masked)), name="masked_lstm")
