"""The data edge: every public record to and from plain dicts and JSON, with a versioned schema.

Built on cattrs, the attrs ecosystem's converter, with hooks that keep what matters:

- a datetime is written as RFC 9557 text, ISO 8601 with its offset and, for an IANA zone, the
  zone's key: ``2026-10-23T16:00:00+01:00[Europe/London]``. Reading it back gives the same
  instant in the same zone (a bare offset would lose the zone, and DST with it). A datetime
  without an offset is refused (HOURS-5), and so is an offset that contradicts its zone;
- a duration is an ISO 8601 duration, ``P1DT2H30M``; a date ``2026-12-25``; a time ``08:00:00``;
- enumerations are their values (``"P2"``, ``"email"``, tiers ``1..3``); sets are sorted lists;
- a ticket's history is a list of events, each tagged with its type: ``{"event": "Resolved",
  "at": ...}``.

A document's top level carries ``"schema": "westcoast_rules/1"`` and the record's ``"type"``.
A ticket's history is the truth: reading a ticket replays its history under the policy
(``policy=``, Westcoast's by default) and refuses a document whose other fields (state, tier,
deadlines, ...) disagree with it, naming each such field with both values.
Bad input is reported whole: one :class:`DataError` listing every failing field with its path
(``... @ $.history[3].at``), never another exception.
"""

from __future__ import annotations

import enum
import json
import re
import typing
from collections.abc import Set
from datetime import date, datetime, time, timedelta
from typing import Any, Final, TypeVar
from zoneinfo import ZoneInfo

import attrs
import cattrs

from westcoast_rules._choices import choose
from westcoast_rules._instants import (
    find_zone,
    format_datetime,
    format_duration,
    parse_datetime,
    parse_duration,
    to_micros,
)
from westcoast_rules.calendar import (
    BusinessCalendar,
    HolidayRegion,
    OpenPeriod,
    SpecialHours,
    Window,
)
from westcoast_rules.errors import DataError, WestcoastRulesError, WrongTypeError
from westcoast_rules.events import EVENT_TYPES, EVENTS_BY_NAME, Event
from westcoast_rules.explain import DueExplanation, Step
from westcoast_rules.intake import Assessment, Enquiry
from westcoast_rules.lifecycle import Deadlines, Ticket, Transition
from westcoast_rules.policy import WESTCOAST, SupportPolicy
from westcoast_rules.rules import Rule
from westcoast_rules.scope import Notice, ScopeRule
from westcoast_rules.sla import Milestone, ResponseStatus
from westcoast_rules.targets import ResponseTarget
from westcoast_rules.versions import Policies, PolicyVersions, in_force

__all__ = [
    "format_datetime",
    "format_duration",
    "from_dict",
    "from_json",
    "parse_datetime",
    "parse_duration",
    "to_dict",
    "to_json",
]

SCHEMA: Final = "westcoast_rules/1"
"""The schema of every document this module writes; bumped on any incompatible change."""

T = TypeVar("T")

RECORD_TYPES: Final[tuple[type, ...]] = (
    *EVENT_TYPES,
    Ticket,
    Deadlines,
    Enquiry,
    Assessment,
    Notice,
    SupportPolicy,
    PolicyVersions,
    BusinessCalendar,
    Window,
    HolidayRegion,
    ResponseTarget,
    ScopeRule,
    ResponseStatus,
    Milestone,
    DueExplanation,
    Step,
    OpenPeriod,
    Rule,
)
"""The records ``to_dict``/``from_dict`` handle: every public record of the library."""

_NOT_SERIALISED: Final = (Transition,)  # holds guard functions: code, not data

# -- the converter -----------------------------------------------------------------------------


def _structure_date(value: Any, _: type) -> date:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise DataError(f"a date must be written YYYY-MM-DD, got {value!r}")
    return date.fromisoformat(value)


