"""A structural diff of two JSON Schemas under the rule "within a version, only add
optional fields" (DESIGN.md, Events).

Events flow both ways across a change: consumers built on the old schema read new events,
and consumers built on the new schema replay old events from the topic. So a change is
compatible only if it accepts exactly the same values where both schemas define them,
and adds nothing but optional properties. That rules out, e.g., a new enum value (old
consumers reject it) as well as a removed one (replayed events fail the new consumer).

It covers what pydantic emits: `$ref`/`$defs`, `type`, `anyOf`/`oneOf` unions (nullable
fields, unions of enums), `enum`/`const`, objects, arrays and the usual constraints.
Anything else that differs is reported as a changed keyword rather than ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# Keywords that only document a schema; changing them never changes what validates.
_ANNOTATIONS = frozenset(
    {"title", "description", "examples", "default", "deprecated", "$comment", "$id", "$schema"}
)
_CONSTRAINTS = (
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
)
_HANDLED = frozenset(
    {
        "$ref",
        "$defs",
        "definitions",
        "type",
        "anyOf",
        "oneOf",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "items",
        *_CONSTRAINTS,
    }
)


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@dataclass
class _Node:
    """A schema node reduced to what decides which values it accepts."""

    types: set[str] = field(default_factory=set)
    enum: set[str] | None = None
    properties: dict[str, dict[str, Any]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    closed: bool = False
    additional: dict[str, Any] | None = None
    items: dict[str, Any] | None = None
    constraints: dict[str, Any] = field(default_factory=dict)
    others: dict[str, str] = field(default_factory=dict)
    complex_branches: list[str] = field(default_factory=list)


class _Differ:
    def __init__(self, old_root: dict[str, Any], new_root: dict[str, Any]) -> None:
        self.roots = (old_root, new_root)
        self.problems: list[str] = []
        self._seen_refs: set[tuple[str, str]] = set()

    def _resolve(self, node: Any, root: dict[str, Any]) -> dict[str, Any]:
        if node is True or node is None:
            return {}
        if node is False:
            return {"not": {}}
        if not isinstance(node, dict):
            raise ValueError(f"not a schema: {node!r}")
        hops = 0
        while "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                raise ValueError(f"only local $ref is supported, got {ref!r}")
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **siblings}
            hops += 1
            if hops > 50:
                raise ValueError(f"$ref cycle at {ref}")
        resolved: dict[str, Any] = node
        return resolved

    def _view(self, raw: Any, root: dict[str, Any]) -> _Node:
        node = self._resolve(raw, root)
        view = _Node()
        branches = node.get("anyOf", node.get("oneOf"))
        if branches is not None:
            self._merge_union(view, [self._resolve(b, root) for b in branches], root)
        declared = node.get("type")
        if isinstance(declared, str):
            view.types.add(declared)
        elif isinstance(declared, list):
            view.types.update(declared)
        values = node.get("enum", [node["const"]] if "const" in node else None)
        if values is not None:
            view.enum = {_canon(v) for v in values}
            if declared is None:
                view.types.update(_json_type(v) for v in values)
        if "properties" in node or declared == "object":
            view.properties = dict(node.get("properties", {}))
            view.required = set(node.get("required", []))
            additional = node.get("additionalProperties", True)
            view.closed = additional is False
            view.additional = additional if isinstance(additional, dict) else None
        if "items" in node:
            view.items = node["items"]
        view.constraints.update({k: node[k] for k in _CONSTRAINTS if k in node})
        view.others.update(
            {k: _canon(v) for k, v in node.items() if k not in _HANDLED and k not in _ANNOTATIONS}
        )
        if not view.types and branches is None and view.enum is None:
            view.types.add("any")
        return view

    def _merge_union(
        self, view: _Node, branches: list[dict[str, Any]], root: dict[str, Any]
    ) -> None:
        rest = []
        for branch in branches:
            if branch.get("type") == "null" and len(branch) == 1:
                view.types.add("null")
            else:
                rest.append(branch)
        sub_views = [self._view(b, root) for b in rest]
        if sub_views and all(v.enum is not None for v in sub_views):
            view.enum = set().union(*(v.enum or set() for v in sub_views))
            for sub in sub_views:
                view.types.update(sub.types)
        elif len(sub_views) == 1:
            sub = sub_views[0]
            view.types.update(sub.types)
            view.enum, view.properties, view.required = sub.enum, sub.properties, sub.required
            view.closed, view.additional, view.items = sub.closed, sub.additional, sub.items
            view.constraints, view.others = dict(sub.constraints), dict(sub.others)
        else:
            # Several structured alternatives: compared as a whole, not member by member.
            for sub in sub_views:
                view.types.update(sub.types)
            view.complex_branches = sorted(_canon(b) for b in rest)

    def compare(self, old_raw: Any, new_raw: Any, path: str) -> None:
        old_root, new_root = self.roots
        if isinstance(old_raw, dict) and isinstance(new_raw, dict):
            old_ref, new_ref = old_raw.get("$ref"), new_raw.get("$ref")
            if isinstance(old_ref, str) and isinstance(new_ref, str):
                # A recursive model would otherwise be walked forever.
                if (old_ref, new_ref) in self._seen_refs:
                    return
                self._seen_refs.add((old_ref, new_ref))
        old, new = self._view(old_raw, old_root), self._view(new_raw, new_root)
        if old.types != new.types:
            self.problems.append(
                f"{path}: type changed from {_types(old.types)} to {_types(new.types)}"
            )
            return
        self._compare_enum(old, new, path)
        for name in sorted(set(old.constraints) | set(new.constraints)):
            before, after = old.constraints.get(name), new.constraints.get(name)
            if before != after:
                self.problems.append(f"{path}: {name} changed from {before!r} to {after!r}")
        for name in sorted(set(old.others) | set(new.others)):
            if old.others.get(name) != new.others.get(name):
                self.problems.append(f"{path}: keyword {name!r} changed")
        if old.complex_branches != new.complex_branches:
            self.problems.append(f"{path}: the alternatives of a union changed")
        self._compare_object(old, new, path)
        if old.items is not None or new.items is not None:
            self.compare(old.items or {}, new.items or {}, f"{path}[]")

    def _compare_enum(self, old: _Node, new: _Node, path: str) -> None:
        if old.enum == new.enum:
            return
        if old.enum is None or new.enum is None:
            change = "now restricted to" if old.enum is None else "no longer restricted to"
            values = sorted(new.enum or old.enum or set())
            self.problems.append(f"{path}: {change} the values {', '.join(values)}")
            return
        if removed := sorted(old.enum - new.enum):
            self.problems.append(f"{path}: enum value(s) removed: {', '.join(removed)}")
        if added := sorted(new.enum - old.enum):
            self.problems.append(
                f"{path}: enum value(s) added: {', '.join(added)} "
                "(consumers of the old schema reject them; this needs a new version)"
            )

    def _compare_object(self, old: _Node, new: _Node, path: str) -> None:
        for name in sorted(old.properties):
            where = f"{path}.{name}"
            if name not in new.properties:
                kind = "required property" if name in old.required else "property"
                self.problems.append(f"{where}: {kind} removed")
                continue
            if name in old.required and name not in new.required:
                self.problems.append(f"{where}: no longer required")
            elif name in new.required and name not in old.required:
                self.problems.append(f"{where}: became required")
            self.compare(old.properties[name], new.properties[name], where)
        for name in sorted(set(new.properties) - set(old.properties)):
            where = f"{path}.{name}"
            if name in new.required:
                self.problems.append(f"{where}: required property added (only optional may be)")
            elif old.closed:
                self.problems.append(f"{where}: property added to an object that allowed none")
        if old.closed != new.closed:
            change = "closed to" if new.closed else "opened to"
            self.problems.append(f"{path}: {change} unknown properties")
        if old.additional is not None or new.additional is not None:
            self.compare(old.additional or {}, new.additional or {}, f"{path}{{*}}")


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _types(types: set[str]) -> str:
    return "|".join(sorted(types)) or "nothing"


def structural_changes(old_schema: dict[str, Any], new_schema: dict[str, Any]) -> list[str]:
    """Incompatible differences, one readable line each; `$` is the root of the document."""
    differ = _Differ(old_schema, new_schema)
    differ.compare(old_schema, new_schema, "$")
    return differ.problems
