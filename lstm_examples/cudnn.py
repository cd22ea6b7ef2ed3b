"""When Keras 3 runs an ``LSTM`` or ``GRU`` on the fused cuDNN kernel, and when it does not.

:func:`cudnn_decision` encodes, as a pure function, the checks Keras makes before it
hands a recurrent layer to cuDNN, following the source of Keras :data:`RULES_VERSION`
(``keras/src/...``). It reads only the layer's configuration, so it answers for a GPU
on a machine without one.

- ``layers/rnn/lstm.py`` and ``gru.py``, ``inner_loop``: with ``use_cudnn`` ``"auto"``
  or ``True`` and ``recurrent_dropout`` 0 the layer asks the backend's ``lstm``/``gru``;
  if the backend declines (``NotImplementedError``), or ``recurrent_dropout`` is not 0,
  ``use_cudnn=True`` raises ``ValueError`` and ``"auto"`` runs Keras's generic loop.
  What the backend runs when it does not decline is the backend's business.
- ``backend/tensorflow/rnn.py``: declines unless ``activation`` is tanh,
  ``recurrent_activation`` sigmoid, ``unroll=False``, ``use_bias=True``, for a GRU
  ``reset_after=True``, and a GPU is visible (``cudnn_ok``). A mask must be right
  padding with a real step in every row (``_assert_valid_mask``); that check is a
  ``tf.Assert``, so an eager call that fails it declines, while a compiled call
  (``fit``, ``predict``) fails with ``InvalidArgumentError``.
- ``backend/jax/rnn.py``: the LSTM declines a mask and, like TensorFlow, any argument
  or device cuDNN cannot take. The GRU declines a mask, ``unroll=True`` and
  ``reset_after=False``; otherwise it runs JAX's own loop, never cuDNN.
- ``backend/torch/rnn.py``: declines only a mask (and a GRU with
  ``reset_after=False``). Everything else it runs itself: on cuDNN when the inputs are
  on a CUDA device, the arguments allow it and no ``torch.compile``/``torch.jit``
  trace is running, and on its own loop otherwise, so ``use_cudnn=True`` does not raise.

:func:`disables_xla` encodes the other side of the choice: on TensorFlow, a layer that
can use cuDNN marks itself not XLA-compilable. A ``SimpleRNN`` has no fused kernel on
any backend. The TensorFlow rules are the same in Keras 3.10, the oldest release the
project allows; Keras 3.10's JAX and PyTorch backends had fewer fused paths, and its
``Bidirectional`` no fused call (:func:`bidirectional_decision`, ``keras_version``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, NamedTuple

from ._types import BACKENDS, Backend
from .render import Table
from .validation import check_bool

MaskKind = Literal["right", "left", "empty_row"]

#: The Keras release whose source the rules of :func:`cudnn_decision` follow.
RULES_VERSION: Final = "3.15.1"

#: The first Keras release whose ``Bidirectional`` tries one fused call for both directions.
#: Keras 3.10 has no such path; keras-team/keras#22791 (JAX), #22874 and #22913 (PyTorch)
#: added it in April and May 2026, after Keras 3.14.0.
FUSED_BIDIRECTIONAL_SINCE: Final = "3.15.0"

#: The kinds of mask :func:`cudnn_decision` tells apart (see :func:`mask_kind`).
MASK_KINDS: Final[tuple[str, ...]] = ("right", "left", "empty_row")

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


def mask_kind(mask: object) -> MaskKind:
    """Classify a ``(batch, timesteps)`` mask as cuDNN on TensorFlow sees it.

    ``"right"``: every row is some real steps followed by padding, and has at least
    one real step (the only mask cuDNN takes). ``"empty_row"``: right padding, but some
    row has no real step at all. ``"left"``: anything else (padding first, or a gap
    between real steps). The first two are what Keras's ``_assert_valid_mask`` rejects.

    >>> mask_kind([[True, True, False], [True, False, False]])
    'right'
    >>> mask_kind([[True, True, False], [False, False, False]])
    'empty_row'
    >>> mask_kind([[False, True, True]])
    'left'
    >>> mask_kind([True, False])
    Traceback (most recent call last):
    ...
    ValueError: mask must be 2-D (batch, timesteps), got shape (2,)
    """
    import numpy as np

    array = np.asarray(mask)
    if array.ndim != 2:
        raise ValueError(f"mask must be 2-D (batch, timesteps), got shape {array.shape}")
    if array.dtype != np.bool_ and not np.isin(array, (0, 1)).all():
        raise ValueError("mask must hold booleans (or 0 and 1)")
    array = array.astype(bool)
    lengths = array.sum(axis=1)
    right_padded = np.arange(array.shape[1])[None, :] < lengths[:, None]
    if not (array == right_padded).all():
        return "left"
    return "empty_row" if (lengths == 0).any() else "right"


# What each backend does with a layer that the layer hands to it:
#   declined  -> NotImplementedError: "auto" runs Keras's generic loop, True raises;
#   own_loop  -> the backend runs its own non-cuDNN loop, whatever use_cudnn says;
#   failure   -> the call itself fails (TensorFlow's mask check in a compiled call).
class _Verdict(NamedTuple):
    declined: tuple[str, ...] = ()
    own_loop: tuple[str, ...] = ()
    failure: str | None = None


def _argument_failures(s: Mapping[str, Any], *, reset_after: bool = True) -> tuple[str, ...]:
    """The argument checks of every backend's ``cudnn_ok`` that fail for these settings."""
    checks = (
        (s["activation"] != "tanh", f"activation={s['activation']} (must be tanh)"),
        (
            s["recurrent_activation"] != "sigmoid",
            f"recurrent_activation={s['recurrent_activation']} (must be sigmoid)",
        ),
        (s["unroll"], "unroll=True"),
        (not s["use_bias"], "use_bias=False"),
        (reset_after and s["kind"] == "gru" and not s["reset_after"], "reset_after=False"),
    )
    return tuple(reason for failed, reason in checks if failed)


