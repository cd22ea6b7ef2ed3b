"""When Keras 3 runs an ``LSTM`` or ``GRU`` on the fused cuDNN kernel, and when it does not.

:func:`cudnn_decision` encodes, as a pure function, the checks that Keras 3.15 makes
before it hands a recurrent layer to cuDNN. It reads only the layer's configuration, so
it answers for a GPU on a machine without one. The checks live in these places of the
Keras source (``keras/src/...``):

- ``layers/rnn/lstm.py`` and ``layers/rnn/gru.py``, ``inner_loop``: the backend's fused
  kernel is tried only when ``use_cudnn`` is ``"auto"`` or ``True`` and
  ``recurrent_dropout`` is 0; if the backend declines (``NotImplementedError``) and
  ``use_cudnn=True``, the layer raises ``ValueError``.
- ``backend/tensorflow/rnn.py``, ``cudnn_ok`` (with ``_do_lstm_arguments_support_cudnn``
  and ``_do_gru_arguments_support_cudnn``): ``activation`` is tanh, ``recurrent_activation``
  is sigmoid, ``unroll=False``, ``use_bias=True``, for a GRU ``reset_after=True``, and a GPU
  is visible. ``_cudnn_lstm``/``_cudnn_gru`` accept a mask only for right padding
  (``_assert_valid_mask``).
- ``backend/jax/rnn.py``, ``cudnn_ok`` and ``lstm``: the same activation, ``unroll`` and
  bias checks, a GPU as JAX's default backend, and no mask; ``gru`` never uses cuDNN.
- ``backend/torch/rnn.py``, ``cudnn_ok``, ``lstm`` and ``gru``: the same checks, inputs on
  a CUDA device, no mask, and for a GRU ``reset_after=True``.

A ``SimpleRNN`` has no fused kernel on any backend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from .render import Table
from .validation import check_bool, check_positive_int

Backend = Literal["tensorflow", "jax", "torch"]


#: Backends whose cuDNN rules :func:`cudnn_decision` knows.
BACKENDS: Final[tuple[str, ...]] = ("tensorflow", "jax", "torch")

#: Keras's defaults for the arguments that decide the kernel.
DEFAULTS: Final[dict[str, Any]] = {
    "kind": "lstm",
    "activation": "tanh",
    "recurrent_activation": "sigmoid",
    "recurrent_dropout": 0.0,
    "dropout": 0.0,
    "unroll": False,
    "use_bias": True,
    "reset_after": True,
    "use_cudnn": "auto",
}

_KINDS: Final[dict[str, str]] = {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "simple_rnn"}


@dataclass(frozen=True)
class Decision:
    """Which kernel a layer runs on, and why.

    ``kernel`` is ``"cuDNN"`` (the fused kernel), ``"generic"`` (Keras's step-by-step
    loop, or the backend's own non-cuDNN implementation) or ``"error"`` (the call
    fails). ``reasons`` lists every check that decided it.

    >>> decision = Decision("generic", ("unroll=True",))
    >>> decision.uses_cudnn, str(decision)
    (False, 'generic: unroll=True')
    """

    kernel: Literal["cuDNN", "generic", "error"]
    reasons: tuple[str, ...]

    @property
    def uses_cudnn(self) -> bool:
        """True when the fused cuDNN kernel runs."""
        return self.kernel == "cuDNN"

    def __str__(self) -> str:
        return f"{self.kernel}: {'; '.join(self.reasons)}"


def _activation_name(value: object) -> str:
    if isinstance(value, str):
        return value
    name = getattr(value, "__name__", None)
    if not isinstance(name, str):
        raise TypeError(f"expected an activation name or function, got {value!r}")
    return name


def layer_settings(layer_or_config: object) -> dict[str, Any]:
    """Read the arguments that decide the kernel from a layer or a mapping.

    A mapping uses the layer's argument names, plus ``kind`` (``"lstm"``, ``"gru"`` or
    ``"simple_rnn"``); missing arguments take Keras's defaults.

    >>> layer_settings({"kind": "gru", "unroll": True})["unroll"]
    True
    >>> layer_settings({"kind": "lstm", "units": 4})
    Traceback (most recent call last):
    ...
    ValueError: unknown setting(s) ['units']; expected some of ['activation', 'dropout', ...]
    """
    if isinstance(layer_or_config, Mapping):
        unknown = sorted(set(layer_or_config) - set(DEFAULTS))
        if unknown:
            raise ValueError(f"unknown setting(s) {unknown}; expected some of {sorted(DEFAULTS)}")
        settings = {**DEFAULTS, **layer_or_config}
    else:
        import keras

        if not isinstance(layer_or_config, keras.layers.RNN):
            raise TypeError(
                "expected a Keras LSTM, GRU or SimpleRNN layer or a mapping of its "
                f"settings, got {type(layer_or_config).__name__}"
            )
        kind = _KINDS.get(type(layer_or_config).__name__)
        if kind is None:
            raise TypeError(
                "expected a Keras LSTM, GRU or SimpleRNN layer, "
                f"got {type(layer_or_config).__name__}"
            )
        cell = layer_or_config.cell
        settings = {
            "kind": kind,
            "activation": cell.activation,
            "recurrent_activation": getattr(cell, "recurrent_activation", None),
            "recurrent_dropout": float(cell.recurrent_dropout),
            "dropout": float(cell.dropout),
            "unroll": layer_or_config.unroll,
            "use_bias": cell.use_bias,
            "reset_after": getattr(cell, "reset_after", True),
            "use_cudnn": getattr(layer_or_config, "use_cudnn", False),
        }
    if settings["kind"] not in _KINDS.values():
        raise ValueError(f"kind must be one of {sorted(_KINDS.values())}, got {settings['kind']!r}")
    if settings["use_cudnn"] not in ("auto", True, False):
        raise ValueError(f"use_cudnn must be 'auto', True or False, got {settings['use_cudnn']!r}")
    for flag in ("unroll", "use_bias", "reset_after"):
        check_bool(flag, settings[flag])
    for name in ("dropout", "recurrent_dropout"):
        rate = settings[name]
        if isinstance(rate, bool) or not isinstance(rate, int | float):
            raise TypeError(f"{name} must be a number in [0, 1], got {rate!r}")
        if not 0 <= rate <= 1:
            raise ValueError(f"{name} must be a number in [0, 1], got {rate!r}")
    if settings["kind"] != "simple_rnn":
        settings["recurrent_activation"] = _activation_name(settings["recurrent_activation"])
    settings["activation"] = _activation_name(settings["activation"])
    return settings


def cudnn_decision(
    layer_or_config: object,
    *,
    backend: Backend = "tensorflow",
    gpu_available: bool,
    mask: Literal["right", "left"] | None = None,
) -> Decision:
    """Decide whether Keras 3 runs this layer on cuDNN, following Keras's own checks.

    ``layer_or_config`` is an ``LSTM``, ``GRU`` or ``SimpleRNN`` layer, or a mapping of
    its settings (see :func:`layer_settings`). ``gpu_available`` says whether the backend
    sees a GPU (for torch: whether the inputs are on a CUDA device). ``mask`` is the
    padding of a masked input: ``None`` (no mask), ``"right"`` (real steps first) or
    ``"left"`` (padding first).

    >>> cudnn_decision({"kind": "lstm"}, gpu_available=True)
    Decision(kernel='cuDNN', reasons=('every condition holds',))
    >>> print(cudnn_decision({"kind": "lstm", "unroll": True}, gpu_available=True))
    generic: unroll=True
    >>> print(cudnn_decision({"kind": "lstm", "use_cudnn": True}, gpu_available=False))
    error: no GPU; use_cudnn=True raises ValueError when cuDNN cannot run
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {list(BACKENDS)}, got {backend!r}")
    gpu_available = check_bool("gpu_available", gpu_available)
    if mask not in (None, "right", "left"):
        raise ValueError(f"mask must be None, 'right' or 'left', got {mask!r}")
    settings = layer_settings(layer_or_config)
    reasons = _blockers(settings, backend, gpu_available, mask)
    if reasons and reasons[0] in _FINAL:
        # Only JAX's GRU, declined by its backend, can still be forced into an error.
        forced = reasons[0] == _FINAL[2] and len(reasons) > 1 and settings["use_cudnn"] is True
        return Decision("error", (*reasons, _FORCED)) if forced else Decision("generic", reasons)
    if reasons:
        if settings["use_cudnn"] is True:
            return Decision("error", (*reasons, _FORCED))
        return Decision("generic", reasons)
    if mask == "left":
        return Decision("error", (_LEFT_PADDING,))
    if mask == "right":
        return Decision("cuDNN", ("right-padded mask, passed to cuDNN as sequence lengths",))
    return Decision("cuDNN", ("every condition holds",))


