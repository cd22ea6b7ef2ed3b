"""The NumPy reference against Keras: property-based comparisons, then the edge cases and errors."""

from __future__ import annotations

import functools
import re
import subprocess
import sys

import keras
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lstm_examples.models import recurrent_layer
from lstm_examples.reference import (
    ACTIVATIONS,
    activation_fn,
    gru,
    gru_trace,
    lstm,
    lstm_trace,
    split_weights,
)

TOLERANCE = 1e-5  # float32 Keras against the float64 reference
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
ACTIVATION_NAMES = sorted(ACTIVATIONS)
RECURRENT_ACTIVATION_NAMES = ["sigmoid", "hard_sigmoid", "tanh", "softsign"]


@functools.cache
def keras_layer(
    kind: str,
    *,
    units: int,
    features: int,
    use_bias: bool,
    go_backwards: bool,
    return_sequences: bool,
    activation: str,
    recurrent_activation: str,
    reset_after: bool = True,
) -> keras.layers.Layer:
    """One built layer per configuration; the examples load their own weights into it."""
    options = {
        "return_sequences": return_sequences,
        "return_state": True,
        "go_backwards": go_backwards,
        "use_bias": use_bias,
        "activation": activation,
        "recurrent_activation": recurrent_activation,
    }
    if kind == "gru":
        layer = keras.layers.GRU(units, reset_after=reset_after, **options)
    else:
        layer = keras.layers.LSTM(units, **options)
    layer.build((None, None, features))
    return layer


def make_mask(rng: np.random.Generator, style: str, batch: int, timesteps: int) -> np.ndarray:
    """Padding masks: real steps at the end ("left" padding) or the start ("right")."""
    if style == "random":
        return rng.random((batch, timesteps)) < 0.6
    lengths = rng.integers(0, timesteps + 1, size=batch)  # 0: a fully masked row
    lengths[0] = timesteps  # at least one row is complete
    steps = np.arange(timesteps)
    if style == "right":
        return steps[None, :] < lengths[:, None]
    return steps[None, :] >= (timesteps - lengths)[:, None]


@st.composite
def cases(draw: st.DrawFn, kind: str) -> dict:
    batch = draw(st.integers(1, 4))
    timesteps = draw(st.integers(1, 7))
    case = {
        "kind": kind,
        "batch": batch,
        "timesteps": timesteps,
        "features": draw(st.integers(1, 3)),
        "units": draw(st.integers(1, 4)),
        "seed": draw(st.integers(0, 2**16)),
        "use_bias": draw(st.booleans()),
        "go_backwards": draw(st.booleans()),
        "return_sequences": draw(st.booleans()),
        "mask": draw(st.sampled_from([None, "left", "right", "random"])),
        "initial_state": draw(st.booleans()),
        "activation": draw(st.sampled_from(["tanh", "tanh", *ACTIVATION_NAMES])),
        "recurrent_activation": draw(st.sampled_from(RECURRENT_ACTIVATION_NAMES)),
    }
    if kind == "gru":
        case["reset_after"] = draw(st.booleans())
    return case


