"""Request and response bodies of the Secretary of State's warning notices to a school, as the
council records them, and the permission for the council to give its own."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from shared.text import Name
from notices.api.schemas.common import Body, Public
from notices.api.schemas.notices import CompliancePeriodIn
from notices.domain import secretary_of_state_notices as sos
from notices.domain.recipients import Recipient
from notices.domain.vocabulary import Ground


class SecretaryOfStateNoticeCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "giver_name": "Regional Director, South East",
                    "reference": "RD-SE-2026-014",
                    "given_on": "2026-10-12",
                    "told_on": "2026-10-13",
                    "grounds": ["low_standards"],
                    "compliance_period": {"ends_on": "2026-11-20"},
                },
            ]
        }
    )

    giver_name: Name = Field(description="Who gave it for the Secretary of State")
    reference: Name | None = Field(default=None, description="The Department's reference, if any")
    given_on: date = Field(description="The day the Secretary of State gave it to the governing body")
    told_on: date = Field(description="The day the council was told of it")
    grounds: list[Ground] = Field(max_length=3, description="The grounds it gives (s60(2))")
    compliance_period: CompliancePeriodIn = Field(description="As the notice sets it")
    diocesan_authority: Name | None = Field(
        default=None, description="For a Church of England or Roman Catholic school with none on record"
    )
    foundation_governors_appointer: Name | None = Field(
        default=None, description="For a foundation or voluntary school"
    )


class PermissionCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"permitted_on": "2027-01-18", "permitted_by": "Regional Director, South East"}]
        }
    )

    permitted_on: date = Field(description="The day the Secretary of State informed the council it may")
    permitted_by: Name = Field(description="Who informed the council for the Secretary of State")


class SecretaryOfStateNoticePublic(Public):
    notice_id: str
    giver_name: str
    reference: str | None
    given_on: date
    told_on: date
    rules: str
    grounds: list[Ground]
    compliance_period_ends_on: date
    copies: list[Recipient]
    superseded_notice_ids: list[str] = Field(
        description="The council's notices that ceased to have effect because of it (s60(4B))"
    )


class PermissionPublic(Public):
    permitted_on: date
    permitted_by: str


class SecretaryOfStateNoticesPublic(Public):
    urn: str
    school_name: str
    notices: list[SecretaryOfStateNoticePublic]
    permissions: list[PermissionPublic]
    council_barred_today: bool = Field(
        description="Whether the council may not give its own warning notice today (s60(4A))"
    )
    barred_by: str | None = Field(description="The Secretary of State's notice that bars it, if any")
    version: int

    @classmethod
    def of(
        cls, urn: str, state: sos.SecretaryOfStateNotices, version: int, today: date
    ) -> SecretaryOfStateNoticesPublic:
        barring = state.barring_notice(today)
        return cls(
            urn=urn,
            school_name=state.school_name,
            notices=[SecretaryOfStateNoticePublic.model_validate(n) for n in state.notices],
            permissions=[PermissionPublic.model_validate(p) for p in state.permissions],
            council_barred_today=barring is not None,
            barred_by=barring.notice_id if barring else None,
            version=version,
        )
