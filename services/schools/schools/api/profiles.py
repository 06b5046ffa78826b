"""Reading schools: one school's profile, and the list of schools with filters."""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from schools import access, queries
from schools.api.schemas.categorisation import ProposalPublic
from schools.api.schemas.inspections import InspectionPublic
from schools.api.schemas.profiles import (
    CategoryPublic,
    Judgement,
    OfstedPublic,
    PerformancePublic,
    SchoolListPublic,
    SchoolProfilePublic,
)
from schools.api.schemas.reviews import ReviewPublic
from schools.api.schemas.rise import RiseEngagementPublic
from schools.api.schemas.support import SupportYearPublic, VisitPublic
from schools.domain.categorisation import CouncilCategory
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.wiring import SchoolsDep
from shared.errors import Forbidden, NotFound
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.urn import UrnPath
from shared.web.commands import etag
from shared.web.paging import Keyset, Paging, keyset_paging

router = APIRouter(prefix="/schools", tags=["profiles"])

# The register is listed in URN order: a URN never changes, so a page's last URN is where the
# next page starts whatever is registered or changed in between.
SchoolsPage = Annotated[Paging[tuple[str] | None], keyset_paging(Keyset(str), max_limit=500)]


@router.get("", response_model=SchoolListPublic, summary="The schools on the register, with filters")
async def list_schools(
    principal: Annotated[Principal, Depends(access.READ)],
    schools: SchoolsDep,
    paging: SchoolsPage,
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
) -> SchoolListPublic:
    """In URN order."""
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
    after = paging.after[0] if paging.after else None
    rows = await queries.list_schools(schools.pool, filters, after=after, limit=paging.fetch)
    return SchoolListPublic.model_validate(paging.page(rows, key=lambda row: (row["urn"],)))


@router.get("/{urn}", response_model=SchoolProfilePublic, summary="A school's profile")
async def school_profile(
    urn: UrnPath,
    response: Response,
    principal: Annotated[Principal, Depends(access.READ_PROFILE)],
    schools: SchoolsDep,
) -> SchoolProfilePublic:
    """The ETag is the version of the school's register entry (for If-Match when changing its
    details or status); ``versions`` gives the version of each of its streams."""
    if principal.role is Role.DESIGNATED_TEACHER and principal.urn != urn:
        raise Forbidden("a designated teacher reads only their own school's profile", field="urn")
    row = await queries.profile(schools.pool, urn)
    if row is None:
        raise NotFound(f"no school with URN {urn} is registered", field="urn")
    response.headers["ETag"] = etag(row["versions"].get("school", 0))
    return _profile(row)


def _profile(row: dict[str, Any]) -> SchoolProfilePublic:
    pending = row["pending_proposal"]
    nested = {"ofsted", "categorisation", "performance", "support", "visits", "reviews", "rise_engagements"}
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
        rise_engagements=[RiseEngagementPublic.from_row(e) for e in row["rise_engagements"]],
    )


def _fields(
    row: dict[str, Any], model: type[BaseModel], *, leave_out: Collection[str] = ()
) -> dict[str, Any]:
    """The columns of a read-model row that the answer's model has."""
    return {name: row[name] for name in model.model_fields if name in row and name not in leave_out}
