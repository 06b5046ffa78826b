"""Ofsted inspections: recording one, the publication of its report, and the answer.

The body of an inspection is one of four shapes, told apart by ``framework``: each framework's
overall grades, judgement names, judgement grades and safeguarding outcomes are enumerated, so
the OpenAPI document shows them (``oneOf`` with a ``discriminator`` on ``framework``). They are
read from the domain's vocabularies (``schools.domain.frameworks.VOCABULARIES``), the same ones
the domain checks an inspection against, so the two cannot disagree; the rules that depend on
more than one field (which judgements a graded inspection must give, the category of concern,
the dates a framework was in force) stay in the domain. The JSON is the same whatever the
framework: ``{"framework": ..., "overall_effectiveness": ..., "judgements": {name: grade}, ...}``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, RootModel, create_model
from typing_extensions import TypedDict

from schools.domain.frameworks import (
    VOCABULARIES,
    Framework,
    InspectionType,
    Vocabulary,
    category_names,
    judgement_areas,
)
from shared.text import Label


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _in_force(vocabulary: Vocabulary) -> str:
    starts, ends = vocabulary.in_force_from, vocabulary.in_force_until
    if starts is None:
        return f"until {_day(ends)}" if ends else "always"
    return f"from {_day(starts)}" + (f" to {_day(ends)}" if ends else "")


def _judgements(vocabulary: Vocabulary, name: str) -> Any:
    """The judgements of one framework: an object whose keys are its judgement (or evaluation
    area) names, each graded on its scale; no other key is taken."""
    grades = vocabulary.judgement_grades
    areas: dict[str, Any] = {}
    for area, periods in judgement_areas(vocabulary).items():
        if not periods:
            needed = (
                "Required on a graded inspection."
                if area in vocabulary.required_areas
                else "Where the school has it."
            )
        else:
            spans = "; ".join(
                f"{p.handbook}, {_day(p.starts_on)} to {_day(p.ends_on)}"
                if p.ends_on
                else f"{p.handbook}, from {_day(p.starts_on)}"
                for p in periods
            )
            needed = f"Graded under the {spans}; given any key judgement, all of its period's are given."
        areas[area] = Annotated[Literal[grades], Field(description=needed)]
    judgements = TypedDict(f"Judgements{name}", areas, total=False)  # type: ignore[operator]
    judgements.__doc__ = (
        f"The judgements of the {vocabulary.framework.value} framework, by name."
        if areas
        else f"The {vocabulary.framework.value} framework makes no separate judgements: leave it empty."
    )
    judgements.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]
    return judgements


def _variant(vocabulary: Vocabulary) -> type[BaseModel]:
    """The body of an inspection made under one framework, in that framework's vocabulary."""
    framework = vocabulary.framework
    name = "".join(part.capitalize() for part in framework.value.split("_"))
    if vocabulary.overall_grades:
        overall: Any = (
            Literal[vocabulary.overall_grades] | None,
            Field(default=None, description="Required on a graded inspection."),
        )
    else:
        overall = (
            None,
            Field(default=None, description="This framework gives no overall grade: leave it out."),
        )
    if vocabulary.safeguarding:
        required = "Required on a graded inspection." if vocabulary.safeguarding_required else "Where judged."
        safeguarding: Any = (
            Literal[vocabulary.safeguarding] | None,
            Field(default=None, description=required),
        )
    else:
        safeguarding = (
            None,
            Field(
                default=None,
                description="This framework has no separate safeguarding judgement: leave it out.",
            ),
        )
    return create_model(
        f"InspectionCreate{name}",
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"An inspection under the {framework.value} framework (in force {_in_force(vocabulary)}).",
        inspection_id=(Label, Field(description="Ofsted's inspection number")),
        inspected_on=(date, ...),
        inspection_type=(InspectionType, ...),
        framework=(Literal[framework.value], ...),
        overall_effectiveness=overall,
        judgements=(_judgements(vocabulary, name), Field(default_factory=dict)),
        safeguarding=safeguarding,
        category_of_concern=(
            Literal[tuple(category_names(framework))] | None,
            Field(
                default=None,
                description="Where Ofsted placed the school in a category of concern"
                + (
                    " (requires_significant_improvement is recorded as serious_weaknesses: the same category)"
                    if "requires_significant_improvement" in category_names(framework)
                    else ""
                ),
            ),
        ),
    )


