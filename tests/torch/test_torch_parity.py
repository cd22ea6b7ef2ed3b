"""Keras LSTMs and GRUs agree with PyTorch's nn.LSTM and nn.GRU on weights converted by torch_convert.

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

from lstm_examples.models import recurrent_layer, set_seed
from lstm_examples.torch_convert import (
    gru_torch_to_keras,
    keras_layers_to_torch,
    torch_to_keras,
)

X = np.random.default_rng(0).normal(size=(3, 6, 2)).astype(np.float32)
TOLERANCE = 1e-5
NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
MODULES = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}
LAYERS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}


def _keras_stack(kind: str, num_layers: int, bidirectional: bool, units: int = 4):
    """A seeded stack of Keras layers with non-zero biases (both GRU bias rows differ)."""
    set_seed(20)
    inputs = keras.Input((None, X.shape[2]))
    hidden, layers = inputs, []
    for index in range(num_layers):
        rnn = recurrent_layer(
            kind,
            units=units,
            return_sequences=True,
            return_state=index == num_layers - 1,
            name=f"{kind}_{index}",
        )
        layer = keras.layers.Bidirectional(rnn) if bidirectional else rnn
        hidden = layer(hidden)
        layers.append(layer)
        for part in (
            getattr(layer, "forward_layer", layer),
            getattr(layer, "backward_layer", None),
        ):
            if part is not None:
                kernel, recurrent, bias = part.get_weights()
                values = np.linspace(-0.3, 0.3, bias.size, dtype="float32").reshape(bias.shape)
                part.set_weights([kernel, recurrent, values])
    return keras.Model(inputs, hidden), layers


def _torch_module(kind, state, num_layers, bidirectional, units=4):
    module = MODULES[kind](
        X.shape[2], units, num_layers=num_layers, bidirectional=bidirectional, batch_first=True
    )
    module.load_state_dict({name: torch.from_numpy(value) for name, value in state.items()})
    return module


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize(
    ("num_layers", "bidirectional"), [(1, False), (2, False), (1, True), (2, True)]
)
def test_keras_to_torch_parity(kind, num_layers, bidirectional):
    model, layers = _keras_stack(kind, num_layers, bidirectional)
    outputs = [np.asarray(o) for o in model(X, training=False)]
    module = _torch_module(kind, keras_layers_to_torch(layers), num_layers, bidirectional)
    with torch.no_grad():
        output, states = module(torch.from_numpy(X))
    directions = 2 if bidirectional else 1
    if kind == "lstm":
        h_n, c_n = states
        diffs = [
            np.abs(h_n.numpy()[-directions:] - np.stack(outputs[1::2])).max(),
            np.abs(c_n.numpy()[-directions:] - np.stack(outputs[2::2])).max(),
        ]
    else:
        diffs = [np.abs(states.numpy()[-directions:] - np.stack(outputs[1:])).max()]
    diffs.append(np.abs(output.numpy() - outputs[0]).max())
    print(
        f"{kind}: max |diff| ({num_layers} layer(s), {directions} direction(s)): {max(diffs):.3g}"
    )
    assert max(diffs) <= TOLERANCE


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_torch_to_keras_parity(kind):
    torch.manual_seed(0)
    module = MODULES[kind](X.shape[2], 5, batch_first=True)
    with torch.no_grad():  # PyTorch's default biases are random: make bias_hh matter more
        for name, parameter in module.named_parameters():
            if name.startswith("bias_hh"):
                parameter.add_(0.5)
    params = {name: p.detach().numpy() for name, p in module.named_parameters()}
    convert = torch_to_keras if kind == "lstm" else gru_torch_to_keras
    layer = LAYERS[kind](5, return_sequences=True, return_state=True)
    layer.build((None, None, X.shape[2]))
    layer.set_weights(convert(*(params[f"{name}_l0"] for name in NAMES)))
    keras_out = [np.asarray(o) for o in layer(X, training=False)]
    with torch.no_grad():
        t_output, states = module(torch.from_numpy(X))
    torch_states = list(states) if kind == "lstm" else [states]
    diff = max(
        np.abs(t_output.numpy() - keras_out[0]).max(),
        *(np.abs(t.numpy()[0] - k).max() for t, k in zip(torch_states, keras_out[1:], strict=True)),
    )
    print(f"max |diff| (PyTorch -> Keras {kind}): {diff:.3g}")
    assert diff <= TOLERANCE


def test_summed_gru_biases_break_parity():
    """The reason gru_torch_to_keras keeps two bias rows: summing them changes the GRU."""
    torch.manual_seed(1)
    module = torch.nn.GRU(X.shape[2], 4, batch_first=True)
    params = {name: p.detach().numpy() for name, p in module.named_parameters()}
    kernel, recurrent, bias = gru_torch_to_keras(*(params[f"{name}_l0"] for name in NAMES))
    summed = np.stack([bias[0] + bias[1], np.zeros_like(bias[1])])
    layer = keras.layers.GRU(4, return_sequences=True)
    layer.build((None, None, X.shape[2]))
    layer.set_weights([kernel, recurrent, summed])
    with torch.no_grad():
        t_output, _ = module(torch.from_numpy(X))
    assert np.abs(np.asarray(layer(X)) - t_output.numpy()).max() > 1e-3


def test_padding_needs_packing():
    """Keras with a mask stops at each sequence's last real step; nn.LSTM on a padded tensor
    does not, and agrees again once the batch is packed (docs/pitfalls/pytorch.md)."""
    padded = X.copy()
    padded[0, 3:] = 0.0  # sequence 0: 3 real steps, then padding
    lengths = torch.tensor([3, 6, 6])
    set_seed(3)
    inputs = keras.Input((None, X.shape[2]))
    layer = keras.layers.LSTM(4, return_state=True)
    model = keras.Model(inputs, layer(keras.layers.Masking(mask_value=0.0)(inputs)))
    _, keras_h, keras_c = model.predict(padded, verbose=0)
    module = _torch_module("lstm", keras_layers_to_torch([layer]), 1, False)
    with torch.no_grad():
        _, (h_n, _) = module(torch.from_numpy(padded))
        packed = torch.nn.utils.rnn.pack_padded_sequence(
            torch.from_numpy(padded), lengths, batch_first=True, enforce_sorted=False
        )
        _, (h_packed, c_packed) = module(packed)
    # padded, not packed: sequence 0 disagrees, the full-length ones agree
    assert np.abs(h_n[0, 0].numpy() - keras_h[0]).max() > 1e-2
    np.testing.assert_allclose(h_n[0, 1:].numpy(), keras_h[1:], atol=TOLERANCE)
    # packed: every sequence agrees, states included
    np.testing.assert_allclose(h_packed[0].numpy(), keras_h, atol=TOLERANCE)
    np.testing.assert_allclose(c_packed[0].numpy(), keras_c, atol=TOLERANCE)
