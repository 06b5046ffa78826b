"""Render the event catalogue as ``docs/event-catalogue.md``, from the code.

    python -m event_log.catalogue_doc --write    # regenerate the page after changing an event
    python -m event_log.catalogue_doc --check    # exit 1 if the page and the code disagree

A test runs the check, so the page cannot drift from the services' event classes.
"""

from __future__ import annotations

from typing import Any

from shared.generated_docs import page_command
from shared.migrations import REPO_ROOT

from event_log.catalogue import catalogue
from event_log.registry import Registry, discover

DOC_PATH = REPO_ROOT / "docs" / "event-catalogue.md"

HEADER = """# Event catalogue

Every event type each service writes, with its schema version and fields. This page is generated
from the code by `python -m event_log.catalogue_doc --write` (a test fails when it and the code
disagree), so do not edit it by hand. The event-log service serves the same catalogue, with each
type's full JSON Schema, at `GET /catalogue` and `GET /catalogue/{event_type}`.

An event's `data` is stored in the schema version it was written under. When a type's schema
changes, its version goes up and an upcaster turns older data into the new shape on reading
(`GET /feed?upcast=true`); the stored data, which the hash chain covers, never changes.
"""


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_text(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        target = defs.get(name, {})
        if "enum" in target:
            return "one of " + ", ".join(f"`{v}`" for v in target["enum"])
        return f"`{name}`"
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        text = " or ".join(type_text(s, defs) for s in options)
        return text + (" or null" if len(options) < len(schema["anyOf"]) else "")
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return type_text(schema["allOf"][0], defs)
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items")
        if isinstance(items, dict):
            return "list of " + type_text(items, defs)
        if isinstance(schema.get("prefixItems"), list):
            return "list of " + ", ".join(type_text(s, defs) for s in schema["prefixItems"])
        return "list"
    if kind == "string" and "format" in schema:
        return {"date": "date", "date-time": "date-time"}.get(
            schema["format"], f"string ({schema['format']})"
        )
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return "map of " + type_text(schema["additionalProperties"], defs)
    if isinstance(kind, list):
        return " or ".join(kind)
    return kind or "any"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def fields_table(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    properties = schema.get("properties", {})
    if not properties:
        return ["(no fields)"]
    required = set(schema.get("required", ()))
    lines = ["| field | type | required | notes |", "|---|---|---|---|"]
    for name, prop in properties.items():
        notes = prop.get("description", "")
        limits = [
            f"{k} {prop[k]}"
            for k in ("minimum", "maximum", "minLength", "maxLength", "minItems", "pattern")
            if k in prop
        ]
        notes = "; ".join(x for x in (notes, *limits) if x)
        lines.append(
            f"| `{name}` | {_cell(type_text(prop, defs))} | {'yes' if name in required else 'no'} | {_cell(notes)} |"
        )
    return lines


def _event_section(event: dict[str, Any]) -> list[str]:
    schema = event["json_schema"]
    defs = schema.get("$defs", {})
    lines = [
        f"### {event['type']}",
        "",
        f"*{event['service']}, schema version {event['schema_version']}*",
        "",
    ]
    if event["description"]:
        lines += [event["description"], ""]
    lines += fields_table(schema, defs) + [""]
    for name in sorted(defs):
        definition = defs[name]
        if "enum" in definition or "properties" not in definition:
            continue
        lines += [f"`{name}`:", ""] + fields_table(definition, defs) + [""]
    return lines


def _first_line(text: str) -> str:
    return _cell(text.split("\n\n", 1)[0]) if text else ""


def render(registry: Registry) -> str:
    data = catalogue(registry)
    lines = [HEADER]
    lines += ["| service | event types |", "|---|---|"]
    for service in data["services"]:
        lines.append(f"| [{service['service']}](#{service['service']}) | {len(service['events'])} |")
    lines.append("")
    for service in data["services"]:
        lines += [f"## {service['service']}", "", f"From `{service['module']}`."]
        if service["stream_categories"]:
            lines.append(
                "Replayed by the event log for stream categories "
                + ", ".join(f"`{c}`" for c in service["stream_categories"])
                + "."
            )
        lines += ["", "| event type | version | what it records |", "|---|---|---|"]
        for event in service["events"]:
            lines.append(
                f"| [`{event['type']}`](#{event['type'].lower()}) | {event['schema_version']} "
                f"| {_first_line(event['description'])} |"
            )
        lines.append("")
        for event in service["events"]:
            lines += _event_section(event)
    if data["problems"]:
        lines += ["## Problems found while reading the services' code", ""]
        lines += [f"- `{p['module']}` ({p['service']}): {_cell(p['error'])}" for p in data["problems"]]
    return "\n".join(lines).rstrip() + "\n"


main = page_command("event_log.catalogue_doc", DOC_PATH, lambda: render(discover()), description=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
