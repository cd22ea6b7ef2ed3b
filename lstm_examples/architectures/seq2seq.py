"""An encoder-decoder that hands the encoder's final states to the decoder as ``initial_state``.

The page trains it to reverse short digit sequences with teacher forcing, then
rebuilds an encoder and a one-step decoder from its layers and decodes one digit
at a time; all of that is the page's own visible code. This module holds the
training model, so the page can check that the model it builds is this one.
"""

from __future__ import annotations

import keras

from ..models import recurrent_layer, set_seed
from ..validation import check_positive_int


def build_seq2seq(
    *, digits: int = 10, units: int = 32, seed: int = 0, name: str = "seq2seq"
) -> keras.Model:
    """Build the training model: the encoder's states become the decoder's ``initial_state``.

    Inputs are the source ``(batch, steps, digits)`` and the teacher-forced decoder
    input ``(batch, steps, digits + 1)`` (the extra symbol is the start token); the
    output is a softmax over the digits at every decoder step. The decoder LSTM also
    has ``return_state=True``: training ignores its states, but step-by-step
    decoding needs them. The encoder LSTM, the decoder LSTM and the ``Dense`` layer
    are created in that order after ``set_seed(seed)``, with Keras's default
    initializers.

    >>> model = build_seq2seq(units=8)
    >>> [tuple(t.shape) for t in model.get_layer("encoder_lstm").output]
    [(None, 8), (None, 8), (None, 8)]
    >>> model.output_shape
    (None, None, 10)
    >>> build_seq2seq(digits=1)
    Traceback (most recent call last):
    ...
    ValueError: digits must be an integer >= 2, got 1
    """
    digits = check_positive_int("digits", digits)
    if digits < 2:
        raise ValueError(f"digits must be an integer >= 2, got {digits}")
    units = check_positive_int("units", units)
    set_seed(seed)
    encoder_input = keras.Input(shape=(None, digits), name="encoder_input")
    encoder = recurrent_layer("lstm", units=units, return_state=True, name="encoder_lstm")
    _, state_h, state_c = encoder(encoder_input)
    decoder_input = keras.Input(shape=(None, digits + 1), name="decoder_input")
    decoder = recurrent_layer(
        "lstm", units=units, return_sequences=True, return_state=True, name="decoder_lstm"
    )
    sequence, _, _ = decoder(decoder_input, initial_state=[state_h, state_c])
    dense = keras.layers.Dense(digits, activation="softmax", name="decoder_dense")
    return keras.Model([encoder_input, decoder_input], dense(sequence), name=name)
