"""Known schools (every school outside the council's area, from the national register) and the
history of any school (its predecessors and successors, from the register's links file).

Both are read from the school's own streams in the log, as a decision would read them: a known
school has no row among the council's school profiles, which are its register alone.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from schools import access
from schools.api.schemas.known_schools import KnownSchoolPublic, SchoolLinksPublic
from schools.wiring import SchoolsDep
from shared.errors import NotFound
from shared.security.principal import Principal
from shared.urn import UrnPath

router = APIRouter(tags=["register"])


@router.get(
    "/known-schools/{urn}",
    response_model=KnownSchoolPublic,
    summary="A school outside the council's area, as the national register describes it",
)
async def known_school(
    urn: UrnPath,
    principal: Annotated[Principal, Depends(access.READ)],
    schools: SchoolsDep,
) -> KnownSchoolPublic:
    """Any school in England the national register import has seen outside the council's area:
    its name, type, phase, local authority, status, trust, religious character, diocese and
    headteacher. A school of the council's own is on its register (``GET /schools/{urn}``)."""
    if (await schools.school(urn)).state.exists:
        raise NotFound(f"school {urn} is on the council's register: GET /schools/{urn}", field="urn")
    loaded = await schools.known_school(urn)
    if not loaded.state.exists:
        raise NotFound(f"no school outside the council's area with URN {urn} is known", field="urn")
    return KnownSchoolPublic.of(loaded.state, loaded.version)


@router.get(
    "/school-history/{urn}",
    response_model=SchoolLinksPublic,
    summary="A school's predecessors and successors: the URNs its history runs through",
)
async def school_links(
    urn: UrnPath,
    principal: Annotated[Principal, Depends(access.READ)],
    schools: SchoolsDep,
) -> SchoolLinksPublic:
    """For a school on the council's register or a known school: the schools it followed on from
    (an academy's predecessor, the schools an amalgamation joined) and those that followed on from
    it, from the national register's links file and the conversions recorded here."""
    on_register = (await schools.school(urn)).state
    if on_register.exists:
        return SchoolLinksPublic.of(urn, on_register.details.name, True, list(on_register.history()))
    known = (await schools.known_school(urn)).state
    if not known.exists:
        raise NotFound(f"no school with URN {urn} is known", field="urn")
    return SchoolLinksPublic.of(urn, known.details.name, False, list(known.links))
