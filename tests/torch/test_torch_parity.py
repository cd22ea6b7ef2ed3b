"""Keras LSTMs and PyTorch's nn.LSTM agree on weights converted by torch_convert.

Run by ``nox -s torch-parity``; fails (never skips) when PyTorch is missing.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

try:
    import torch
except ImportError as error:  # pragma: no cover - the session installs it
    raise ImportError(
        "PyTorch is required for the parity tests: run `nox -s torch-parity`"
    ) from error

from lstm_examples.models import recurrent_layer
from lstm_examples.torch_convert import keras_layers_to_torch, torch_to_keras

X = np.random.default_rng(0).normal(size=(3, 6, 2)).astype(np.float32)
TOLERANCE = 1e-5


def _keras_stack(num_layers: int, bidirectional: bool, units: int = 4):
    inputs = keras.Input((None, X.shape[2]))
    hidden, layers = inputs, []
    for index in range(num_layers):
        lstm = recurrent_layer(
            "lstm",
            units=units,
            return_sequences=True,
            return_state=index == num_layers - 1,
            seed=20 + index,
            name=f"lstm_{index}",
        )
        layer = keras.layers.Bidirectional(lstm) if bidirectional else lstm
        hidden = layer(hidden)
        layers.append(layer)
        for part in (
            getattr(layer, "forward_layer", layer),
            getattr(layer, "backward_layer", None),
        ):
            if part is not None:
                kernel, recurrent, bias = part.get_weights()
                part.set_weights(
                    [kernel, recurrent, np.linspace(-0.3, 0.3, bias.size, dtype="float32")]
                )
    return keras.Model(inputs, hidden), layers


def _torch_lstm(state, num_layers, bidirectional, units=4):
    module = torch.nn.LSTM(
        X.shape[2], units, num_layers=num_layers, bidirectional=bidirectional, batch_first=True
    )
    module.load_state_dict({name: torch.from_numpy(value) for name, value in state.items()})
    return module


@pytest.mark.parametrize(
    ("num_layers", "bidirectional"), [(1, False), (2, False), (1, True), (2, True)]
)
def test_keras_to_torch_parity(num_layers, bidirectional):
    model, layers = _keras_stack(num_layers, bidirectional)
    outputs = [np.asarray(o) for o in model(X, training=False)]
    module = _torch_lstm(keras_layers_to_torch(layers), num_layers, bidirectional)
    with torch.no_grad():
        output, (h_n, c_n) = module(torch.from_numpy(X))
    directions = 2 if bidirectional else 1
    diffs = [
        np.abs(output.numpy() - outputs[0]).max(),
        np.abs(h_n.numpy()[-directions:] - np.stack(outputs[1::2])).max(),
        np.abs(c_n.numpy()[-directions:] - np.stack(outputs[2::2])).max(),
    ]
    print(f"max |diff| ({num_layers} layer(s), {directions} direction(s)): {max(diffs):.3g}")
    assert max(diffs) <= TOLERANCE


def test_torch_to_keras_parity():
    torch.manual_seed(0)
    module = torch.nn.LSTM(X.shape[2], 5, batch_first=True)
    params = {name: p.detach().numpy() for name, p in module.named_parameters()}
    layer = keras.layers.LSTM(5, return_sequences=True, return_state=True)
    layer.build((None, None, X.shape[2]))
    layer.set_weights(
        torch_to_keras(
            *(params[f"{k}_l0"] for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
        )
    )
    output, h, c = (np.asarray(o) for o in layer(X, training=False))
    with torch.no_grad():
        t_output, (h_n, c_n) = module(torch.from_numpy(X))
    diff = max(
        np.abs(t_output.numpy() - output).max(),
        np.abs(h_n.numpy()[0] - h).max(),
        np.abs(c_n.numpy()[0] - c).max(),
    )
    print(f"max |diff| (PyTorch -> Keras): {diff:.3g}")
    assert diff <= TOLERANCE
