from __future__ import annotations

import pytest

from lstm_examples import flag_combinations
from lstm_examples.catalogue import cheat_sheet


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


class TestCheatSheet:
    def test_every_combination_once(self):
        table = cheat_sheet(units=3, timesteps=5, features=2)
        keys = [tuple(row[:3]) for row in table.rows]
        assert len(keys) == len(set(keys)) == 24
        assert {row[0] for row in table.rows} == {
            "LSTM",
            "GRU",
            "SimpleRNN",
            "Bidirectional(LSTM)",
            "Bidirectional(GRU)",
            "Bidirectional(SimpleRNN)",
        }
        assert table.caption == "units=3, input (batch, 5, 2)"

    def test_counts_match_names_and_shapes(self):
        for row in cheat_sheet(units=3, timesteps=5, features=2).rows:
            count = int(row[3])
            assert len(row[4].split(", ")) == count
            assert row[5].count("(") == count

    @pytest.mark.parametrize(
        ("layer", "count", "returns", "shapes"),
        [
            ("LSTM", "3", "output, state_h, state_c", "(batch, 5, 3), (batch, 3), (batch, 3)"),
            (
                "Bidirectional(LSTM)",
                "5",
                "output, forward_h, forward_c, backward_h, backward_c",
                "(batch, 5, 6), (batch, 3), (batch, 3), (batch, 3), (batch, 3)",
            ),
            (
                "Bidirectional(GRU)",
                "3",
                "output, forward_h, backward_h",
                "(batch, 5, 6), (batch, 3), (batch, 3)",
            ),
            ("SimpleRNN", "2", "output, state_h", "(batch, 5, 3), (batch, 3)"),
        ],
    )
    def test_both_flags_rows(self, layer, count, returns, shapes):
        rows = {
            row[0]: row[3:]
            for row in cheat_sheet(units=3, timesteps=5, features=2).rows
            if row[1:3] == ("True", "True")
        }
        assert rows[layer] == (count, returns, shapes)

    def test_flag_combinations_agrees_with_cheat_sheet(self):
        sheet = [
            row for row in cheat_sheet(units=2, timesteps=None, features=1).rows if row[0] == "GRU"
        ]
        table = flag_combinations("gru", units=2, timesteps=None, features=1)
        assert [(r[1], r[2], r[4], r[5]) for r in sheet] == [tuple(r) for r in table.rows]

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [
            ({"units": 0}, ValueError),
            ({"features": None}, TypeError),
            ({"timesteps": 0}, ValueError),
            ({"units": 2.5}, TypeError),
        ],
    )
    def test_bad_arguments(self, kwargs, error):
        with pytest.raises(error):
            cheat_sheet(**kwargs)
