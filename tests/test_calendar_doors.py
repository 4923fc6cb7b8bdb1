"""The calendar is used through its doors: the targets' arithmetic is the calendar's public
:class:`~westcoast_rules.calendar.OpenTime`, with plain names. (That no module reaches into the
calendar's underscore names, nor any other room's, is tests/test_house.py's.)"""

from __future__ import annotations

from pathlib import Path

import westcoast_rules
from westcoast_rules.calendar import OpenTime
from westcoast_rules.targets import Arithmetic

SOURCE = Path(westcoast_rules.__file__).resolve().parent
CALENDAR = SOURCE / "calendar"


def test_the_targets_arithmetic_protocol_has_plain_names_that_open_time_has() -> None:
    members = [name for name in vars(Arithmetic) if not name.startswith("_")]
    assert {
        "add",
        "elapsed",
        "real_add",
        "real_elapsed",
        "local_date",
        "next_business_day",
        "close_of_business",
    } == set(members)
    assert all(callable(getattr(OpenTime, name)) for name in members)
