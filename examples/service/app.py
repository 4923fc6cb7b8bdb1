"""The HTTP face of the ticket service: Starlette, JSON in and out, the library's words.

    POST /tickets                  lodge: {"id", "at", "priority", "channel", "category"?, "tier"?}
    POST /tickets/{id}/events      apply: {"event": "Acknowledged", "at": ...}
    GET  /tickets/{id}             the ticket, as westcoast_rules.to_dict writes it
    GET  /tickets/{id}/next?now=   what time decides next (policy.next_deadline)
    GET  /at-risk?now=&within=     responses near or past breach (policy.at_risk)
    POST /advance                  what time decided by {"now": ...} (policy.advance), recorded

Instants are RFC 9557 / ISO 8601 text with an offset, durations ISO 8601 (``PT1H``). A request
the library refuses is answered 4xx with the library's own message: 422 for bad data (a naive
instant, an unknown word), 409 for an event the rules refuse here (with its rule), 404 for an
unknown ticket, 413 for a body too large, 400 for a body that is not JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import westcoast_rules as wr
from westcoast_rules.serialization import (
    format_datetime,
    format_duration,
    parse_datetime,
    parse_duration,
)

from .store import ID_LENGTH, AlreadyLodgedError, TicketBusyError, TicketStore, UnknownTicketError

LOG = logging.getLogger(__name__)

# --8<-- [start:settings]
DATABASE_URL = os.environ.get("WESTCOAST_DATABASE_URL", "sqlite:///westcoast_tickets.db")
"""Where tickets are kept: any SQLAlchemy URL (``postgresql+psycopg://...`` works unchanged)."""

MAX_BODY_BYTES = 16 * 1024
"""A request body larger than this is refused (413) before it is read whole."""

ADVANCE_EVERY = float(os.environ.get("WESTCOAST_ADVANCE_EVERY_SECONDS", "60"))
"""How often the service records what time decided (auto-resolve, close); 0 never."""

CLOCK_SKEW = timedelta(minutes=5)
"""How far past the service's clock a client's instant may be: events are recorded as they
happen, and time may be told to decide only what it has decided (an ``/advance`` to next year
would close every ticket now)."""
# --8<-- [end:settings]

EVENTS = {kind.__name__: kind for kind in wr.EVENT_TYPES if kind is not wr.Lodged}
"""The events a client may apply by name. AutoResolved and Closed are among them: a client
that knows time decided may say so; the rules refuse them before their deadline."""


class RequestError(Exception):
    """A request answered with *status* and a message, before or after the rules ran."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def system_clock() -> datetime:
    """Now, from the system: the edge of the service, the one place a clock is read."""
    return datetime.now(UTC)


# -- reading requests --------------------------------------------------------------------------


# --8<-- [start:body]
async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, read no further than :data:`MAX_BODY_BYTES`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise RequestError(413, f"the body is larger than {MAX_BODY_BYTES:,} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise RequestError(413, f"the body is larger than {MAX_BODY_BYTES:,} bytes")
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise RequestError(400, "the body is not JSON") from None
    if not isinstance(document, dict):
        raise RequestError(422, "the body must be a JSON object")
    return document


# --8<-- [end:body]


def not_after_now(at: datetime, clock: Callable[[], datetime], what: str) -> datetime:
    """*at*, unless it is later than the service's clock (give or take :data:`CLOCK_SKEW`)."""
    now = clock()
    if at > now + CLOCK_SKEW:
        raise RequestError(
            422,
            f"{what} ({at.isoformat()}) is later than now ({now.isoformat()}): "
            "record events as they happen",
        )
    return at


def event_of(body: dict[str, Any]) -> wr.Event:
    """The event a body describes: ``{"event": "Acknowledged", "at": ...}``."""
    name = body.pop("event", None)
    kind = EVENTS.get(name) if isinstance(name, str) else None
    if kind is None:
        raise RequestError(422, f"unknown event {name!r}: expected one of {', '.join(EVENTS)}")
    return wr.from_dict(kind, body)


def instant(request: Request, clock: Callable[[], datetime]) -> datetime:
    """The query's ``now``, or the clock's when the query does not say."""
    text = request.query_params.get("now")
    return clock() if text is None else parse_datetime(text)


def ticket_id(request: Request) -> str:
    value: str = request.path_params["ticket_id"]
    if len(value) > ID_LENGTH:
        raise RequestError(422, f"a ticket id has at most {ID_LENGTH} characters")
    return value


# -- writing responses -------------------------------------------------------------------------


def ticket_json(ticket: wr.Ticket, status: int = 200) -> JSONResponse:
    return JSONResponse(wr.to_dict(ticket), status_code=status)


def refused(status: int, message: str, **more: Any) -> JSONResponse:
    return JSONResponse({"error": message, **more}, status_code=status)


async def on_refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestError)
    return refused(exc.status, str(exc))