_FORCED: Final = "use_cudnn=True raises ValueError when cuDNN cannot run"
_LEFT_PADDING: Final = (
    "mask not right-padded: cuDNN takes only right padding; Keras's run-time check raises "
    "InvalidArgumentError in a compiled call (fit, predict), and an eager call falls back "
    "to the generic kernel"
)
# Reasons that end the decision before any other check (LSTM/GRU.inner_loop never
# tries the fused kernel, so use_cudnn=True cannot turn them into an error).
_FINAL: Final = (
    "SimpleRNN has no fused kernel",
    "use_cudnn=False",
    "the JAX backend has no cuDNN GRU",
)


def _blockers(
    s: Mapping[str, Any], backend: str, gpu_available: bool, mask: str | None
) -> tuple[str, ...]:
    """Every check that keeps the layer off cuDNN, in Keras's order of checking."""
    kind = s["kind"]
    if kind == "simple_rnn":
        return (_FINAL[0],)
    if s["use_cudnn"] is False:
        return (_FINAL[1],)
    if backend == "jax" and kind == "gru":
        # backend/jax/rnn.py `gru` is JAX's own scan, never cuDNN. It declines
        # (NotImplementedError) for reset_after=False, unroll=True or a mask, and
        # LSTM/GRU.inner_loop skips it with recurrent_dropout; use_cudnn=True then raises.
        declined = (
            (s["recurrent_dropout"], f"recurrent_dropout={s['recurrent_dropout']:g}"),
            (not s["reset_after"], "reset_after=False"),
            (s["unroll"], "unroll=True"),
            (mask is not None, "a mask (the jax backend's GRU takes none)"),
        )
        return (_FINAL[2], *(reason for failed, reason in declined if failed))
    checks = (
        (s["recurrent_dropout"], f"recurrent_dropout={s['recurrent_dropout']:g} (must be 0)"),
        (s["activation"] != "tanh", f"activation={s['activation']} (must be tanh)"),
        (
            s["recurrent_activation"] != "sigmoid",
            f"recurrent_activation={s['recurrent_activation']} (must be sigmoid)",
        ),
        (s["unroll"], "unroll=True"),
        (not s["use_bias"], "use_bias=False"),
        (kind == "gru" and not s["reset_after"], "reset_after=False"),
        (not gpu_available, "no GPU"),
        (
            mask is not None and backend != "tensorflow",
            f"a mask (the {backend} backend's cuDNN path takes none)",
        ),
    )
    return tuple(reason for failed, reason in checks if failed)