_MASK_REASONS: Final[dict[str, str]] = {
    "left": "mask not right-padded",
    "empty_row": "mask with a fully masked row (an empty sequence)",
}


def _tensorflow(s: Mapping[str, Any], gpu: bool, mask: str | None, compiled: bool) -> _Verdict:
    declined = _argument_failures(s) + (() if gpu else ("no GPU",))
    if declined or mask not in _MASK_REASONS:
        return _Verdict(declined)
    reason = _MASK_REASONS[mask]
    if compiled:
        return _Verdict(failure=f"{reason}: InvalidArgumentError from Keras's mask check")
    return _Verdict((f"{reason} (Keras's mask check, eager call)",))


def _jax(s: Mapping[str, Any], gpu: bool, mask: str | None, compiled: bool) -> _Verdict:
    masked = ("a mask (the jax backend takes none)",) if mask else ()
    if s["kind"] == "gru":
        declined = masked + (("unroll=True",) if s["unroll"] else ())
        declined += ("reset_after=False",) if not s["reset_after"] else ()
        return _Verdict(declined, ("the jax backend has no cuDNN GRU",))
    return _Verdict(masked + _argument_failures(s) + (() if gpu else ("no GPU",)))


def _torch(s: Mapping[str, Any], gpu: bool, mask: str | None, compiled: bool) -> _Verdict:
    declined: tuple[str, ...] = ("a mask (the torch backend takes none)",) if mask else ()
    if s["kind"] == "gru" and not s["reset_after"]:
        declined += ("reset_after=False",)
    own_loop = _argument_failures(s, reset_after=False) + (() if gpu else ("no GPU",))
    if compiled:
        own_loop += ("inside torch.compile or a torch.jit trace",)
    return _Verdict(declined, own_loop)


_RULES: Final[dict[str, Callable[[Mapping[str, Any], bool, str | None, bool], _Verdict]]] = {
    "tensorflow": _tensorflow,
    "jax": _jax,
    "torch": _torch,
}

_FORCED: Final = "use_cudnn=True raises ValueError"
_NOT_FORCED: Final = "use_cudnn=True does not raise: the backend runs its own loop"