def compare_with_keras(case: dict) -> float:
    """Run Keras and the reference on one case; return the largest absolute difference."""
    kind = case["kind"]
    rng = np.random.default_rng(case["seed"])
    layer_options = {
        key: case[key]
        for key in (
            "units",
            "features",
            "use_bias",
            "go_backwards",
            "return_sequences",
            "activation",
            "recurrent_activation",
            "reset_after",
        )
        if key in case
    }
    layer = keras_layer(kind, **layer_options)
    weights = [rng.uniform(-0.7, 0.7, w.shape).astype(np.float32) for w in layer.get_weights()]
    layer.set_weights(weights)
    batch, timesteps, units = case["batch"], case["timesteps"], case["units"]
    x = rng.uniform(-1, 1, (batch, timesteps, case["features"])).astype(np.float32)
    mask = None if case["mask"] is None else make_mask(rng, case["mask"], batch, timesteps)
    n_states = 2 if kind == "lstm" else 1
    initial_state = None
    if case["initial_state"]:
        initial_state = [
            rng.uniform(-1, 1, (batch, units)).astype(np.float32) for _ in range(n_states)
        ]
    expected = [
        keras.ops.convert_to_numpy(a) for a in layer(x, initial_state=initial_state, mask=mask)
    ]

    kernel, recurrent_kernel = weights[:2]
    bias = weights[2] if case["use_bias"] else None
    options = {
        "initial_state": initial_state,
        "mask": mask,
        "go_backwards": case["go_backwards"],
        "return_sequences": case["return_sequences"],
        "activation": case["activation"],
        "recurrent_activation": case["recurrent_activation"],
        "backend": keras.backend.backend(),
    }
    if kind == "lstm":
        got = lstm(x, kernel, recurrent_kernel, bias, **options)
    else:
        got = gru(x, kernel, recurrent_kernel, bias, reset_after=case["reset_after"], **options)
    assert len(got) == len(expected) == 1 + n_states
    for ours, theirs in zip(got, expected, strict=True):
        assert ours.shape == theirs.shape
    return max(
        float(np.max(np.abs(ours - theirs))) for ours, theirs in zip(got, expected, strict=True)
    )


@PROPERTY_SETTINGS
@given(cases("lstm"))
def test_lstm_matches_keras(case):
    assert compare_with_keras(case) <= TOLERANCE


@PROPERTY_SETTINGS
@given(cases("gru"))
def test_gru_matches_keras(case):
    assert compare_with_keras(case) <= TOLERANCE


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_matches_the_sites_seeded_layers(kind):
    """The weights exactly as ``get_weights()`` returns them from the site's own builder."""
    layer = recurrent_layer(kind, units=3, return_sequences=True, return_state=True)
    x = np.random.default_rng(0).uniform(-1, 1, (2, 6, 4)).astype(np.float32)
    expected = [keras.ops.convert_to_numpy(a) for a in layer(x)]
    function = lstm if kind == "lstm" else gru
    got = function(x, *layer.get_weights(), return_sequences=True)
    for ours, theirs in zip(got, expected, strict=True):
        np.testing.assert_allclose(ours, theirs, atol=TOLERANCE)


WEIGHTS_1x1 = (np.full((1, 4), 0.3), np.full((1, 4), -0.2), np.full(4, 0.1))
GRU_WEIGHTS_1x1 = (np.full((1, 3), 0.3), np.full((1, 3), -0.2), np.full((2, 3), 0.1))
X = np.linspace(-1, 1, 2 * 5).reshape(2, 5, 1)


