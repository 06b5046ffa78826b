"""The public events page, ``docs/events-pupil-premium.md``, generated from the catalogue.

    python -m pupil_premium.events_doc --write    # after changing an event
    python -m pupil_premium.events_doc --check    # exit 1 if the page and the code disagree

A unit test fails when the page and the code disagree, so the page is never edited by hand.
"""

from __future__ import annotations

import inspect
from typing import Any

from shared.events import Event
from shared.generated_docs import page_command
from shared.migrations import REPO_ROOT

from pupil_premium.domain.council_config import CONFIG_EVENT_TYPES
from pupil_premium.domain.events import BUDGET_EVENT_TYPES

PAGE = REPO_ROOT / "docs" / "events-pupil-premium.md"

_BALANCE = "when the balance left covers it"

WHEN: dict[str, str] = {
    "GrantCalculatedFromCensus": (
        "`POST /budgets/{year}/grant/census`: the year's rate times the children looked after on the "
        "census date (given, or counted from the pep service's events)."
    ),
    "GrantLetterRecorded": "`POST /budgets/{year}/grant/letter`: the amount in the DfE's grant letter.",
    "CentralProvisionTopSliced": f"`POST /budgets/{{year}}/top-slices`, {_BALANCE}.",
    "TopSliceAmended": "`POST /budgets/{year}/top-slices/{id}/amendments`.",
    "PupilPremiumPlusRequested": (
        "`POST /budgets/{year}/requests` by a designated teacher (or a virtual school officer), once "
        "every rule is met: child looked after and on roll at the school, current PEP, the child's "
        "targets in force, within the policy's cap, no other open request for the child and term."
    ),
    "MoreInformationRequested": "`POST .../requests/{id}/information-request` by the panel.",
    "MoreInformationProvided": "`POST .../requests/{id}/more-information` by the school.",
    "RequestApproved": f"`POST .../requests/{{id}}/approval` by the panel, {_BALANCE}.",
    "RequestPartApproved": f"`POST .../requests/{{id}}/part-approval` by the panel, {_BALANCE}.",
    "RequestRefused": "`POST .../requests/{id}/refusal` by the panel.",
    "RequestWithdrawn": "`POST .../requests/{id}/withdrawal`, before the request is in a payment run.",
    "SchoolProjectProposed": "`POST /budgets/{year}/projects`.",
    "SchoolProjectApproved": f"`POST .../projects/{{id}}/approval` by the panel, {_BALANCE}.",
    "SchoolProjectRefused": "`POST .../projects/{id}/refusal` by the panel.",
    "ProjectMilestoneMet": "`POST .../projects/{id}/milestones/{milestone}/met`.",
    "PaymentRunScheduled": (
        "`POST /budgets/{year}/payment-runs`, for approved items in no live run whose children are "
        "still on roll at the school."
    ),
    "PaymentRunPaid": "`POST .../payment-runs/{id}/paid` by a finance officer (or the finance system).",
    "PaymentRunCancelled": "`POST .../payment-runs/{id}/cancellation`, for a run not paid.",
    "ImpactRecorded": (
        "By the service itself, when the pep service's `PepCompleted` closes a PEP whose review "
        "reported on the funded targets: one per funded request decided before the review meeting, "
        "exactly once."
    ),
    "PupilPremiumRateSet": "`POST /settings/rates` by the Virtual School Head.",
    "DevolutionPolicyAdopted": "`POST /settings/devolution-policies` by the Virtual School Head.",
    "PupilPremiumTermDatesSet": "Retired: once `POST /settings/term-dates`; term dates are now the council "
    "calendar's (`CouncilTermDatesSet`, schools service).",
}

