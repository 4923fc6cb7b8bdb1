"""Validators shared by the library's records: one typed error, one wording."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from westcoast_rules.errors import WrongTypeError

Validator = Callable[[object, "attrs.Attribute[Any]", Any], None]


def instance_of(kind: type) -> Validator:
    """An attrs validator refusing anything but a *kind* (and a bool where an int is asked)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise WrongTypeError(
                f"{type(instance).__name__}.{attribute.name} must be a {kind.__name__}, "
                f"got {value!r}"
            )

    return check