def cudnn_decision(
    layer_or_config: object,
    *,
    backend: Backend = "tensorflow",
    gpu_available: bool,
    mask: MaskKind | object | None = None,
    compiled: bool | None = None,
) -> Decision:
    """Decide whether Keras 3 runs this layer on cuDNN, following Keras's own checks.

    ``layer_or_config`` is an ``LSTM``, ``GRU`` or ``SimpleRNN`` layer, or a mapping of
    its settings (see ``layer_settings``). ``gpu_available`` says whether the backend
    sees a GPU (for torch: whether the inputs are on a CUDA device). ``mask`` is
    ``None`` (no mask), one of ``MASK_KINDS``, or a ``(batch, timesteps)`` boolean
    mask (classified by ``mask_kind``). ``compiled`` says whether the call runs
    inside a compiled function: a ``tf.function`` on TensorFlow, ``torch.compile`` or a
    trace on PyTorch. ``None`` means as ``fit`` and ``predict`` run by default: compiled
    on TensorFlow and JAX, eager on PyTorch.

    >>> cudnn_decision({"kind": "lstm"}, gpu_available=True)
    Decision(kernel='cuDNN', reasons=('every condition holds',))
    >>> print(cudnn_decision({"kind": "lstm", "unroll": True}, gpu_available=True))
    generic: unroll=True
    >>> print(cudnn_decision({"use_cudnn": True}, gpu_available=False))
    error: no GPU; use_cudnn=True raises ValueError
    >>> print(cudnn_decision({"use_cudnn": True}, backend="torch", gpu_available=False))
    generic: no GPU; use_cudnn=True does not raise: the backend runs its own loop
    >>> cudnn_decision({}, gpu_available=True, mask=[[True, False], [False, False]]).kernel
    'error'
    >>> cudnn_decision({}, gpu_available=True, mask="empty_row", compiled=False).kernel
    'generic'
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {list(BACKENDS)}, got {backend!r}")
    gpu_available = check_bool("gpu_available", gpu_available)
    compiled = backend != "torch" if compiled is None else check_bool("compiled", compiled)
    if isinstance(mask, str):
        if mask not in MASK_KINDS:
            raise ValueError(
                f"mask must be None, one of {list(MASK_KINDS)} or an array, got {mask!r}"
            )
        kind_of_mask: str | None = mask
    else:
        kind_of_mask = None if mask is None else mask_kind(mask)
    s = layer_settings(layer_or_config)
    if s["kind"] == "simple_rnn":
        return Decision("generic", ("SimpleRNN has no fused kernel",))
    if s["use_cudnn"] is False:
        return Decision("generic", ("use_cudnn=False",))
    # LSTM/GRU.inner_loop never asks the backend when recurrent_dropout is set, so the
    # backend's mask check never runs; its argument checks are still listed.
    skipped = bool(s["recurrent_dropout"])
    verdict = _RULES[backend](s, gpu_available, None if skipped else kind_of_mask, compiled)
    declined = verdict.declined
    if skipped:
        declined = (f"recurrent_dropout={s['recurrent_dropout']:g} (must be 0)", *declined)
    forced = s["use_cudnn"] is True
    if declined:
        reasons = (*declined, *verdict.own_loop)
        return Decision("error", (*reasons, _FORCED)) if forced else Decision("generic", reasons)
    if verdict.own_loop:
        return Decision("generic", (*verdict.own_loop, *((_NOT_FORCED,) if forced else ())))
    if verdict.failure:
        return Decision("error", (verdict.failure,))
    masked = kind_of_mask == "right"
    return Decision(
        "cuDNN",
        (
            "right-padded mask, passed to cuDNN as sequence lengths"
            if masked
            else "every condition holds",
        ),
    )


def disables_xla(
    layer_or_config: object, *, backend: Backend = "tensorflow", gpu_available: bool
) -> bool:
    """Whether this layer keeps a model it is part of from being compiled with XLA.

    On TensorFlow, an ``LSTM`` or ``GRU`` whose arguments cuDNN can run, built where a
    GPU is visible and without ``use_cudnn=False``, sets ``supports_jit = False``
    (``lstm.py``/``gru.py``, ``__init__``). ``compile(jit_compile=True)`` then warns and
    proceeds without XLA, and ``jit_compile="auto"`` resolves to no XLA. The check
    ignores ``recurrent_dropout``: such a layer runs the generic loop and still has no
    XLA. Other backends never mark a recurrent layer so.

    >>> disables_xla({"kind": "lstm"}, gpu_available=True)
    True
    >>> disables_xla({"use_cudnn": False}, gpu_available=True)
    False
    >>> disables_xla({"recurrent_dropout": 0.2}, gpu_available=True)
    True
    >>> disables_xla({}, backend="jax", gpu_available=True)
    False
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {list(BACKENDS)}, got {backend!r}")
    gpu_available = check_bool("gpu_available", gpu_available)
    s = layer_settings(layer_or_config)
    return (
        backend == "tensorflow"
        and s["kind"] != "simple_rnn"
        and s["use_cudnn"] is not False
        and gpu_available
        and not _argument_failures(s)
    )


