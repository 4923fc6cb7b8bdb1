"""The example service (examples/service/), driven over HTTP in-process as a client would."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from examples.service.app import MAX_BODY_BYTES, create_app
from examples.service.store import StoredTicketError, TicketRow
from starlette.testclient import TestClient

import westcoast_rules as wr

MONDAY_9 = "2026-11-23T09:00:00+00:00[Europe/London]"
NOW = datetime(2026, 12, 10, tzinfo=UTC)
"""The service's clock in these tests: a fixed instant after every event they send."""


def service(path: Path, **options: Any) -> Any:
    """The example service on a database file in *path*, its clock stopped at :data:`NOW`."""
    return create_app(url(path), **({"clock": lambda: NOW, "advance_every": 0} | options))


def url(path: Path) -> str:
    return f"sqlite:///{path / 'tickets.db'}"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(service(tmp_path)) as client:
        yield client


def lodge(client: TestClient, id: str = "WC-1", **facts: Any) -> httpx.Response:
    body = {"id": id, "at": MONDAY_9, "priority": "p2", "channel": "Email", **facts}
    return client.post("/tickets", json=body)


def event(client: TestClient, name: str, at: str, id: str = "WC-1", **more: Any) -> httpx.Response:
    return client.post(f"/tickets/{id}/events", json={"event": name, "at": at, **more})


def test_a_ticket_lodged_and_worked_survives_a_restart(tmp_path: Path) -> None:
    with TestClient(service(tmp_path)) as client:
        lodged = lodge(client, category="DNS")
        assert 201 == lodged.status_code
        assert ("P2", "email", "dns", "open") == tuple(
            lodged.json()[k] for k in ("priority", "channel", "category", "state")
        )
        assert 200 == event(client, "Acknowledged", "2026-11-23T09:30:00+00:00").status_code
        assert 200 == event(client, "InfoRequested", "2026-11-23T10:00:00+00:00").status_code
        agreed = event(client, "UpdateTimeframeAgreed", "2026-11-23T10:00:00Z", every="PT6H")
        assert "PT6H" == agreed.json()["update_every"]
        assert 201 == lodge(client, "WC-2", priority="P1", channel="phone", tier=2).status_code
        before = {id: client.get(f"/tickets/{id}").json() for id in ("WC-1", "WC-2")}

    with TestClient(service(tmp_path)) as client:  # a new process
        after = {id: client.get(f"/tickets/{id}").json() for id in ("WC-1", "WC-2")}
        assert before == after
        assert "awaiting_info" == after["WC-1"]["state"]
        assert 4 == len(after["WC-1"]["history"])
        # and it goes on where it was: the information arrives, the ticket is open again
        received = event(client, "InfoReceived", "2026-11-23T11:00:00+00:00")
        assert "open" == received.json()["state"]


def test_due_next_is_the_policys_next_deadline(client: TestClient) -> None:
    lodge(client)
    due = client.get("/tickets/WC-1/next", params={"now": "2026-11-23T10:00:00+00:00"})
    assert {
        "at": "2026-11-23T13:00:00+00:00[Europe/London]",
        "kind": "response",
        "rule": "SLA-3",
    } == (due.json())
    event(client, "Acknowledged", "2026-11-23T09:30:00+00:00")
    event(client, "InfoRequested", "2026-11-23T10:00:00+00:00")
    chase = client.get("/tickets/WC-1/next", params={"now": "2026-11-23T12:00:00+00:00"})
    assert ("2026-11-24T10:00:00+00:00[Europe/London]", "chase", "PROC-3") == tuple(
        chase.json().values()
    )


def test_at_risk_lists_pending_responses_on_their_own_clock(client: TestClient) -> None:
    lodge(client, "WC-P2")  # due 13:00
    lodge(client, "WC-P1", priority="P1", channel="phone")  # due 11:00, real time
    lodge(client, "WC-ACK")
    event(client, "Acknowledged", "2026-11-23T09:10:00+00:00", id="WC-ACK")
    risks = client.get("/at-risk", params={"now": "2026-11-23T11:30:00+00:00", "within": "PT2H"})
    assert [
        {
            "ticket": "WC-P1",
            "priority": "P1",
            "due": "2026-11-23T11:00:00+00:00[Europe/London]",
            "left": "-PT30M",
            "rule": "SLA-2",
        },
        {
            "ticket": "WC-P2",
            "priority": "P2",
            "due": "2026-11-23T13:00:00+00:00[Europe/London]",
            "left": "PT1H30M",
            "rule": "SLA-3",
        },
    ] == risks.json()


def test_the_schedule_records_what_time_decided_when_told_the_time(client: TestClient) -> None:
    lodge(client)
    event(client, "Acknowledged", "2026-11-23T09:30:00+00:00")
    event(client, "InfoRequested", "2026-11-23T10:00:00+00:00")
    early = client.post("/advance", json={"now": "2026-11-25T10:00:00+00:00"})
    assert {"advanced": []} == early.json()
    late = client.post("/advance", json={"now": "2026-12-05T10:00:00+00:00"})
    assert {"advanced": ["WC-1"]} == late.json()
    history = client.get("/tickets/WC-1").json()["history"]
    assert ["AutoResolved", "Closed"] == [e["event"] for e in history[-2:]]  # PROC-4, PROC-6
    assert "closed" == client.get("/tickets/WC-1").json()["state"]