#: The layer configurations of the page's table: a label and the settings that differ.
TABLE_CONFIGS: Final[tuple[tuple[str, dict[str, Any], Literal["right", "left"] | None], ...]] = (
    ("LSTM, defaults", {"kind": "lstm"}, None),
    ("GRU, defaults", {"kind": "gru"}, None),
    ("SimpleRNN", {"kind": "simple_rnn"}, None),
    ("activation='relu'", {"activation": "relu"}, None),
    ("recurrent_activation='hard_sigmoid'", {"recurrent_activation": "hard_sigmoid"}, None),
    ("recurrent_dropout=0.2", {"recurrent_dropout": 0.2}, None),
    ("dropout=0.2 (input dropout)", {"dropout": 0.2}, None),
    ("unroll=True", {"unroll": True}, None),
    ("use_bias=False", {"use_bias": False}, None),
    ("GRU, reset_after=False", {"kind": "gru", "reset_after": False}, None),
    ("mask, right padding", {}, "right"),
    ("mask, left padding", {}, "left"),
    ("use_cudnn=False", {"use_cudnn": False}, None),
    ("use_cudnn=True, unroll=True", {"use_cudnn": True, "unroll": True}, None),
)


def decision_table(
    configs: Sequence[
        tuple[str, Mapping[str, Any], Literal["right", "left"] | None]
    ] = TABLE_CONFIGS,
    *,
    backend: Backend = "tensorflow",
) -> Table:
    """Tabulate :func:`cudnn_decision` for each configuration, with and without a GPU.

    Each configuration is ``(label, settings, mask)``; settings not given take Keras's
    defaults (an ``LSTM``).

    >>> table = decision_table()
    >>> table.column("GPU")[:3], set(table.column("CPU")[:2])
    (['cuDNN', 'cuDNN', 'generic'], {'generic'})
    """
    rows = []
    for label, settings, mask in configs:
        gpu = cudnn_decision(settings, backend=backend, gpu_available=True, mask=mask)
        cpu = cudnn_decision(settings, backend=backend, gpu_available=False, mask=mask)
        rows.append((label, gpu.kernel, cpu.kernel, "; ".join(gpu.reasons)))
    return Table(
        ("layer", "GPU", "CPU", "why (on a GPU)"),
        rows,
        caption=f"Kernel chosen by Keras 3 ({backend} backend)",
    )


