"""A Griffe extension for the API reference: attrs signatures, doctest examples, Sphinx roles.

mkdocstrings reads the source statically through Griffe, which knows dataclasses but not attrs,
and renders docstrings as Markdown. The docstrings of ``westcoast_rules`` are written to run
under Sybil and to read well in ``help()``, so three things are translated here, at docs build
time only, without touching the source:

1. ``@attrs.frozen`` / ``@attrs.define`` classes get the ``__init__`` attrs generates (fields in
   order, ``init=False`` left out, a leading underscore dropped), so the reference shows each
   record's constructor and the ``Args:`` of a class docstring match real parameters.
2. A doctest run (``>>>`` lines and their output, up to a blank line) becomes a fenced
   ``pycon`` block; Markdown would otherwise read ``>>>`` as three nested block quotes.
   ``# doctest:`` directives are dropped: they are for the test runner, not the reader.
3. Sphinx roles (``:class:`Ticket```, ``:meth:`assess```) become cross-references into the API
   reference when they name a public object, and inline code otherwise.
4. A rule ID in prose (``SLA-3``) links to its row on the rules page.

Loaded by mkdocstrings from ``mkdocs.yml`` (``extensions:``); not part of the package.
"""

from __future__ import annotations

import ast
import functools
import re
from typing import Any

import griffe

PACKAGE = "westcoast_rules"
_ATTRS_DECORATORS = frozenset(
    {"attrs.frozen", "attrs.define", "attrs.mutable", "attr.s", "attr.attrs", "attr.frozen"}
)
_ATTRS_FIELDS = frozenset({"attrs.field", "attr.ib", "attr.field"})
_DIRECTIVE = re.compile(r"\s*#\s*doctest:.*$")
_ROLE = re.compile(r":(?:class|meth|func|data|mod|attr|exc|obj):`(~?)([^`]+)`")
_RULE_ID = re.compile(r"\b(?:HOURS|PRIO|SLA|ESC|PROC|SCOPE)-[A-Z0-9]+(?:-[A-Z]+)?\b")
_CODE_OR_RULE = re.compile(r"(`+).*?\1|(?P<rule>" + _RULE_ID.pattern + ")")
RULES_PAGE = "rules.md"  # docstrings are rendered on api.md, beside it


