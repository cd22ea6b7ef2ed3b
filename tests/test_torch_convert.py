"""Keras <-> PyTorch LSTM and GRU weights, checked with PyTorch's equations in NumPy."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from lstm_examples.models import recurrent_layer, set_seed
from lstm_examples.torch_convert import (
    conversion_table,
    gru_keras_to_torch,
    gru_torch_to_keras,
    keras_layers_to_torch,
    keras_to_torch,
    shape_table,
    torch_gru_forward,
    torch_lstm_forward,
    torch_name,
    torch_output_shapes,
    torch_to_keras,
)

X = np.random.default_rng(0).normal(size=(2, 5, 3)).astype(np.float32)


def _bias(layer):
    kernel, recurrent, bias = layer.get_weights()
    values = np.linspace(-0.5, 0.5, bias.size).astype("float32").reshape(bias.shape)
    layer.set_weights([kernel, recurrent, values])


def _keras_stack(kind, num_layers, bidirectional):
    """A seeded Keras stack of `kind` layers with non-zero biases, its outputs on X, and layers."""
    set_seed(10)
    inputs = keras.Input((None, 3))
    hidden, layers = inputs, []
    for index in range(num_layers):
        rnn = recurrent_layer(
            kind,
            units=4,
            return_sequences=True,
            return_state=index == num_layers - 1,
            name=f"{kind}_{index}",
        )
        layer = keras.layers.Bidirectional(rnn) if bidirectional else rnn
        hidden = layer(hidden)
        layers.append(layer)
        for part in getattr(layer, "forward_layer", layer), getattr(layer, "backward_layer", None):
            if part is not None:
                _bias(part)
    outputs = keras.Model(inputs, hidden)(X, training=False)
    return [np.asarray(o) for o in outputs], layers


@pytest.mark.parametrize(("num_layers", "bidirectional"), [(1, False), (2, False), (2, True)])
def test_keras_stack_equals_torch_equations(num_layers, bidirectional):
    outputs, layers = _keras_stack("lstm", num_layers, bidirectional)
    state = keras_layers_to_torch(layers)
    t_output, (h_n, c_n) = torch_lstm_forward(
        X, state, num_layers=num_layers, bidirectional=bidirectional
    )
    np.testing.assert_allclose(t_output, outputs[0], atol=1e-5)
    assert (
        h_n.shape
        == torch_output_shapes(2, 5, 4, num_layers=num_layers, bidirectional=bidirectional)["h_n"]
    )
    directions = 2 if bidirectional else 1
    np.testing.assert_allclose(h_n[-directions:], np.stack(outputs[1::2]), atol=1e-5)
    np.testing.assert_allclose(c_n[-directions:], np.stack(outputs[2::2]), atol=1e-5)


@pytest.mark.parametrize(
    ("num_layers", "bidirectional"), [(1, False), (2, False), (1, True), (2, True)]
)
def test_keras_gru_stack_equals_torch_gru_equations(num_layers, bidirectional):
    outputs, layers = _keras_stack("gru", num_layers, bidirectional)
    state = keras_layers_to_torch(layers)
    t_output, h_n = torch_gru_forward(X, state, num_layers=num_layers, bidirectional=bidirectional)
    directions = 2 if bidirectional else 1
    assert h_n.shape == (num_layers * directions, 2, 4)
    np.testing.assert_allclose(t_output, outputs[0], atol=1e-5)
    np.testing.assert_allclose(h_n[-directions:], np.stack(outputs[1:]), atol=1e-5)


def test_summing_biases_is_exact_for_the_lstm_only():
    # LSTM: the gates see only b_ih + b_hh. GRU: b_hn sits inside r * (W_hn h + b_hn).
    rng = np.random.default_rng(5)
    for kind, gates, forward in (("lstm", 4, torch_lstm_forward), ("gru", 3, torch_gru_forward)):
        state = {
            "weight_ih_l0": rng.normal(size=(gates * 3, 2)),
            "weight_hh_l0": rng.normal(size=(gates * 3, 3)),
            "bias_ih_l0": rng.normal(size=gates * 3),
            "bias_hh_l0": rng.normal(size=gates * 3),
        }
        summed = {
            **state,
            "bias_ih_l0": state["bias_ih_l0"] + state["bias_hh_l0"],
            "bias_hh_l0": np.zeros(gates * 3),
        }
        x = rng.normal(size=(2, 4, 2))
        gap = np.abs(forward(x, state)[0] - forward(x, summed)[0]).max()
        if kind == "lstm":
            assert gap < 1e-6
        else:
            assert gap > 1e-2


def test_gru_round_trip_keeps_both_bias_rows():
    rng = np.random.default_rng(2)
    kernel, recurrent = rng.normal(size=(3, 6)), rng.normal(size=(2, 6))
    bias = rng.normal(size=(2, 6))
    params = gru_keras_to_torch(kernel, recurrent, bias, layer=1, reverse=True)
    assert sorted(params) == sorted(
        f"{k}_l1_reverse" for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    )
    # z, r, h -> r, z, n: Keras's reset block (columns 2:4) is PyTorch's first (rows 0:2).
    np.testing.assert_allclose(params["weight_ih_l1_reverse"][:2], kernel[:, 2:4].T, rtol=1e-6)
    np.testing.assert_allclose(params["bias_hh_l1_reverse"][2:4], bias[1, :2], rtol=1e-6)
    back = gru_torch_to_keras(*params.values())
    for a, b in zip(back, (kernel, recurrent, bias), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    no_bias = gru_keras_to_torch(kernel, recurrent)
    assert not no_bias["bias_ih_l0"].any()
    assert not no_bias["bias_hh_l0"].any()
    assert gru_torch_to_keras(params["weight_ih_l1_reverse"], params["weight_hh_l1_reverse"])[
        2
    ].shape == (2, 6)


def test_gru_torch_to_keras_runs_in_keras():
    rng = np.random.default_rng(4)
    state = {
        "weight_ih_l0": rng.normal(size=(9, 3)).astype("float32"),
        "weight_hh_l0": rng.normal(size=(9, 3)).astype("float32"),
        "bias_ih_l0": rng.normal(size=9).astype("float32"),
        "bias_hh_l0": rng.normal(size=9).astype("float32"),
    }
    layer = keras.layers.GRU(3, return_sequences=True, return_state=True)
    layer.build((None, None, 3))
    layer.set_weights(gru_torch_to_keras(*state.values()))
    output, h = (np.asarray(o) for o in layer(X, training=False))
    t_output, h_n = torch_gru_forward(X, state)
    np.testing.assert_allclose(output, t_output, atol=1e-5)
    np.testing.assert_allclose(h, h_n[0], atol=1e-5)


def test_gru_batch_first_false():
    params = gru_keras_to_torch(np.ones((3, 6)), np.ones((2, 6)), np.ones((2, 6)))
    out_bf, h_bf = torch_gru_forward(X, params)
    out_tm, h_tm = torch_gru_forward(X.transpose(1, 0, 2), params, batch_first=False)
    np.testing.assert_allclose(out_tm.transpose(1, 0, 2), out_bf)
    np.testing.assert_allclose(h_tm, h_bf)


def test_round_trip_and_bias_split():
    rng = np.random.default_rng(1)
    kernel, recurrent, bias = rng.normal(size=(3, 8)), rng.normal(size=(2, 8)), rng.normal(size=8)
    params = keras_to_torch(kernel, recurrent, bias, layer=1, reverse=True)
    assert sorted(params) == sorted(
        f"{k}_l1_reverse" for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    )
    assert not params["bias_hh_l1_reverse"].any()
    back = torch_to_keras(*params.values())
    for a, b in zip(back, (kernel, recurrent, bias), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    no_bias = keras_to_torch(kernel, recurrent)
    assert not no_bias["bias_ih_l0"].any()
    assert not torch_to_keras(params["weight_ih_l1_reverse"], params["weight_hh_l1_reverse"])[
        2
    ].any()


def test_gates_keep_their_order():
    # Gate k of Keras's kernel (columns k*u:(k+1)*u) is gate k of PyTorch's weight (rows).
    units = 2
    kernel = np.repeat(np.arange(4.0), units)[None, :]
    params = keras_to_torch(kernel, np.zeros((units, 4 * units)))
    assert params["weight_ih_l0"][:, 0].tolist() == [0, 0, 1, 1, 2, 2, 3, 3]


def test_batch_first_false():
    params = keras_to_torch(np.ones((3, 8)), np.ones((2, 8)))
    out_bf, (h_bf, _) = torch_lstm_forward(X, params)
    out_tm, (h_tm, _) = torch_lstm_forward(X.transpose(1, 0, 2), params, batch_first=False)
    np.testing.assert_allclose(out_tm.transpose(1, 0, 2), out_bf)
    np.testing.assert_allclose(h_tm, h_bf)


def test_shape_table():
    table = shape_table(2, 5, 3)
    assert table.column("PyTorch output") == ["(2, 5, 3)", "(2, 5, 3)", "(2, 5, 6)", "(2, 5, 6)"]
    assert table.column("Keras output") == table.column("PyTorch output")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: keras_to_torch(np.ones((3, 7)), np.ones((2, 8))), ValueError, "4 \\* units"),
        (lambda: keras_to_torch(np.ones(8), np.ones((2, 8))), ValueError, "kernel must be 2-D"),
        (
            lambda: keras_to_torch(np.ones((3, 8)), np.ones((2, 8)), np.ones(4)),
            ValueError,
            "bias must be",
        ),
        (lambda: torch_to_keras(np.ones((8, 3)), np.ones((8, 3))), ValueError, "weight_hh must be"),
        (
            lambda: torch_to_keras(np.ones((8, 3)), np.ones((8, 2)), np.ones(3)),
            ValueError,
            "bias_ih must be",
        ),
        (lambda: torch_name("weight", 0), ValueError, "kind must be one of"),
        (lambda: torch_name("weight_ih", -1), ValueError, "layer must be an integer >= 0"),
        (lambda: keras_layers_to_torch([]), TypeError, "non-empty list"),
        (lambda: keras_layers_to_torch([object()]), TypeError, "objects with get_weights"),
        (
            lambda: torch_lstm_forward(X, {}),
            ValueError,
            "state_dict has no 'weight_ih_l0'",
        ),
        (lambda: torch_output_shapes(0, 1, 1), ValueError, "batch must be an integer >= 1"),
        (lambda: gru_keras_to_torch(np.ones((3, 7)), np.ones((2, 6))), ValueError, "3 \\* units"),
        (
            lambda: gru_keras_to_torch(np.ones((3, 6)), np.ones((2, 8))),
            ValueError,
            "recurrent_kernel must be",
        ),
        (
            lambda: gru_keras_to_torch(np.ones((3, 6)), np.ones((2, 6)), np.ones(6)),
            ValueError,
            r"GRU\(reset_after=False\), which nn.GRU does not compute",
        ),
        (
            lambda: gru_keras_to_torch(np.ones((3, 6)), np.ones((2, 6)), np.ones((2, 3))),
            ValueError,
            r"bias must be \(2, 3 \* units\) = \(2, 6\), got \(2, 3\)$",
        ),
        (
            lambda: gru_torch_to_keras(np.ones((6, 3)), np.ones((6, 3))),
            ValueError,
            "weight_hh must be",
        ),
        (
            lambda: gru_torch_to_keras(np.ones((6, 3)), np.ones((6, 2)), None, np.ones(4)),
            ValueError,
            "bias_hh must be",
        ),
        (
            lambda: torch_gru_forward(X, {}),
            ValueError,
            "state_dict has no 'weight_ih_l0'",
        ),
        (
            lambda: torch_output_shapes(1, 1, 1, bidirectional=1),
            TypeError,
            "bidirectional must be True or False",
        ),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_mixed_directions_and_kinds_rejected():
    class One:
        def get_weights(self):
            return [np.ones((1, 4)), np.ones((1, 4)), np.zeros(4)]

    class Two:
        forward_layer = One()
        backward_layer = One()

    with pytest.raises(ValueError, match="same number of directions"):
        keras_layers_to_torch([Two(), One()])

    class Bad:
        def get_weights(self):
            return [np.ones(1)]

    with pytest.raises(ValueError, match="expected an LSTM's or GRU's"):
        keras_layers_to_torch([Bad()])

    class Gru:
        def get_weights(self):
            return [np.ones((1, 3)), np.ones((1, 3)), np.zeros((2, 3))]

    with pytest.raises(ValueError, match="all LSTM or all GRU"):
        keras_layers_to_torch([One(), Gru()])

    class Simple:
        def get_weights(self):
            return [np.ones((1, 2)), np.ones((2, 2)), np.zeros(2)]

    with pytest.raises(ValueError, match="neither an LSTM's"):
        keras_layers_to_torch([Simple()])


def test_conversion_table_names_every_weight():
    inputs = keras.Input((None, 3))
    first = keras.layers.Bidirectional(
        recurrent_layer("lstm", units=2, return_sequences=True, name="a"), name="bi_a"
    )
    second = keras.layers.Bidirectional(recurrent_layer("lstm", units=2, name="b"), name="bi_b")
    second(first(inputs))
    table = conversion_table([first, second])
    assert len(table.rows) == 12
    assert table.column("PyTorch parameter")[-1].startswith("bias_ih_l1_reverse")
    assert table.column("Keras shape")[3] == "(3, 8)"
    assert table.column("PyTorch shape")[9] == "(8, 4)"


def test_conversion_table_for_a_gru():
    inputs = keras.Input((None, 3))
    gru = recurrent_layer("gru", units=2, name="g")
    gru(inputs)
    table = conversion_table([gru])
    assert table.column("PyTorch parameter") == [
        "weight_ih_l0 (z, r, h -> r, z, n)",
        "weight_hh_l0 (z, r, h -> r, z, n)",
        "bias_ih_l0 = row 0, bias_hh_l0 = row 1",
    ]
    assert table.column("Keras shape") == ["(3, 6)", "(2, 6)", "(2, 6)"]
    assert table.column("PyTorch shape") == ["(6, 3)", "(6, 2)", "2 x (6,)"]
