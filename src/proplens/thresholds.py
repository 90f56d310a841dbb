"""One check for every score threshold a user gives (CLI flags, API fields, batch).

A threshold is a real number in [0, 1]. NaN deserves its own message: every
comparison with it is false, so a range check alone would call it "outside
[0, 1]" or "should be ≤ 1", which sends the user looking for the wrong mistake.
"""

from __future__ import annotations

import math
import numbers

from proplens.errors import InputError

RANGE = "must be a number between 0 and 1"


def threshold_problem(value: object) -> str | None:
    """Why ``value`` is not a threshold (``"must be ..., got nan (not a number)"``), or None."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):  # numpy floats too
        return f"{RANGE}, got {value!r:.40}"
    if math.isnan(value):
        return f"{RANGE}, got nan (not a number)"
    if math.isinf(value):
        return f"{RANGE}, got {value} (infinite)"
    if not 0.0 <= value <= 1.0:
        return f"{RANGE}, got {value}"
    return None


def check_threshold(value: float, name: str = "threshold") -> float:
    """``value`` as a float, or :class:`InputError` naming ``name`` and what is wrong."""
    problem = threshold_problem(value)
    if problem:
        raise InputError(f"{name} {problem}")
    return float(value)


def parse_threshold(raw: str, name: str | None = "threshold") -> float:
    """A threshold from text (a form field, a command-line flag); ``name`` starts the message
    (``"threshold"``, ``"threshold:"``, or None for none, as argparse adds its own)."""
    try:
        value = float(raw)
    except ValueError:
        value = None
    problem = threshold_problem(value) if value is not None else f"{RANGE}, got {raw!r:.40}"
    if problem:
        raise InputError(f"{name} {problem}" if name else problem)
    return float(value)
