"""Reading schools: one school's profile, and the list of schools with filters."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from schools import access, queries
from schools.api.schemas import InspectionPublic, ProposalPublic, ReviewPublic, SupportYearPublic, VisitPublic
from schools.domain.categorisation import CouncilCategory
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.frameworks import FIVE_POINT, FOUR_POINT
from shared.errors import Forbidden, NotFound
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.urn import UrnPath, UrnQuery
from shared.web.context import PoolDep

router = APIRouter(prefix="/schools", tags=["profiles"])

#: Every headline judgement of every framework, for the list's filter.
Judgement = StrEnum("Judgement", {grade: grade for grade in (*FOUR_POINT, *FIVE_POINT)})


class SchoolSummaryPublic(BaseModel):
    urn: str
    name: str
    la_code: str
    establishment_type: EstablishmentType
    phase: Phase
    status: SchoolStatus
    maintained: bool
    latest_judgement: str | None
    latest_inspected_on: date | None
    latest_category_of_concern: str | None
    good_or_better: bool | None
    category: str | None
    below_floor: bool
    downward_trend: bool
    stuck: bool
    at_risk: bool


class SchoolListPublic(BaseModel):
    schools: list[SchoolSummaryPublic]
    next_after: str | None


class OfstedPublic(BaseModel):
    latest_inspection_id: str | None
    latest_inspected_on: date | None
    latest_framework: str | None
    latest_judgement: str | None
    latest_category_of_concern: str | None
    good_or_better: bool | None
    stuck: bool
    inspections: list[InspectionPublic]


class CategoryPublic(BaseModel):
    category: str | None
    categorised_on: date | None
    review_cycle: str | None
    pending_proposal: ProposalPublic | None


class PerformancePublic(BaseModel):
    below_floor: bool
    downward_trend: bool
    results: dict[str, dict[str, dict[str, str]]]
    floor_outcomes: dict[str, dict[str, bool]]
    downward_trends: dict[str, dict[str, Any]]


class SchoolProfilePublic(SchoolSummaryPublic):
    la_name: str | None
    religious_character: str | None
    diocese: str | None
    opened_on: date | None
    closed_on: date | None
    headteacher: str | None
    chair_of_governors: str | None
    designated_teacher: str | None
    has_foundation_governors: bool
    predecessor_urn: str | None
    successor_urn: str | None
    registered_on: date
    ofsted: OfstedPublic
    categorisation: CategoryPublic
    performance: PerformancePublic
    support: list[SupportYearPublic]
    visits: list[VisitPublic]
    reviews: list[ReviewPublic]
    versions: dict[str, int]


@router.get("", response_model=SchoolListPublic, summary="The schools on the register, with filters")
async def list_schools(
    principal: Annotated[Principal, Depends(access.READ)],
    pool: PoolDep,
    establishment_type: Annotated[EstablishmentType | None, Query(alias="type")] = None,
    phase: Phase | None = None,
    status: SchoolStatus | None = None,
    category: Annotated[CouncilCategory | None, Query(description="the council's approved category")] = None,
    judgement: Annotated[Judgement | None, Query(description="the latest graded Ofsted judgement")] = None,
    below_floor: bool | None = None,
    at_risk: Annotated[
        bool | None,
        Query(description="categorised at risk, or below floor, in a downward trend or stuck"),
    ] = None,
    maintained: bool | None = None,
    after: Annotated[UrnQuery, Query(description="the last URN of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> SchoolListPublic:
    filters = queries.SchoolFilters(
        establishment_type=establishment_type.value if establishment_type else None,
        phase=phase.value if phase else None,
        status=status.value if status else None,
        category=category.value if category else None,
        judgement=judgement.value if judgement else None,
        below_floor=below_floor,
        at_risk=at_risk,
        maintained=maintained,
    )
    rows = await queries.list_schools(pool, filters, after=after, limit=limit)
    return SchoolListPublic(
        schools=[SchoolSummaryPublic.model_validate(row, from_attributes=False) for row in rows],
        next_after=rows[-1]["urn"] if len(rows) == limit else None,
    )


@router.get("/{urn}", response_model=SchoolProfilePublic, summary="A school's profile")
async def school_profile(
    urn: UrnPath,
    response: Response,
    principal: Annotated[Principal, Depends(access.READ_PROFILE)],
    pool: PoolDep,
) -> SchoolProfilePublic:
    """The ETag is the version of the school's register entry (for If-Match when changing its
    details or status); ``versions`` gives the version of each of its streams."""
    if principal.role is Role.DESIGNATED_TEACHER and principal.urn != urn:
        raise Forbidden("a designated teacher reads only their own school's profile", field="urn")
    row = await queries.profile(pool, urn)
    if row is None:
        raise NotFound(f"no school with URN {urn} is registered", field="urn")
    response.headers["ETag"] = f'"{row["versions"].get("school", 0)}"'
    return _profile(row)


def _profile(row: dict[str, Any]) -> SchoolProfilePublic:
    pending = row["pending_proposal"]
    nested = {"ofsted", "categorisation", "performance", "support", "visits", "reviews"}
    return SchoolProfilePublic(
        **_fields(row, SchoolProfilePublic, leave_out=nested),
        ofsted=OfstedPublic(
            **_fields(row, OfstedPublic, leave_out={"inspections"}),
            inspections=[
                InspectionPublic(
                    **_fields(i, InspectionPublic), stuck=i["stuck_since_inspection"] is not None
                )
                for i in row["inspections"]
            ],
        ),
        categorisation=CategoryPublic(
            **_fields(row, CategoryPublic, leave_out={"pending_proposal"}),
            pending_proposal=ProposalPublic(**pending) if pending else None,
        ),
        performance=PerformancePublic(**_fields(row, PerformancePublic)),
        support=[SupportYearPublic.from_row(r) for r in row["support"]],
        visits=[VisitPublic(**{**v, "days": float(v["days"])}) for v in row["visits"]],
        reviews=[ReviewPublic(**{**r, "actions": r["actions"] or []}) for r in row["reviews"]],
    )


def _fields(
    row: dict[str, Any], model: type[BaseModel], *, leave_out: Collection[str] = ()
) -> dict[str, Any]:
    """The columns of a read-model row that the answer's model has."""
    return {name: row[name] for name in model.model_fields if name in row and name not in leave_out}
