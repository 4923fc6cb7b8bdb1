"""The errors the library raises: one base, each also the matching stdlib error."""

from __future__ import annotations

__all__ = [
    "BadRowsWarning",
    "CalendarRangeError",
    "DataError",
    "InvalidEnquiryError",
    "InvalidTimelineError",
    "MissingExtraError",
    "NaiveDatetimeError",
    "PolicyError",
    "TransitionError",
    "WestcoastRulesError",
    "WrongTypeError",
]


class WestcoastRulesError(Exception):
    """Base class of every error raised by ``westcoast_rules``."""


class NaiveDatetimeError(WestcoastRulesError, ValueError):
    """A datetime without a timezone was given where an instant is needed (HOURS-5)."""


class WrongTypeError(WestcoastRulesError, TypeError):
    """An argument is of the wrong type (a ``date`` where a ``datetime`` is needed, ...)."""


class CalendarRangeError(WestcoastRulesError, ValueError):
    """A date lies outside the years the holiday data covers, so no answer can be trusted."""


class PolicyError(WestcoastRulesError, ValueError):
    """A calendar or policy was configured with values the rules cannot work with."""


class DataError(WestcoastRulesError, ValueError):
    """Data that cannot be read: every problem at once, each with where it is.

    Attributes:
        errors: one line per problem, ending with its path (``... @ $.history[3].at``).
        source: the file the data came from, if any.
        line: the line of *source*, if the problem is on one line.
    """

    def __init__(
        self,
        message: str,
        *,
        errors: tuple[str, ...] | list[str] = (),
        source: str | None = None,
        line: int | None = None,
    ) -> None:
        self.errors = tuple(errors)
        self.source = source
        self.line = line
        where = f"{source}:{line}: " if source and line is not None else ""
        where = where or (f"{source}: " if source else "")
        details = f": {'; '.join(self.errors)}" if self.errors else ""
        super().__init__(f"{where}{message}{details}")


class InvalidEnquiryError(WestcoastRulesError, ValueError):
    """An enquiry the rules cannot assess: an unknown country code, a refused channel, ..."""


class InvalidTimelineError(WestcoastRulesError, ValueError):
    """Instants given out of order: a response before the lodging, a report before it began."""


class ClusterError(WestcoastRulesError, RuntimeError):
    """A Dask cluster asked for could not be reached or started; the message says which."""


class MissingExtraError(WestcoastRulesError, ImportError):
    """A module needs an optional extra that is not installed; the message names it."""


class TransitionError(WestcoastRulesError, ValueError):
    """An event the rules do not allow in the ticket's current state; names the rule.

    Attributes:
        rule: the ID of the rule that refuses the event (``"PROC-6"``), when one does.
        state: the ticket's state when the event was refused, if there was a ticket.
        event: the name of the refused event (``"Reopened"``).
    """

    def __init__(
        self,
        message: str,
        *,
        rule: str | None = None,
        state: str | None = None,
        event: str | None = None,
    ) -> None:
        super().__init__(message)
        self.rule = rule
        self.state = state
        self.event = event


class BadRowsWarning(UserWarning):
    """Rows of a table that could not be used, left out of a report that goes on without them;
    the message names each (``events:17: ...``, the row's position in the table)."""
