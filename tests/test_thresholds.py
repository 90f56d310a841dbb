"""The one threshold check behind CLI flags, API fields and batch options."""

from __future__ import annotations

import numpy as np
import pytest

from proplens.errors import InputError
from proplens.thresholds import check_threshold, parse_threshold


@pytest.mark.parametrize("value", [0, 0.0, 0.5, 1, 1.0, np.float32(0.25), np.float64(1.0)])
def test_numbers_in_0_1_are_thresholds(value):
    assert check_threshold(value) == float(value)


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (float("nan"), "got nan (not a number)"),
        (np.float64("nan"), "got nan (not a number)"),
        (float("inf"), "got inf (infinite)"),
        (-float("inf"), "got -inf (infinite)"),
        (1.5, "got 1.5"),
        (-0.1, "got -0.1"),
        (True, "got True"),
        ("0.5", "got '0.5'"),
    ],
)
def test_everything_else_is_refused_saying_what_it_got(value, said):
    with pytest.raises(InputError) as err:
        check_threshold(value, "--threshold")
    assert str(err.value) == f"--threshold must be a number between 0 and 1, {said}"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("nan", "must be a number between 0 and 1, got nan (not a number)"),
        ("NaN", "must be a number between 0 and 1, got nan (not a number)"),
        ("half", "must be a number between 0 and 1, got 'half'"),
        ("2", "must be a number between 0 and 1, got 2.0"),
    ],
)
def test_text_thresholds(raw, message):
    assert parse_threshold(" 0.25 ") == 0.25
    with pytest.raises(InputError) as err:
        parse_threshold(raw, None)
    assert str(err.value) == message
    with pytest.raises(InputError) as err:
        parse_threshold(raw, "threshold:")
    assert str(err.value) == f"threshold: {message}"