def test_the_schedule_runs_by_itself_on_the_injected_clock(tmp_path: Path) -> None:
    app = service(
        tmp_path, clock=lambda: datetime(2026, 12, 5, tzinfo=wr.LONDON), advance_every=0.02
    )
    with TestClient(app) as client:
        lodge(client)
        event(client, "Resolved", "2026-11-23T10:00:00+00:00")
        deadline = time.monotonic() + 10
        while client.get("/tickets/WC-1").json()["state"] != "closed":
            assert time.monotonic() < deadline, "the schedule never closed the ticket (PROC-6)"
            time.sleep(0.02)


@pytest.mark.parametrize(
    ("send", "status", "says"),
    [
        (lambda c: lodge(c, at="2026-11-23T09:00:00"), 422, "HOURS-5"),
        (lambda c: lodge(c, priority="urgent"), 422, "'urgent' is not a Priority"),
        (lambda c: lodge(c, priority="P1"), 409, "PRIO-4"),
        (lambda c: lodge(c, colour="blue"), 422, "unknown field(s): colour"),
        (lambda c: lodge(c, id="W" * 65), 422, "at most 64 characters"),
        (lambda c: event(c, "Reopened", "2026-11-23T10:00:00+00:00"), 409, "not allowed"),
        (lambda c: event(c, "Acknowledged", "2026-11-23T08:00:00+00:00"), 409, "PROC-8"),
        (lambda c: event(c, "Fixed", "2026-11-23T10:00:00+00:00"), 422, "unknown event 'Fixed'"),
        (lambda c: event(c, "Lodged", "2026-11-23T10:00:00+00:00"), 422, "unknown event"),
        (lambda c: event(c, "Resolved", "2026-11-23T10:00:00+00:00", id="WC-9"), 404, "WC-9"),
        (lodge, 409, "already lodged"),
        (lambda c: c.post("/tickets", content=b"{not json"), 400, "not JSON"),
        (lambda c: c.post("/tickets", json=["WC-1"]), 422, "JSON object"),
        (lambda c: c.post("/tickets", content=b"[" * 100_000), 413, "larger than"),
        (lambda c: c.post("/tickets", content=b"[" * 10_000), 400, "not JSON"),
        (lambda c: c.post("/tickets", content=iter([b" "] * (MAX_BODY_BYTES + 1))), 413, "larger"),
        (lambda c: c.get("/at-risk", params={"now": "2026-11-23T10:00:00"}), 422, "HOURS-5"),
        (lambda c: c.get("/at-risk", params={"within": "an hour"}), 422, "ISO 8601 duration"),
        (lambda c: c.get("/at-risk", params={"within": "-PT1H"}), 422, "zero or more"),
        (lambda c: c.get("/tickets/WC-1/next", params={"now": "2026-11-22T10:00Z"}), 422, "after"),
        (lambda c: c.post("/advance", json={"now": 12}), 422, "must be a string"),
        (lambda c: c.post("/advance", json={"now": "2027-01-01T00:00Z"}), 422, "later than now"),
        (lambda c: lodge(c, "WC-2", at="9999-12-31T23:59:59Z"), 422, "later than now"),
        (lambda c: event(c, "Resolved", "9999-12-31T23:59:59Z"), 422, "later than now"),
    ],
)
def test_bad_requests_are_answered_4xx_with_the_librarys_message(
    client: TestClient, send: Any, status: int, says: str
) -> None:
    lodge(client)
    answer = send(client)
    assert (status, True) == (answer.status_code, says in answer.json()["error"]), answer.json()


def test_a_refused_event_names_its_rule(client: TestClient) -> None:
    lodge(client, category="partner_centre")
    answer = event(client, "Escalated", "2026-11-23T10:00:00+00:00")
    assert (409, "ESC-4") == (answer.status_code, answer.json()["rule"])
    assert 1 == len(client.get("/tickets/WC-1").json()["history"])  # nothing was stored


def test_a_row_edited_behind_the_services_back_is_not_trusted(tmp_path: Path) -> None:
    app = service(tmp_path)
    with TestClient(app) as client:
        lodge(client)
        engine = sa.create_engine(url(tmp_path))
        with engine.begin() as connection:
            document = connection.scalar(sa.select(TicketRow.document))
            edited = document.replace('"state": "open"', '"state": "resolved"')
            assert edited != document
            connection.execute(sa.update(TicketRow).values(document=edited))
        engine.dispose()
        with pytest.raises(StoredTicketError, match=r"stored 'resolved'.* @ \$\.state"):
            client.get("/tickets/WC-1")


def test_concurrent_events_on_one_ticket_are_all_kept(tmp_path: Path) -> None:
    """Twelve clients apply events to one ticket at once: every one is in the history (the
    version check makes the later writer apply its event again on the newer ticket)."""
    app = service(tmp_path)
    at = "2026-11-23T10:00:00+00:00"
    names = ["Acknowledged"] + ["InfoRequested", "UpdateTimeframeAgreed"] * 5 + ["InfoRequested"]

    async def clients() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as http:
            body = {"id": "WC-1", "at": MONDAY_9, "priority": "P2", "channel": "email"}
            assert 201 == (await http.post("/tickets", json=body)).status_code
            return await asyncio.gather(
                *(
                    http.post(
                        "/tickets/WC-1/events",
                        json={"event": name, "at": at}
                        | ({"every": "PT4H"} if name == "UpdateTimeframeAgreed" else {}),
                    )
                    for name in names
                )
            )

    try:
        answers = asyncio.run(clients())
        assert [200] * len(names) == [a.status_code for a in answers]
        history = app.state.store.get("WC-1").history
        assert sorted(names) == sorted(type(e).__name__ for e in history[1:])
    finally:
        app.state.store.close()
