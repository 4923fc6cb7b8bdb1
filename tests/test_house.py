"""The house's doors: no room reaches into another's private names, and a public module exports
only what the docs show (issue "A house a newcomer can change")."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "westcoast_rules"
DOCS = Path(__file__).resolve().parent.parent / "docs"

# Underscore names that belong to Python or to another library's public API, not to a room.
NOT_PRIVATE = frozenset({"_fields", "_replace", "_asdict", "_make", "_field_defaults", "_meta"})


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(part for part in parts if part != "__init__")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in NOT_PRIVATE


def _own_names(tree: ast.Module) -> set[str]:
    """The underscore attributes a module defines itself: assigned on ``self``, declared in a
    class body, or named in ``__slots__``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
                elif isinstance(item, ast.FunctionDef):
                    names.add(item.name)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)  # a slot's name
    return names


def _private_module(node: ast.ImportFrom, alias: str, path: Path) -> bool:
    """Whether ``from package import _module`` names a module of the importer's own package: a
    package's face may use its own private modules."""
    if not (path.parent / f"{alias}.py").exists():
        return False
    return node.module == _module_name(path.parent / "__init__.py")


def _outside_its_package(module: str, path: Path) -> bool:
    """Whether *module* is a private module (``westcoast_rules.frames._columns``) imported from
    outside the package that holds it: only that package's own modules may use it."""
    parts = module.split(".")
    private = next((i for i, part in enumerate(parts) if _is_private(part)), None)
    if private is None or parts[0] != PACKAGE.name:
        return False
    home = PACKAGE.parent.joinpath(*parts[:private])
    return home not in path.parents


def private_reaches(path: Path) -> list[str]:
    """Each place in one module that uses another module's underscore name.

    An import of an underscore name from another module counts (a package's own private
    modules aside), and so does an underscore attribute read off anything but ``self`` or
    ``cls`` that the module does not define itself: a room's underscore names are its own.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _own_names(tree)
    reaches = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            reaches += [
                f"{path.name}:{node.lineno}: from {node.module} import {alias.name}"
                for alias in node.names
                if (_is_private(alias.name) and not _private_module(node, alias.name, path))
                or _outside_its_package(node.module or "", path)
            ]
        elif isinstance(node, ast.Attribute) and _is_private(node.attr):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in {"self", "cls"}:
                continue
            if node.attr in own:
                continue
            reaches.append(f"{path.name}:{node.lineno}: {ast.unparse(owner)}.{node.attr}")
    return reaches


def test_the_check_finds_a_reach(tmp_path: Path) -> None:
    room = tmp_path / "room.py"
    room.write_text(
        "from westcoast_rules.calendar import _Index\n"
        "from westcoast_rules.calendar._index import Timetable\n"
        "x = calendar._add_micros\n"
    )
    assert 3 == len(private_reaches(room))


def test_no_room_uses_another_rooms_underscore_names() -> None:
    reaches = [reach for path in _modules() for reach in private_reaches(path)]
    assert [] == reaches


def _public_modules() -> list[str]:
    names = []
    for path in _modules():
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if not any(part.startswith("_") and part != "__init__" for part in parts):
            names.append(_module_name(path))
    return names


@pytest.mark.parametrize("module", _public_modules())
def test_a_public_module_exports_only_what_the_docs_show(module: str) -> None:
    docs = "\n".join(page.read_text(encoding="utf-8") for page in DOCS.rglob("*.md"))
    exported = getattr(importlib.import_module(module), "__all__", ())
    undocumented = [name for name in exported if not re.search(rf"\b{re.escape(name)}\b", docs)]
    assert [] == undocumented
