"""The models of the "Using the states" pages, built as their visible code builds them.

Each builder calls :func:`~lstm_examples.models.set_seed` once and then creates its
layers with Keras's default initializers, in the order the page's code creates
them, so a page's hidden cell can check with
:func:`~lstm_examples.models.assert_same_model` that the reader's model is this one.

- :mod:`~lstm_examples.architectures.stacked`: recurrent layers stacked with ``return_sequences``.
- :mod:`~lstm_examples.architectures.time_distributed`: a ``Dense`` head at every step.
- :mod:`~lstm_examples.architectures.repeat_vector`: the ``RepeatVector`` encoder-decoder.
- :mod:`~lstm_examples.architectures.seq2seq`: an encoder-decoder joined by ``initial_state``.

>>> from lstm_examples.architectures import build_stacked
>>> build_stacked((4, 2)).output_shape
(None, 2)
"""

from __future__ import annotations

from .repeat_vector import build_repeat_vector
from .seq2seq import build_seq2seq
from .stacked import build_stacked
from .time_distributed import build_sequence_head

__all__ = [
    "build_repeat_vector",
    "build_seq2seq",
    "build_sequence_head",
    "build_stacked",
]
