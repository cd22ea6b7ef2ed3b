from __future__ import annotations

import pytest

from lstm_examples import flag_combinations
from lstm_examples.catalogue import FLAGS, CheatSheet, cheat_sheet

LAYERS = {
    "LSTM",
    "GRU",
    "SimpleRNN",
    "Bidirectional(LSTM)",
    "Bidirectional(GRU)",
    "Bidirectional(SimpleRNN)",
}


def test_lstm_entries_are_computed_from_keras():
    combinations = flag_combinations("lstm", units=5, timesteps=7, features=3)
    assert list(combinations) == [("LSTM", s, r) for s, r in FLAGS]
    assert combinations["LSTM", True, True].shapes == ((None, 7, 5), (None, 5), (None, 5))
    assert combinations["LSTM", False, True].roles == ("output", "state_h", "state_c")
    table = combinations.to_table()
    assert table.header == ("return_sequences", "return_state", "returns", "shapes")
    assert table.caption == "LSTM, units=5, input (batch, 7, 3)"
    assert [tuple(row) for row in table.rows] == [
        ("False", "False", "output", "(batch, 5)"),
        ("True", "False", "output", "(batch, 7, 5)"),
        ("False", "True", "output, state_h, state_c", "(batch, 5), (batch, 5), (batch, 5)"),
        ("True", "True", "output, state_h, state_c", "(batch, 7, 5), (batch, 5), (batch, 5)"),
    ]


@pytest.mark.parametrize("kind", ["gru", "simple_rnn"])
def test_one_state_layers(kind):
    combinations = flag_combinations(kind, units=2, timesteps=None, features=1)
    assert [e.roles for e in combinations.values()] == [
        ("output",),
        ("output",),
        ("output", "state_h"),
        ("output", "state_h"),
    ]
    assert list(combinations.values())[3].shapes == ((None, None, 2), (None, 2))


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


@pytest.fixture(scope="module")
def sheet() -> CheatSheet:
    return cheat_sheet(units=3, timesteps=5, features=2)


class TestCheatSheet:
    def test_every_combination_once(self, sheet):
        assert len(sheet) == 24
        assert {layer for layer, _, _ in sheet} == LAYERS
        assert {(s, r) for _, s, r in sheet} == set(FLAGS)

    def test_without_return_state_one_tensor(self, sheet):
        for (layer, sequences, state), e in sheet.items():
            if not state:
                width = 6 if layer.startswith("Bidirectional") else 3
                assert e.roles == ("output",)
                assert e.shapes == (((None, 5, width),) if sequences else ((None, width),))

    @pytest.mark.parametrize(
        ("layer", "roles", "width"),
        [
            ("LSTM", ("output", "state_h", "state_c"), 3),
            ("SimpleRNN", ("output", "state_h"), 3),
            (
                "Bidirectional(LSTM)",
                ("output", "forward_h", "forward_c", "backward_h", "backward_c"),
                6,
            ),
            ("Bidirectional(GRU)", ("output", "forward_h", "backward_h"), 6),
        ],
    )
    def test_both_flags(self, sheet, layer, roles, width):
        e = sheet[layer, True, True]
        assert e.roles == roles
        assert e.shapes == ((None, 5, width),) + ((None, 3),) * (len(roles) - 1)

    def test_table_renders_the_entries(self, sheet):
        table = sheet.to_table()
        assert table.caption == "units=3, input (batch, 5, 2)"
        assert table.header == (
            "layer",
            "return_sequences",
            "return_state",
            "count",
            "returns",
            "shapes",
        )
        row = next(r for r in table.rows if r[:3] == ("GRU", "True", "True"))
        assert row[3:] == ("2", "output, state_h", "(batch, 5, 3), (batch, 3)")
        assert repr(sheet) == table.to_text()
        assert sheet._repr_html_() == table.to_html()

    def test_read_only_and_clear_key_error(self, sheet):
        with pytest.raises(TypeError):
            sheet.entries["LSTM", False, False] = None  # type: ignore[index]
        with pytest.raises(KeyError, match="layer one of"):
            sheet["Dense", False, False]

    def test_flag_combinations_agrees_with_cheat_sheet(self):
        sheet = cheat_sheet(units=2, timesteps=None, features=1)
        combinations = flag_combinations("gru", units=2, timesteps=None, features=1)
        assert dict(combinations) == {key: e for key, e in sheet.items() if key[0] == "GRU"}

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
