"""cudnn_decision's PyTorch-backend rules against Keras running on the PyTorch backend (CPU).

Run by ``nox -s torch-parity``. Keras picks its backend once per process, so each
case runs in a child process with ``KERAS_BACKEND=torch``. On a CPU every case is
off cuDNN; what is checked is which ones raise with ``use_cudnn=True`` (the backend
declines) and which run the backend's own loop without a word.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import keras
import pytest

from lstm_examples.cudnn import OTHER_BACKEND_CASES, RULES_VERSION, cudnn_decision

pytestmark = pytest.mark.skipif(
    tuple(int(p) for p in keras.__version__.split(".")[:2])
    < tuple(int(p) for p in RULES_VERSION.split(".")[:2]),
    reason=f"the PyTorch rules are those of Keras {RULES_VERSION}; this is {keras.__version__}",
)

CHILD = r"""
import json, sys
import numpy as np
import keras

assert keras.config.backend() == "torch", keras.config.backend()
x = np.random.default_rng(0).normal(size=(2, 3, 2)).astype("float32")
mask = np.array([[True, True, False], [True, True, True]])
results = {}
for label, settings, masked in json.loads(sys.argv[1]):
    settings = dict(settings)
    cls = keras.layers.GRU if settings.pop("kind", "lstm") == "gru" else keras.layers.LSTM
    try:
        cls(3, **settings)(x, mask=mask if masked else None)
        results[label] = "ran"
    except ValueError as error:
        assert "use_cudnn=True was specified" in str(error), error
        results[label] = "error"
print(json.dumps(results))
"""


def test_torch_backend_raises_where_the_decision_says():
    cases = [case for case in OTHER_BACKEND_CASES if case.compiled is None]
    payload = json.dumps([[c.label, dict(c.settings), c.mask is not None] for c in cases])
    env = {**os.environ, "KERAS_BACKEND": "torch", "CUDA_VISIBLE_DEVICES": ""}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, payload],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    for case in cases:
        decision = cudnn_decision(
            case.settings, backend="torch", gpu_available=False, mask=case.mask
        )
        expected = "error" if decision.kernel == "error" else "ran"
        assert results[case.label] == expected, (case.label, decision)
    assert sorted(label for label, result in results.items() if result == "error") == [
        "GRU, reset_after=False, use_cudnn=True",
        "mask, right padding, use_cudnn=True",
        "recurrent_dropout=0.2, use_cudnn=True",
    ]
