"""Validators shared by the library's records: one typed error, one wording."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import attrs

from westcoast_rules.errors import PolicyError, WrongTypeError

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


def enum_member(kind: type[enum.Enum]) -> Validator:
    """An attrs validator refusing anything but a member of *kind*, naming one to use."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, kind):
            raise WrongTypeError(
                f"{type(instance).__name__}.{attribute.name} must be a {kind.__name__}, got "
                f"{value!r}; use e.g. {kind.__name__}.{next(iter(kind)).name} or "
                f"{kind.__name__}({next(iter(kind)).value!r})"
            )

    return check


def members_of(kind: type[enum.Enum]) -> Validator:
    """An attrs validator for a collection of members of *kind*."""
    member = enum_member(kind)

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        for item in value:
            member(instance, attribute, item)

    return check


def optional_timedelta(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An attrs validator for a ``timedelta`` or ``None``."""
    if value is not None and not isinstance(value, timedelta):
        raise WrongTypeError(
            f"{type(instance).__name__}.{attribute.name} must be a timedelta or None, got "
            f"{value!r}; use e.g. timedelta(hours=4)"
        )


def boolean(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An attrs validator for ``True`` or ``False`` and nothing that merely looks like one."""
    if not isinstance(value, bool):
        raise WrongTypeError(
            f"{type(instance).__name__}.{attribute.name} must be True or False, got {value!r}"
        )


def whole_number(most: int, unit: str) -> Validator:
    """An attrs validator for a whole number from 1 to *most* (of *unit*): beyond it, the dates
    the rules would compute leave the years a calendar holds."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
            raise PolicyError(
                f"{attribute.name} must be a whole number of {unit} from 1 to {most:,}, "
                f"got {value!r}"
            )

    return check
