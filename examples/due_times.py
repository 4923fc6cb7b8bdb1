"""Print real response due times for a handful of tickets lodged around awkward moments.

Run: python examples/due_times.py
"""

from __future__ import annotations

from datetime import datetime, timedelta

import westcoast_rules as wr

LODGED = [
    ("Friday afternoon", datetime(2026, 11, 20, 17, 0, tzinfo=wr.LONDON)),
    ("Christmas Eve", datetime(2026, 12, 24, 17, 0, tzinfo=wr.LONDON)),
    ("Saint Patrick's Day", datetime(2026, 3, 17, 9, 30, tzinfo=wr.LONDON)),
    ("Before the clocks go back", datetime(2026, 10, 23, 16, 0, tzinfo=wr.LONDON)),
    ("Saturday night", datetime(2026, 11, 21, 23, 0, tzinfo=wr.LONDON)),
]


def main() -> None:
    calendar = wr.BusinessCalendar()
    print(f"{'lodged':<28} {'when':<26} {'4 business hours later':<26} 3 business days later")
    for label, lodged in LODGED:
        four_hours = calendar.add(lodged, timedelta(hours=4))
        three_days = calendar.add_business_days(lodged, 3)
        print(
            f"{label:<28} {lodged:%a %d %b %Y %H:%M %Z}  "
            f"{four_hours:%a %d %b %Y %H:%M %Z}  {three_days:%a %d %b %Y %H:%M %Z}"
        )
        for day in _closed_days_between(calendar, lodged, four_hours):
            print(f"{'':<28}   skipped {day:%a %d %b}: {', '.join(calendar.why_closed(day))}")


def _closed_days_between(calendar: wr.BusinessCalendar, start: datetime, end: datetime) -> list:
    day, last = start.date(), end.date()
    skipped = []
    while day < last:
        day += timedelta(days=1)
        if day < last and not calendar.is_business_day(day):
            skipped.append(day)
    return skipped


if __name__ == "__main__":
    main()
