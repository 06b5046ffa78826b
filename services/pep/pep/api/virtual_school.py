"""The virtual school's roll "as if a single school", and a school's own list of its children."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from shared.security.data_scope import ensure_designated_teacher_scope
from shared.security.principal import Principal
from shared.urn import UrnPath, UrnQuery
from shared.web.paging import Keyset, Paging, keyset_paging, single_page

from pep import access
from pep.domain.child_events import SenStatus, YearGroup
from pep.domain.children import CareStatus
from pep.queries import roll as queries
from pep.wiring import PepDep

from .schemas.virtual_school import RollPublic, SchoolListPublic

router = APIRouter(tags=["virtual school"])

PEP_STATUSES = (
    "not_started",
    "initiated",
    "in_progress",
    "submitted",
    "returned_for_rework",
    "quality_assured",
)

# The roll is listed in child id order: an id never changes, so a page's last id is where the
# next page starts whoever joins or leaves the roll in between.
RollPage = Annotated[
    Paging[tuple[str] | None], keyset_paging(Keyset(str), default_limit=200, max_limit=1000)
]


@router.get(
    "/virtual-school/roll", response_model=RollPublic, summary='The roll "as if a single school", filtered'
)
async def virtual_school_roll(
    principal: Annotated[Principal, Depends(access.READ_VIRTUAL_SCHOOL)],
    pep: PepDep,
    paging: RollPage,
    care_status: CareStatus = CareStatus.LOOKED_AFTER,
    urn: UrnQuery = None,
    year_group: YearGroup | None = None,
    sen_status: SenStatus | None = None,
    pep_status: Annotated[str | None, Query(pattern="^(" + "|".join(PEP_STATUSES) + ")$")] = None,
    persistent_absence: bool | None = None,
    awaiting_place: bool | None = None,
) -> RollPublic:
    filters = queries.RollFilters(
        care_status=care_status,
        urn=urn,
        year_group=year_group.value if year_group else None,
        sen_status=sen_status.value if sen_status else None,
        pep_status=pep_status,
        persistent_absence=persistent_absence,
        awaiting_place=awaiting_place,
    )
    # The summary is of the whole roll as filtered, counted by the database; only the page's
    # children are read. One snapshot for both, so the page and the figures agree.
    after = paging.after[0] if paging.after is not None else None
    async with queries.one_snapshot(pep.pool) as conn:
        children = await queries.roll_page(conn, filters, after=after, fetch=paging.fetch)
        summary = await queries.roll_summary(conn, filters)
    return RollPublic.model_validate(
        {
            "as_of": pep.today(),
            "summary": summary,
            **paging.page(children, key=lambda child: (child["child_id"],)),
        }
    )


@router.get(
    "/schools/{urn}/children",
    response_model=SchoolListPublic,
    summary="Looked-after children on a school's roll today (a designated teacher: their own school only)",
)
async def school_children(
    principal: Annotated[Principal, Depends(access.READ_SCHOOL_ROLL)],
    urn: UrnPath,
    pep: PepDep,
) -> SchoolListPublic:
    ensure_designated_teacher_scope(principal, urn)
    today = pep.today()
    async with queries.one_snapshot(pep.pool) as conn:
        children = await queries.school_children(conn, urn, today)
        summary = await queries.school_summary(conn, urn, today)
    return SchoolListPublic.model_validate(
        {
            "urn": urn,
            "as_of": today,
            "summary": summary,
            **single_page(children),
        }
    )