@dataclass(frozen=True)
class KernelComparison:
    """One layer run twice on this machine: forced generic, then as Keras chooses.

    >>> comparison = KernelComparison("CPU", "generic", 0.0)
    >>> comparison.table.column("value")
    ['CPU', 'generic', '0']
    """

    device: str
    auto_kernel: str
    max_abs_difference: float

    @property
    def table(self) -> Table:
        """The comparison as a two-column table."""
        return Table(
            ("", "value"),
            [
                ("device", self.device),
                ("kernel with use_cudnn='auto'", self.auto_kernel),
                ("largest |difference| from use_cudnn=False", f"{self.max_abs_difference:.3g}"),
            ],
        )

    def _repr_html_(self) -> str:
        return self.table.to_html()

    def __str__(self) -> str:
        return self.table.to_text()


def compare_kernels(
    *, units: int = 8, timesteps: int = 20, features: int = 4, batch: int = 16, seed: int = 1
) -> KernelComparison:
    """Run one seeded ``LSTM`` with ``use_cudnn=False`` and with ``"auto"``; compare the outputs.

    On a machine without a GPU both runs use the generic kernel and agree exactly; on
    a GPU the second run uses cuDNN, and the difference is that of the two kernels.
    The difference covers the whole output sequence and both final states.

    >>> comparison = compare_kernels(units=2, timesteps=3, features=1, batch=1)
    >>> comparison.auto_kernel == ("cuDNN" if comparison.device != "CPU" else "generic")
    True
    >>> comparison.max_abs_difference >= 0.0
    True
    """
    import keras
    import numpy as np

    from .device import gpu_names
    from .models import recurrent_layer

    for name, value in (("timesteps", timesteps), ("features", features), ("batch", batch)):
        check_positive_int(name, value)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, timesteps, features)).astype(np.float32)
    base = recurrent_layer("lstm", units=units, return_sequences=True, return_state=True, seed=seed)
    base.build(x.shape)
    config, weights = base.get_config(), base.get_weights()
    results = [_run_lstm(config, weights, x, use_cudnn) for use_cudnn in (False, "auto")]
    gpus = gpu_names()
    decision = cudnn_decision(base, gpu_available=bool(gpus), backend=keras.backend.backend())
    difference = max(float(np.max(np.abs(a - b))) for a, b in zip(*results, strict=True))
    return KernelComparison(", ".join(gpus) or "CPU", decision.kernel, difference)


def _run_lstm(
    config: Mapping[str, Any], weights: list[Any], x: Any, use_cudnn: object
) -> list[Any]:
    """Run an ``LSTM`` of ``config`` with ``weights`` and the given ``use_cudnn`` on ``x``."""
    import keras

    layer = keras.layers.LSTM.from_config(
        {**config, "name": f"lstm_use_cudnn_{use_cudnn}", "use_cudnn": use_cudnn}
    )
    layer.build(x.shape)
    layer.set_weights(weights)
    result = layer(x, training=False)
    return [
        keras.ops.convert_to_numpy(a)
        for a in (result if isinstance(result, list | tuple) else [result])
    ]


def example_kernels() -> Table:
    """The kernel each of the five basic examples runs on here, checked by running it.

    The kernel is :func:`cudnn_decision`'s for the example's layer on this machine's
    backend and device. Where that is cuDNN, the example's layer is run again with
    ``use_cudnn=True``, which raises unless the fused kernel runs, and with
    ``use_cudnn=False``; the last column is the largest difference between the two.

    >>> table = example_kernels()
    >>> table.column("example")
    ['1', '2', '3', '4', '5']
    >>> from lstm_examples.device import gpu_names
    >>> set(table.column("kernel")) == ({"cuDNN"} if gpu_names() else {"generic"})
    True
    """
    import keras
    import numpy as np

    from .device import gpu_names
    from .models import EXAMPLES, seed_input

    gpus = gpu_names()
    backend = keras.backend.backend()
    x = seed_input()
    rows = []
    for example in EXAMPLES:
        layer = example.build().get_layer("lstm")
        decision = cudnn_decision(layer, backend=backend, gpu_available=bool(gpus))
        difference = "-"
        if decision.uses_cudnn:
            config, weights = layer.get_config(), layer.get_weights()
            fused = _run_lstm(config, weights, x, True)
            generic = _run_lstm(config, weights, x, False)
            gap = max(float(np.max(np.abs(a - b))) for a, b in zip(fused, generic, strict=True))
            difference = f"{gap:.3g}"
        rows.append(
            (
                str(example.number),
                example.code,
                decision.kernel,
                "; ".join(decision.reasons),
                difference,
            )
        )
    return Table(
        ("example", "layer", "kernel", "why", "largest |cuDNN - generic|"),
        rows,
        caption=f"Kernels on {', '.join(gpus) or 'CPU'} ({backend} backend)",
        numeric_columns=frozenset({0}),
    )
