"""Argument checks shared by the builders and runners (NumPy only, no Keras).

Every check raises ``TypeError`` for a value of the wrong kind and ``ValueError``
for a value of the right kind but out of range, and the message names what was
expected.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def check_positive_int(name: str, value: object) -> int:
    """Return ``value`` if it is an ``int`` >= 1, else raise.

    >>> check_positive_int("units", 12)
    12
    >>> check_positive_int("units", 0)
    Traceback (most recent call last):
    ...
    ValueError: units must be an integer >= 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= 1, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def check_optional_positive_int(name: str, value: object) -> int | None:
    """Like :func:`check_positive_int`, but ``None`` is allowed (and returned).

    >>> check_optional_positive_int("timesteps", None) is None
    True
    >>> check_optional_positive_int("timesteps", 3)
    3
    """
    return None if value is None else check_positive_int(name, value)


def check_bool(name: str, value: object) -> bool:
    """Return ``value`` if it is a ``bool``, else raise ``TypeError``.

    >>> check_bool("return_state", True)
    True
    >>> check_bool("return_state", "yes")
    Traceback (most recent call last):
    ...
    TypeError: return_state must be True or False, got str 'yes'
    """
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def check_seed(value: object) -> int:
    """Return ``value`` if it is an ``int`` in ``[0, 2**31 - 1]``, else raise.

    >>> check_seed(7)
    7
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    ValueError: seed must be an integer in [0, 2147483647], got -1
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"seed must be an integer in [0, 2147483647], got {type(value).__name__} {value!r}"
        )
    seed = int(value)
    if not 0 <= seed <= 2**31 - 1:
        raise ValueError(f"seed must be an integer in [0, 2147483647], got {value!r}")
    return seed


def as_batch(
    x: npt.ArrayLike | Sequence[object],
    *,
    features: int | None = None,
    timesteps: int | None = None,
) -> npt.NDArray[np.float32]:
    """Check that ``x`` is a numeric batch of sequences and return it as ``float32``.

    A recurrent layer takes a 3-D input ``(batch, timesteps, features)``. ``features``
    and ``timesteps``, when given, are checked too (``None`` accepts any size).

    >>> as_batch([[[0.1], [0.2], [0.3]]], features=1).shape
    (1, 3, 1)
    >>> as_batch([0.1, 0.2, 0.3])
    Traceback (most recent call last):
    ...
    ValueError: expected a 3-D input (batch, timesteps, features), got shape (3,) (1-D); ...
    """
    try:
        array = np.asarray(x)
    except (TypeError, ValueError) as error:  # ragged nested lists, for example
        raise ValueError(
            f"expected a 3-D numeric array (batch, timesteps, features); could not convert: {error}"
        ) from error
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.bool_)
    ):
        raise TypeError(
            "expected a numeric array (batch, timesteps, features), "
            f"got dtype {array.dtype} from {type(x).__name__}"
        )
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"expected real numbers, got dtype {array.dtype}")
    if array.ndim != 3:
        hint = ""
        if array.ndim in (1, 2):
            hint = "; reshape it, e.g. np.reshape(x, (1, -1, 1)) for one sequence of one feature"
        raise ValueError(
            "expected a 3-D input (batch, timesteps, features), "
            f"got shape {array.shape} ({array.ndim}-D){hint}"
        )
    if features is not None and array.shape[2] != features:
        raise ValueError(
            f"expected {features} feature(s) on the last axis (batch, timesteps, {features}), "
            f"got shape {array.shape}"
        )
    if timesteps is not None and array.shape[1] != timesteps:
        raise ValueError(
            f"expected {timesteps} timestep(s) on axis 1 (batch, {timesteps}, features), "
            f"got shape {array.shape}"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"expected at least one sequence of at least one step, got {array.shape}")
    result = array.astype(np.float32)
    if not np.all(np.isfinite(result)):
        raise ValueError("expected finite numbers, got NaN or infinity in the input")
    return result
