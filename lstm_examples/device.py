"""Which GPUs the running Keras backend can use: the cuDNN decision depends on it."""

from __future__ import annotations


def gpu_names() -> tuple[str, ...]:
    """Names of the GPUs the active Keras backend can use (empty on a CPU-only machine).

    On a machine without a GPU (this one, when the site is built on a CPU) it is
    empty; each name is what the backend reports, e.g. ``'NVIDIA H200'``.

    >>> import keras
    >>> names = gpu_names()
    >>> all(isinstance(name, str) and name for name in names)
    True
    >>> keras.backend.backend() != "tensorflow" or len(names) == len(
    ...     __import__("tensorflow").config.list_physical_devices("GPU"))
    True
    """
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        names = []
        for device in tf.config.list_physical_devices("GPU"):
            details = tf.config.experimental.get_device_details(device)
            names.append(str(details.get("device_name", device.name)))
        return tuple(names)
    if backend == "jax":
        import jax

        return tuple(str(d.device_kind) for d in jax.devices() if d.platform == "gpu")
    if backend == "torch":
        import torch

        if not torch.cuda.is_available():
            return ()
        return tuple(torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count()))
    return ()
