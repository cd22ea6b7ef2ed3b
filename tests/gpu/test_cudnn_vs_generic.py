"""On a GPU: Keras's fused cuDNN kernel against its generic kernel, same weights.

Marked ``gpu`` (conftest.py at the root): they run only when selected with
``-m gpu`` (as `nox -t gpu` does), and then a missing GPU is a failure, never a skip,
so a GPU run can never pass on the CPU in silence. They run with any backend:
``KERAS_BACKEND=tensorflow``, ``jax`` or ``torch``.

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
        pytest.fail(f"no GPU visible to Keras's {keras.backend.backend()} backend")
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
    """A non-default activation rules the fused kernel out; 'auto' then matches the generic path.

    With use_cudnn=True, TensorFlow and JAX raise; the PyTorch backend runs its own
    loop instead (cudnn_decision says which).
    """
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
    np.testing.assert_allclose(
        as_numpy([auto(x)])[0], as_numpy([generic(x)])[0], atol=ATOL, rtol=RTOL
    )
    forced = keras.layers.LSTM(UNITS, use_cudnn=True, **config)
    backend = keras.backend.backend()
    decision = cudnn_decision(forced, backend=backend, gpu_available=True)
    assert not decision.uses_cudnn
    if decision.kernel == "error":
        with pytest.raises(ValueError, match="use_cudnn=True was specified"):
            forced(x)
    else:
        forced(x)


def padded_inputs(kind: str) -> np.ndarray:
    """Inputs whose zero steps Masking(0.0) turns into a left-padded mask or an empty row."""
    x = inputs() + 10.0  # no real step is all zeros
    if kind == "left":
        x[1, :4] = 0.0
    else:  # "empty_row": right padding, but row 1 has no real step
        x[0, 9:] = 0.0
        x[1, :] = 0.0
    return x


@pytest.mark.gpu
@pytest.mark.parametrize("kind", ["left", "empty_row"])
def test_masks_cudnn_rejects(kind, gpu):
    """In fit/predict the mask check fails; an eager call with 'auto' falls back silently."""
    import tensorflow as tf

    x = padded_inputs(kind)
    fused, generic = layer_pair("lstm")
    backend = keras.backend.backend()
    lstm = keras.layers.LSTM(UNITS, return_sequences=True)
    masking = keras.layers.Masking(0.0)
    model = keras.Sequential([keras.Input((TIMESTEPS, FEATURES)), masking, lstm])
    lstm.set_weights(fused.get_weights())
    compiled = cudnn_decision(lstm, backend=backend, gpu_available=True, mask=kind)
    if compiled.kernel == "error":  # TensorFlow: the tf.Assert inside the compiled call
        with pytest.raises(tf.errors.InvalidArgumentError, match="right-padded sequences"):
            model.predict(x, verbose=0)
    else:
        model.predict(x, verbose=0)
    mask = np.asarray(keras.ops.convert_to_numpy(masking.compute_mask(x)))
    eager = cudnn_decision(lstm, backend=backend, gpu_available=True, mask=mask, compiled=False)
    assert eager.kernel == "generic"
    slow = as_numpy(generic(x, mask=mask))
    auto = keras.layers.LSTM(UNITS, return_sequences=True, return_state=True)
    auto.build(x.shape)
    auto.set_weights(fused.get_weights())
    for a, b in zip(as_numpy(auto(x, mask=mask)), slow, strict=True):
        np.testing.assert_allclose(a, b, atol=ATOL, rtol=RTOL)
    forced = cudnn_decision(fused, backend=backend, gpu_available=True, mask=mask, compiled=False)
    assert forced.kernel == "error"
    with pytest.raises(ValueError, match="use_cudnn=True was specified"):
        fused(x, mask=mask)


@pytest.mark.gpu
@pytest.mark.parametrize("use_cudnn", ["auto", True, False])
def test_cudnn_layers_switch_xla_off(use_cudnn, gpu):
    """On TensorFlow a layer that can use cuDNN makes jit_compile=True fall back, with a warning."""
    import warnings

    from lstm_examples.cudnn import disables_xla

    inputs_ = keras.Input((TIMESTEPS, FEATURES))
    layer = keras.layers.LSTM(UNITS, use_cudnn=use_cudnn)
    model = keras.Model(inputs_, layer(inputs_))
    blocked = disables_xla(layer, backend=keras.backend.backend(), gpu_available=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.compile(optimizer="adam", loss="mse", jit_compile=True)
    assert model.jit_compile is not blocked
    warned = any("doesn't support `jit_compile=True`" in str(w.message) for w in caught)
    assert warned is blocked
    if keras.backend.backend() == "tensorflow":
        assert blocked is (use_cudnn is not False)