def _structure_time(value: Any, _: type) -> time:
    if not isinstance(value, str):
        raise DataError(f"a time must be written HH:MM[:SS], got {value!r}")
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise DataError(f"a time must be written HH:MM[:SS], got {value!r}") from None


def _structure_zone(value: Any, _: type) -> ZoneInfo:
    zone = find_zone(value) if isinstance(value, str) else None
    if zone is None:
        raise DataError(f"a zone must be an IANA key such as 'Europe/London', got {value!r:.80}")
    return zone


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _strict(kind: type) -> Any:
    """Refuse what Python would coerce: ``"1"`` for an int, ``1`` for a bool or a string.

    The hook also receives the StrEnums and IntEnums (they subclass ``str`` and ``int``), which
    are read by value.
    """

    def structure(value: Any, target: type) -> Any:
        if type(value) is not kind:
            raise DataError(f"expected {kind.__name__}, got {type(value).__name__} {value!r}")
        if target is kind:
            return value
        return choose(target, value)  # the one refusal of a word; cattrs adds " @ $.path"

    return structure


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(
        forbid_extra_keys=True,
        unstruct_collection_overrides={Set: sorted},
    )
    converter.register_unstructure_hook(datetime, format_datetime)
    converter.register_structure_hook(datetime, lambda v, _: parse_datetime(v))
    converter.register_unstructure_hook(timedelta, format_duration)
    converter.register_structure_hook(timedelta, lambda v, _: parse_duration(v))
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(date, _structure_date)
    converter.register_unstructure_hook(time, time.isoformat)
    converter.register_structure_hook(time, _structure_time)
    converter.register_unstructure_hook(ZoneInfo, lambda zone: zone.key)
    converter.register_structure_hook(ZoneInfo, _structure_zone)
    # StrEnums and IntEnums are written as their plain values (JSON has no enums).
    converter.register_unstructure_hook(str, _plain)
    converter.register_unstructure_hook(int, _plain)
    for primitive in (str, int, bool):
        converter.register_structure_hook(primitive, _strict(primitive))
    converter.register_structure_hook(float, _structure_float)
    _configure_events(converter)
    _configure_dated(converter)
    return converter


def _configure_dated(converter: cattrs.Converter) -> None:
    """Special hours as ``{"2026-12-24": [{"start": ..., "end": ...}]}``, and policy versions
    as ``{"versions": [{"since": ..., "policy": {...}}]}``: each checked as it is built."""

    def unstructure_hours(hours: SpecialHours) -> dict[str, Any]:
        return {
            day.isoformat(): [converter.unstructure(window, Window) for window in windows]
            for day, windows in hours.items()
        }

    def structure_hours(value: Any, _: Any) -> SpecialHours:
        if not isinstance(value, dict):
            raise DataError(f"special hours must be an object of dates, got {value!r}")
        days = {
            _structure_date(day, date): converter.structure(windows, list[Window])
            for day, windows in value.items()
        }
        return SpecialHours(days)

    def unstructure_versions(versions: PolicyVersions) -> dict[str, Any]:
        return {
            "versions": [
                {"since": format_datetime(since), "policy": converter.unstructure(policy)}
                for since, policy in versions
            ]
        }

    def structure_versions(value: Any, _: Any) -> PolicyVersions:
        document = converter.structure(value, _Versions)
        return PolicyVersions(*((pair.since, pair.policy) for pair in document.versions))

    converter.register_unstructure_hook(SpecialHours, unstructure_hours)
    converter.register_structure_hook(SpecialHours, structure_hours)
    converter.register_unstructure_hook(PolicyVersions, unstructure_versions)
    converter.register_structure_hook(PolicyVersions, structure_versions)


@attrs.frozen
class _Version:
    """One version of a policy as a document holds it."""

    since: datetime
    policy: SupportPolicy


@attrs.frozen
class _Versions:
    """The versions of a policy as a document holds them, before they are checked together."""

    versions: list[_Version]


