"""Find the analyzer factory named ``module:function`` (``proplens:load`` by default).

Each worker calls the factory once with ``(model_dir, threshold)``; tests and
benchmarks name a fake one here instead of the real model.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from proplens.errors import InputError

DEFAULT_FACTORY = "proplens:load"


def resolve_factory(spec: str) -> Callable:
    """The callable named by ``spec``, or an InputError saying what is wrong with it."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise InputError(f"analyzer factory {spec!r} must look like 'module:function'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise InputError(f"cannot import analyzer factory module {module_name!r}: {err}") from None
    factory = getattr(module, attr, None)
    if not callable(factory):
        raise InputError(f"{module_name!r} has no callable {attr!r} (analyzer factory {spec!r})")
    return factory