INTRO = """# Pupil-premium events

The public events of the pupil-premium service (its contract with the other services and the
event feed). This page is generated from the code by `python -m pupil_premium.events_doc --write`;
a test fails when they disagree.

- **Streams.** `ppbudget-<financial year>` (e.g. `ppbudget-2026-27`) holds everything about one
  year's budget, so every rule about money is checked against one stream; `ppconfig-council`
  holds the council's PP+ settings.
- **Money** is always whole pence (`..._pence`, integers); never a float.
- **Dates.** Each event's effective date is the date named in it (the decision, the payment, the
  review); the log also keeps when it was recorded.
- **Subjects.** Events about a request carry `child:<id>` and `school:<urn>`; project and payment
  events carry the school and every child they pay for.
- **Read from other services:** `ChildEnteredCare`, `ChildLeftCare`, `ChildPlacedAtSchool`,
  `ChildMovedSchool`, `ChildAwaitingSchoolPlace` (streams `child-<id>`) and `PepTargetsSet`,
  `PepReviewRecorded`, `PepQualityAssured`, `PepCompleted`, `PepOverdue`, `PepReviewOverdue`
  (streams `pep-<child id>`), all from the pep service.
"""


def render() -> str:
    parts = [INTRO]
    shapes: dict[str, dict[str, Any]] = {}
    for title, stream, classes in (
        ("Budget events", "ppbudget-<financial year>", BUDGET_EVENT_TYPES),
        ("Settings events", "ppconfig-council", CONFIG_EVENT_TYPES),
    ):
        parts.append(f"## {title}\n\nStream `{stream}`.\n")
        for cls in classes:
            parts.append(_event_section(cls, shapes))
    parts.append("## Shapes used in the events\n")
    for name in sorted(shapes):
        shape = shapes[name]
        if "enum" in shape:
            parts.append(f"### {name}\n\nOne of " + ", ".join(f"`{v}`" for v in shape["enum"]) + ".\n")
        else:
            parts.append(f"### {name}\n\n{_fields_table(shape, shapes)}")
    return "\n".join(parts).rstrip() + "\n"


def _event_section(cls: type[Event], shapes: dict[str, dict[str, Any]]) -> str:
    schema = cls.model_json_schema()
    shapes.update(schema.get("$defs", {}))
    doc = inspect.cleandoc(cls.__dict__.get("__doc__") or "")
    lines = [f"### {cls.event_type}\n", f"Schema version {cls.schema_version}. {doc}".rstrip() + "\n"]
    lines.append(f"**When:** {WHEN[cls.event_type]}\n")
    lines.append(_fields_table(schema, shapes))
    return "\n".join(lines)


def _fields_table(schema: dict[str, Any], shapes: dict[str, dict[str, Any]]) -> str:
    required = set(schema.get("required", ()))
    rows = ["| field | type | required |", "|---|---|---|"]
    for name, spec in schema.get("properties", {}).items():
        rows.append(f"| `{name}` | {_type_of(spec, shapes)} | {'yes' if name in required else 'no'} |")
    return "\n".join(rows) + "\n"


def _type_of(spec: dict[str, Any], shapes: dict[str, dict[str, Any]]) -> str:
    if "$ref" in spec:
        return _shape_name(spec["$ref"])
    if "const" in spec:
        return f"`{spec['const']}`"
    if "enum" in spec:
        return "one of " + ", ".join(f"`{value}`" for value in spec["enum"])
    if "anyOf" in spec or "oneOf" in spec:
        options = [o for o in spec.get("anyOf", spec.get("oneOf", [])) if o.get("type") != "null"]
        nullable = len(options) < len(spec.get("anyOf", spec.get("oneOf", [])))
        text = " or ".join(_type_of({"title": spec.get("title", ""), **option}, shapes) for option in options)
        return f"{text} or null" if nullable else text
    kind = spec.get("type")
    if kind == "array":
        return f"list of {_type_of(spec.get('items', {}), shapes)}"
    if kind == "string" and spec.get("format") == "date":
        return "date"
    if kind == "integer" and spec.get("title", "").endswith("Pence"):
        return "integer pence"
    return kind or "any"


def _shape_name(ref: str) -> str:
    name = ref.rsplit("/", 1)[-1]
    return f"[{name}](#{name.lower()})"


# ``render`` is looked up when the command runs, so a test can stand a changed page in for it.
main = page_command("pupil_premium.events_doc", PAGE, lambda: render(), description=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
