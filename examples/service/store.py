"""Tickets in a database: each row holds a ticket's document, whose history is the truth.

A row keeps the ticket as ``westcoast_rules.to_json`` writes it (the history with the facts
derived from it) and a copy of its state to query on. Reading a row back with
``from_json(Ticket, ..., policy=...)`` replays the history and refuses a row whose other fields
disagree with it, so an edited row can never steer the next event.

Every change is a read, the rules, and a write guarded by the row's version (optimistic
concurrency, SQLAlchemy's ``version_id_col``): when two requests change one ticket at once, the
second write finds the version moved, and the change is made again on the ticket as the first
left it. No event is lost, and no lock is held while the rules run. Every query is built by the
ORM with bound parameters; no SQL is assembled from strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped  # by name: SQLAlchemy 2.0.0 reads the string annotations
from sqlalchemy.orm.exc import StaleDataError

import westcoast_rules as wr

ID_LENGTH = 64
"""The longest ticket id the table takes."""

ATTEMPTS = 20
"""How many times a change is made again when other requests keep changing the ticket first."""


class Base(orm.DeclarativeBase):
    """The tables of the service."""


# --8<-- [start:table]
class TicketRow(Base):
    """One ticket: its document (history included) and a copy of its state for queries."""

    __tablename__ = "tickets"

    id: Mapped[str] = orm.mapped_column(sa.String(ID_LENGTH), primary_key=True)
    version: Mapped[int] = orm.mapped_column(sa.Integer, nullable=False)
    state: Mapped[str] = orm.mapped_column(sa.String(20), index=True)
    document: Mapped[str] = orm.mapped_column(sa.Text)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy's declaration)


# --8<-- [end:table]


class UnknownTicketError(LookupError):
    """No ticket has this id."""


class AlreadyLodgedError(ValueError):
    """A ticket with this id exists: a ticket is lodged once (PROC-1)."""


class StoredTicketError(RuntimeError):
    """A stored ticket disagrees with its own history: the row was edited outside the service
    (or written under another policy). A fault of the data, not of the request."""


class TicketBusyError(RuntimeError):
    """The ticket kept changing under every attempt; the client may try again."""


class TicketStore:
    """Tickets in the database at *url*, judged by *policy*."""

    def __init__(self, url: str, policy: wr.SupportPolicy = wr.WESTCOAST) -> None:
        self.policy = policy
        self.engine = sa.create_engine(url)
        Base.metadata.create_all(self.engine)
        self._sessions = orm.sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Close every connection (the data stays in the database)."""
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[orm.Session]:
        with self._sessions() as session, session.begin():
            yield session

    def _read(self, row: TicketRow) -> wr.Ticket:
        try:
            return wr.from_json(wr.Ticket, row.document, policy=self.policy)
        except wr.DataError as exc:
            raise StoredTicketError(f"stored ticket {row.id!r} cannot be trusted: {exc}") from None

    @staticmethod
    def _write(row: TicketRow, ticket: wr.Ticket) -> None:
        row.document = wr.to_json(ticket)
        row.state = ticket.state.value

    def lodge(self, event: wr.Lodged) -> wr.Ticket:
        """Store the new ticket *event* lodges; :class:`AlreadyLodgedError` if its id is taken."""
        ticket = self.policy.replay([event])  # the rules of lodging: PRIO-4, ESC-3, ...
        row = TicketRow(id=ticket.id, state="", document="")
        self._write(row, ticket)
        try:
            with self._session() as session:
                session.add(row)
        except sa.exc.IntegrityError:
            raise AlreadyLodgedError(f"ticket {ticket.id} was already lodged (PROC-1)") from None
        return ticket

    def get(self, ticket_id: str) -> wr.Ticket:
        """The ticket *ticket_id*; :class:`UnknownTicketError` if there is none."""
        with self._session() as session:
            row = session.get(TicketRow, ticket_id)
            if row is None:
                raise UnknownTicketError(f"no ticket {ticket_id!r}")
            return self._read(row)

    # --8<-- [start:change]
    def change(self, ticket_id: str, how: Callable[[wr.Ticket], wr.Ticket]) -> wr.Ticket:
        """The ticket after *how*, stored; made again on the newer ticket when another request
        stored a change first. *how* raises to refuse (nothing is stored then)."""
        for _ in range(ATTEMPTS):
            try:
                with self._session() as session:
                    row = session.get(TicketRow, ticket_id)
                    if row is None:
                        raise UnknownTicketError(f"no ticket {ticket_id!r}")
                    before = self._read(row)
                    after = how(before)
                    if after is not before:
                        self._write(row, after)
                return after
            except StaleDataError:
                continue  # another request changed it since we read it: again, on its result
        raise TicketBusyError(f"ticket {ticket_id} kept changing; try again")

    # --8<-- [end:change]

    def apply(self, ticket_id: str, event: wr.Event) -> wr.Ticket:
        """Apply *event*, after what time had decided before it (PROC-4, PROC-6)."""
        policy = self.policy
        return self.change(ticket_id, lambda t: policy.apply(policy.advance(t, event.at), event))

    def open_tickets(self) -> list[wr.Ticket]:
        """Every ticket not closed for good."""
        query = sa.select(TicketRow).where(TicketRow.state != wr.State.CLOSED.value)
        with self._session() as session:
            return [self._read(row) for row in session.scalars(query)]

    def advance_all(self, now: datetime) -> list[str]:
        """Record what time alone has decided by *now* in every open ticket (auto-resolve,
        close); the ids of the tickets that changed."""
        changed = []
        for ticket in self.open_tickets():
            if self.policy.advance(ticket, now) is not ticket:
                self.change(ticket.id, lambda t: self.policy.advance(t, now))
                changed.append(ticket.id)
        return changed
