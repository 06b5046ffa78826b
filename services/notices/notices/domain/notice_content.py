"""What a warning notice must state (s60; seed 003, appendix 3, "Giving a performance standards
and safety warning notice"): its grounds, the concerns in detail, the action required of the
governing body, the compliance period, and the action the council is minded to take."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shared.errors import InvalidInput

from .vocabulary import CompliancePeriod, Ground, LowStandardsBasis, Power


class NoticeContent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    grounds: tuple[Ground, ...]
    low_standards_basis: tuple[LowStandardsBasis, ...] = ()
    concerns: tuple[str, ...]
    required_actions: tuple[str, ...]
    compliance_period: CompliancePeriod | None = None
    powers_minded_to_use: tuple[Power, ...] = ()
    other_action_minded_to_take: str | None = None


def _require_unique(values: tuple[object, ...], field: str) -> None:
    if len(set(values)) != len(values):
        raise InvalidInput("Each item may appear only once.", field=field)


def _require_text(items: tuple[str, ...], field: str, what: str) -> None:
    if not items:
        raise InvalidInput(f"The notice must set out {what}.", field=field)
    for index, item in enumerate(items):
        if not item.strip():
            raise InvalidInput(f"Each entry of {what} needs words.", field=f"{field}.{index}")


def validate_compliance_period(period: CompliancePeriod | None, field: str = "compliance_period") -> None:
    if period is None:
        return
    if (period.working_days is None) == (period.ends_on is None):
        raise InvalidInput(
            "Give the compliance period either as a number of working days or as the date it ends.",
            field=field,
        )
    if period.working_days is not None and period.working_days < 1:
        raise InvalidInput(
            "The compliance period is at least one working day.", field=f"{field}.working_days"
        )


def validate_content(content: NoticeContent) -> None:
    """Refuse a notice that does not state what s60 requires."""
    if not content.grounds:
        raise InvalidInput(
            "A warning notice needs at least one of the three statutory grounds.", field="grounds"
        )
    _require_unique(content.grounds, "grounds")
    if Ground.LOW_STANDARDS in content.grounds:
        if not content.low_standards_basis:
            raise InvalidInput(
                "Say what standards are low by reference to: what pupils might reasonably be "
                "expected to attain, their previous standards, or comparable schools.",
                field="low_standards_basis",
            )
        _require_unique(content.low_standards_basis, "low_standards_basis")
    elif content.low_standards_basis:
        raise InvalidInput(
            "A basis for low standards is given only with the low-standards ground.",
            field="low_standards_basis",
        )
    _require_text(content.concerns, "concerns", "the concerns in detail")
    _require_text(content.required_actions, "required_actions", "the action required of the governing body")
    validate_compliance_period(content.compliance_period)
    _require_unique(content.powers_minded_to_use, "powers_minded_to_use")
    other = (content.other_action_minded_to_take or "").strip()
    if not content.powers_minded_to_use and not other:
        raise InvalidInput(
            "Say what the council is minded to do if the notice is not complied with (one or more of "
            "s63 to s66, or other action).",
            field="powers_minded_to_use",
        )