class TestSemantics:
    def test_output_is_state_h(self):
        output, state_h, _ = lstm(X, *WEIGHTS_1x1)
        np.testing.assert_array_equal(output, state_h)

    def test_last_step_of_the_sequence_is_state_h(self):
        sequence, state_h, _ = lstm(X, *WEIGHTS_1x1, return_sequences=True)
        assert sequence.shape == (2, 5, 1)
        np.testing.assert_array_equal(sequence[:, -1], state_h)

    def test_go_backwards_is_the_reversed_input_in_processing_order(self):
        backwards = lstm(X, *WEIGHTS_1x1, go_backwards=True, return_sequences=True)
        reversed_input = lstm(X[:, ::-1], *WEIGHTS_1x1, return_sequences=True)
        for a, b in zip(backwards, reversed_input, strict=True):
            np.testing.assert_array_equal(a, b)

    def test_masked_steps_carry_states_and_repeat_the_output(self):
        mask = np.array([[True, True, False, True, False], [False, False, True, True, True]])
        sequence, state_h, state_c = lstm(X, *WEIGHTS_1x1, mask=mask, return_sequences=True)
        np.testing.assert_array_equal(sequence[0, 2], sequence[0, 1])
        np.testing.assert_array_equal(sequence[0, 4], state_h[0])
        np.testing.assert_array_equal(sequence[1, :2], 0.0)  # before the first real step
        trace = lstm_trace(X, *WEIGHTS_1x1, mask=mask)
        np.testing.assert_array_equal(trace.states["c"][0, 2], trace.states["c"][0, 1])
        np.testing.assert_array_equal(trace.states["c"][0, -1], state_c[0])

    def test_a_fully_masked_row_keeps_the_initial_state(self):
        h0, c0 = np.full((2, 1), 0.5), np.full((2, 1), -0.5)
        mask = np.array([[False] * 5, [True] * 5])
        output, state_h, state_c = lstm(X, *WEIGHTS_1x1, mask=mask, initial_state=[h0, c0])
        assert (output[0, 0], state_h[0, 0], state_c[0, 0]) == (0.0, 0.5, -0.5)

    def test_on_jax_a_step_before_the_first_real_one_shows_h0(self):
        h0, c0 = np.full((2, 1), 0.5), np.full((2, 1), -0.5)
        mask = np.array([[False] * 5, [False, False, True, True, True]])
        options = {"mask": mask, "initial_state": [h0, c0], "return_sequences": True}
        jax_run = lstm(X, *WEIGHTS_1x1, backend="jax", **options)
        for other in ("tensorflow", "torch"):
            other_run = lstm(X, *WEIGHTS_1x1, backend=other, **options)
            np.testing.assert_array_equal(other_run[0][:, :2], 0.0)
            np.testing.assert_array_equal(other_run[0][1, 2:], jax_run[0][1, 2:])
            for ours, theirs in zip(jax_run[1:], other_run[1:], strict=True):
                np.testing.assert_array_equal(ours, theirs)
        np.testing.assert_array_equal(jax_run[0][0], 0.5)  # a fully masked row: h0 throughout
        np.testing.assert_array_equal(jax_run[0][1, :2], 0.5)
        gru_output, _ = gru(X, *GRU_WEIGHTS_1x1, mask=mask, initial_state=h0, backend="jax")
        assert gru_output[0, 0] == 0.5

    def test_an_unknown_backend_is_refused(self):
        assert_error(lambda: lstm(X, *WEIGHTS_1x1, backend="mlx"), "backend must be one of")
        assert_error(lambda: gru_trace(X, *GRU_WEIGHTS_1x1, backend=None), "backend must be one of")

    def test_gru_state_is_its_output(self):
        output, state = gru(X, *GRU_WEIGHTS_1x1)
        np.testing.assert_array_equal(output, state)
        assert list(gru_trace(X, *GRU_WEIGHTS_1x1).states) == ["h"]

    def test_gru_accepts_h0_alone_or_in_a_list(self):
        h0 = np.full((2, 1), 0.25)
        np.testing.assert_array_equal(
            gru(X, *GRU_WEIGHTS_1x1, initial_state=h0)[1],
            gru(X, *GRU_WEIGHTS_1x1, initial_state=[h0])[1],
        )

    def test_sigmoid_does_not_overflow(self):
        values = activation_fn("sigmoid")(np.array([-1000.0, 0.0, 1000.0]))
        assert values.tolist() == [0.0, 0.5, 1.0]

    def test_trace_shapes(self):
        trace = lstm_trace(X, *WEIGHTS_1x1)
        assert (trace.timesteps, trace.units) == (5, 1)
        assert all(v.shape == (2, 5, 1) for v in [*trace.gates.values(), *trace.states.values()])
        np.testing.assert_array_equal(trace.outputs, trace.states["h"])  # no mask
        assert trace.mask.all()
        assert not trace.go_backwards