def _configure_events(converter: cattrs.Converter) -> None:
    """Events in a list are tagged with their type: ``{"event": "Resolved", "at": ...}``."""

    def unstructure(event: Any) -> dict[str, Any]:
        return {"event": type(event).__name__, **converter.unstructure(event, type(event))}

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, dict):
            raise DataError(f"an event must be a JSON object, got {type(value).__name__}")
        name = value.get("event")
        kind = EVENTS_BY_NAME.get(name) if isinstance(name, str) else None
        if kind is None:
            raise DataError(f"unknown event {name!r}: expected one of {', '.join(EVENTS_BY_NAME)}")
        return converter.structure({k: v for k, v in value.items() if k != "event"}, kind)

    converter.register_unstructure_hook(Event, unstructure)
    converter.register_structure_hook(Event, structure)

    # A kind of event (SupportPolicy.response_events, SLA-1) is written as its name.
    def is_kind(cls: Any) -> bool:
        return typing.get_origin(cls) is type

    def structure_kind(value: Any, _: Any) -> type[Event]:
        kind = EVENTS_BY_NAME.get(value) if isinstance(value, str) else None
        if kind is None:
            raise DataError(f"unknown event {value!r}: expected one of {', '.join(EVENTS_BY_NAME)}")
        return kind

    converter.register_unstructure_hook_func(is_kind, lambda kind: kind.__name__)
    converter.register_structure_hook_func(is_kind, structure_kind)


