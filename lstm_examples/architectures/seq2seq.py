"""An encoder-decoder that hands the encoder's final states to the decoder as ``initial_state``.

The task is to reverse a short sequence of digits. The encoder reads the digits
and keeps only its final ``[state_h, state_c]``; the decoder starts from those
states and, during training, reads the target shifted right by one step behind
a start token (teacher forcing). After training, :func:`inference_models` wires
the same layers into a one-step decoder, and :func:`greedy_decode` runs it one
digit at a time, feeding each step's states and prediction back in.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Final

import keras
import numpy as np
import numpy.typing as npt

from ..models import recurrent_layer
from ..render import Table
from ..validation import as_batch, check_positive_int, check_seed
from .common import dense_layer

#: Digits per sequence in the page's task.
STEPS: Final[int] = 5
#: Size of the digit alphabet (0 to 9); the start token is the extra symbol ``DIGITS``.
DIGITS: Final[int] = 10


def one_hot(indices: npt.ArrayLike, depth: int) -> npt.NDArray[np.float32]:
    """One-hot encode integer ``indices`` in ``[0, depth)`` along a new last axis.

    >>> one_hot([[0, 2]], 3).tolist()
    [[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]]
    """
    depth = check_positive_int("depth", depth)
    array = np.asarray(indices)
    if not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"indices must be integers, got dtype {array.dtype}")
    if array.size and (array.min() < 0 or array.max() >= depth):
        raise ValueError(
            f"indices must lie in [0, {depth}), got values from {array.min()} to {array.max()}"
        )
    return np.eye(depth, dtype=np.float32)[array]


@dataclass(frozen=True)
class ReversalData:
    """Source digit sequences and their reversals, with the arrays the models read.

    >>> data = make_reversal_data(2, steps=3, seed=0)
    >>> data.sources.tolist(), data.targets.tolist()
    ([[8, 6, 5], [2, 3, 0]], [[5, 6, 8], [0, 3, 2]])
    >>> data.encoder_input.shape, data.decoder_input.shape
    ((2, 3, 10), (2, 3, 11))
    """

    sources: npt.NDArray[np.int64]
    digits: int = DIGITS

    @property
    def targets(self) -> npt.NDArray[np.int64]:
        """What the decoder must produce: each source sequence reversed, ``(n, steps)``."""
        return self.sources[:, ::-1].copy()

    @property
    def start_token(self) -> int:
        """The index of the start symbol in the decoder's alphabet (one past the last digit)."""
        return self.digits

    @property
    def encoder_input(self) -> npt.NDArray[np.float32]:
        """The sources one-hot encoded, ``(n, steps, digits)``."""
        return one_hot(self.sources, self.digits)

    @property
    def decoder_input(self) -> npt.NDArray[np.float32]:
        """Teacher forcing: the start token, then the targets without their last digit.

        Shaped ``(n, steps, digits + 1)``; the extra symbol is the start token.
        """
        start = np.full((len(self.sources), 1), self.start_token)
        shifted = np.concatenate([start, self.targets[:, :-1]], axis=1)
        return one_hot(shifted, self.digits + 1)


def make_reversal_data(
    n: int, *, steps: int = STEPS, digits: int = DIGITS, seed: int = 0
) -> ReversalData:
    """Draw ``n`` sequences of ``steps`` uniform random digits in ``[0, digits)``.

    The same arguments give the same data in any process.

    >>> make_reversal_data(1, steps=4, seed=3).sources.tolist()
    [[8, 0, 1, 2]]
    >>> make_reversal_data(0)
    Traceback (most recent call last):
    ...
    ValueError: n must be an integer >= 1, got 0
    """
    n = check_positive_int("n", n)
    steps = check_positive_int("steps", steps)
    digits = check_positive_int("digits", digits)
    if digits < 2:
        raise ValueError(f"digits must be an integer >= 2, got {digits}")
    rng = np.random.default_rng(check_seed(seed))
    return ReversalData(rng.integers(0, digits, size=(n, steps)), digits)


