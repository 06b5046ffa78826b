"""Render the notices service's public events as ``docs/events-notices.md``, from the code.

    python -m notices.events_doc --write    # after changing an event
    python -m notices.events_doc --check    # exit 1 if the page and the code disagree

A test runs the check, so the page cannot drift from the event classes.
"""

from __future__ import annotations

import enum
import types
import typing
from datetime import date

from pydantic import BaseModel

from shared.generated_docs import page_command
from shared.migrations import REPO_ROOT
from notices.domain.academy_concern import ACADEMY_CONCERN_EVENTS
from notices.domain.academy_order import ACADEMY_ORDER_EVENTS
from notices.domain.academy_order_law import ACADEMY_ORDER_LAW_EVENTS
from notices.domain.catalogue import notices_catalogue
from notices.domain.direction_events import DIRECTION_EVENTS
from notices.domain.intervention_events import INTERVENTION_EVENTS
from notices.domain.notice_content import NoticeContent
from notices.domain.recipients import Recipient
from notices.domain.secretary_of_state_notices import SECRETARY_OF_STATE_NOTICE_EVENTS
from notices.domain.vocabulary import CompliancePeriod
from notices.domain.warning_notice_events import WARNING_NOTICE_EVENTS

DOC_PATH = REPO_ROOT / "docs" / "events-notices.md"

HEADER = """# The notices service's events

Every event the notices service writes: its public contract. Generated from the code by
`python -m notices.events_doc --write` (a test fails when this page and the code disagree).
Every event but the council's setting of the academy-order law carries `urn` and the subject
`school:<urn>`, and takes effect on the date named in its description (the log's `effective_date`). Dates are ISO 8601 (`2015-03-31`).

Who reads them: the **pep** service reads `WarningNoticeGiven` (`urn`, `notice_id`, `given_on`) to
alert the virtual school when a school with looked-after children on roll is given a warning
notice; the event-log service folds the seven stream categories (`notices.replay`) to answer
"state as of a date". The notices service itself reads the schools service's `SchoolRegistered`,
`SchoolDetailsChanged`, `SchoolStatusChanged`, `SchoolClosed`, `SchoolConvertedToAcademy` and
`InspectionRecorded` (`notices.domain.schools_events`).

*Appended by*: **route** - an officer's command through the HTTP API; **deadline** - the
scheduler, on the day the deadline has passed (exactly once); **reaction** - the service itself,
following another event in the log (exactly once, keyed by that event's position).
"""

STREAMS = (
    ("Warning notices: stream `notice-<notice id>`", WARNING_NOTICE_EVENTS),
    ("A school's intervention: stream `intervention-<urn>`", INTERVENTION_EVENTS),
    ("The Secretary of State's directions: stream `direction-<direction id>`", DIRECTION_EVENTS),
    ("Letters of concern about an academy: stream `academyconcern-<urn>`", ACADEMY_CONCERN_EVENTS),
    (
        "The Secretary of State's warning notices to a school, as the council was told of them: "
        "stream `sosnotices-<urn>`",
        SECRETARY_OF_STATE_NOTICE_EVENTS,
    ),
    ("Academy orders: stream `academyorder-<urn>`", ACADEMY_ORDER_EVENTS),
    ("The law academy orders are made under: stream `academyorderlaw-council`", ACADEMY_ORDER_LAW_EVENTS),
)

