"""The ``RepeatVector`` encoder-decoder: one summary vector, repeated once per output step."""

from __future__ import annotations

import keras

from ..models import DEFAULT_SEED, recurrent_layer, set_seed
from ..validation import check_optional_positive_int, check_positive_int


def build_repeat_vector(
    *,
    input_steps: int | None = 5,
    output_steps: int = 5,
    features: int = 10,
    units: int = 16,
    outputs: int = 10,
    seed: int = DEFAULT_SEED,
    name: str = "repeat_vector_seq2seq",
) -> keras.Model:
    """Build ``LSTM -> RepeatVector -> LSTM(return_sequences=True) -> Dense(softmax)``.

    The encoder squeezes the input sequence into its last hidden state
    ``(batch, units)``; ``RepeatVector(output_steps)`` copies that vector once per
    output step; the decoder reads the copies and returns one hidden state per
    step, which a softmax ``Dense`` layer turns into ``outputs`` class
    probabilities. The encoder, the decoder and the ``Dense`` layer are created in
    that order after ``set_seed(seed)``, with Keras's default initializers.

    >>> model = build_repeat_vector(input_steps=5, output_steps=3, features=10, outputs=10)
    >>> model.output_shape
    (None, 3, 10)
    >>> [layer.name for layer in model.layers]
    ['input', 'encoder', 'repeat', 'decoder', 'dense']
    """
    input_steps = check_optional_positive_int("input_steps", input_steps)
    output_steps = check_positive_int("output_steps", output_steps)
    features = check_positive_int("features", features)
    units = check_positive_int("units", units)
    outputs = check_positive_int("outputs", outputs)
    set_seed(seed)
    inputs = keras.Input(shape=(input_steps, features), name="input")
    encoder = recurrent_layer("lstm", units=units, name="encoder")
    decoder = recurrent_layer("lstm", units=units, return_sequences=True, name="decoder")
    dense = keras.layers.Dense(outputs, activation="softmax", name="dense")
    repeated = keras.layers.RepeatVector(output_steps, name="repeat")(encoder(inputs))
    return keras.Model(inputs, dense(decoder(repeated)), name=name)