def build_seq2seq(
    *, digits: int = DIGITS, units: int = 32, seed: int = 0, name: str = "seq2seq"
) -> keras.Model:
    """Build the training model: encoder states become the decoder's ``initial_state``.

    Inputs are ``encoder_input`` ``(batch, steps, digits)`` and ``decoder_input``
    ``(batch, steps, digits + 1)``; the output is a softmax over the digits at
    every decoder step. The decoder LSTM also has ``return_state=True``: training
    ignores its states, but step-by-step decoding (:func:`inference_models`) needs
    them. Layers ``encoder_lstm``, ``decoder_lstm`` and ``decoder_dense`` are
    seeded with ``seed``, ``seed + 2`` and ``seed + 4``.

    >>> model = build_seq2seq(units=8)
    >>> [tuple(t.shape) for t in model.get_layer("encoder_lstm").output]
    [(None, 8), (None, 8), (None, 8)]
    >>> model.output_shape
    (None, None, 10)
    """
    digits = check_positive_int("digits", digits)
    units = check_positive_int("units", units)
    seed = check_seed(seed)
    encoder_input = keras.Input(shape=(None, digits), name="encoder_input")
    decoder_input = keras.Input(shape=(None, digits + 1), name="decoder_input")
    encoder = recurrent_layer(
        "lstm", units=units, return_state=True, seed=seed, name="encoder_lstm"
    )
    _, state_h, state_c = encoder(encoder_input)
    decoder = recurrent_layer(
        "lstm",
        units=units,
        return_sequences=True,
        return_state=True,
        seed=(seed + 2) % 2**31,
        name="decoder_lstm",
    )
    sequence, _, _ = decoder(decoder_input, initial_state=[state_h, state_c])
    dense = dense_layer(digits, activation="softmax", seed=(seed + 4) % 2**31, name="decoder_dense")
    return keras.Model([encoder_input, decoder_input], dense(sequence), name=name)