class TestSplitWeights:
    def test_blocks_rebuild_the_first_step(self):
        layer = recurrent_layer("lstm", units=2)
        layer.build((None, None, 3))
        weights = layer.get_weights()
        blocks = split_weights("lstm", *weights)
        x = np.array([[[0.5, -0.25, 1.0]]])
        z = {g: x[0, 0] @ b["kernel"] + b["bias"] for g, b in blocks.items()}  # h0 = 0
        sigmoid = activation_fn("sigmoid")
        c = sigmoid(z["input"]) * np.tanh(z["candidate"])
        h = sigmoid(z["output"]) * np.tanh(c)
        np.testing.assert_allclose(lstm(x, *weights)[1][0], h)
        np.testing.assert_array_equal(blocks["forget"]["bias"], 1.0)  # unit_forget_bias

    def test_gru_bias_rows(self):
        blocks = split_weights("gru", *GRU_WEIGHTS_1x1)
        assert list(blocks) == ["update", "reset", "candidate"]
        assert blocks["reset"]["bias"].shape == (2, 1)
        one_row = split_weights("gru", *GRU_WEIGHTS_1x1[:2], np.arange(3.0), reset_after=False)
        assert [block["bias"].tolist() for block in one_row.values()] == [[0.0], [1.0], [2.0]]

    def test_without_bias(self):
        assert "bias" not in split_weights("lstm", *WEIGHTS_1x1[:2], None)["input"]

    def test_bad_kind_and_shapes(self):
        assert_error(lambda: split_weights("rnn", *WEIGHTS_1x1), "kind must be one of")
        assert_error(
            lambda: split_weights("lstm", np.zeros((2, 3)), *WEIGHTS_1x1[1:]),
            "(features, 4 * units) = (2, 4)",
        )
        assert_error(
            lambda: split_weights("gru", *GRU_WEIGHTS_1x1[:2], np.zeros(3)),
            "bias must have shape (2, 3)",
        )


def assert_error(call, *fragments: str) -> None:
    """``call()`` raises ValueError whose message holds every fragment."""
    with pytest.raises(ValueError, match=re.escape(fragments[0])) as info:
        call()
    for fragment in fragments[1:]:
        assert fragment in str(info.value)


class TestBadInput:
    def test_kernel_for_other_features(self):
        x = np.zeros((1, 3, 2))
        assert_error(lambda: lstm(x, *WEIGHTS_1x1), "(features, 4 * units) = (2, 4)", "got (1, 4)")

    def test_recurrent_kernel_not_units_by_4_units(self):
        recurrent_kernel = np.zeros((1, 3))
        assert_error(
            lambda: lstm(X, np.zeros((1, 4)), recurrent_kernel, None),
            "(units, 4 * units)",
            "got (1, 3)",
        )

    def test_bias_of_the_wrong_size(self):
        assert_error(lambda: lstm(X, *WEIGHTS_1x1[:2], np.zeros(3)), "bias must have shape (4,)")

    def test_gru_bias_must_match_reset_after(self):
        weights = GRU_WEIGHTS_1x1[:2]
        assert_error(lambda: gru(X, *weights, np.zeros(3)), "bias must have shape (2, 3)")
        assert_error(
            lambda: gru(X, *weights, np.zeros((2, 3)), reset_after=False),
            "bias must have shape (3,)",
        )

    def test_mask_shape(self):
        mask = np.ones((2, 4), bool)
        assert_error(lambda: lstm(X, *WEIGHTS_1x1, mask=mask), "(batch, timesteps) = (2, 5)")

    def test_mask_dtype(self):
        mask = np.full((2, 5), 0.5)
        assert_error(lambda: lstm(X, *WEIGHTS_1x1, mask=mask), "mask must hold booleans")

    def test_unknown_activation(self):
        assert_error(
            lambda: lstm(X, *WEIGHTS_1x1, activation="swish"),
            "unknown activation 'swish'",
            "'tanh'",
        )

    def test_initial_state(self):
        one, wide = [np.zeros((2, 1))], [np.zeros((2, 2))] * 2
        assert_error(lambda: lstm(X, *WEIGHTS_1x1, initial_state=one), "[h0, c0]")
        assert_error(
            lambda: lstm(X, *WEIGHTS_1x1, initial_state=wide),
            "h0 must have shape (batch, units) = (2, 1)",
        )
        assert_error(lambda: gru(X, *GRU_WEIGHTS_1x1, initial_state=[]), "one array h0")

    def test_input_not_3d(self):
        assert_error(lambda: lstm(np.zeros((5, 1)), *WEIGHTS_1x1), "3-D input")


def test_importing_the_reference_imports_no_tensorflow_or_keras():
    code = (
        "import sys, lstm_examples.reference\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'tensorflow', 'keras'})\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