# --8<-- [start:errors]
async def on_library_error(request: Request, exc: Exception) -> JSONResponse:
    """The library's refusal, in its own words: the rules (409, with the rule) or the data (422,
    with every problem and where it is)."""
    if isinstance(exc, wr.TransitionError):
        return refused(409, str(exc), rule=exc.rule)
    errors = list(exc.errors) if isinstance(exc, wr.DataError) else []
    return refused(422, str(exc), errors=errors)


# --8<-- [end:errors]


async def on_lookup(request: Request, exc: Exception) -> JSONResponse:
    status = 404 if isinstance(exc, UnknownTicketError) else 409
    return refused(status, str(exc))


# -- the application ---------------------------------------------------------------------------


def create_app(
    database_url: str = DATABASE_URL,
    *,
    policy: wr.SupportPolicy = wr.WESTCOAST,
    clock: Callable[[], datetime] = system_clock,
    advance_every: float = ADVANCE_EVERY,
) -> Starlette:
    """The service on the database at *database_url*, judging by *policy*, its time from
    *clock*, recording what time decided every *advance_every* seconds (0: only when asked)."""
    store = TicketStore(database_url, policy)

    async def lodge(request: Request) -> JSONResponse:
        event = wr.from_dict(wr.Lodged, await json_body(request))
        not_after_now(event.at, clock, "the lodging")
        if len(event.id) > ID_LENGTH:
            raise RequestError(422, f"a ticket id has at most {ID_LENGTH} characters")
        return ticket_json(await run_in_threadpool(store.lodge, event), 201)

    # --8<-- [start:apply]
    async def apply(request: Request) -> JSONResponse:
        event = event_of(await json_body(request))
        not_after_now(event.at, clock, f"the {type(event).__name__} event")
        return ticket_json(await run_in_threadpool(store.apply, ticket_id(request), event))

    # --8<-- [end:apply]

    async def show(request: Request) -> JSONResponse:
        return ticket_json(await run_in_threadpool(store.get, ticket_id(request)))

    async def due_next(request: Request) -> JSONResponse:
        now = instant(request, clock)
        ticket = await run_in_threadpool(store.get, ticket_id(request))
        deadline = policy.next_deadline(ticket, now)
        if deadline is None:
            return JSONResponse(None)
        return JSONResponse(
            {"at": format_datetime(deadline.at), "kind": deadline.kind, "rule": deadline.rule}
        )

    async def at_risk(request: Request) -> JSONResponse:
        now = instant(request, clock)
        within = parse_duration(request.query_params.get("within", "PT1H"))
        tickets = await run_in_threadpool(store.open_tickets)
        risks = policy.at_risk(tickets, now=now, within=within)
        return JSONResponse(
            [
                {
                    "ticket": r.ticket.id,
                    "priority": r.ticket.priority,
                    "due": format_datetime(r.due),
                    "left": format_duration(r.left),
                    "rule": r.rule,
                }
                for r in risks
            ]
        )

    async def advance(request: Request) -> JSONResponse:
        body = await json_body(request)
        now = clock() if "now" not in body else parse_datetime(body["now"])
        not_after_now(now, clock, "the instant to advance to")
        return JSONResponse({"advanced": await run_in_threadpool(store.advance_all, now)})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(advance_on_schedule()) if advance_every > 0 else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            store.close()

    async def advance_on_schedule() -> None:
        while True:
            await asyncio.sleep(advance_every)
            try:
                await run_in_threadpool(store.advance_all, clock())
            except Exception:  # the next round tries again; the failure is not lost
                LOG.exception("advancing the tickets failed")

    app = Starlette(
        routes=[
            Route("/tickets", lodge, methods=["POST"]),
            Route("/tickets/{ticket_id:str}", show, methods=["GET"]),
            Route("/tickets/{ticket_id:str}/events", apply, methods=["POST"]),
            Route("/tickets/{ticket_id:str}/next", due_next, methods=["GET"]),
            Route("/at-risk", at_risk, methods=["GET"]),
            Route("/advance", advance, methods=["POST"]),
        ],
        exception_handlers={
            RequestError: on_refused,
            wr.WestcoastRulesError: on_library_error,
            UnknownTicketError: on_lookup,
            AlreadyLodgedError: on_lookup,
            TicketBusyError: on_lookup,
        },
        lifespan=lifespan,
    )
    app.state.store = store
    return app
