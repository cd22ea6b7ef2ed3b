"""On a GPU: Keras's fused cuDNN kernel against its generic kernel, same weights.

Marked ``gpu``: skipped (with the reason) where no GPU is visible to the Keras
backend, and failed instead when ``LSTM_STATES_REQUIRE_GPU=1`` (as `nox -t gpu`
sets it), so a GPU run can never pass on the CPU in silence. They run with any
backend: ``KERAS_BACKEND=tensorflow``, ``jax`` or ``torch``.

Tolerance: both kernels compute the same float32 equations; they differ only in
the order of the sums inside each matrix product and in fused element-wise ops,
a few units in the last place per step, carried along the sequence through the
cell state. On inputs and states of order 1 over 12 steps that stays below 1e-6
in practice; the tests allow ``atol = rtol = 1e-5`` (about 80 float32 ulps at 1).
TF32 matrix products (on by default for float32 on Ampere and newer GPUs, in
TensorFlow and JAX) round inputs to 10 mantissa bits and would differ by ~1e-3,
so the tests turn TF32 off: they compare kernels, not precisions.
"""

from __future__ import annotations

import os

import keras
import numpy as np
import pytest

from lstm_examples import gpu_names
from lstm_examples.cudnn import cudnn_decision

ATOL = RTOL = 1e-5
UNITS, FEATURES, TIMESTEPS, BATCH = 16, 5, 12, 8


@pytest.fixture(scope="module")
def gpu() -> tuple[str, ...]:
    names = gpu_names()
    if not names:
        reason = f"no GPU visible to Keras's {keras.backend.backend()} backend"
        if os.environ.get("LSTM_STATES_REQUIRE_GPU") == "1":
            pytest.fail(f"{reason}, and LSTM_STATES_REQUIRE_GPU=1 requires one")
        pytest.skip(reason)
    _full_float32_precision()
    return names


def _full_float32_precision() -> None:
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_tensor_float_32_execution(False)
    elif backend == "jax":
        import jax

        jax.config.update("jax_default_matmul_precision", "highest")
    elif backend == "torch":
        import torch

        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False


def layer_pair(kind: str) -> tuple[keras.layers.Layer, keras.layers.Layer]:
    """The same layer twice, with the same weights: fused kernel forced, and generic."""
    cls = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[kind]
    config = {
        "return_sequences": True,
        "return_state": True,
        "kernel_initializer": keras.initializers.GlorotUniform(seed=1),
        "recurrent_initializer": keras.initializers.Orthogonal(seed=2),
        "bias_initializer": keras.initializers.RandomUniform(-0.5, 0.5, seed=3),
    }
    fused, generic = cls(UNITS, use_cudnn=True, **config), cls(UNITS, use_cudnn=False, **config)
    fused.build((BATCH, TIMESTEPS, FEATURES))
    generic.build((BATCH, TIMESTEPS, FEATURES))
    generic.set_weights(fused.get_weights())
    return fused, generic


def inputs() -> np.ndarray:
    return np.random.default_rng(0).normal(size=(BATCH, TIMESTEPS, FEATURES)).astype("float32")


def right_padded_mask() -> np.ndarray:
    lengths = np.array([12, 11, 9, 7, 5, 3, 2, 1])
    return np.arange(TIMESTEPS)[None, :] < lengths[:, None]


def as_numpy(tensors) -> list[np.ndarray]:
    return [keras.ops.convert_to_numpy(t) for t in tensors]


@pytest.mark.gpu
@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_cudnn_matches_generic(kind, gpu):
    fused, generic = layer_pair(kind)
    x = inputs()
    fast, slow = as_numpy(fused(x)), as_numpy(generic(x))
    assert len(fast) == len(slow) == (3 if kind == "lstm" else 2)
    for name, a, b in zip(("output", "state_h", "state_c"), fast, slow, strict=False):
        np.testing.assert_allclose(a, b, atol=ATOL, rtol=RTOL, err_msg=f"{kind} {name}")


@pytest.mark.gpu
@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_right_padded_mask(kind, gpu):
    fused, generic = layer_pair(kind)
    x, mask = inputs(), right_padded_mask()
    slow = as_numpy(generic(x, mask=mask))
    # Which backends' fused kernels take a right-padded mask is cudnn_decision's to say.
    decision = cudnn_decision(
        fused, backend=keras.backend.backend(), gpu_available=True, mask="right"
    )
    if decision.kernel == "error":
        with pytest.raises(ValueError, match="use_cudnn=True was specified"):
            fused(x, mask=mask)
        return
    fast = as_numpy(fused(x, mask=mask))
    # final states: the state after each sequence's last real step
    for name, a, b in zip(("state_h", "state_c"), fast[1:], slow[1:], strict=False):
        np.testing.assert_allclose(a, b, atol=ATOL, rtol=RTOL, err_msg=f"{kind} {name}")
    # the sequence output at the real steps
    np.testing.assert_allclose(fast[0][mask], slow[0][mask], atol=ATOL, rtol=RTOL)


@pytest.mark.gpu
def test_auto_falls_back_where_cudnn_cannot_run(gpu):
    """A non-default activation rules the fused kernel out; 'auto' then equals the generic path."""
    config = {
        "return_sequences": True,
        "activation": "relu",
        "kernel_initializer": keras.initializers.GlorotUniform(seed=1),
        "recurrent_initializer": keras.initializers.Orthogonal(seed=2),
    }
    auto, generic = (
        keras.layers.LSTM(UNITS, **config),
        keras.layers.LSTM(UNITS, use_cudnn=False, **config),
    )
    x = inputs()
    np.testing.assert_array_equal(as_numpy([auto(x)])[0], as_numpy([generic(x)])[0])
    forced = keras.layers.LSTM(UNITS, use_cudnn=True, **config)
    with pytest.raises(ValueError, match="use_cudnn=True was specified"):
        forced(x)