class Case(NamedTuple):
    """One row of a decision table: a label, the settings that differ, and the call."""

    label: str
    settings: Mapping[str, Any]
    mask: MaskKind | None = None
    compiled: bool | None = None


#: The TensorFlow table of the cuDNN page: every condition, one at a time.
TABLE_CASES: Final[tuple[Case, ...]] = (
    Case("LSTM, defaults", {}),
    Case("GRU, defaults", {"kind": "gru"}),
    Case("SimpleRNN", {"kind": "simple_rnn"}),
    Case("activation='relu'", {"activation": "relu"}),
    Case("recurrent_activation='hard_sigmoid'", {"recurrent_activation": "hard_sigmoid"}),
    Case("recurrent_dropout=0.2", {"recurrent_dropout": 0.2}),
    Case("dropout=0.2 (input dropout)", {"dropout": 0.2}),
    Case("unroll=True", {"unroll": True}),
    Case("use_bias=False", {"use_bias": False}),
    Case("GRU, reset_after=False", {"kind": "gru", "reset_after": False}),
    Case("mask, right padding", {}, "right"),
    Case("mask, left padding, in fit/predict", {}, "left", True),
    Case("mask, left padding, eager call", {}, "left", False),
    Case("mask with an empty row, in fit/predict", {}, "empty_row", True),
    Case("mask with an empty row, eager call", {}, "empty_row", False),
    Case("use_cudnn=False", {"use_cudnn": False}),
    Case("use_cudnn=True, unroll=True", {"use_cudnn": True, "unroll": True}),
    Case("use_cudnn=True, left padding, eager call", {"use_cudnn": True}, "left", False),
)

#: The JAX and PyTorch tables of the cuDNN page: where those backends differ.
OTHER_BACKEND_CASES: Final[tuple[Case, ...]] = (
    Case("LSTM, defaults", {}),
    Case("LSTM, use_cudnn=True", {"use_cudnn": True}),
    Case("GRU, defaults", {"kind": "gru"}),
    Case("GRU, use_cudnn=True", {"kind": "gru", "use_cudnn": True}),
    Case("activation='relu', use_cudnn=True", {"activation": "relu", "use_cudnn": True}),
    Case("unroll=True, use_cudnn=True", {"unroll": True, "use_cudnn": True}),
    Case("recurrent_dropout=0.2, use_cudnn=True", {"recurrent_dropout": 0.2, "use_cudnn": True}),
    Case(
        "GRU, reset_after=False, use_cudnn=True",
        {"kind": "gru", "reset_after": False, "use_cudnn": True},
    ),
    Case("mask, right padding", {}, "right"),
    Case("mask, right padding, use_cudnn=True", {"use_cudnn": True}, "right"),
    Case("jit_compile=True, use_cudnn=True", {"use_cudnn": True}, None, True),
)


@dataclass(frozen=True)
class CaseDecision:
    """One case of :func:`decision_table`: the kernel with a GPU and without one.

    ``xla_on_gpu`` says whether a model holding the layer can still be compiled with
    XLA on a GPU (``disables_xla``); it is ``None`` on backends other than TensorFlow.
    """

    case: Case
    gpu: Decision
    cpu: Decision
    xla_on_gpu: bool | None


