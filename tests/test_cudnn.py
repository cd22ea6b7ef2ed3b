"""The cuDNN decision, pinned against the checks in Keras 3's source and run where it can be."""

from __future__ import annotations

import importlib
import itertools
import warnings
from unittest import mock

import keras
import numpy as np
import pytest

from lstm_examples.cudnn import (
    BACKENDS,
    DEFAULTS,
    FUSED_BIDIRECTIONAL_SINCE,
    OTHER_BACKEND_CASES,
    TABLE_CASES,
    BidirectionalDecision,
    Case,
    bidirectional_decision,
    cudnn_decision,
    decision_table,
    decisions_as_table,
    disables_xla,
    layer_settings,
    mask_kind,
)

# Keras's own checks (private helpers of keras/src/backend/tensorflow/rnn.py).
tf_rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")

#: A mask of each kind, for a batch of 2 sequences of 3 steps.
MASKS = {
    "right": np.array([[True, True, False], [True, True, True]]),
    "left": np.array([[False, True, True], [True, True, True]]),
    "empty_row": np.array([[True, True, False], [False, False, False]]),
}
X = np.random.default_rng(0).normal(size=(2, 3, 2)).astype("float32")


def build_layer(settings) -> keras.layers.Layer:
    """The Keras layer a mapping of settings describes."""
    s = {**DEFAULTS, **settings}
    kind = s.pop("kind")
    if kind != "gru":
        s.pop("reset_after")
    if kind == "simple_rnn":
        for name in ("recurrent_activation", "use_cudnn"):
            s.pop(name)
    cls = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU, "simple_rnn": keras.layers.SimpleRNN}
    return cls[kind](2, **s)


def _gpu_here() -> bool:
    return bool(keras.config.backend() == "tensorflow" and tf_rnn._is_gpu_available())


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
    assert disables_xla(config, gpu_available=True) == bool(expected)
    assert not cudnn_decision(config, gpu_available=False).uses_cudnn


def test_layer_and_mapping_give_the_same_decision():
    for case in TABLE_CASES + OTHER_BACKEND_CASES:
        layer = build_layer(case.settings)
        for backend, gpu in itertools.product(BACKENDS, (True, False)):
            kwargs = {"backend": backend, "gpu_available": gpu, "mask": case.mask}
            assert cudnn_decision(layer, **kwargs) == cudnn_decision(case.settings, **kwargs)
            assert disables_xla(layer, backend=backend, gpu_available=gpu) == disables_xla(
                case.settings, backend=backend, gpu_available=gpu
            )


@pytest.mark.parametrize("case", TABLE_CASES, ids=lambda case: case.label)
def test_each_case_runs_on_this_machine_as_decided(case):
    # An eager call on this machine: "error" is Keras's ValueError for use_cudnn=True
    # (LSTM/GRU.inner_loop), everything else runs.
    decision = cudnn_decision(
        case.settings, gpu_available=_gpu_here(), mask=case.mask, compiled=False
    )
    layer = build_layer(case.settings)
    mask = None if case.mask is None else MASKS[case.mask]
    if decision.kernel == "error":
        with pytest.raises(ValueError, match="use_cudnn=True was specified"):
            layer(X, mask=mask)
    else:
        layer(X, mask=mask)


def test_recurrent_dropout_blocks_but_input_dropout_does_not():
    # layers/rnn/lstm.py, LSTM.inner_loop: `if not self.recurrent_dropout`; input
    # dropout is applied to the sequence before the fused call.
    for backend in BACKENDS:
        blocked = cudnn_decision({"recurrent_dropout": 0.1}, backend=backend, gpu_available=True)
        assert blocked.kernel == "generic"
        forced = {"recurrent_dropout": 0.1, "use_cudnn": True}
        assert cudnn_decision(forced, backend=backend, gpu_available=True).kernel == "error"
    assert cudnn_decision({"dropout": 0.5}, gpu_available=True).uses_cudnn
    # The mask check is never reached: the layer never asks the backend.
    skipped = cudnn_decision({"recurrent_dropout": 0.1}, gpu_available=True, mask="left")
    assert skipped.reasons == ("recurrent_dropout=0.1 (must be 0)",)


