"""Live, seeded examples of what Keras recurrent layers return.

Importing the package is cheap: Keras (and its backend) is imported the first
time a name that needs it is used, so ``lstm_examples.reference`` and the
validation helpers stay importable without TensorFlow.

>>> import lstm_examples
>>> [example.number for example in lstm_examples.EXAMPLES]
[1, 2, 3, 4, 5]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> submodule that defines it
_EXPORTS: dict[str, str] = {
    "EXAMPLES": "models",
    "SEED_SEQUENCE": "models",
    "Example": "models",
    "assert_same_model": "models",
    "build_lstm": "models",
    "build_rnn": "models",
    "get_example": "models",
    "seed_input": "models",
    "set_seed": "models",
    "as_batch": "validation",
    "NamedOutputs": "outputs",
    "output_names": "outputs",
    "run_named": "outputs",
    "Table": "render",
    "flag_combinations": "catalogue",
    "cheat_sheet": "catalogue",
    "Explanation": "explanation",
    "explain": "explanation",
    "output_roles": "outputs",
    "Decision": "cudnn",
    "compare_kernels": "cudnn",
    "cudnn_decision": "cudnn",
    "decision_table": "cudnn",
    "build_masked": "masking",
    "pad_sequences": "masking",
    "build_explicit_state": "stateful",
    "build_stateful": "stateful",
    "keras_layers_to_torch": "torch_convert",
    "keras_to_torch": "torch_convert",
    "torch_to_keras": "torch_convert",
    "gpu_names": "device",
}

__all__ = [
    "EXAMPLES",
    "SEED_SEQUENCE",
    "Decision",
    "Example",
    "Explanation",
    "NamedOutputs",
    "Table",
    "__version__",
    "as_batch",
    "assert_same_model",
    "build_explicit_state",
    "build_lstm",
    "build_masked",
    "build_rnn",
    "build_stateful",
    "cheat_sheet",
    "compare_kernels",
    "cudnn_decision",
    "decision_table",
    "explain",
    "flag_combinations",
    "get_example",
    "gpu_names",
    "keras_layers_to_torch",
    "keras_to_torch",
    "output_names",
    "output_roles",
    "pad_sequences",
    "run_named",
    "seed_input",
    "set_seed",
    "torch_to_keras",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .catalogue import cheat_sheet, flag_combinations
    from .cudnn import Decision, compare_kernels, cudnn_decision, decision_table
    from .device import gpu_names
    from .explanation import Explanation, explain
    from .masking import build_masked, pad_sequences
    from .models import (
        EXAMPLES,
        SEED_SEQUENCE,
        Example,
        assert_same_model,
        build_lstm,
        build_rnn,
        get_example,
        seed_input,
        set_seed,
    )
    from .outputs import NamedOutputs, output_names, output_roles, run_named
    from .render import Table
    from .stateful import build_explicit_state, build_stateful
    from .torch_convert import keras_layers_to_torch, keras_to_torch, torch_to_keras
    from .validation import as_batch


def __getattr__(name: str) -> Any:
    try:
        module_name = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'lstm_examples' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
