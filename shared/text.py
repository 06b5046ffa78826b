"""How long the text a client sends may be: a few named types, used by every request body.

Everything a client writes ends up in an event, and the event log is append-only: a value, once
accepted, is kept for ever, hash-chained, replayed into every read model and copied into every
export. So every string in a request body has an upper bound, chosen for what the field really
holds, and is refused (422 problem details naming the field) when it is longer. The limits are
on the *requests*; events keep accepting whatever they already hold.

The sizes, and why:

``Name`` - 200 characters
    A person or an organisation: a child, a carer, an attendee, the one responsible for a SMART
    target, a panel member, a headteacher, a school, a trust, a diocese, a council. The longest
    school names on the national register (GIAS) are around 120 characters, trust names about
    the same, and a person's name with title and post-nominals rarely passes 80. The PEP service
    already capped a child's name at 200; every other name now shares that.
``Label`` - 100 characters
    A code, reference or short label: an identifier a client chooses (a SMART target's id, a
    payment run's id), an Ofsted inspection number, an LA code, a URN before it is checked, a
    grant letter's or finance system's reference, a judgement or grade, a subject, the name of
    a term or of a performance measure. Real ones are far shorter.
``Title`` - 300 characters
    One line of prose: a project's title, a top-slice's name, the purpose of a visit, the
    source of a council setting, an area a target is set in, a level of attainment. About
    50 words: more than that is a note.
``Note`` - 4,000 characters
    A paragraph or a few: a reason, a piece of evidence, a question to the panel, a summary of
    an action, a description of support, a SMART target's baseline and outcome. 4,000
    characters is about 600 words, a typed page of A4. The pupil-premium service's commands
    have always refused more than that, so its requests and its commands now agree.
``Narrative`` - 10,000 characters
    An account or a statement that is part of a formal record: the child's own voice and the
    strengths and needs in a PEP, a quality assurer's comments, a warning notice's concerns and
    required actions, the terms of a direction, a consultation's proposal, a summary of
    representations. 10,000 characters is about 1,500 words, three pages. The PEP and notices
    services already used this bound for these fields; anything longer is a document and
    belongs in the council's document store, referred to by a ``Label``.

Every one of them refuses an empty string, because none of those fields means anything empty;
only where an empty string is the field's documented default ("no comments") is an ``...OrEmpty``
form used. Whitespace is kept as sent (a service's own rules trim or refuse blank text); where
a service trims before checking, add ``Trimmed``: ``Annotated[Note, Trimmed]``.

``Quantity`` is the same rule for decimals: a client may send ``2.5`` or ``"2.5"``, so the
string form is bounded (32 characters) as well as the number (12 digits).

Lists and maps in request bodies are capped where they are declared, at a size that fits what
they hold (``Field(max_length=...)``). ``docs/limits.md`` lists every limit, and
``unlimited_request_fields`` finds any string, list or map a service's OpenAPI document leaves
unbounded, so each service's tests fail when a new field comes without a limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema

NAME_MAX = 200
LABEL_MAX = 100
TITLE_MAX = 300
NOTE_MAX = 4_000
NARRATIVE_MAX = 10_000

QUANTITY_MAX_DIGITS = 12
QUANTITY_MAX_LENGTH = 32

#: A person or an organisation (200).
Name = Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]
#: A code, reference, identifier or short label (100).
Label = Annotated[str, StringConstraints(min_length=1, max_length=LABEL_MAX)]
#: One line of prose: a title, a heading, a purpose (300).
Title = Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX)]
#: A paragraph or a few: a reason, evidence, a question, a description (4,000).
Note = Annotated[str, StringConstraints(min_length=1, max_length=NOTE_MAX)]
#: An account or statement in a formal record (10,000).
Narrative = Annotated[str, StringConstraints(min_length=1, max_length=NARRATIVE_MAX)]

#: The same bounds, for the few fields whose documented default is the empty string.
NameOrEmpty = Annotated[str, StringConstraints(max_length=NAME_MAX)]
NoteOrEmpty = Annotated[str, StringConstraints(max_length=NOTE_MAX)]
NarrativeOrEmpty = Annotated[str, StringConstraints(max_length=NARRATIVE_MAX)]

#: Strip surrounding whitespace before the length is checked: ``Annotated[Note, Trimmed]``.
Trimmed = StringConstraints(strip_whitespace=True)


def _short_enough(value: object) -> object:
    if isinstance(value, str) and len(value) > QUANTITY_MAX_LENGTH:
        raise ValueError(f"a number is written in at most {QUANTITY_MAX_LENGTH} characters")
    return value


#: A decimal sent as a JSON number or a string: days, a percentage, a measure.
Quantity = Annotated[
    Decimal,
    BeforeValidator(_short_enough),
    Field(max_digits=QUANTITY_MAX_DIGITS),
    WithJsonSchema(
        {"anyOf": [{"type": "number"}, {"type": "string", "maxLength": QUANTITY_MAX_LENGTH}]},
        mode="validation",
    ),
]


# ---------------------------------------------------------------------------------------------
# The check each service's tests make on its OpenAPI document
# ---------------------------------------------------------------------------------------------

_WRITES = ("post", "put", "patch", "delete")
_BOUNDED_FORMATS = frozenset({"date", "date-time", "time", "uuid", "binary"})
_UNBOUNDED_REPEAT = re.compile(r"(?<!\\)[*+]|\{\d*,\}")


def unlimited_request_fields(openapi: Mapping[str, Any]) -> list[str]:
    """Every place a JSON request body of ``openapi`` can carry unbounded text: a string with
    no ``maxLength`` (nor an enum, a date format, or an anchored pattern of bounded length), a
    list with no ``maxItems``, a map with no ``maxProperties`` or with keys of unbounded length.

    Each is named by route and place: ``"POST /schools name: text with no maxLength"``,
    ``"POST /x targets[].who: ..."``, ``"POST /y measures{key}: ..."`` (a map's keys).
    File uploads (CSV, multipart) are not JSON and are left to the code that reads them.
    """
    found: list[str] = []
    schemas = openapi.get("components", {}).get("schemas", {})
    for path, item in openapi.get("paths", {}).items():
        for method in _WRITES:
            operation = item.get(method)
            if not operation or "requestBody" not in operation:
                continue
            for media_type, content in operation["requestBody"].get("content", {}).items():
                if media_type != "application/json" and not media_type.endswith("+json"):
                    continue
                for where, what in _unbounded(content.get("schema", {}), "", schemas, frozenset()):
                    found.append(f"{method.upper()} {path} {where or '(body)'}: {what}")
    return found


def _unbounded(
    schema: Mapping[str, Any], at: str, schemas: Mapping[str, Any], seen: frozenset[str]
) -> Iterator[tuple[str, str]]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:  # a recursive shape: its fields are checked where it was first met
            return
        yield from _unbounded(schemas[name], at, schemas, seen | {name})
        return
    for combined in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(combined, ()):
            yield from _unbounded(option, at, schemas, seen)
    kind = schema.get("type")
    if kind == "string" and not _bounded_string(schema):
        yield at, "text with no maxLength"
    elif kind == "array":
        if "maxItems" not in schema:
            yield at, "a list with no maxItems"
        yield from _unbounded(schema.get("items", {}), f"{at}[]", schemas, seen)
    elif kind == "object" or "properties" in schema:
        for name, field in schema.get("properties", {}).items():
            yield from _unbounded(field, f"{at}.{name}" if at else name, schemas, seen)
        values = schema.get("additionalProperties")
        if isinstance(values, Mapping):
            if "maxProperties" not in schema:
                yield at, "a map with no maxProperties"
            keys = schema.get("propertyNames")
            if keys is None or not _bounded_key(keys, schemas):
                yield f"{at}{{key}}", "keys with no maxLength"
            yield from _unbounded(values, f"{at}{{}}", schemas, seen)


def _bounded_string(schema: Mapping[str, Any]) -> bool:
    if "maxLength" in schema or "enum" in schema or "const" in schema:
        return True
    if schema.get("format") in _BOUNDED_FORMATS:
        return True
    pattern = schema.get("pattern")
    return (
        isinstance(pattern, str)
        and pattern.startswith("^")
        and pattern.endswith("$")
        and _UNBOUNDED_REPEAT.search(pattern) is None
    )


def _bounded_key(schema: Mapping[str, Any], schemas: Mapping[str, Any]) -> bool:
    if "$ref" in schema:
        return _bounded_key(schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas)
    return _bounded_string(schema)
