"""Make the example event log: a seeded, realistic year of Westcoast support tickets.

Every priority and channel, responses on time and late, escalations, requests for information
(some answered, some left to auto-resolve), rejected resolutions, reopens, out-of-scope work
with no target, and tickets lodged around Christmas and both DST changes. Each event is checked
against the rules with the library itself, so the log replays cleanly.

Run: python examples/generate_events.py [--tickets 3000] [--seed 2026] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import westcoast_rules as wr
from westcoast_rules.batch import LOG_COLUMNS
from westcoast_rules.serialization import format_datetime, format_duration

POLICY = wr.WESTCOAST
CAL = POLICY.calendar
HERE = Path(__file__).resolve().parent
YEAR_START = datetime(2026, 1, 1, tzinfo=wr.LONDON)
HOT_SPOTS = (  # days that test the calendar: Christmas, DST changes, Irish holidays
    datetime(2026, 12, 24, 9, tzinfo=wr.LONDON),
    datetime(2026, 3, 27, 9, tzinfo=wr.LONDON),
    datetime(2026, 10, 23, 9, tzinfo=wr.LONDON),
    datetime(2026, 3, 16, 9, tzinfo=wr.LONDON),
)
CATEGORIES = (
    (wr.Category.SERVICE, 70),
    (wr.Category.MIGRATION, 8),
    (wr.Category.CLIENT_OFFICE, 7),
    (wr.Category.DNS, 4),
    (wr.Category.VISUAL_STUDIO, 4),
    (wr.Category.PARTNER_CENTRE, 7),
)
H = timedelta(hours=1)


def lodging_instant(rng: random.Random) -> datetime:
    if rng.random() < 0.08:
        base = rng.choice(HOT_SPOTS)
        return base + timedelta(minutes=rng.randrange(0, 4 * 24 * 60))
    day = YEAR_START + timedelta(days=rng.randrange(0, 365))
    if rng.random() < 0.8:  # mostly in office hours, local time
        wall = day.replace(hour=rng.randrange(8, 18), minute=rng.randrange(60))
    else:
        wall = day.replace(hour=rng.randrange(24), minute=rng.randrange(60))
    return wall.astimezone(UTC).astimezone(wr.LONDON)  # a wall time that exists


def lodge(rng: random.Random, number: int) -> wr.Ticket:
    at = lodging_instant(rng)
    category = rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
    priority = rng.choices(list(wr.Priority), [10, 60, 30])[0]
    if category is wr.Category.MIGRATION and priority is wr.Priority.P1:
        priority = wr.Priority.P2  # PRIO-5
    if priority is wr.Priority.P1:
        channel = wr.Channel.PHONE  # PRIO-4
    else:
        channel = rng.choices(list(wr.Channel), [30, 50, 20])[0]
    tier = wr.Tier.TIER_1
    if priority is wr.Priority.P1 and category is not wr.Category.PARTNER_CENTRE:
        tier = rng.choice([wr.Tier.TIER_1, wr.Tier.TIER_2])  # ESC-3
    return POLICY.lodge(f"WC-{number:06d}", at, priority, channel, tier=tier, category=category)


def response_delay(rng: random.Random, ticket: wr.Ticket) -> datetime:
    if ticket.priority is wr.Priority.P1:
        return ticket.lodged_at + timedelta(minutes=round(rng.triangular(5, 200, 50)))
    hours = rng.triangular(0.2, 7, 2) if ticket.priority is wr.Priority.P2 else rng.uniform(1, 22)
    return CAL.add(ticket.lodged_at, timedelta(minutes=round(hours * 60)))


def later(rng: random.Random, at: datetime, low: float, high: float) -> datetime:
    """Some business hours later, to the minute."""
    return CAL.add(at, timedelta(minutes=round(rng.uniform(low, high) * 60)))


def story(rng: random.Random, ticket: wr.Ticket) -> wr.Ticket:
    """Play out one ticket's life, checking each event against the rules."""

    def attempt(event: wr.Event) -> bool:
        nonlocal ticket
        try:
            ticket = POLICY.apply(POLICY.advance(ticket, event.at), event)
        except wr.TransitionError:
            return False
        return True

    if rng.random() < 0.97:
        attempt(wr.Acknowledged(response_delay(rng, ticket)))
    now = ticket.history[-1].at
    if rng.random() < 0.05:
        now = later(rng, now, 0.1, 1)
        attempt(wr.UpdateTimeframeAgreed(now, every=timedelta(days=rng.choice([2, 3, 7]))))
    if rng.random() < 0.3:
        now = later(rng, now, 0.5, 8)
        attempt(wr.InfoRequested(now))
        if rng.random() < 0.7:
            now = later(rng, now, 1, 26)
            attempt(wr.InfoReceived(now))
        else:
            return POLICY.advance(ticket, now + timedelta(days=5))  # silence: PROC-4
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
        now = later(rng, now, 1, 20)
        attempt(wr.Escalated(now))
    now = later(rng, now, 1, 40)
    attempt(wr.Resolved(now))
    roll = rng.random()
    if roll < 0.55:
        attempt(wr.ResolutionConfirmed(later(rng, now, 0.5, 12)))
    elif roll < 0.65:
        now = later(rng, now, 0.5, 12)
        if attempt(wr.ResolutionRejected(now)):
            now = later(rng, now, 2, 20)
            attempt(wr.Resolved(now))
    elif roll < 0.72:
        now = later(rng, now, 8, 30)
        if attempt(wr.Reopened(now)):
            now = later(rng, now, 2, 16)
            attempt(wr.Resolved(now))
    return ticket


def rows(ticket: wr.Ticket) -> list[dict[str, str]]:
    out = []
    for event in ticket.history:
        row = dict.fromkeys(LOG_COLUMNS, "")
        row.update(ticket=ticket.id, event=type(event).__name__, at=format_datetime(event.at))
        if isinstance(event, wr.Lodged):
            row.update(
                priority=event.priority.value,
                channel=event.channel.value,
                tier=str(int(event.tier)),
                category=event.category.value,
            )
        elif isinstance(event, wr.UpdateTimeframeAgreed):
            row["every"] = format_duration(event.every)
        out.append(row)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=HERE / "westcoast_events.csv")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=LOG_COLUMNS, lineterminator="\n")
        writer.writeheader()
        events = 0
        for number in range(1, args.tickets + 1):
            ticket = story(rng, lodge(rng, number))
            written = rows(ticket)
            writer.writerows(written)
            events += len(written)
    print(f"wrote {events} events of {args.tickets} tickets to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
