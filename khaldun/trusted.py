"""Contract models built from values that already have the models' types, without pydantic's validation.

Validating a model costs ~5 us (a claim, ~10 with its parts); the stages build thousands per article set from
values they made themselves (strings, ints, lists of models already built). `trusted(Cls, **fields)` builds the
same instance as `Cls(**fields)` would (the fields in the model's order, missing ones from their defaults, the
same fields-set), as pydantic's `model_construct` does, without its per-call look-ups (it inspects each
default factory's signature on every call, which makes it slower than validating). Callers copy the lists and
dictionaries they pass, as validation would, and pass values of the declared types (a float for a float
field): nothing here checks them."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

M = TypeVar("M", bound=BaseModel)

_SPECS: dict[type, tuple[tuple[str, Any, Any], ...]] = {}


def _spec(cls: type[BaseModel]) -> tuple[tuple[str, Any, Any], ...]:
    spec = _SPECS.get(cls)
    if spec is None:
        spec = _SPECS[cls] = tuple((name, f.default, f.default_factory) for name, f in cls.model_fields.items())
    return spec


def trusted(cls: type[M], **values: Any) -> M:
    """An instance of `cls` with these fields (see the module's docstring); an unknown or missing required
    field is a TypeError, as a programming error."""
    data: dict[str, Any] = {}
    used = 0
    for name, default, factory in _spec(cls):
        if name in values:
            data[name] = values[name]
            used += 1
        elif factory is not None:
            data[name] = factory()
        elif default is PydanticUndefined:
            raise TypeError(f"{cls.__name__}: field '{name}' is required")
        else:
            data[name] = default
    if used != len(values):
        raise TypeError(f"{cls.__name__}: unknown field(s) {sorted(set(values) - set(data))}")
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", data)
    object.__setattr__(m, "__pydantic_fields_set__", set(values))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m