def test_use_cudnn_settings():
    assert cudnn_decision({"use_cudnn": False}, gpu_available=True).kernel == "generic"
    assert cudnn_decision({"use_cudnn": True}, gpu_available=True).kernel == "cuDNN"
    forced = cudnn_decision({"use_cudnn": True}, gpu_available=False)
    assert forced.kernel == "error"
    assert forced.reasons == ("no GPU", "use_cudnn=True raises ValueError")
    # SimpleRNN has no use_cudnn; a GRU on JAX never reaches cuDNN and does not raise.
    assert cudnn_decision({"kind": "simple_rnn"}, gpu_available=True).kernel == "generic"
    jax_gru = cudnn_decision({"kind": "gru", "use_cudnn": True}, backend="jax", gpu_available=True)
    assert jax_gru.kernel == "generic"


@pytest.mark.parametrize(
    ("settings", "mask", "reason"),
    [
        ({}, "right", "a mask (the jax backend takes none)"),
        ({"reset_after": False}, None, "reset_after=False"),
        ({"unroll": True}, None, "unroll=True"),
        ({"recurrent_dropout": 0.2}, None, "recurrent_dropout=0.2 (must be 0)"),
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


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"kind": "gru"},
        {"activation": "relu"},
        {"recurrent_activation": "hard_sigmoid"},
        {"unroll": True},
        {"use_bias": False},
    ],
)
@pytest.mark.parametrize(("gpu", "compiled"), [(False, False), (True, True), (False, True)])
def test_torch_runs_its_own_loop_instead_of_raising(settings, gpu, compiled):
    # backend/torch/rnn.py `lstm`/`gru`: without a mask (and, for the GRU, with
    # reset_after=True) the backend never declines; off cuDNN it runs _fallback_lstm/gru.
    forced = {**settings, "use_cudnn": True}
    decision = cudnn_decision(forced, backend="torch", gpu_available=gpu, compiled=compiled)
    assert decision.kernel == "generic"
    assert decision.reasons[-1] == "use_cudnn=True does not raise: the backend runs its own loop"
    if compiled:
        assert "inside torch.compile or a torch.jit trace" in decision.reasons


@pytest.mark.parametrize(
    ("settings", "mask"),
    [
        ({}, "right"),
        ({"kind": "gru"}, "left"),
        ({"kind": "gru", "reset_after": False}, None),
        ({"recurrent_dropout": 0.3}, None),
    ],
)
def test_torch_raises_only_where_the_backend_declines(settings, mask):
    for gpu in (True, False):
        forced = {**settings, "use_cudnn": True}
        decision = cudnn_decision(forced, backend="torch", gpu_available=gpu, mask=mask)
        assert decision.kernel == "error"
        assert decision.reasons[-1] == "use_cudnn=True raises ValueError"
        auto = cudnn_decision(settings, backend="torch", gpu_available=gpu, mask=mask)
        assert auto.kernel == "generic"


def test_torch_default_call_is_eager_and_uses_cudnn_on_a_gpu():
    assert cudnn_decision({}, backend="torch", gpu_available=True).uses_cudnn
    assert cudnn_decision({"kind": "gru"}, backend="torch", gpu_available=True).uses_cudnn
    assert not cudnn_decision({}, backend="torch", gpu_available=True, compiled=True).uses_cudnn


def test_masks_on_tensorflow():
    right = cudnn_decision({}, gpu_available=True, mask="right")
    assert right.kernel == "cuDNN"
    assert "sequence lengths" in right.reasons[0]
    for kind in ("left", "empty_row"):
        # fit/predict: the tf.Assert of _assert_valid_mask fails at run time.
        compiled = cudnn_decision({}, gpu_available=True, mask=kind)
        assert compiled.kernel == "error"
        assert "InvalidArgumentError" in compiled.reasons[0]
        assert cudnn_decision({"use_cudnn": True}, gpu_available=True, mask=kind) == compiled
        # Eager: the assertion's InvalidArgumentError becomes NotImplementedError.
        eager = cudnn_decision({}, gpu_available=True, mask=kind, compiled=False)
        assert eager.kernel == "generic"
        forced = cudnn_decision({"use_cudnn": True}, gpu_available=True, mask=kind, compiled=False)
        assert forced.kernel == "error"
        assert forced.reasons[-1] == "use_cudnn=True raises ValueError"
        # Without a GPU, or with arguments cuDNN cannot take, the mask is never checked.
        assert cudnn_decision({}, gpu_available=False, mask=kind).reasons == ("no GPU",)
        assert cudnn_decision({"unroll": True}, gpu_available=True, mask=kind).kernel == "generic"
    arrays = {kind: cudnn_decision({}, gpu_available=True, mask=MASKS[kind]) for kind in MASKS}
    assert arrays == {kind: cudnn_decision({}, gpu_available=True, mask=kind) for kind in MASKS}