def inference_models(model: keras.Model) -> tuple[keras.Model, keras.Model]:
    """Wire the layers of a :func:`build_seq2seq` model into an encoder and a one-step decoder.

    The encoder maps a source ``(batch, steps, digits)`` to ``[state_h, state_c]``.
    The decoder maps ``[token, state_h, state_c]``, with ``token`` shaped
    ``(batch, 1, digits + 1)``, to ``[probabilities, state_h, state_c]``. Both reuse
    the training model's layer objects, so they share its weights, trained or not.

    >>> encoder, decoder = inference_models(build_seq2seq(units=8))
    >>> encoder.output_shape, decoder.output_shape
    ([(None, 8), (None, 8)], [(None, 1, 10), (None, 8), (None, 8)])
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"expected a keras.Model from build_seq2seq, got {type(model).__name__}")
    try:
        encoder_lstm = model.get_layer("encoder_lstm")
        decoder_lstm = model.get_layer("decoder_lstm")
        dense = model.get_layer("decoder_dense")
    except ValueError as error:
        raise ValueError(
            f"expected a model from build_seq2seq with layers 'encoder_lstm', 'decoder_lstm' "
            f"and 'decoder_dense'; {model.name!r} has {[layer.name for layer in model.layers]}"
        ) from error
    source = keras.Input(shape=(None, model.inputs[0].shape[-1]), name="source")
    _, state_h, state_c = encoder_lstm(source)
    encoder = keras.Model(source, [state_h, state_c], name="encoder")

    units = decoder_lstm.units
    token = keras.Input(shape=(1, model.inputs[1].shape[-1]), name="token")
    h_in = keras.Input(shape=(units,), name="state_h")
    c_in = keras.Input(shape=(units,), name="state_c")
    step, h_out, c_out = decoder_lstm(token, initial_state=[h_in, c_in])
    decoder = keras.Model([token, h_in, c_in], [dense(step), h_out, c_out], name="decoder")
    return encoder, decoder


def greedy_decode(
    encoder: keras.Model,
    decoder: keras.Model,
    sources: npt.ArrayLike,
    *,
    steps: int | None = None,
) -> npt.NDArray[np.int64]:
    """Decode ``sources`` one step at a time, feeding the states and each prediction back in.

    ``sources`` is one-hot ``(batch, timesteps, digits)``. The encoder's final
    ``[state_h, state_c]`` start the decoder; at each step the decoder reads the
    previous token (the start token first), returns digit probabilities and its new
    states, and the most likely digit becomes the next token. Returns the decoded
    digits, ``(batch, steps)``; ``steps`` defaults to the source length.

    >>> encoder, decoder = inference_models(build_seq2seq(units=8))
    >>> greedy_decode(encoder, decoder, make_reversal_data(2, steps=3).encoder_input).shape
    (2, 3)
    """
    digits = int(encoder.inputs[0].shape[-1])
    batch = as_batch(sources, features=digits)
    steps = batch.shape[1] if steps is None else check_positive_int("steps", steps)
    state_h, state_c = (keras.ops.convert_to_numpy(s) for s in encoder(batch, training=False))
    token = one_hot(np.full((len(batch), 1), digits), digits + 1)
    decoded = []
    for _ in range(steps):
        probabilities, state_h, state_c = (
            keras.ops.convert_to_numpy(a)
            for a in decoder([token, state_h, state_c], training=False)
        )
        digit = np.argmax(probabilities[:, 0, :], axis=-1)
        decoded.append(digit)
        token = one_hot(digit[:, None], digits + 1)
    return np.stack(decoded, axis=1).astype(np.int64)


def sequence_accuracy(predicted: npt.ArrayLike, target: npt.ArrayLike) -> float:
    """The fraction of sequences whose every digit is right.

    >>> sequence_accuracy([[1, 2], [3, 4]], [[1, 2], [3, 5]])
    0.5
    """
    predicted, target = _same_shape(predicted, target)
    return float(np.mean(np.all(predicted == target, axis=-1)))


def token_accuracy(predicted: npt.ArrayLike, target: npt.ArrayLike) -> float:
    """The fraction of digits that are right, over all sequences and steps.

    >>> token_accuracy([[1, 2], [3, 4]], [[1, 2], [3, 5]])
    0.75
    """
    predicted, target = _same_shape(predicted, target)
    return float(np.mean(predicted == target))


def _same_shape(
    predicted: npt.ArrayLike, target: npt.ArrayLike
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    a, b = np.asarray(predicted), np.asarray(target)
    if a.shape != b.shape or a.ndim != 2 or a.size == 0:
        raise ValueError(
            f"expected two non-empty (sequences, steps) arrays of one shape, got {a.shape} and {b.shape}"
        )
    return a, b


@dataclass(frozen=True)
class TrainingResult:
    """What :func:`train_seq2seq` reports: the per-epoch history and the wall time."""

    history: dict[str, list[float]]
    seconds: float

    @property
    def epochs(self) -> int:
        """How many epochs ran."""
        return len(self.history["loss"])


def train_seq2seq(
    model: keras.Model,
    data: ReversalData,
    *,
    epochs: int = 20,
    batch_size: int = 64,
    learning_rate: float = 0.01,
    seed: int = 0,
) -> TrainingResult:
    """Train ``model`` (from :func:`build_seq2seq`) with teacher forcing on ``data``.

    Seeds Keras's global random state with ``seed`` (the order of shuffled
    batches), compiles with Adam and sparse categorical cross-entropy, and fits
    silently. Returns the history and the wall time of the fit.

    >>> model = build_seq2seq(units=8)
    >>> result = train_seq2seq(model, make_reversal_data(64, steps=3), epochs=2)
    >>> result.epochs, sorted(result.history)
    (2, ['accuracy', 'loss'])
    """
    if not isinstance(data, ReversalData):
        raise TypeError(
            f"data must be ReversalData from make_reversal_data, got {type(data).__name__}"
        )
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    if (
        isinstance(learning_rate, bool)
        or not isinstance(learning_rate, int | float)
        or not (0 < learning_rate < 1)
    ):
        raise ValueError(f"learning_rate must be a number in (0, 1), got {learning_rate!r}")
    keras.utils.set_random_seed(check_seed(seed))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    start = time.perf_counter()
    history = model.fit(
        [data.encoder_input, data.decoder_input],
        data.targets,
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
    )
    seconds = time.perf_counter() - start
    return TrainingResult({k: [float(v) for v in vs] for k, vs in history.history.items()}, seconds)


def decoded_table(data: ReversalData, decoded: npt.ArrayLike, *, rows: int = 5) -> Table:
    """Show the first ``rows`` sources, their reversals and what the model decoded.

    >>> data = make_reversal_data(2, steps=3, seed=0)
    >>> print(decoded_table(data, data.targets))
    source  reversed  decoded  right
    ------  --------  -------  -----
    8 6 5   5 6 8     5 6 8    yes
    2 3 0   0 3 2     0 3 2    yes
    """
    rows = check_positive_int("rows", rows)
    decoded, targets = _same_shape(decoded, data.targets)

    def digits(sequence: npt.NDArray[np.int64]) -> str:
        return " ".join(str(int(d)) for d in sequence)

    return Table(
        ("source", "reversed", "decoded", "right"),
        [
            (digits(s), digits(t), digits(d), "yes" if np.array_equal(t, d) else "no")
            for s, t, d in zip(data.sources[:rows], targets[:rows], decoded[:rows], strict=True)
        ],
    )