class WestcoastDocs(griffe.Extension):
    """Runs once the package is loaded; see the module docstring."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.name != PACKAGE:
            return
        public = set(_public_names(pkg))
        for obj in _walk(pkg):
            if isinstance(obj, griffe.Class) and "__init__" not in obj.members:
                _set_attrs_init(obj)
        for obj in _walk(pkg):
            if obj.docstring is not None:
                text = _fence_doctests(obj.docstring.value)
                text = _ROLE.sub(functools.partial(_role, pkg, public, obj), text)
                obj.docstring.value = _link_rule_ids(text)


def _walk(obj: griffe.Object) -> list[griffe.Object]:
    found = [obj]
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Module | griffe.Class):
            found += _walk(member)
        elif not member.is_alias:
            found.append(member)  # type: ignore[arg-type]
    return found


def _public_names(pkg: griffe.Module) -> list[str]:
    exported = pkg.members.get("__all__")
    if not isinstance(exported, griffe.Attribute) or exported.value is None:
        return []
    return list(ast.literal_eval(str(exported.value)))


# -- 1. attrs constructors ----------------------------------------------------------------------


def _is_attrs(cls: griffe.Class) -> bool:
    return any(
        isinstance(d.value, griffe.Expr) and d.value.canonical_path in _ATTRS_DECORATORS
        for d in cls.decorators
    )


def _field_arguments(attribute: griffe.Attribute) -> dict[str, Any] | None:
    value = attribute.value
    if isinstance(value, griffe.ExprCall) and value.canonical_path in _ATTRS_FIELDS:
        return {
            arg.name: arg.value for arg in value.arguments if isinstance(arg, griffe.ExprKeyword)
        }
    return None


def _set_attrs_init(cls: griffe.Class) -> None:
    if not _is_attrs(cls):
        return
    parameters = [griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)]
    for member in cls.members.values():
        if member.is_alias or not isinstance(member, griffe.Attribute):
            continue
        if member.annotation is None or "property" in member.labels:
            continue
        field = _field_arguments(member)
        if field is not None and str(field.get("init")) == "False":
            continue
        if field is None:
            default = member.value
        elif "default" in field:
            default = field["default"]
        elif "factory" in field:
            default = f"{field['factory']}()"
        else:
            default = None
        if field is not None:
            # Show the default, not the `attrs.field(...)` call with its private validators.
            member.value = default
        kw_only = field is not None and str(field.get("kw_only")) == "True"
        parameters.append(
            griffe.Parameter(
                member.name.lstrip("_"),
                annotation=member.annotation,
                kind=griffe.ParameterKind.keyword_only
                if kw_only
                else griffe.ParameterKind.positional_or_keyword,
                default=default,
                docstring=member.docstring,
            )
        )
    init = griffe.Function(
        "__init__",
        lineno=0,
        endlineno=0,
        parent=cls,
        parameters=griffe.Parameters(*parameters),
        returns="None",
    )
    cls.set_member("__init__", init)


# -- 2. doctest runs as code blocks -------------------------------------------------------------


def _fence_doctests(text: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if in_fence or not line.startswith(">>>"):
            out.append(line)
            i += 1
            continue
        block: list[str] = []
        while i < len(lines) and lines[i].strip():
            current = lines[i]
            if current.startswith(("...", ">>>")) and _DIRECTIVE.search(current):
                current = _DIRECTIVE.sub("", current)
                if current.strip() in {"...", ">>>"}:
                    i += 1
                    continue
            block.append(current)
            i += 1
        if out and out[-1].strip():
            out.append("")
        out += ["```pycon", *block, "```"]
    return "\n".join(out)


# -- 3. Sphinx roles as cross-references --------------------------------------------------------


def _role(pkg: griffe.Module, public: set[str], obj: griffe.Object, match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2)
    shown = target.rsplit(".", 1)[-1] if short else target
    path = _resolve(pkg, public, obj, target)
    return f"[`{shown}`][{path}]" if path else f"`{shown}`"


def _resolve(pkg: griffe.Module, public: set[str], obj: griffe.Object, target: str) -> str | None:
    """The public path of *target* as seen from *obj*, if the API reference documents it."""
    scopes: list[str] = []
    scope: griffe.Object | None = obj
    while scope is not None:
        if isinstance(scope, griffe.Class):
            scopes.append(scope.path)
        scope = scope.parent
    candidates = [target] if target.startswith(f"{PACKAGE}.") else []
    candidates += [f"{s}.{target}" for s in scopes] + [f"{PACKAGE}.{target}"]
    for candidate in candidates:
        relative = candidate.removeprefix(f"{PACKAGE}.")
        try:
            found = pkg[relative]
        except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
        public_path = _public_path(found, public)
        if public_path:
            return public_path
    return None


def _public_path(found: griffe.Object | griffe.Alias, public: set[str]) -> str | None:
    """``westcoast_rules.Name[.member]`` when *found* is exported (or a member of an export)."""
    target = found.final_target if isinstance(found, griffe.Alias) else found
    parts = target.path.split(".")
    if parts[0] != PACKAGE:
        return None
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] in public:
            tail = parts[i + 1 :]
            if any(p.startswith("_") for p in tail):
                return None
            return ".".join([PACKAGE, parts[i], *tail])
    return None


# -- 4. rule IDs as links to the rules page -----------------------------------------------------


def _link_rule_ids(text: str) -> str:
    """Link each known rule ID outside code (fences and inline code are left alone)."""
    from westcoast_rules import RULES  # noqa: PLC0415  (the package is imported once mkdocs runs it)

    def link(match: re.Match[str]) -> str:
        rule = match.group("rule")
        if rule is None or rule not in RULES:
            return match.group(0)  # a code span, or an ID-like word that is not a rule
        return f"[{rule}]({RULES_PAGE}#{rule.lower()})"

    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        out.append(
            line if in_fence or line.lstrip().startswith("```") else _CODE_OR_RULE.sub(link, line)
        )
    return "\n".join(out)
