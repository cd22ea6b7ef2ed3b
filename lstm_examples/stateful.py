"""Carrying an LSTM's state across calls: ``stateful=True``, or ``return_state`` by hand.

A stateful layer keeps its final states in variables and starts its next call from
them, which needs a batch size fixed when the model is built
(``keras.Input(batch_shape=...)``). The explicit way returns the states
(``return_state=True``) and feeds them back through ``initial_state``. Both builders
draw Keras's default weights after :func:`~lstm_examples.models.set_seed`, as the
stateful page does, so for one ``seed`` they have the weights of
``build_lstm(units, timesteps=None, seed=seed)``.
"""

from __future__ import annotations

import keras

from .models import DEFAULT_SEED, set_seed
from .validation import check_optional_positive_int, check_positive_int


def build_stateful(
    units: int = 1,
    *,
    batch_size: int = 1,
    timesteps: int | None = None,
    features: int = 1,
    seed: int = DEFAULT_SEED,
    use_cudnn: bool | str = "auto",
) -> keras.Model:
    """Build ``Input(batch_shape=(batch_size, timesteps, features)) -> LSTM(stateful=True)``.

    Each call starts from the states the previous call ended with, so a sequence fed
    in two halves ends where the whole sequence ends. ``use_cudnn`` is passed to the
    ``LSTM``: ``False`` selects the generic loop, which ``fit`` needs on the PyTorch
    backend (Keras 3.15.1's PyTorch LSTM code does not copy the state variables
    before the layer overwrites them):

    >>> import numpy as np
    >>> from lstm_examples.models import build_lstm
    >>> model = build_stateful(2, batch_size=1)
    >>> model.input_shape, model.get_layer("lstm").stateful
    ((1, None, 1), True)
    >>> x = np.array([[[0.1], [0.2], [0.3], [0.4]]], dtype="float32")
    >>> _ = model.predict(x[:, :2], verbose=0)
    >>> carried = model.predict(x[:, 2:], verbose=0)
    >>> whole = build_lstm(2, timesteps=None).predict(x, verbose=0)
    >>> bool(np.allclose(carried, whole))
    True
    >>> build_stateful(2, use_cudnn=False).get_layer("lstm").use_cudnn
    False
    >>> build_stateful(2, use_cudnn="yes")
    Traceback (most recent call last):
    ...
    ValueError: use_cudnn must be True, False or "auto"; got 'yes'
    """
    if not (use_cudnn is True or use_cudnn is False or use_cudnn == "auto"):
        raise ValueError(f'use_cudnn must be True, False or "auto"; got {use_cudnn!r}')
    units = check_positive_int("units", units)
    batch_size = check_positive_int("batch_size", batch_size)
    timesteps = check_optional_positive_int("timesteps", timesteps)
    features = check_positive_int("features", features)
    set_seed(seed)
    inputs = keras.Input(batch_shape=(batch_size, timesteps, features), name="input")
    lstm = keras.layers.LSTM(units, stateful=True, use_cudnn=use_cudnn, name="lstm")
    return keras.Model(inputs, lstm(inputs), name="stateful_lstm")


def build_explicit_state(
    units: int = 1, *, features: int = 1, seed: int = DEFAULT_SEED
) -> keras.Model:
    """Build ``[x, h0, c0] -> LSTM(return_state=True)(x, initial_state=[h0, c0])``.

    The model returns the tuple ``(output, state_h, state_c)``; passing ``state_h``
    and ``state_c`` back as ``h0`` and ``c0`` continues the sequence:

    >>> import numpy as np
    >>> model = build_explicit_state(2)
    >>> [tuple(t.shape) for t in model.inputs]
    [(None, None, 1), (None, 2), (None, 2)]
    >>> x = np.array([[[0.1], [0.2], [0.3], [0.4]]], dtype="float32")
    >>> zeros = np.zeros((1, 2), dtype="float32")
    >>> _, h, c = model.predict([x[:, :2], zeros, zeros], verbose=0)
    >>> carried, _, _ = model.predict([x[:, 2:], h, c], verbose=0)
    >>> whole, _, _ = model.predict([x, zeros, zeros], verbose=0)
    >>> bool(np.allclose(carried, whole))
    True
    """
    units = check_positive_int("units", units)
    features = check_positive_int("features", features)
    set_seed(seed)
    x = keras.Input(shape=(None, features), name="input")
    h0 = keras.Input(shape=(units,), name="h0")
    c0 = keras.Input(shape=(units,), name="c0")
    lstm = keras.layers.LSTM(units, return_state=True, name="lstm")
    return keras.Model([x, h0, c0], lstm(x, initial_state=[h0, c0]), name="explicit_state")
