"""lstm_examples.parameters against Keras: the weights a built layer holds and its count."""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lstm_examples.parameters import (
    BLOCKS,
    conv_lstm_parameter_count,
    conv_lstm_weight_shapes,
    parameter_count,
    weight_shapes,
)

# Building a layer is cheap but not free: a few examples cover the arithmetic.
FEW = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
LAYERS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU, "simple_rnn": keras.layers.SimpleRNN}
CONV_LAYERS = {1: keras.layers.ConvLSTM1D, 2: keras.layers.ConvLSTM2D, 3: keras.layers.ConvLSTM3D}


def keras_layer(
    kind: str, units: int, *, use_bias: bool = True, reset_after: bool = True
) -> keras.layers.Layer:
    options: dict[str, object] = {"use_bias": use_bias}
    if kind == "gru":
        options["reset_after"] = reset_after
    return LAYERS[kind](units, **options)


def named_shapes(layer: keras.layers.Layer) -> dict[str, tuple[int, ...]]:
    return {weight.name: tuple(weight.shape) for weight in layer.weights}


def test_blocks_cover_the_three_layers():
    assert set(BLOCKS) == set(LAYERS)


@FEW
@given(
    kind=st.sampled_from(sorted(LAYERS)),
    units=st.integers(1, 9),
    features=st.integers(1, 9),
    timesteps=st.integers(1, 6),
    use_bias=st.booleans(),
    reset_after=st.booleans(),
)
def test_shapes_and_count_match_keras(*, kind, units, features, timesteps, use_bias, reset_after):
    layer = keras_layer(kind, units, use_bias=use_bias, reset_after=reset_after)
    layer.build((None, timesteps, features))
    expected = weight_shapes(kind, units, features, use_bias=use_bias, reset_after=reset_after)
    assert named_shapes(layer) == expected
    count = parameter_count(kind, units, features, use_bias=use_bias, reset_after=reset_after)
    assert layer.count_params() == count


@FEW
@given(
    kind=st.sampled_from(sorted(LAYERS)),
    units=st.integers(1, 9),
    features=st.integers(1, 9),
    reset_after=st.booleans(),
)
def test_bidirectional_is_twice_the_layer(kind, units, features, reset_after):
    wrapper = keras.layers.Bidirectional(keras_layer(kind, units, reset_after=reset_after))
    wrapper.build((None, 4, features))
    count = parameter_count(kind, units, features, reset_after=reset_after, bidirectional=True)
    assert wrapper.count_params() == count
    single = parameter_count(kind, units, features, reset_after=reset_after)
    assert count == 2 * single
    shapes = list(weight_shapes(kind, units, features, reset_after=reset_after).values())
    assert [tuple(weight.shape) for weight in wrapper.weights] == shapes * 2


def test_the_page_formulas():
    for units, features in [(1, 1), (4, 3), (12, 7)]:
        recurrent = units * (features + units)
        assert parameter_count("lstm", units, features) == 4 * (recurrent + units)
        assert parameter_count("gru", units, features) == 3 * (recurrent + 2 * units)
        assert parameter_count("gru", units, features, reset_after=False) == 3 * (recurrent + units)
        assert parameter_count("simple_rnn", units, features) == recurrent + units


@FEW
@given(
    rank=st.sampled_from([1, 2, 3]),
    filters=st.integers(1, 5),
    channels=st.integers(1, 4),
    data=st.data(),
    use_bias=st.booleans(),
)
def test_conv_lstm_matches_keras(rank, filters, channels, data, use_bias):
    window = tuple(data.draw(st.lists(st.integers(1, 3), min_size=rank, max_size=rank)))
    layer = CONV_LAYERS[rank](filters, window, padding="same", use_bias=use_bias)
    layer.build((None, 2, *([4] * rank), channels))
    assert named_shapes(layer) == conv_lstm_weight_shapes(
        filters, window, channels, use_bias=use_bias
    )
    count = conv_lstm_parameter_count(filters, window, channels, use_bias=use_bias)
    assert layer.count_params() == count
    k = math.prod(window)
    if use_bias:
        assert count == k * channels * 4 * filters + k * filters * 4 * filters + 4 * filters


def test_conv_lstm_integer_kernel_with_rank():
    layer = keras.layers.ConvLSTM2D(3, 2)
    layer.build((None, 2, 5, 5, 1))
    assert layer.count_params() == conv_lstm_parameter_count(3, 2, 1, rank=2)
    assert conv_lstm_weight_shapes(3, np.int64(2), 1, rank=2)["kernel"] == (2, 2, 1, 12)


def test_count_does_not_depend_on_timesteps_or_batch():
    counts = set()
    for shape in [(None, 3, 5), (8, 3, 5), (1, 40, 5), (None, None, 5)]:
        layer = keras.layers.LSTM(6)
        layer.build(shape)
        counts.add(layer.count_params())
    assert counts == {parameter_count("lstm", 6, 5)}


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: weight_shapes("LSTM", 2, 3), ValueError, "kind must be one of"),
        (lambda: weight_shapes(None, 2, 3), TypeError, "kind must be one of .* got NoneType"),
        (lambda: weight_shapes("lstm", 2.0, 3), TypeError, "units must be an integer >= 1"),
        (lambda: weight_shapes("lstm", 2, 0), ValueError, "features must be an integer >= 1"),
        (lambda: weight_shapes("gru", 2, 3, reset_after=1), TypeError, "reset_after must be"),
        (lambda: parameter_count("lstm", 2, 3, bidirectional="yes"), TypeError, "bidirectional"),
        (lambda: parameter_count("lstm", 2, 3, use_bias=None), TypeError, "use_bias must be"),
        (lambda: conv_lstm_weight_shapes(2, 3, 1), TypeError, "needs rank=1, 2 or 3"),
        (lambda: conv_lstm_weight_shapes(2, 3, 1, rank=4), ValueError, "rank must be 1, 2 or 3"),
        (lambda: conv_lstm_weight_shapes(2, 3, 1, rank=0), ValueError, "rank must be an integer"),
        (lambda: conv_lstm_weight_shapes(2, (3, 3), 1, rank=1), ValueError, "rank=1 values"),
        (lambda: conv_lstm_weight_shapes(2, (), 1), ValueError, "got 0 values"),
        (lambda: conv_lstm_weight_shapes(2, (1, 1, 1, 1), 1), ValueError, "got 4 values"),
        (lambda: conv_lstm_weight_shapes(2, "33", 1), TypeError, "got str '33'"),
        (lambda: conv_lstm_weight_shapes(2, (3, 0), 1), ValueError, "kernel_size must be an"),
        (lambda: conv_lstm_weight_shapes(0, (3, 3), 1), ValueError, "filters must be an integer"),
        (lambda: conv_lstm_parameter_count(2, (3, 3), 1, use_bias=0), TypeError, "use_bias"),
    ],
)
def test_bad_input_names_what_was_expected(call, error, message):
    with pytest.raises(error, match=message):
        call()
