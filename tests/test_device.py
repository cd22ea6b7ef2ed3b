"""gpu_names on each backend's branch, with stand-ins for JAX and PyTorch.

The doctest covers the backend that runs the tests (TensorFlow on a CPU here); these
cover TensorFlow with GPUs and the JAX and PyTorch branches, which no CPU-only run of
the tests would reach.
"""

from __future__ import annotations

import sys
import types

import keras
import pytest

from lstm_examples import gpu_names


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch):
    def use(name: str, module: types.ModuleType) -> None:
        monkeypatch.setattr(keras.backend, "backend", lambda: name)
        monkeypatch.setitem(sys.modules, name, module)

    return use


def test_tensorflow_names_each_gpu_by_its_device_name(monkeypatch: pytest.MonkeyPatch):
    # The doctest runs where TensorFlow sees no GPU; here it sees two, one without details.
    import tensorflow as tf

    gpus = [types.SimpleNamespace(name=f"/physical_device:GPU:{index}") for index in range(2)]
    details = {gpus[0].name: {"device_name": "NVIDIA H200"}, gpus[1].name: {}}
    monkeypatch.setattr(keras.backend, "backend", lambda: "tensorflow")
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind: gpus * (kind == "GPU"))
    monkeypatch.setattr(tf.config.experimental, "get_device_details", lambda d: details[d.name])
    assert gpu_names() == ("NVIDIA H200", "/physical_device:GPU:1")


def test_jax_lists_its_gpu_devices_only(backend):
    def device(platform: str, kind: str) -> types.SimpleNamespace:
        return types.SimpleNamespace(platform=platform, device_kind=kind)

    jax = types.ModuleType("jax")
    jax.devices = lambda: [device("cpu", "cpu"), device("gpu", "NVIDIA H200")]
    backend("jax", jax)
    assert gpu_names() == ("NVIDIA H200",)


def test_torch_without_cuda_has_no_gpu(backend):
    torch = types.ModuleType("torch")
    torch.cuda = types.SimpleNamespace(is_available=lambda: False)
    backend("torch", torch)
    assert gpu_names() == ()


def test_torch_names_every_cuda_device(backend):
    torch = types.ModuleType("torch")
    torch.cuda = types.SimpleNamespace(
        is_available=lambda: True,
        device_count=lambda: 2,
        get_device_name=lambda index: f"GPU {index}",
    )
    backend("torch", torch)
    assert gpu_names() == ("GPU 0", "GPU 1")


def test_an_unknown_backend_has_no_gpu(backend):
    backend("openvino", types.ModuleType("openvino"))
    assert gpu_names() == ()