def test_masks_on_jax_and_torch():
    for backend in ("jax", "torch"):
        for mask in MASKS:
            decision = cudnn_decision({}, backend=backend, gpu_available=True, mask=mask)
            assert decision.kernel == "generic"
            assert decision.reasons[0] == f"a mask (the {backend} backend takes none)"
        assert cudnn_decision({}, backend=backend, gpu_available=True).uses_cudnn


def test_mask_kind_agrees_with_keras_mask_check():
    import tensorflow as tf

    rng = np.random.default_rng(3)
    masks = list(MASKS.values())
    masks += [rng.random((3, 4)) < 0.7 for _ in range(40)]
    masks += [np.arange(4)[None, :] < rng.integers(0, 5, size=(3, 1)) for _ in range(20)]
    kinds = set()
    for mask in masks:
        kind = mask_kind(mask)
        kinds.add(kind)
        if kind == "right":
            tf_rnn._assert_valid_mask(tf.constant(mask))
        else:
            with pytest.raises(tf.errors.InvalidArgumentError, match="right-padded sequences"):
                tf_rnn._assert_valid_mask(tf.constant(mask))
    assert kinds == {"right", "left", "empty_row"}
    assert mask_kind(np.array([[1, 0]])) == "right"


def test_disables_xla_agrees_with_keras_on_a_gpu():
    # With a GPU visible, LSTM/GRU.__init__ set supports_jit=False when cudnn_ok holds
    # and use_cudnn is not False; compile(jit_compile=True) then warns and drops XLA.
    with mock.patch.object(tf_rnn, "_is_gpu_available", return_value=True):
        for case in TABLE_CASES:
            layer = build_layer(case.settings)
            blocked = disables_xla(case.settings, gpu_available=True)
            assert layer.supports_jit is not blocked, case.label
            inputs = keras.Input((None, 2))
            model = keras.Model(inputs, layer(inputs))
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                model.compile(loss="mse", jit_compile=True)
            assert model.jit_compile is not blocked, case.label
            messages = [str(w.message) for w in caught]
            assert any("doesn't support `jit_compile=True`" in m for m in messages) is blocked


def test_disables_xla_without_a_gpu_or_on_other_backends():
    layer = keras.layers.LSTM(2)
    assert layer.supports_jit is not _gpu_here()
    assert not disables_xla({}, gpu_available=False)
    assert not disables_xla({}, backend="torch", gpu_available=True)
    assert not disables_xla({"kind": "simple_rnn"}, gpu_available=True)


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


def test_decision_tables():
    table = decision_table()
    assert list(table) == [case.label for case in TABLE_CASES]
    assert {case.cpu.kernel for case in table.values()} == {"generic", "error"}
    assert [case.gpu.kernel for case in table.values()].count("cuDNN") == 4
    assert [case.xla_on_gpu for case in table.values()].count(False) == 10
    shown = decisions_as_table(table)
    assert shown.column("layer") == list(table)
    assert shown.column("GPU") == [case.gpu.kernel for case in table.values()]
    assert shown.column("XLA on a GPU").count("no") == 10
    assert "tensorflow" in shown.caption
    torch = decision_table(OTHER_BACKEND_CASES, backend="torch")
    shown = decisions_as_table(torch, backend="torch")
    assert "XLA on a GPU" not in shown.header
    assert "torch" in shown.caption
    assert {case.xla_on_gpu for case in torch.values()} == {None}
    kernels = [(case.gpu.kernel, case.cpu.kernel) for case in torch.values()]
    assert [gpu for gpu, _ in kernels].count("error") == [cpu for _, cpu in kernels].count("error")
    assert [cpu for _, cpu in kernels].count("error") == 3
    jax = decision_table(OTHER_BACKEND_CASES, backend="jax")
    jax_gpu = [case.gpu.kernel for case in jax.values()]
    assert jax_gpu[:4] == ["cuDNN", "cuDNN", "generic", "generic"]
    plain = decision_table([("LSTM", {}, None)])
    assert plain == decision_table([Case("LSTM", {})])
    assert decisions_as_table({}).rows == ()


