"""Architectures built around a recurrent layer's outputs.

- :mod:`~lstm_examples.architectures.stacked`: recurrent layers stacked with ``return_sequences``.
- :mod:`~lstm_examples.architectures.time_distributed`: a ``Dense`` head at every step.
- :mod:`~lstm_examples.architectures.repeat_vector`: the ``RepeatVector`` encoder-decoder.
- :mod:`~lstm_examples.architectures.seq2seq`: an encoder-decoder joined by ``initial_state``.
- :mod:`~lstm_examples.architectures.common`: a seeded ``Dense`` layer and per-layer shapes.

>>> from lstm_examples.architectures import build_stacked
>>> build_stacked((4, 2)).output_shape
(None, 2)
"""

from __future__ import annotations

from .common import dense_layer, layer_shapes
from .repeat_vector import build_repeat_vector
from .seq2seq import (
    DIGITS,
    STEPS,
    ReversalData,
    TrainingResult,
    build_seq2seq,
    decoded_table,
    greedy_decode,
    inference_models,
    make_reversal_data,
    one_hot,
    sequence_accuracy,
    token_accuracy,
    train_seq2seq,
)
from .stacked import build_stacked
from .time_distributed import build_sequence_head

__all__ = [
    "DIGITS",
    "STEPS",
    "ReversalData",
    "TrainingResult",
    "build_repeat_vector",
    "build_seq2seq",
    "build_sequence_head",
    "build_stacked",
    "decoded_table",
    "dense_layer",
    "greedy_decode",
    "inference_models",
    "layer_shapes",
    "make_reversal_data",
    "one_hot",
    "sequence_accuracy",
    "token_accuracy",
    "train_seq2seq",
]
