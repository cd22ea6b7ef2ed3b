from __future__ import annotations

import pytest

from lstm_examples import flag_combinations


def test_lstm_rows_are_computed_from_keras():
    table = flag_combinations("lstm", units=5, timesteps=7, features=3)
    assert table.header == ("return_sequences", "return_state", "returns", "shapes")
    assert [tuple(row) for row in table.rows] == [
        ("False", "False", "output", "(batch, 5)"),
        ("True", "False", "output", "(batch, 7, 5)"),
        ("False", "True", "output, state_h, state_c", "(batch, 5), (batch, 5), (batch, 5)"),
        ("True", "True", "output, state_h, state_c", "(batch, 7, 5), (batch, 5), (batch, 5)"),
    ]


@pytest.mark.parametrize("kind", ["gru", "simple_rnn"])
def test_one_state_layers(kind):
    table = flag_combinations(kind, units=2, timesteps=None, features=1)
    assert table.column("returns") == ["output", "output", "output, state_h", "output, state_h"]
    assert table.column("shapes")[3] == "(batch, None, 2), (batch, 2)"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"units": 0}, ValueError),
        ({"features": "2"}, TypeError),
        ({"timesteps": -1}, ValueError),
        ({"kind": "rnn"}, ValueError),
    ],
)
def test_bad_arguments(kwargs, error):
    with pytest.raises(error):
        flag_combinations(**kwargs)
