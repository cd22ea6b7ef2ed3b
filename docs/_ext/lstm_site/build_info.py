"""Which software and device built the site: the build information page, the GPU build's check."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass

from lstm_examples.device import gpu_names
from lstm_examples.render import Table


@dataclass(frozen=True)
class BuildInfo:
    """Versions and devices of the running Keras backend.

    >>> info = build_info()
    >>> info.keras_version.split(".")[0]
    '3'
    """

    python_version: str
    keras_version: str
    backend: str
    backend_version: str
    numpy_version: str
    platform: str
    gpus: tuple[str, ...]

    @property
    def device(self) -> str:
        """Where the examples ran: the GPU's name, or ``"CPU"``."""
        return ", ".join(self.gpus) if self.gpus else "CPU"

    @property
    def table(self) -> Table:
        """The information as a two-column table."""
        return Table(
            ("", "version or name"),
            [
                ("Python", self.python_version),
                ("Keras", self.keras_version),
                (f"Keras backend ({self.backend})", self.backend_version),
                ("NumPy", self.numpy_version),
                ("Platform", self.platform),
                ("Device", self.device),
            ],
        )

    def _repr_html_(self) -> str:
        return self.table.to_html()

    def __str__(self) -> str:
        return self.table.to_text()


def _backend_version(backend: str) -> str:
    from importlib import metadata

    distributions = {
        "tensorflow": ("tensorflow", "tensorflow-cpu"),
        "jax": ("jax",),
        "torch": ("torch",),
        "numpy": ("numpy",),
    }.get(backend, (backend,))
    for distribution in distributions:
        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


def build_info() -> BuildInfo:
    """Collect the versions and devices of this process's Keras setup.

    >>> info = build_info()
    >>> info.table.column("")
    ['Python', 'Keras', 'Keras backend (tensorflow)', 'NumPy', 'Platform', 'Device']
    >>> info.python_version.startswith("3."), info.device == (", ".join(info.gpus) or "CPU")
    (True, True)
    """
    import keras
    import numpy as np

    backend = keras.backend.backend()
    return BuildInfo(
        python_version=platform.python_version(),
        keras_version=keras.__version__,
        backend=backend,
        backend_version=_backend_version(backend),
        numpy_version=np.__version__,
        platform=f"{platform.system()} {platform.machine()}",
        gpus=gpu_names(),
    )


def require_gpu() -> tuple[str, ...]:
    """Return the visible GPUs' names, or raise ``RuntimeError`` if the backend sees none.

    The GPU-tagged build calls this first, so that it never falls back to the CPU
    in silence.

    >>> try:
    ...     found = require_gpu()
    ... except RuntimeError as error:
    ...     found = ()
    ...     assert str(error).startswith("no GPU is visible to Keras's")
    >>> found == gpu_names()
    True
    """
    names = gpu_names()
    if not names:
        import keras

        visible = os.environ.get("CUDA_VISIBLE_DEVICES")
        hint = f" (CUDA_VISIBLE_DEVICES={visible!r})" if visible is not None else ""
        raise RuntimeError(
            f"no GPU is visible to Keras's {keras.backend.backend()} backend{hint}: "
            "install the GPU build (the `docs-gpu` Nox session does) on a machine with an "
            "NVIDIA GPU and driver"
        )
    return names
