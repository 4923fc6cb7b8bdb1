"""The calendar is used through its doors: no module reaches into its underscore names.

Targets, the lifecycle, explanations, plots and frames compute on the calendar's public
:class:`~westcoast_rules.calendar.OpenTime`; a change inside the calendar package must not
break them. Read from the source with ``ast``, the way a reviewer would look for the reaches.
"""

from __future__ import annotations

import ast
from pathlib import Path

import westcoast_rules
from westcoast_rules.calendar import OpenTime
from westcoast_rules.targets import Arithmetic

SOURCE = Path(westcoast_rules.__file__).resolve().parent
CALENDAR = SOURCE / "calendar"


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _modules() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in SOURCE.rglob("*.py")}


def _calendar_private_members(modules: dict[Path, ast.Module]) -> dict[str, set[Path]]:
    """Each underscore name a calendar class defines (methods, fields, ``self._x``), and where."""
    found: dict[str, set[Path]] = {}
    for path, tree in modules.items():
        if CALENDAR not in path.parents:
            continue
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        names.append(item.name)
                    elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        names.append(item.target.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.append(node.attr)
            for name in filter(_private, names):
                found.setdefault(name, set()).add(path)
    return found


def _reaches(modules: dict[Path, ast.Module]) -> list[str]:
    """Every use, outside the module that defines it, of a calendar's underscore name."""
    members = _calendar_private_members(modules)
    reaches = []
    for path, tree in modules.items():
        where = path.relative_to(SOURCE)
        inside = CALENDAR in path.parents
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "westcoast_rules.calendar"
            ):
                private_module = any(_private(part) for part in (node.module or "").split("."))
                for alias in node.names:
                    if _private(alias.name) or (private_module and not inside):
                        reaches.append(f"{where}:{node.lineno} imports {node.module}.{alias.name}")
            elif (
                isinstance(node, ast.Attribute)
                and node.attr in members
                and path not in members[node.attr]
                and not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"})
            ):
                reaches.append(f"{where}:{node.lineno} uses .{node.attr}")
    return reaches


def test_no_module_reaches_into_the_calendars_underscore_names() -> None:
    assert [] == _reaches(_modules())


def test_the_check_finds_a_reach_when_there_is_one() -> None:
    """The walk itself: a module that used the calendar's timetable directly would be named."""
    modules = _modules()
    modules[SOURCE / "targets.py"] = ast.parse(
        "from westcoast_rules.calendar._index import Timetable\n"
        "def due(calendar):\n    return calendar._timetable.add(0, 1)\n"
    )
    assert [
        "targets.py:1 imports westcoast_rules.calendar._index.Timetable",
        "targets.py:3 uses ._timetable",
    ] == _reaches(modules)


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
