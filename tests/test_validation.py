from __future__ import annotations

import numpy as np
import pytest

from lstm_examples.validation import (
    as_batch,
    check_bool,
    check_optional_positive_int,
    check_positive_int,
    check_seed,
)


class TestCheckPositiveInt:
    def test_accepts_positive_ints_including_numpy(self):
        assert check_positive_int("units", 3) == 3
        assert check_positive_int("units", np.int64(5)) == 5

    @pytest.mark.parametrize("value", [0, -1])
    def test_rejects_values_below_one(self, value):
        with pytest.raises(ValueError, match=r"units must be an integer >= 1, got -?\d"):
            check_positive_int("units", value)

    @pytest.mark.parametrize("value", [1.0, "3", None, True])
    def test_rejects_non_integers(self, value):
        with pytest.raises(TypeError, match="units must be an integer >= 1"):
            check_positive_int("units", value)

    def test_optional_allows_none(self):
        assert check_optional_positive_int("timesteps", None) is None
        with pytest.raises(ValueError, match="timesteps"):
            check_optional_positive_int("timesteps", 0)


def test_check_bool():
    assert check_bool("flag", np.bool_(True)) is True
    with pytest.raises(TypeError, match="flag must be True or False, got int 1"):
        check_bool("flag", 1)


@pytest.mark.parametrize(
    ("value", "error"), [(-1, ValueError), (2**31, ValueError), (1.5, TypeError)]
)
def test_check_seed_rejects(value, error):
    with pytest.raises(error, match=r"seed must be an integer in \[0, 2147483647\]"):
        check_seed(value)


class TestAsBatch:
    def test_returns_float32_of_same_shape(self):
        batch = as_batch(np.arange(6, dtype=np.int64).reshape(2, 3, 1), features=1, timesteps=3)
        assert batch.dtype == np.float32
        assert batch.shape == (2, 3, 1)

    @pytest.mark.parametrize(
        ("x", "shape_text"),
        [
            ([0.1, 0.2, 0.3], r"\(3,\) \(1-D\)"),
            ([[0.1, 0.2]], r"\(1, 2\) \(2-D\)"),
            (0.5, r"\(\) \(0-D\)"),
        ],
    )
    def test_wrong_rank_names_the_expected_layout(self, x, shape_text):
        with pytest.raises(
            ValueError,
            match=rf"expected a 3-D input \(batch, timesteps, features\), got shape {shape_text}",
        ):
            as_batch(x)

    def test_wrong_rank_hints_at_a_reshape(self):
        with pytest.raises(ValueError, match=r"np.reshape\(x, \(1, -1, 1\)\)"):
            as_batch([0.1, 0.2, 0.3])

    def test_wrong_feature_size(self):
        with pytest.raises(
            ValueError,
            match=r"expected 1 feature\(s\) on the last axis \(batch, timesteps, 1\), got shape \(1, 3, 2\)",
        ):
            as_batch(np.zeros((1, 3, 2)), features=1)

    def test_wrong_timesteps(self):
        with pytest.raises(ValueError, match=r"expected 3 timestep\(s\) on axis 1"):
            as_batch(np.zeros((1, 4, 1)), timesteps=3)

    @pytest.mark.parametrize("x", [[[["a"], ["b"]]], np.array([[[object()]]]), [[[1 + 2j]]]])
    def test_non_numeric(self, x):
        with pytest.raises(TypeError, match=r"expected (a numeric array|real numbers)"):
            as_batch(x)

    def test_ragged(self):
        with pytest.raises((ValueError, TypeError), match="expected a 3-D"):
            as_batch([[[0.1], [0.2]], [[0.3]]])

    def test_non_finite(self):
        with pytest.raises(ValueError, match="expected finite numbers"):
            as_batch(np.array([[[np.nan]]]))

    def test_empty(self):
        with pytest.raises(ValueError, match="at least one sequence of at least one step"):
            as_batch(np.zeros((0, 3, 1)))