#: One body shape per framework the domain knows, in the domain's order.
INSPECTION_VARIANTS: tuple[type[BaseModel], ...] = tuple(_variant(v) for v in VOCABULARIES.values())


class InspectionCreate(RootModel[Annotated[Union[INSPECTION_VARIANTS], Field(discriminator="framework")]]):  # type: ignore[valid-type]  # noqa: UP007
    """Judgements in the vocabulary of ``framework``: an overall effectiveness grade where the
    framework has one, key judgements or report-card evaluation areas keyed by their name."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "inspection_id": "10245871",
                    "inspected_on": "2023-03-08",
                    "inspection_type": "graded",
                    "framework": "ofsted_september_2012",
                    "overall_effectiveness": "requires_improvement",
                    "judgements": {
                        "quality_of_education": "requires_improvement",
                        "behaviour_and_attitudes": "good",
                        "personal_development": "good",
                        "leadership_and_management": "requires_improvement",
                        "early_years_provision": "good",
                    },
                    "safeguarding": "effective",
                },
                {
                    "inspection_id": "10339112",
                    "inspected_on": "2026-01-20",
                    "inspection_type": "graded",
                    "framework": "ofsted_report_cards_november_2025",
                    "judgements": {
                        "inclusion": "expected_standard",
                        "curriculum_and_teaching": "needs_attention",
                        "achievement": "needs_attention",
                        "attendance_and_behaviour": "expected_standard",
                        "personal_development_and_wellbeing": "strong_standard",
                        "leadership_and_governance": "expected_standard",
                    },
                    "safeguarding": "met",
                },
                {
                    "inspection_id": "10298004",
                    "inspected_on": "2025-02-04",
                    "inspection_type": "graded",
                    "framework": "ofsted_september_2024",
                    "judgements": {
                        "quality_of_education": "inadequate",
                        "behaviour_and_attitudes": "requires_improvement",
                        "personal_development": "requires_improvement",
                        "leadership_and_management": "inadequate",
                    },
                    "safeguarding": "effective",
                    "category_of_concern": "special_measures",
                },
                {
                    "inspection_id": "364512",
                    "inspected_on": "2011-06-15",
                    "inspection_type": "graded",
                    "framework": "ofsted_until_august_2012",
                    "overall_effectiveness": "satisfactory",
                },
            ]
        }
    )

    def facts(self) -> dict[str, Any]:
        """The inspection as the domain's command takes it."""
        facts = self.root.model_dump()
        if facts["category_of_concern"] is not None:
            framework = Framework(facts["framework"])
            facts["category_of_concern"] = category_names(framework)[facts["category_of_concern"]]
        return facts

    @property
    def inspection_id(self) -> str:
        return self.root.inspection_id  # type: ignore[attr-defined]


class PublicationCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"published_on": "2023-04-17"}]}
    )

    published_on: date


class InspectionPublic(BaseModel):
    urn: str
    inspection_id: str
    inspected_on: date
    inspection_type: str
    framework: str
    overall_effectiveness: str | None = None
    judgements: dict[str, str] = {}
    safeguarding: str | None = None
    category_of_concern: str | None = None
    headline_judgement: str | None = None
    below_good: bool
    good_or_better: bool | None = None
    concern_policy_from: date | None = Field(
        default=None,
        description="under report cards, the date the council's concern policy that judged it applies from",
    )
    published_on: date | None = None
    stuck: bool = False
    stuck_rule: str | None = Field(default=None, description="the rule that flagged the school stuck")
    recorded: list[str] = []