def test_decision_table_rejects_a_repeated_label():
    # Keyed by label, a second case of the same label would replace the first in silence.
    with pytest.raises(ValueError, match="two cases are labelled 'LSTM'"):
        decision_table([Case("LSTM", {}), Case("LSTM", {"unroll": True})])
    with pytest.raises(ValueError, match="backend must be one of"):
        decision_table(backend="mlx")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"backend": "numpy", "gpu_available": True}, ValueError, "backend must be one of"),
        ({"gpu_available": "yes"}, TypeError, "gpu_available must be True or False"),
        ({"gpu_available": True, "mask": "middle"}, ValueError, "mask must be None"),
        ({"gpu_available": True, "mask": [True, False]}, ValueError, "mask must be 2-D"),
        ({"gpu_available": True, "mask": [[2, 0]]}, ValueError, "mask must hold booleans"),
        ({"gpu_available": True, "compiled": 1}, TypeError, "compiled must be True or False"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        cudnn_decision({}, **kwargs)
    if "mask" not in kwargs and "compiled" not in kwargs:
        with pytest.raises(error, match=message):
            disables_xla({}, **kwargs)


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


def test_example_kernels_on_this_machine():
    from lstm_examples.cudnn import example_kernels, kernels_as_table
    from lstm_examples.device import gpu_names
    from lstm_examples.models import EXAMPLES

    kernels = example_kernels()
    assert list(kernels) == [example.number for example in EXAMPLES]
    assert [k.code for k in kernels.values()] == [example.code for example in EXAMPLES]
    shown = kernels_as_table(kernels, devices=gpu_names(), backend=keras.backend.backend())
    assert shown.column("example") == [str(number) for number in kernels]
    if gpu_names():
        assert {k.decision.kernel for k in kernels.values()} == {"cuDNN"}
        assert all(k.gap is not None and k.gap <= 1e-5 for k in kernels.values())
    else:
        assert {k.decision.kernel for k in kernels.values()} == {"generic"}
        assert {k.decision.reasons for k in kernels.values()} == {("no GPU",)}
        assert {k.gap for k in kernels.values()} == {None}
        assert set(shown.column("largest |cuDNN - generic|")) == {"-"}
        assert shown.caption == "Kernels on CPU (tensorflow backend)"


# --- Bidirectional: the fused path of Keras 3.15 (layers/rnn/bidirectional.py) ---

BIDIRECTIONAL_SETTINGS = [
    {},
    {"kind": "gru"},
    {"kind": "gru", "reset_after": False},
    {"kind": "simple_rnn"},
    {"use_cudnn": False},
    {"use_cudnn": True},
    {"dropout": 0.2},
    {"recurrent_dropout": 0.2},
    {"use_bias": False},
    {"activation": "relu"},
    {"unroll": True},
]


#: Whether the installed Keras has the fused path (Keras 3.10, the lowest allowed, has not).
KERAS_FUSES = hasattr(keras.layers.Bidirectional, "_can_attempt_fused_lstm")


def _keras_layer_level_fusion(wrapper, mask=None) -> bool:
    """Keras's own layer-level preconditions for the fused path."""
    return wrapper._can_attempt_fused_lstm(mask) or wrapper._can_attempt_fused_gru(mask)


def test_fused_bidirectional_follows_the_installed_keras():
    """The installed Keras has the fused path exactly when the decision says it may."""
    installed = bidirectional_decision(
        {}, backend="jax", gpu_available=True, keras_version=keras.__version__
    )
    assert installed.fused is KERAS_FUSES
    old = bidirectional_decision({}, backend="torch", gpu_available=True, keras_version="3.10.0")
    assert not old.fused
    assert old.why_not_fused == (
        f"Keras 3.10.0 has no fused Bidirectional (new in {FUSED_BIDIRECTIONAL_SINCE})",
    )
    assert old.direction.kernel == "cuDNN"  # each of the two layers still decides
    for version in (FUSED_BIDIRECTIONAL_SINCE, "3.15.1.dev2026060303", "4.0"):
        assert bidirectional_decision(
            {}, backend="jax", gpu_available=True, keras_version=version
        ).fused, version
    with pytest.raises(ValueError, match="keras_version"):
        bidirectional_decision({}, gpu_available=True, keras_version="latest")


@pytest.mark.skipif(not KERAS_FUSES, reason="this Keras has no fused Bidirectional path")
@pytest.mark.parametrize("settings", BIDIRECTIONAL_SETTINGS, ids=str)
@pytest.mark.parametrize("masked", [False, True])
def test_bidirectional_layer_checks_agree_with_keras(settings, masked):
    wrapper = keras.layers.Bidirectional(build_layer(settings))
    wrapper.build((None, 3, 2))
    mask = MASKS["right"] if masked else None
    keras_says = _keras_layer_level_fusion(wrapper, mask)
    for backend in BACKENDS:
        decision = bidirectional_decision(
            wrapper, backend=backend, gpu_available=True, mask=mask, compiled=False
        )
        backend_only = {
            "the tensorflow backend has no fused Bidirectional",
            "the jax backend has no fused GRU",
            "activation=relu (must be tanh)",
            "unroll=True",
        }
        layer_reasons = set(decision.why_not_fused) - backend_only
        assert (not layer_reasons) is keras_says, (backend, settings, decision)
        # the same answer from the wrapper and from the wrapped layer's settings
        from_settings = bidirectional_decision(
            settings, backend=backend, gpu_available=True, mask=mask, compiled=False
        )
        assert from_settings == decision


def test_bidirectional_backends_on_a_gpu():
    fused = {
        backend: [
            bidirectional_decision(s, backend=backend, gpu_available=True).fused
            for s in BIDIRECTIONAL_SETTINGS
        ]
        for backend in BACKENDS
    }
    assert not any(fused["tensorflow"])
    # JAX: the LSTM only (defaults and use_cudnn=True); PyTorch: the GRU too.
    assert [s for s, f in zip(BIDIRECTIONAL_SETTINGS, fused["jax"], strict=True) if f] == [
        {},
        {"use_cudnn": True},
    ]
    assert [s for s, f in zip(BIDIRECTIONAL_SETTINGS, fused["torch"], strict=True) if f] == [
        {},
        {"kind": "gru"},
        {"use_cudnn": True},
    ]
    assert not bidirectional_decision({}, backend="torch", gpu_available=True, compiled=True).fused
    assert not bidirectional_decision({}, backend="jax", gpu_available=False).fused
    # Not fused, each layer decides on its own: input dropout does not stop cuDNN there.
    dropout = bidirectional_decision({"dropout": 0.2}, backend="jax", gpu_available=True)
    assert dropout.direction.kernel == "cuDNN"
    assert not dropout.fused
    strict = bidirectional_decision(
        {"use_cudnn": True, "unroll": True}, backend="jax", gpu_available=True
    )
    assert strict.direction.kernel == "error"


def test_tensorflow_backend_never_fuses():
    # keras/src/backend/tensorflow/rnn.py: bidirectional_lstm/gru raise NotImplementedError.
    if not KERAS_FUSES:
        assert not hasattr(tf_rnn, "bidirectional_lstm")
        return
    for name in ("bidirectional_lstm", "bidirectional_gru"):
        with pytest.raises(NotImplementedError):
            getattr(tf_rnn, name)()


def test_bidirectional_decision_rejects_bad_input():
    with pytest.raises(TypeError, match="Bidirectional"):
        bidirectional_decision(keras.layers.LSTM(2), gpu_available=True)
    with pytest.raises(ValueError, match="backend"):
        bidirectional_decision({}, backend="numpy", gpu_available=True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        bidirectional_decision({}, gpu_available=True, stateful="yes")  # type: ignore[arg-type]
    assert str(bidirectional_decision({}, backend="jax", gpu_available=True)).startswith("fused")
    assert isinstance(bidirectional_decision({}, gpu_available=False), BidirectionalDecision)
    differ = keras.layers.Bidirectional(
        keras.layers.LSTM(2), backward_layer=keras.layers.LSTM(3, go_backwards=True)
    )
    assert (
        "the two layers differ"
        in bidirectional_decision(differ, backend="torch", gpu_available=True).why_not_fused
    )