def _structure_float(value: Any, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DataError(f"expected a number, got {value!r}")
    return float(value)


_CONVERTER: Final = _make_converter()


def _format_error(exc: BaseException, kind: type | None) -> str:
    if isinstance(exc, WestcoastRulesError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
    if isinstance(exc, AttributeError | TypeError):  # a scalar where an object or a list goes
        expected = getattr(kind, "__name__", None) or str(kind)
        return f"expected {_a(expected)} (a JSON object or list), got a value of another kind"
    return cattrs.v.format_exception(exc, kind)


def _a(name: str) -> str:
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _check_record(kind: type) -> None:
    if not isinstance(kind, type) or kind in _NOT_SERIALISED or kind not in RECORD_TYPES:
        raise WrongTypeError(
            f"{getattr(kind, '__name__', repr(kind)[:60])!s} is not a record westcoast_rules "
            f"serialises: the record type comes first, from_json(Ticket, text); use one of "
            f"{', '.join(k.__name__ for k in RECORD_TYPES)}"
        )


def _check_policies(policy: object) -> Policies:
    if not isinstance(policy, SupportPolicy | PolicyVersions):
        raise WrongTypeError(
            f"policy must be a SupportPolicy or PolicyVersions (the policy that built the "
            f"tickets read), got {policy!r:.80}"
        )
    return policy


def _checked_ticket(ticket: Ticket, policies: Policies) -> Ticket:
    """*ticket* as read, if its history replayed under the policy in force when it was lodged
    gives the same ticket; :class:`DataError` naming every field that disagrees otherwise.

    Every field but the history follows from the history (state, tier, deadlines, ...), so a
    document edited by hand, or written under another policy, would have the next event judged
    against facts its history does not give."""
    policy = in_force(policies, to_micros(ticket.lodged_at))
    try:
        replayed = policy.replay(ticket.history)
    except WestcoastRulesError as exc:
        raise DataError(
            f"invalid Ticket {ticket.id}: its history is refused by policy version "
            f"{policy.version} (read tickets with the policy that built them, "
            "from_dict(Ticket, data, policy=...))",
            errors=[f"{exc} @ $.history"],
        ) from None
    if replayed == ticket:
        return ticket
    problems = []
    for field in attrs.fields(Ticket):
        stored, derived = getattr(ticket, field.name), getattr(replayed, field.name)
        key = getattr(field, "eq_key", None) or _itself  # instants compared as instants
        if key(stored) != key(derived):
            problems.append(
                f"stored {_stored(stored)} but its history gives {_stored(derived)} "
                f"@ $.{field.name}"
            )
    raise DataError(
        f"invalid Ticket {ticket.id}: stored fields disagree with its history under policy "
        f"version {policy.version} (the history is the truth: store it, and read tickets with "
        "the policy that built them, from_dict(Ticket, data, policy=...))",
        errors=problems,
    )


def _itself(value: object) -> object:
    return value


def _stored(value: object) -> str:
    return repr(_CONVERTER.unstructure(value))


# -- the public functions ----------------------------------------------------------------------


def to_dict(obj: object) -> dict[str, Any]:
    """A record as a plain dict of JSON types, with the schema and the record's type on top.

    >>> from westcoast_rules import Resolved, LONDON
    >>> to_dict(Resolved(datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)))["at"]
    '2026-11-23T12:00:00+00:00[Europe/London]'
    """
    _check_record(type(obj))
    body = _CONVERTER.unstructure(obj, unstructure_as=type(obj))
    return {"schema": SCHEMA, "type": type(obj).__name__, **body}


def from_dict(cls: type[T], data: Any, *, policy: Policies = WESTCOAST) -> T:
    """The record of type *cls* that *data* describes; :class:`DataError` listing every problem.

    A :class:`~westcoast_rules.Ticket` is checked against its history, replayed under *policy*
    (the version in force when it was lodged, for :class:`PolicyVersions`): a field that
    disagrees with it is a :class:`DataError` naming the field and both values. *policy* is
    read for tickets only.

    >>> from westcoast_rules import Resolved
    >>> from_dict(Resolved, {"at": "2026-11-23T12:00:00+00:00[Europe/London]"}).at.hour
    12
    """
    _check_record(cls)
    policies = _check_policies(policy)
    if not isinstance(data, dict):
        raise DataError(f"a {cls.__name__} must be a JSON object, got {type(data).__name__}")
    body = dict(data)
    problems = []
    schema = body.pop("schema", SCHEMA)
    if schema != SCHEMA:
        problems.append(f"unsupported schema {schema!r}, expected {SCHEMA!r} @ $.schema")
    kind = body.pop("type", cls.__name__)
    if kind != cls.__name__:
        problems.append(f"this is a {kind!r} document, not a {cls.__name__!r} @ $.type")
    if problems:
        raise DataError(f"invalid {cls.__name__}", errors=problems)
    try:
        record = _CONVERTER.structure(body, cls)
    except RecursionError:
        raise DataError(f"invalid {cls.__name__}: nested too deeply") from None
    except Exception as exc:  # every failure is reported as one DataError, with its paths
        errors = cattrs.transform_error(exc, path="$", format_exception=_format_error)
        raise DataError(f"invalid {cls.__name__}", errors=errors) from exc
    if isinstance(record, Ticket):
        return _checked_ticket(record, policies)  # type: ignore[return-value]
    return record


def to_json(obj: object, *, indent: int | None = None) -> str:
    """A record as JSON text (see :func:`to_dict`)."""
    return json.dumps(to_dict(obj), indent=indent, ensure_ascii=False)


def from_json(cls: type[T], text: str | bytes, *, policy: Policies = WESTCOAST) -> T:
    """The record of type *cls* that the JSON *text* describes (see :func:`from_dict`, which
    checks a ticket against its history under *policy*)."""
    _check_record(cls)
    _check_policies(policy)
    if not isinstance(text, str | bytes | bytearray):
        raise WrongTypeError(f"from_json takes the JSON text second, got {type(text).__name__}")
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise DataError(f"not valid JSON for a {cls.__name__}: {exc}") from None
    except RecursionError:
        raise DataError(f"not valid JSON for a {cls.__name__}: nested too deeply") from None
    return from_dict(cls, data, policy=policy)
