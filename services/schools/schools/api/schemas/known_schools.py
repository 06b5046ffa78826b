"""What the service answers about a known school (outside the council's area) and about the
links of a school's history."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.known_schools import KnownSchool
from schools.domain.register import LinkRelation, SchoolLink


class SchoolLinkPublic(BaseModel):
    urn: str
    name: str | None
    link_type: str
    linked_on: date | None

    @classmethod
    def of(cls, link: SchoolLink) -> SchoolLinkPublic:
        return cls(urn=link.urn, name=link.name, link_type=link.link_type, linked_on=link.linked_on)


class SchoolLinksPublic(BaseModel):
    """A school's place in the national register's history: the URNs it followed on from, those
    that followed on from it, and any other link (a sixth-form centre's). ``on_register`` says
    whether the school is the council's own or a known school outside its area."""

    urn: str
    name: str
    on_register: bool
    predecessors: list[SchoolLinkPublic]
    successors: list[SchoolLinkPublic]
    other_links: list[SchoolLinkPublic]

    @classmethod
    def of(
        cls, urn: str, name: str, on_register: bool, links: list[SchoolLink]
    ) -> SchoolLinksPublic:
        def of_kind(relation: LinkRelation) -> list[SchoolLinkPublic]:
            return [SchoolLinkPublic.of(link) for link in links if link.relation == relation]

        return cls(
            urn=urn,
            name=name,
            on_register=on_register,
            predecessors=of_kind(LinkRelation.PREDECESSOR),
            successors=of_kind(LinkRelation.SUCCESSOR),
            other_links=of_kind(LinkRelation.OTHER),
        )


class KnownSchoolPublic(BaseModel):
    """A school outside the council's area, as the national register describes it."""

    urn: str
    name: str
    la_code: str
    la_name: str | None
    establishment_type: EstablishmentType
    phase: Phase
    status: SchoolStatus
    opened_on: date | None
    closed_on: date | None
    trust_name: str | None
    religious_character: str | None
    diocese: str | None
    headteacher: str | None
    version: int

    @classmethod
    def of(cls, school: KnownSchool, version: int) -> KnownSchoolPublic:
        assert school.details is not None and school.urn is not None
        return cls(urn=school.urn, **school.details.model_dump(), version=version)