def decision_table(
    cases: Sequence[Case] = TABLE_CASES, *, backend: Backend = "tensorflow"
) -> dict[str, CaseDecision]:
    """:func:`cudnn_decision` for each case, with and without a GPU, by the case's label.

    Settings not given take Keras's defaults (an ``LSTM``). On TensorFlow each case
    also says whether a model holding the layer can still be compiled with XLA on a
    GPU (``disables_xla``). :func:`decisions_as_table` shows the result as one table.

    >>> table = decision_table()
    >>> [table[label].gpu.kernel for label in ("LSTM, defaults", "SimpleRNN", "unroll=True")]
    ['cuDNN', 'generic', 'generic']
    >>> table["LSTM, defaults"].cpu.reasons, table["unroll=True"].xla_on_gpu
    (('no GPU',), True)
    >>> decision_table(OTHER_BACKEND_CASES, backend="torch")["LSTM, defaults"].xla_on_gpu is None
    True
    """
    xla = backend == "tensorflow"
    decisions: dict[str, CaseDecision] = {}
    for given in cases:
        case = given if isinstance(given, Case) else Case(*given)
        if case.label in decisions:
            raise ValueError(f"two cases are labelled {case.label!r}")
        gpu, cpu = (
            cudnn_decision(
                case.settings,
                backend=backend,
                gpu_available=available,
                mask=case.mask,
                compiled=case.compiled,
            )
            for available in (True, False)
        )
        xla_on_gpu = not disables_xla(case.settings, gpu_available=True) if xla else None
        decisions[case.label] = CaseDecision(case, gpu, cpu, xla_on_gpu)
    return decisions


def decisions_as_table(
    decisions: Mapping[str, CaseDecision], *, backend: Backend = "tensorflow"
) -> Table:
    """Show :func:`decision_table`'s result: one row per case, the kernel with and without
    a GPU, why, and (where the decisions say it, on TensorFlow) whether XLA still compiles.

    ``backend`` is the one the decisions were made for; the caption names it.

    >>> shown = decisions_as_table(decision_table(TABLE_CASES[:2]))
    >>> shown.header
    ('layer', 'GPU', 'CPU', 'why (on a GPU)', 'XLA on a GPU')
    >>> shown.column("GPU"), shown.column("XLA on a GPU")
    (['cuDNN', 'cuDNN'], ['no', 'no'])
    """
    xla = any(decision.xla_on_gpu is not None for decision in decisions.values())
    rows = []
    for label, decision in decisions.items():
        row = [label, decision.gpu.kernel, decision.cpu.kernel, "; ".join(decision.gpu.reasons)]
        if xla:
            row.append("yes" if decision.xla_on_gpu else "no")
        rows.append(tuple(row))
    header = ("layer", "GPU", "CPU", "why (on a GPU)") + (("XLA on a GPU",) if xla else ())
    caption = f"Kernel chosen by Keras {RULES_VERSION} ({backend} backend)"
    return Table(header, rows, caption=caption)


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


@dataclass(frozen=True)
class ExampleKernel:
    """The kernel one of the five basic examples ran on, and (where cuDNN ran) how far the
    fused and generic kernels' outputs are apart: ``gap`` is the largest absolute
    difference, ``None`` where only the generic kernel ran."""

    number: int
    code: str
    decision: Decision
    gap: float | None


def kernels_as_table(
    kernels: Mapping[int, ExampleKernel], *, devices: Sequence[str] = (), backend: str
) -> Table:
    """Show :func:`example_kernels`'s result: one row per example, its layer, the kernel,
    why, and the gap (3 significant digits). ``devices`` and ``backend`` are where the
    examples ran (the GPUs' names, none for a CPU); the caption names them.

    >>> kernel = ExampleKernel(1, "LSTM(1)", Decision("cuDNN", ("every condition holds",)), 2e-7)
    >>> print(kernels_as_table({1: kernel}, devices=("NVIDIA H200",), backend="jax"))
    Kernels on NVIDIA H200 (jax backend)
    example  layer    kernel  why                    largest |cuDNN - generic|
    -------  -------  ------  ---------------------  -------------------------
          1  LSTM(1)  cuDNN   every condition holds  2e-07
    """
    rows = [
        (
            str(number),
            k.code,
            k.decision.kernel,
            "; ".join(k.decision.reasons),
            "-" if k.gap is None else f"{k.gap:.3g}",
        )
        for number, k in kernels.items()
    ]
    return Table(
        ("example", "layer", "kernel", "why", "largest |cuDNN - generic|"),
        rows,
        caption=f"Kernels on {', '.join(devices) or 'CPU'} ({backend} backend)",
        numeric_columns=frozenset({0}),
    )


