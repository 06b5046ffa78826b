"""Request and response bodies of academy orders and of the law they are made under."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from shared.text import Name, Narrative, Note
from notices.api.schemas.common import Body, Public
from notices.domain import academy_order
from notices.domain.academy_order_law import AcademyOrderLaw, AcademyOrderRule, SwitchDecidedBy
from notices.domain.vocabulary import EligibilityBasis


class AcademyOrderMadeCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"made_on": "2026-10-05", "made_by": "Regional Director, South East"}]
        }
    )

    made_on: date
    made_by: Name = Field(description="Who made the order for the Secretary of State")

    def command(self, urn: str) -> academy_order.RecordAcademyOrderMade:
        return academy_order.RecordAcademyOrderMade(urn=urn, made_on=self.made_on, made_by=self.made_by)


class AcademyOrderNotMadeCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "decided_on": "2026-11-02",
                    "decided_by": "Regional Director, South East",
                    "reason": "The interim executive board has secured the improvement Ofsted asked for.",
                }
            ]
        }
    )

    decided_on: date
    decided_by: Name
    reason: Narrative

    def command(self, urn: str) -> academy_order.RecordAcademyOrderNotMade:
        return academy_order.RecordAcademyOrderNotMade(
            urn=urn, decided_on=self.decided_on, decided_by=self.decided_by, reason=self.reason
        )


class AcademyOrderRevocationCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"revoked_on": "2026-12-01", "reason": "The school is to close in August 2027."}]
        }
    )

    revoked_on: date
    reason: Narrative

    def command(self, urn: str) -> academy_order.RecordAcademyOrderRevoked:
        return academy_order.RecordAcademyOrderRevoked(
            urn=urn, revoked_on=self.revoked_on, reason=self.reason
        )


class ConversionStepCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "party": "local_authority",
                    "taken_on": "2026-10-19",
                    "taken_by": "Head of School Organisation",
                    "action": "Sent the sponsor the draft commercial transfer agreement and the site plans.",
                }
            ]
        }
    )

    party: academy_order.FacilitatingParty
    taken_on: date
    taken_by: Name = Field(description="The officer or governor who took the step")
    action: Narrative

    def command(self, urn: str) -> academy_order.RecordConversionStep:
        return academy_order.RecordConversionStep(
            urn=urn, party=self.party, taken_on=self.taken_on, taken_by=self.taken_by, action=self.action
        )


class ConversionStepPublic(Public):
    party: academy_order.FacilitatingParty
    taken_on: date
    taken_by: str
    action: str


class AcademyOrderPublic(Public):
    made_on: date
    made_by: str
    basis: EligibilityBasis
    eligible_from: date
    rule: AcademyOrderRule
    provision: str
    revoked_on: date | None
    revocation_reason: str | None
    steps: list[ConversionStepPublic]


class OrderNotMadePublic(Public):
    decided_on: date
    decided_by: str
    reason: str
    basis: EligibilityBasis
    eligible_from: date
    provision: str


class AcademyOrderPositionPublic(Public):
    status: academy_order.AcademyOrderStatus
    since: date | None
    summary: str = Field(description='In words, e.g. "Academy order expected (duty)"')
    rule: AcademyOrderRule | None
    provision: str | None


class AcademyOrdersPublic(Public):
    urn: str
    today: AcademyOrderPositionPublic
    orders: list[AcademyOrderPublic]
    not_made: list[OrderNotMadePublic]
    version: int

    @classmethod
    def of(
        cls,
        urn: str,
        state: academy_order.AcademyOrderCase,
        position: academy_order.AcademyOrderPosition,
        version: int,
    ) -> AcademyOrdersPublic:
        return cls(
            urn=urn,
            today=AcademyOrderPositionPublic.model_validate(position),
            orders=[AcademyOrderPublic.model_validate(o) for o in state.orders],
            not_made=[OrderNotMadePublic.model_validate(d) for d in state.not_made],
            version=version,
        )


class CommencementCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "commences_on": "2026-06-29",
                    "decided_by": "day_of_decision",
                    "source": "Children's Wellbeing and Schools Act 2026 s78(2), as legislation.gov.uk records s58",
                },
                {"source": "No commencement regulations made yet"},
            ]
        }
    )

    commences_on: date | None = Field(default=None, description="Null or left out: not commenced")
    decided_by: SwitchDecidedBy = Field(
        default=SwitchDecidedBy.DAY_OF_DECISION,
        description="Which day of a school's case is compared with the commencement: the day the order is "
        "decided (the default, as s58(9) of the Act reads), or the day the school became eligible",
    )
    source: Note = Field(description="Where the date comes from")


class CommencementSettingPublic(Public):
    commences_on: date | None
    decided_by: SwitchDecidedBy
    source: str
    set_on: date


class AcademyOrderLawPublic(Public):
    power_commences_on: date | None = Field(
        description="The day the Children's Wellbeing and Schools Act 2026 makes an academy order for a school "
        "in a category of concern a power rather than a duty; null while not commenced"
    )
    decided_by: SwitchDecidedBy
    settings: list[CommencementSettingPublic]
    version: int

    @classmethod
    def of(cls, state: AcademyOrderLaw, version: int) -> AcademyOrderLawPublic:
        return cls(
            power_commences_on=state.power_commences_on,
            decided_by=state.switch_decided_by,
            settings=[CommencementSettingPublic.model_validate(s) for s in state.settings],
            version=version,
        )
