"""The cuDNN decision, pinned against the checks in Keras 3's source."""

from __future__ import annotations

import importlib
import itertools

import keras
import numpy as np
import pytest

from lstm_examples.cudnn import (
    DEFAULTS,
    TABLE_CONFIGS,
    Decision,
    cudnn_decision,
    decision_table,
    layer_settings,
)

# Keras's own checks (private helpers of keras/src/backend/tensorflow/rnn.py).
tf_rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize(
    "combo",
    list(
        itertools.product(
            ["tanh", "relu"],
            ["sigmoid", "hard_sigmoid"],
            [False, True],
            [True, False],
            [True, False],
        )
    ),
)
def test_argument_checks_agree_with_keras_tensorflow_backend(kind, combo):
    activation, recurrent_activation, unroll, use_bias, reset_after = combo
    # keras/src/backend/tensorflow/rnn.py: _do_lstm/_do_gru_arguments_support_cudnn,
    # which cudnn_ok combines with "a GPU is visible".
    act = keras.activations.get(activation)
    rec = keras.activations.get(recurrent_activation)
    if kind == "lstm":
        expected = tf_rnn._do_lstm_arguments_support_cudnn(act, rec, unroll, use_bias)
    else:
        expected = tf_rnn._do_gru_arguments_support_cudnn(act, rec, unroll, use_bias, reset_after)
    config = {
        "kind": kind,
        "activation": activation,
        "recurrent_activation": recurrent_activation,
        "unroll": unroll,
        "use_bias": use_bias,
        "reset_after": reset_after,
    }
    assert cudnn_decision(config, gpu_available=True).uses_cudnn == bool(expected)
    assert not cudnn_decision(config, gpu_available=False).uses_cudnn


def test_layer_and_mapping_give_the_same_decision():
    layers = [
        keras.layers.LSTM(2),
        keras.layers.LSTM(2, unroll=True),
        keras.layers.GRU(2, reset_after=False),
        keras.layers.LSTM(2, recurrent_dropout=0.5),
        keras.layers.LSTM(2, activation="relu", use_cudnn=True),
        keras.layers.SimpleRNN(2),
    ]
    for layer in layers:
        config = layer.get_config()
        mapping = {
            key: config[key]
            for key in DEFAULTS
            if key in config and key not in ("activation", "recurrent_activation")
        }
        mapping["kind"] = {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "simple_rnn"}[
            type(layer).__name__
        ]
        mapping["activation"] = config["activation"]
        mapping["use_cudnn"] = getattr(layer, "use_cudnn", "auto")
        if "recurrent_activation" in config:
            mapping["recurrent_activation"] = config["recurrent_activation"]
        for gpu in (True, False):
            assert cudnn_decision(layer, gpu_available=gpu) == cudnn_decision(
                mapping, gpu_available=gpu
            )


def test_recurrent_dropout_blocks_but_input_dropout_does_not():
    # layers/rnn/lstm.py, LSTM.inner_loop: `if not self.recurrent_dropout`; input
    # dropout is applied to the sequence before the fused call.
    assert not cudnn_decision({"recurrent_dropout": 0.1}, gpu_available=True).uses_cudnn
    assert cudnn_decision({"dropout": 0.5}, gpu_available=True).uses_cudnn


def test_use_cudnn_settings():
    assert cudnn_decision({"use_cudnn": False}, gpu_available=True).kernel == "generic"
    assert cudnn_decision({"use_cudnn": True}, gpu_available=True).kernel == "cuDNN"
    forced = cudnn_decision({"use_cudnn": True}, gpu_available=False)
    assert forced.kernel == "error"
    assert forced.reasons[0] == "no GPU"
    # SimpleRNN has no use_cudnn; a GRU on JAX never reaches cuDNN and does not raise.
    assert cudnn_decision({"kind": "simple_rnn"}, gpu_available=True).kernel == "generic"
    jax_gru = cudnn_decision({"kind": "gru", "use_cudnn": True}, backend="jax", gpu_available=True)
    assert jax_gru.kernel == "generic"


@pytest.mark.parametrize(
    ("settings", "mask", "reason"),
    [
        ({}, "right", "a mask (the jax backend's GRU takes none)"),
        ({"reset_after": False}, None, "reset_after=False"),
        ({"unroll": True}, None, "unroll=True"),
        ({"recurrent_dropout": 0.2}, None, "recurrent_dropout=0.2"),
    ],
)
def test_jax_gru_declined_by_its_backend_raises_when_forced(settings, mask, reason):
    # backend/jax/rnn.py `gru` raises NotImplementedError for these; use_cudnn=True then raises.
    forced = {"kind": "gru", "use_cudnn": True, **settings}
    decision = cudnn_decision(forced, backend="jax", gpu_available=True, mask=mask)
    assert decision.kernel == "error"
    assert reason in decision.reasons
    auto = cudnn_decision(
        {**forced, "use_cudnn": "auto"}, backend="jax", gpu_available=True, mask=mask
    )
    assert auto.kernel == "generic"