def example_kernels() -> dict[int, ExampleKernel]:
    """The kernel each of the five basic examples runs on here, checked by running it.

    The kernel is :func:`cudnn_decision`'s for the example's layer on this machine's
    backend and device. Where that is cuDNN, the example's layer is run again with
    ``use_cudnn=True`` (which on TensorFlow and JAX raises unless the fused kernel
    runs) and with ``use_cudnn=False``, and ``gap`` is the largest difference between
    the two. :func:`kernels_as_table` shows the result as one table.

    >>> kernels = example_kernels()
    >>> list(kernels)
    [1, 2, 3, 4, 5]
    >>> from lstm_examples.device import gpu_names
    >>> {k.decision.kernel for k in kernels.values()} == ({"cuDNN"} if gpu_names() else {"generic"})
    True
    """
    import keras
    import numpy as np

    from .device import gpu_names
    from .models import EXAMPLES, seed_input

    gpus = gpu_names()
    backend = keras.backend.backend()
    x = seed_input()
    kernels: dict[int, ExampleKernel] = {}
    for example in EXAMPLES:
        layer = example.build().get_layer("lstm")
        decision = cudnn_decision(layer, backend=backend, gpu_available=bool(gpus))
        gap = None
        if decision.uses_cudnn:
            config, weights = layer.get_config(), layer.get_weights()
            fused = _run_lstm(config, weights, x, True)
            generic = _run_lstm(config, weights, x, False)
            gap = max(float(np.max(np.abs(a - b))) for a, b in zip(fused, generic, strict=True))
        kernels[example.number] = ExampleKernel(example.number, example.code, decision, gap)
    return kernels


def _release(version: str) -> tuple[int, int, int]:
    """``(major, minor, patch)`` of a Keras version string such as ``"3.15.1.dev2026"``."""
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", version) if isinstance(version, str) else None
    if match is None:
        raise ValueError(f"keras_version must look like '3.15.1', got {version!r}")
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


@dataclass(frozen=True)
class BidirectionalDecision:
    """How a ``Bidirectional`` ``LSTM`` or ``GRU`` runs: one fused call, or two layers.

    ``fused`` is True when both directions run as one bidirectional cuDNN call.
    ``why_not_fused`` lists every check that ruled that out (empty when fused), and
    ``direction`` is the kernel of each direction: ``cuDNN`` for the fused call, else
    :func:`cudnn_decision` for the wrapped layer, which each of the two layers then
    makes on its own.

    >>> fused = BidirectionalDecision(True, (), Decision("cuDNN", ("one call",)))
    >>> str(fused)
    'fused: cuDNN: one call'
    """

    fused: bool
    why_not_fused: tuple[str, ...]
    direction: Decision

    def __str__(self) -> str:
        if self.fused:
            return f"fused: {self.direction}"
        return f"two layers ({'; '.join(self.why_not_fused)}), each {self.direction}"