WHEN = {
    "WarningNoticeDrafted": "route: `POST /notices` (an adviser drafts; effective on `drafted_on`).",
    "WarningNoticeDraftAmended": "route: `POST /notices/{id}/amend` (the content is replaced).",
    "WarningNoticeDraftDiscarded": "route: `POST /notices/{id}/discard`.",
    "WarningNoticeGiven": "route: `POST /notices/{id}/give`, with one `WarningNoticeCopyGiven` per recipient in "
    "the same append. Every computed date is in it.",
    "WarningNoticeCopyGiven": "route: in the same append as `WarningNoticeGiven`, one per recipient.",
    "RepresentationsMadeToOfsted": "route: `POST /notices/{id}/representations` (notices given before 18 April "
    "2016 only).",
    "OfstedConfirmedWarningNotice": "route: `POST /notices/{id}/ofsted-decision` with `confirmed: true`.",
    "OfstedDidNotConfirmWarningNotice": "route: `POST /notices/{id}/ofsted-decision` with `confirmed: false`.",
    "WarningNoticeComplied": "route: `POST /notices/{id}/compliance-judgement` with `complied: true`.",
    "WarningNoticeNotComplied": "route: `POST /notices/{id}/compliance-judgement` with `complied: false`.",
    "NoticeOfIntentionToUsePowersGiven": "route: `POST /notices/{id}/notice-of-intention`.",
    "CompliancePeriodEnded": "deadline: the day after the compliance period's last day.",
    "RepresentationWindowClosed": "deadline: the day after the last day for representations to Ofsted.",
    "WarningNoticeEligibilityDateReached": "deadline: on the eligibility date of a notice Ofsted confirmed.",
    "WarningNoticeSuperseded": "route: in the same append as `SecretaryOfStateWarningNoticeRecorded` "
    "(`POST /secretary-of-state-notices/{urn}`) for each earlier council notice still in effect, or as "
    "`WarningNoticeGiven` for a notice given on or before a Secretary of State's notice already recorded.",
    "SecretaryOfStateWarningNoticeRecorded": "route: `POST /secretary-of-state-notices/{urn}` (effective on "
    "`given_on`; the council was told on `told_on`).",
    "CouncilPermittedToGiveWarningNotice": "route: `POST /secretary-of-state-notices/{urn}/permissions`.",
    "SchoolBecameEligibleForIntervention": "reaction: to `NoticeOfIntentionToUsePowersGiven`, "
    "`WarningNoticeEligibilityDateReached`, or the schools service's `InspectionRecorded` with a category of "
    "concern; or route: `POST /interventions/{urn}/eligibility` for the same facts (idempotent).",
    "CategoryOfConcernRemoved": "reaction: to a later graded `InspectionRecorded` without a category of concern.",
    "PowersLapsed": "deadline: two months after the compliance period ended (eligibility from a warning notice).",
    "ConsultationStarted": "route: `POST /interventions/{urn}/consultations` (before s63 or s65).",
    "ConsultationResponseReceived": "route: `POST /interventions/{urn}/consultations/{id}/responses`.",
    "ConsultationWindowClosed": "deadline: the day after the consultation's last day.",
    "ArrangementsRequired": "route: `POST /interventions/{urn}/s63`.",
    "AdditionalGovernorsAppointed": "route: `POST /interventions/{urn}/s64`.",
    "InterimExecutiveBoardApplied": "route: `POST /interventions/{urn}/s65/application`.",
    "InterimExecutiveBoardConsentGiven": "route: `POST /interventions/{urn}/s65/secretary-of-state-decision`.",
    "InterimExecutiveBoardConsentRefused": "route: `POST /interventions/{urn}/s65/secretary-of-state-decision`.",
    "InterimExecutiveBoardEstablished": "route: `POST /interventions/{urn}/s65/establishment`.",
    "InterimExecutiveBoardEnded": "route: `POST /interventions/{urn}/s65/end`.",
    "DelegatedBudgetSuspended": "route: `POST /interventions/{urn}/s66`.",
    "DelegatedBudgetRestored": "route: in the same append as `InterimExecutiveBoardEstablished` when the budget "
    "was suspended.",
    "SecretaryOfStateAppointedAdditionalGovernors": "route: `POST /interventions/{urn}/secretary-of-state-governors`.",
    "DirectionToConsiderWarningNoticeReceived": "route: `POST /directions`.",
    "DirectionResponded": "route: `POST /directions/{id}/response`.",
    "DirectedToGiveWarningNotice": "route: `POST /directions/{id}/direction-to-give`.",
    "DirectedWarningNoticeGiven": "reaction: to `WarningNoticeGiven` for a notice drafted against the direction.",
    "DirectionResponseOverdue": "deadline: the day after the last of the 10 working days for the response.",
    "DirectedWarningNoticeOverdue": "deadline: the day after the last day to give the notice.",
    "LetterOfConcernSentToTrust": "route: `POST /academy-concerns/{urn}/letters-to-trust`.",
    "LetterOfConcernSentToSecretaryOfState": "route: `POST /academy-concerns/{urn}/letters-to-secretary-of-state`.",
    "AcademyOrderMade": "route: `POST /academy-orders/{urn}/order` (effective on `made_on`).",
    "AcademyOrderNotMade": "route: `POST /academy-orders/{urn}/decision-not-to-make` (refused where the order "
    "is a duty).",
    "AcademyOrderRevoked": "route: `POST /academy-orders/{urn}/revocation`.",
    "ConversionStepTaken": "route: `POST /academy-orders/{urn}/conversion-steps` (while an order has effect).",
    "AcademyOrderCommencementSet": "route: `POST /academy-order-law` (a principal adviser; effective on `set_on`).",
}

NESTED: tuple[type[BaseModel], ...] = (NoticeContent, CompliancePeriod, Recipient)


def type_text(annotation: object) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        text = " or ".join(type_text(a) for a in options)
        return text + (" or null" if len(options) < len(args) else "")
    if origin in (tuple, list):
        return "list of " + type_text(args[0])
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    names = {str: "text", bool: "true/false", int: "whole number", date: "date"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))  # type: ignore[arg-type]


def _description(cls: type) -> str:
    return " ".join((cls.__doc__ or "").split())


def _fields(model: type[BaseModel]) -> list[str]:
    lines = ["| field | type |", "|---|---|"]
    for name, info in model.model_fields.items():
        lines.append(f"| `{name}` | {type_text(info.annotation)} |")
    return lines


def render() -> str:
    catalogue = notices_catalogue()
    parts = [HEADER]
    for title, classes in STREAMS:
        parts.append(f"## {title}\n")
        for cls in classes:
            assert catalogue.knows(cls.event_type)
            parts.append(f"### {cls.event_type} (schema version {cls.schema_version})\n")
            described = _description(cls)
            if described:
                parts.append(described + "\n")
            parts.append(f"*Appended by* {WHEN[cls.event_type]}\n")
            parts.append("\n".join(_fields(cls)) + "\n")
    parts.append("## Values inside events\n")
    for model in NESTED:
        parts.append(f"### {model.__name__}\n")
        described = _description(model)
        if described:
            parts.append(described + "\n")
        parts.append("\n".join(_fields(model)) + "\n")
    return "\n".join(parts)


main = page_command("notices.events_doc", DOC_PATH, render, description=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