def test_use_cudnn_true_raises_on_this_cpu_machine_like_the_decision_says():
    # LSTM.inner_loop raises ValueError when the backend declines and use_cudnn=True.
    layer = keras.layers.LSTM(2, use_cudnn=True)
    gpu = bool(keras.config.backend() == "tensorflow" and tf_rnn._is_gpu_available())
    decision = cudnn_decision(layer, gpu_available=gpu)
    x = np.zeros((1, 3, 1), "float32")
    if decision.kernel == "error":
        with pytest.raises(ValueError, match="use_cudnn=True was specified"):
            layer(x)
    else:  # pragma: no cover - only on a machine with a GPU
        layer(x)


def test_masks_by_backend():
    right = cudnn_decision({}, gpu_available=True, mask="right")
    left = cudnn_decision({}, gpu_available=True, mask="left")
    assert right.kernel == "cuDNN"
    assert "sequence lengths" in right.reasons[0]
    assert left.kernel == "error"
    assert "right padding" in left.reasons[0]
    for backend in ("jax", "torch"):
        for mask in ("right", "left"):
            decision = cudnn_decision({}, backend=backend, gpu_available=True, mask=mask)
            assert decision.kernel == "generic"
            assert "mask" in decision.reasons[0]
        assert cudnn_decision({}, backend=backend, gpu_available=True).uses_cudnn


def test_every_reason_is_listed():
    decision = cudnn_decision(
        {"unroll": True, "use_bias": False, "activation": "relu"}, gpu_available=False
    )
    assert decision.reasons == (
        "activation=relu (must be tanh)",
        "unroll=True",
        "use_bias=False",
        "no GPU",
    )
    assert str(decision).startswith("generic: activation=relu")


def test_decision_table():
    table = decision_table()
    assert len(table.rows) == len(TABLE_CONFIGS)
    assert set(table.column("CPU")) == {"generic", "error"}
    assert table.column("GPU").count("cuDNN") == 4
    assert "jax" in decision_table(backend="jax").caption


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"backend": "numpy", "gpu_available": True}, ValueError, "backend must be one of"),
        ({"gpu_available": "yes"}, TypeError, "gpu_available must be True or False"),
        ({"gpu_available": True, "mask": "middle"}, ValueError, "mask must be None"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        cudnn_decision({}, **kwargs)


@pytest.mark.parametrize(
    ("settings", "error", "message"),
    [
        ({"units": 3}, ValueError, "unknown setting"),
        ({"kind": "transformer"}, ValueError, "kind must be one of"),
        ({"use_cudnn": "yes"}, ValueError, "use_cudnn must be"),
        ({"unroll": 1}, TypeError, "unroll must be True or False"),
        ({"recurrent_dropout": 2.0}, ValueError, r"recurrent_dropout must be a number in \[0, 1\]"),
        ({"dropout": "0.1"}, TypeError, "dropout must be a number"),
        ({"activation": 3}, TypeError, "activation name or function"),
    ],
)
def test_bad_settings(settings, error, message):
    with pytest.raises(error, match=message):
        layer_settings(settings)


def test_not_a_recurrent_layer():
    with pytest.raises(TypeError, match="expected a Keras LSTM, GRU or SimpleRNN"):
        layer_settings(keras.layers.Dense(2))
    with pytest.raises(TypeError, match="expected a Keras LSTM, GRU or SimpleRNN"):
        layer_settings(keras.layers.RNN(keras.layers.LSTMCell(2)))


def test_decision_str():
    assert str(Decision("cuDNN", ("a", "b"))) == "cuDNN: a; b"


def test_example_kernels_on_this_machine():
    from lstm_examples.cudnn import example_kernels
    from lstm_examples.device import gpu_names
    from lstm_examples.models import EXAMPLES

    table = example_kernels()
    assert table.column("layer") == [example.code for example in EXAMPLES]
    if gpu_names():
        assert set(table.column("kernel")) == {"cuDNN"}
        assert all(float(gap) <= 1e-5 for gap in table.column("largest |cuDNN - generic|"))
    else:
        assert set(table.column("kernel")) == {"generic"}
        assert set(table.column("why")) == {"no GPU"}
        assert set(table.column("largest |cuDNN - generic|")) == {"-"}
        assert table.caption == "Kernels on CPU (tensorflow backend)"