def bidirectional_decision(
    layer_or_config: object,
    *,
    backend: Backend = "tensorflow",
    gpu_available: bool,
    mask: MaskKind | object | None = None,
    compiled: bool | None = None,
    stateful: bool = False,
    keras_version: str = RULES_VERSION,
) -> BidirectionalDecision:
    """Decide whether Keras 3 runs a ``Bidirectional`` layer as one fused cuDNN call.

    Keras :data:`RULES_VERSION`'s ``Bidirectional.call`` first tries one call for both
    directions (``layers/rnn/bidirectional.py``, ``_can_attempt_fused_lstm`` and
    ``_can_attempt_fused_gru``): no mask, not stateful, an ``LSTM`` or a ``GRU`` with
    ``reset_after=True``, ``use_cudnn`` ``"auto"`` or ``True``, ``dropout`` and
    ``recurrent_dropout`` both 0 (input dropout too, unlike a single layer), a bias, and
    the same units and activations in both directions. The backend may still decline:
    TensorFlow always does; JAX has a fused ``LSTM`` only, under its ``cudnn_ok`` and on a
    GPU; PyTorch fuses an ``LSTM`` or a ``GRU`` under its ``cudnn_ok`` when the inputs are
    on a CUDA device and no ``torch.compile``/``torch.jit`` trace runs. Where it is not
    fused, the wrapper calls its two layers, and each decides as :func:`cudnn_decision`
    says (``use_cudnn=True`` raises only there).

    ``layer_or_config`` is a ``Bidirectional`` layer or a mapping of the wrapped layer's
    settings (:func:`layer_settings`); ``stateful`` is read from the layer when one is
    given. ``keras_version`` is the Keras release asked about (pass ``keras.__version__``
    for the installed one): before :data:`FUSED_BIDIRECTIONAL_SINCE` there is no fused
    call at all. The other arguments are those of :func:`cudnn_decision`.

    >>> bidirectional_decision({}, backend="jax", gpu_available=True).fused
    True
    >>> print(bidirectional_decision({}, gpu_available=True))
    two layers (the tensorflow backend has no fused Bidirectional), each cuDNN: every condition holds
    >>> print(bidirectional_decision({"dropout": 0.2}, backend="torch", gpu_available=True))
    two layers (dropout=0.2 (must be 0)), each cuDNN: every condition holds
    >>> print(bidirectional_decision({"kind": "gru"}, backend="jax", gpu_available=True))
    two layers (the jax backend has no fused GRU), each generic: the jax backend has no cuDNN GRU
    >>> bidirectional_decision({}, backend="torch", gpu_available=False).why_not_fused
    ('no GPU',)
    >>> old = bidirectional_decision({}, backend="jax", gpu_available=True, keras_version="3.10.0")
    >>> old.fused, old.why_not_fused
    (False, ('Keras 3.10.0 has no fused Bidirectional (new in 3.15.0)',))
    >>> import keras
    >>> bidirectional_decision(keras.layers.LSTM(2), gpu_available=True)
    Traceback (most recent call last):
    ...
    TypeError: expected a Keras Bidirectional layer or a mapping of its layer's settings, got LSTM
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {list(BACKENDS)}, got {backend!r}")
    gpu_available = check_bool("gpu_available", gpu_available)
    stateful = check_bool("stateful", stateful)
    compiled = backend != "torch" if compiled is None else check_bool("compiled", compiled)
    too_old = _release(keras_version) < _release(FUSED_BIDIRECTIONAL_SINCE)
    differ: tuple[str, ...] = ()
    if isinstance(layer_or_config, Mapping):
        s = layer_settings(layer_or_config)
    else:
        import keras

        if not isinstance(layer_or_config, keras.layers.Bidirectional):
            raise TypeError(
                "expected a Keras Bidirectional layer or a mapping of its layer's settings, "
                f"got {type(layer_or_config).__name__}"
            )
        forward, backward = layer_or_config.forward_layer, layer_or_config.backward_layer
        s = layer_settings(forward)
        other = layer_settings(backward)
        stateful = bool(layer_or_config.stateful)
        same = s == other and getattr(forward.cell, "units", None) == getattr(
            backward.cell, "units", None
        )
        differ = () if same else ("the two layers differ",)
    direction = cudnn_decision(
        s, backend=backend, gpu_available=gpu_available, mask=mask, compiled=compiled
    )
    # The layer's own checks (bidirectional.py, _can_attempt_fused_lstm/_gru).
    layer_checks = (
        (mask is not None, "a mask"),
        (stateful, "stateful=True"),
        (s["kind"] == "simple_rnn", "SimpleRNN has no fused kernel"),
        (s["kind"] != "simple_rnn" and s["use_cudnn"] is False, "use_cudnn=False"),
        (bool(s["dropout"]), f"dropout={s['dropout']:g} (must be 0)"),
        (bool(s["recurrent_dropout"]), f"recurrent_dropout={s['recurrent_dropout']:g} (must be 0)"),
        (not s["use_bias"], "use_bias=False"),
        (s["kind"] == "gru" and not s["reset_after"], "reset_after=False"),
    )
    why = differ + tuple(reason for failed, reason in layer_checks if failed)
    if too_old:
        new_in = f"new in {FUSED_BIDIRECTIONAL_SINCE}"
        why = (f"Keras {keras_version} has no fused Bidirectional ({new_in})",)
    elif not why:  # the backend's bidirectional_lstm / bidirectional_gru
        if backend == "tensorflow":
            why = ("the tensorflow backend has no fused Bidirectional",)
        elif backend == "jax" and s["kind"] == "gru":
            why = ("the jax backend has no fused GRU",)
        else:
            argument_failures = _argument_failures(s, reset_after=False)
            why = argument_failures + (() if gpu_available else ("no GPU",))
            if backend == "torch" and compiled:
                why += ("inside torch.compile or a torch.jit trace",)
    if why:
        return BidirectionalDecision(False, why, direction)
    return BidirectionalDecision(
        True, (), Decision("cuDNN", ("one cuDNN call for both directions",))
    )
