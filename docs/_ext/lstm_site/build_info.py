"""Which software and device built the site: the build information page, the GPU build's check."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lstm_examples.device import gpu_names
from lstm_examples.render import ShownAsTable, Table
from lstm_site import notebook_pages  # noqa: F401 - the build information page uses it


@dataclass(frozen=True, repr=False)  # shown as its table
class BuildInfo(ShownAsTable):
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

    def to_table(self) -> Table:
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


def backend_version(backend: str) -> str:
    """The installed version of Keras (``"keras"``) or of a Keras backend, without importing it.

    >>> backend_version("keras") == __import__("keras").__version__
    True
    >>> backend_version("no-such-backend")
    'unknown'
    """
    from importlib import metadata

    distributions = {
        "keras": ("keras", "keras-nightly"),
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
    >>> info.to_table().column("")
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
        backend_version=backend_version(backend),
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


#: The results of the last ``backends`` run, committed with the site (``nox -s backends``
#: rewrites it): the build information page shows them.
BACKEND_RESULTS = Path(__file__).resolve().parents[2] / "reference" / "backends.json"

#: Column titles of the backends table, in order.
BACKEND_TITLES = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}


def merge_backend_results(path: Path, run: Mapping[str, object]) -> dict[str, object]:
    """Put one backend's run (``assertion_report.results``) into the results file at ``path``.

    The other backends' results stay as they were; returns what was written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     file = Path(tmp) / "backends.json"
    ...     _ = merge_backend_results(file, {"backend": "jax", "date": "2026-12-02",
    ...         "versions": {"keras": "3.15.1", "jax": "0.10.2"}, "pages": {"basics": []}})
    ...     merged = merge_backend_results(file, {"backend": "torch", "date": "2026-12-02",
    ...         "versions": {"keras": "3.15.1", "torch": "2.15.0"}, "pages": {"basics": ["x"]}})
    >>> sorted(merged), merged["torch"]["pages"]
    (['jax', 'torch'], {'basics': ['x']})
    """
    backend = run.get("backend")
    if backend not in BACKEND_TITLES or backend == "tensorflow":
        raise ValueError(f"a run on 'jax' or 'torch' was expected, not on {backend!r}")
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    results[str(backend)] = {key: value for key, value in run.items() if key != "backend"}
    path.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return results


def backend_table(results: Mapping[str, Mapping[str, object]], pages: list[str]) -> Table:
    """Each page and whether all its assertions hold on each backend.

    TensorFlow's column is this build's own: a page whose assertions fail does not build.
    The others come from ``results`` (a page they lack is ``not run``).

    >>> results = {"jax": {"date": "2026-12-02", "versions": {"keras": "3.15.1", "jax": "0.10.2"},
    ...                    "pages": {"basics": [], "index": ["cell 3: AssertionError"]}}}
    >>> print(backend_table(results, ["basics", "index", "questions/index"]))
    Keras 3.15.1; JAX 0.10.2 on 2026-12-02; PyTorch: not run
    page             TensorFlow  JAX           PyTorch
    ---------------  ----------  ------------  -------
    basics           all hold    all hold      not run
    index            all hold    1 cell fails  not run
    questions/index  all hold    not run       not run
    """
    others = [name for name in BACKEND_TITLES if name != "tensorflow"]
    rows = []
    for page in pages:
        row = [page, "all hold"]
        for name in others:
            found = results.get(name, {}).get("pages", {})
            if not isinstance(found, Mapping) or page not in found:
                row.append("not run")
            elif found[page]:
                count = len(found[page])
                row.append(f"{count} cell{'s' if count > 1 else ''} fail{'' if count > 1 else 's'}")
            else:
                row.append("all hold")
        rows.append(row)
    caption = []
    keras_versions = set()
    for name in others:
        run = results.get(name)
        if not run:
            caption.append(f"{BACKEND_TITLES[name]}: not run")
            continue
        versions = dict(run.get("versions", {}))  # type: ignore[call-overload]
        keras_versions.add(versions.pop("keras", "?"))
        version = next(iter(versions.values()), "?")
        caption.append(f"{BACKEND_TITLES[name]} {version} on {run.get('date', '?')}")
    prefix = f"Keras {', '.join(sorted(keras_versions))}; " if keras_versions else ""
    return Table(
        ("page", *(BACKEND_TITLES[name] for name in BACKEND_TITLES)),
        rows,
        caption=prefix + "; ".join(caption),
    )
