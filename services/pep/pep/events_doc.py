"""Writes docs/events-pep.md, the public list of this service's events, from its catalogue.

    python -m pep.events_doc --write    # rewrite the document (with no option: print it)
    python -m pep.events_doc --check    # exit 1 when the document is out of date

A test runs the check, so the document cannot drift from the events the service appends.
"""

from __future__ import annotations

import inspect
import types
import typing
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path

from pydantic import BaseModel

from shared.generated_docs import page_command
from shared.events import Event

from pep.domain.attendance import ATTENDANCE_EVENTS
from pep.domain.child_events import CHILD_EVENTS
from pep.domain.council_config import CONFIG_EVENTS
from pep.domain.pep_events import PEP_EVENTS
from pep.domain.school_concerns import SCHOOL_CONCERN_EVENTS

DOCUMENT = Path(__file__).resolve().parents[3] / "docs" / "events-pep.md"

STREAMS: tuple[tuple[str, str, tuple[type[Event], ...]], ...] = (
    (
        "child-<child id>",
        "A child's care episodes, school places and the notifications sent to their schools.",
        CHILD_EVENTS,
    ),
    (
        "pep-<child id>",
        "All of a child's PEPs, their targets and reviews, and the overdue events the deadline "
        "scheduler appends (idempotency key `pep:overdue:<child id>:<deadline>`).",
        PEP_EVENTS,
    ),
    (
        "schoolconcern-<source event position>",
        "Alerts raised by the school-concern policy for one schools or notices event (idempotency "
        "key `pep:school-concern:<position>`), then acknowledged and actioned.",
        SCHOOL_CONCERN_EVENTS,
    ),
    (
        "pepconfig-council",
        "The council's PEP timing and attendance policy versions, set by the virtual school head (and, "
        "retired, the term dates it kept before the council calendar of the schools service held them). "
        "Until the council sets an attendance policy the defaults apply: persistent absence at 10% of "
        "possible sessions missed, severe at 50%, the rolling measure over the child's last 6 school "
        "weeks, threshold alerts once a period holds 10 possible sessions, 10 unexplained absences in a "
        "row, and 10 school days without marks for possibly missing education.",
        CONFIG_EVENTS,
    ),
    (
        "attendance-<child id>",
        "A child's unique pupil number, their attendance marks from every school (one "
        "`AttendanceRecorded` per school file or feed request, per child and school, holding every mark "
        "of it that is new or changed), corrections of single sessions, and the attendance alerts raised "
        "for them, each once: thresholds crossed and unexplained absences in a row when marks are "
        "recorded, possibly missing education by the daily job (idempotency key "
        "`pep:missing-education:<child id>:<last marked day>`). Each mark's kind is in the clear; its "
        "national code is sealed, as it can reveal the child's health, religion or exclusion.",
        ATTENDANCE_EVENTS,
    ),
)

INTRO = """# Events of the pep service

The pep service's public contract: every event it appends to the log, by stream. Generated from
its catalogue by `python -m pep.events_doc --write`; do not edit by hand. Each event carries the date it
took effect (`effective_date`, given below as "takes effect") and the subjects it concerns
(`child:<id>`, `school:<urn>`) so timelines can be read across services. Dates are ISO dates;
percentages and school days are decimal strings; money is integer pence.

Other services rely on: `ChildEnteredCare`, `ChildPlacedAtSchool`, `ChildMovedSchool`,
`ChildAwaitingSchoolPlace`, `ChildLeftCare` (who is looked after and on which roll, when),
`PepTargetsSet`, `PepReviewRecorded`, `PepQualityAssured` and `PepCompleted`.

The service reads, from the schools service, `InspectionRecorded` (`urn`, `inspected_on`,
`below_good`, `category_of_concern`, `headline_judgement`) and `SchoolCategorised` (`urn`,
`category`, `previous_category`, `categorised_on`), and from the notices service
`WarningNoticeGiven` (`urn`, `notice_id`, `given_on`); and from the event-log service, the data
protection officer's `PersonalDataErased` (`subject`, `erased_on`, stream `privacy-child:<id>`),
on which it clears the child's personal details from its read models.

The fields an event lists as personal data are stored sealed with the child's own key; once the
child's personal data is erased (the key destroyed) they read as null, and every other field stays
as it was. A correction (`ChildDetailsCorrected`) puts right a detail recorded wrongly; the event
that recorded it stays in the stream.
"""


def type_name(annotation: object, nested: dict[str, type[BaseModel]]) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        named = [type_name(a, nested) for a in args if a is not type(None)]
        return " or ".join(named) + (" (optional)" if type(None) in args else "")
    if origin in (tuple, list):
        return f"list of {type_name(args[0], nested)}" if args else "list"
    if origin is dict:
        return "object"
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return " / ".join(f"`{member.value}`" for member in annotation)
        if issubclass(annotation, BaseModel):
            nested[annotation.__name__] = annotation
            return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
        simple = {str: "text", int: "integer", bool: "true / false", date: "date", Decimal: "decimal"}
        if annotation in simple:
            return simple[annotation]
    return str(annotation)


def field_rows(model: type[BaseModel], nested: dict[str, type[BaseModel]]) -> list[str]:
    rows = ["| field | type |", "|---|---|"]
    for name, info in model.model_fields.items():
        rows.append(f"| `{name}` | {type_name(info.annotation, nested)} |")
    return rows


def first_paragraph(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    own = cls.__dict__.get("__doc__")
    if not own:
        return ""
    return " ".join(doc.split("\n\n")[0].split())


def takes_effect(cls: type[Event]) -> str:
    source = inspect.getsource(cls.effective_on) if "effective_on" in _own_or_inherited(cls) else ""
    for line in source.splitlines():
        text = line.strip()
        if text.startswith("return self."):
            expression = text.removeprefix("return self.")
            if expression.endswith(" + timedelta(days=1)"):
                return f"the day after `{expression.removesuffix(' + timedelta(days=1)')}`"
            return f"`{expression}`"
    return "the day it was recorded"


def _own_or_inherited(cls: type) -> set[str]:
    names: set[str] = set()
    for klass in cls.__mro__:
        if klass is Event:
            break
        names |= set(klass.__dict__)
    return names


def render() -> str:
    lines = [INTRO]
    nested: dict[str, type[BaseModel]] = {}
    for stream, description, events in STREAMS:
        lines += [f"## Stream `{stream}`", "", description, ""]
        for cls in events:
            lines += [f"### {cls.event_type} (schema version {cls.schema_version})", ""]
            summary = first_paragraph(cls)
            if summary:
                lines += [summary, ""]
            lines += [f"Takes effect: {takes_effect(cls)}.", ""]
            if cls.personal_fields:
                personal = ", ".join(f"`{name}`" for name in cls.personal_fields)
                lines += [f"Personal data (sealed with the child's key): {personal}.", ""]
            lines += field_rows(cls, nested) + [""]
    lines += ["## Value types", ""]
    done: set[str] = set()
    while len(done) < len(nested):
        for name in sorted(set(nested) - done):
            done.add(name)
            model = nested[name]
            lines += [f"### {name}", ""]
            summary = first_paragraph(model)
            if summary:
                lines += [summary, ""]
            lines += field_rows(model, nested) + [""]
    return "\n".join(lines).rstrip() + "\n"


main = page_command("pep.events_doc", DOCUMENT, render, description=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
