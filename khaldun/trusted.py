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

_SPECS: dict[type, tuple[dict[str, Any], tuple[tuple[str, Any], ...], tuple[str, ...]]] = {}
_setattr = object.__setattr__
_new = object.__new__  # (a model defines no __new__ of its own)
# the setters of BaseModel's slots, called straight (object.__setattr__ looks each name up in the class first)
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _spec(cls: type[BaseModel]) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...], tuple[str, ...]]:
    """(template, factories, required) of a model: the fields in the model's order with their defaults (None
    for a field made by a factory or required), the fields made by a factory, the required fields."""
    spec = _SPECS.get(cls)
    if spec is None:
        if cls.__new__ is not object.__new__:
            raise TypeError(f"{cls.__name__}: a model with its own __new__ is not built here")
        template: dict[str, Any] = {}
        factories, required = [], []
        for name, f in cls.model_fields.items():
            template[name] = None if f.default_factory is not None or f.default is PydanticUndefined else f.default
            if f.default_factory is not None:
                factories.append((name, f.default_factory))
            elif f.default is PydanticUndefined:
                required.append(name)
        spec = _SPECS[cls] = (template, tuple(factories), tuple(required))
    return spec


def trusted(cls: type[M], **values: Any) -> M:
    """An instance of `cls` with these fields (see the module's docstring); an unknown or missing required
    field is a TypeError, as a programming error."""
    template, factories, required = _SPECS.get(cls) or _spec(cls)
    data = template.copy()  # (the fields keep the model's order: an update changes values, not places)
    data.update(values)
    if len(data) != len(template):
        raise TypeError(f"{cls.__name__}: unknown field(s) {sorted(set(values) - set(template))}")
    for name, factory in factories:
        if name not in values:
            data[name] = factory()
    for name in required:
        if name not in values:
            raise TypeError(f"{cls.__name__}: field '{name}' is required")
    m = _new(cls)
    _setattr(m, "__dict__", data)
    _set_fields_set(m, set(values))
    _set_extra(m, None)
    _set_private(m, None)
    return m
