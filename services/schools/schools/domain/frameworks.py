"""The four Ofsted inspection frameworks and their vocabularies (domain.md section 1).

Ofsted's words change over time, so every inspection names the framework it was made under and
its judgements are checked against that framework's vocabulary:

* until August 2012: overall effectiveness 1 outstanding, 2 good, 3 satisfactory, 4 inadequate;
* September 2012 to August 2024: grade 3 becomes *requires improvement*; grade 4 carries a
  category of concern (serious weaknesses or special measures); from September 2019 four key
  judgements (quality of education, behaviour and attitudes, personal development, leadership
  and management), with early years and sixth form provision where the school has them;
* September 2024 to 9 November 2025: no overall grade; the key judgements (1-4) and
  safeguarding (effective / not effective) remain;
* from 10 November 2025, report cards: each evaluation area on five points (exceptional, strong
  standard, expected standard, needs attention, urgent improvement) and safeguarding met / not
  met. A school can still be placed in a category of concern.

Besides checking, this module gives each graded inspection a *headline* (the overall grade, or
the lowest key judgement or evaluation area where there is no overall grade) and says whether
the school was judged *below good*, which other services react to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from shared.errors import InvalidInput


class Framework(StrEnum):
    UNTIL_AUGUST_2012 = "ofsted_until_august_2012"
    SEPTEMBER_2012 = "ofsted_september_2012"
    SEPTEMBER_2024 = "ofsted_september_2024"
    REPORT_CARDS_NOVEMBER_2025 = "ofsted_report_cards_november_2025"


class InspectionType(StrEnum):
    GRADED = "graded"  # section 5: a full inspection that makes the framework's judgements
    UNGRADED = "ungraded"  # section 8: confirms the previous judgement, makes no new grades
    MONITORING = "monitoring"  # section 8 monitoring of a school in a category or requiring improvement


class CategoryOfConcern(StrEnum):
    SERIOUS_WEAKNESSES = "serious_weaknesses"  # s61 "significant improvement" (notice to improve before 2012)
    SPECIAL_MEASURES = "special_measures"  # s62


#: What each framework calls the two categories of concern. Ofsted's report cards (from 10 November
#: 2025) name the lesser one by its statutory words, "requires significant improvement" (Education
#: Act 2005 s44(2); the school "requires significant improvement" of the Education and Inspections
#: Act 2006 s61), which Ofsted called "serious weaknesses" from 2005 to 2025. It is one category, so
#: it is recorded as ``serious_weaknesses`` under every framework and the other services read it
#: unchanged; under report cards the older word is still taken.
CATEGORY_NAMES: dict[str, dict[str, CategoryOfConcern]] = {
    "older": {
        "serious_weaknesses": CategoryOfConcern.SERIOUS_WEAKNESSES,
        "special_measures": CategoryOfConcern.SPECIAL_MEASURES,
    },
    "report_cards": {
        "requires_significant_improvement": CategoryOfConcern.SERIOUS_WEAKNESSES,
        "serious_weaknesses": CategoryOfConcern.SERIOUS_WEAKNESSES,
        "special_measures": CategoryOfConcern.SPECIAL_MEASURES,
    },
}


def category_names(framework: Framework) -> dict[str, CategoryOfConcern]:
    """The names a category of concern may be given under ``framework``, and the category each is."""
    return CATEGORY_NAMES["report_cards" if framework == Framework.REPORT_CARDS_NOVEMBER_2025 else "older"]


OUTSTANDING, GOOD, SATISFACTORY, REQUIRES_IMPROVEMENT, INADEQUATE = (
    "outstanding",
    "good",
    "satisfactory",
    "requires_improvement",
    "inadequate",
)
EXCEPTIONAL, STRONG_STANDARD, EXPECTED_STANDARD, NEEDS_ATTENTION, URGENT_IMPROVEMENT = (
    "exceptional",
    "strong_standard",
    "expected_standard",
    "needs_attention",
    "urgent_improvement",
)

#: Where each grade sits on its scale (1 best). Satisfactory and requires improvement are both
#: grade 3: the council treats them alike (Kent's "Satisfactory/RI" column, seed 003), so a
#: satisfactory school later found to require improvement has stayed at grade 3.
FOUR_POINT = {OUTSTANDING: 1, GOOD: 2, SATISFACTORY: 3, REQUIRES_IMPROVEMENT: 3, INADEQUATE: 4}
FIVE_POINT = {
    EXCEPTIONAL: 1,
    STRONG_STANDARD: 2,
    EXPECTED_STANDARD: 3,
    NEEDS_ATTENTION: 4,
    URGENT_IMPROVEMENT: 5,
}

EIF_KEY_JUDGEMENTS = (
    "quality_of_education",
    "behaviour_and_attitudes",
    "personal_development",
    "leadership_and_management",
)
EIF_OPTIONAL_JUDGEMENTS = ("early_years_provision", "sixth_form_provision")
REPORT_CARD_AREAS = (
    "inclusion",
    "curriculum_and_teaching",
    "achievement",
    "attendance_and_behaviour",
    "personal_development_and_wellbeing",
    "leadership_and_governance",
)
REPORT_CARD_OPTIONAL_AREAS = ("early_years", "sixth_form")

#: Key judgements in the education inspection framework's words came in with it in September 2019.
KEY_JUDGEMENTS_FROM = date(2019, 9, 1)


@dataclass(frozen=True)
class KeyJudgementPeriod:
    """The key judgements graded on a school inspection between two dates, under the framework of
    September 2012 (which kept its four-point scale and overall grade throughout)."""

    starts_on: date
    ends_on: date | None
    required: tuple[str, ...]
    optional: tuple[str, ...]
    handbook: str


#: The three sets of key judgements the framework of September 2012 graded, by date (Ofsted's
#: school inspection handbooks: September 2012; the common inspection framework of September
#: 2015, which added early years and 16 to 19 study programmes where a school has them; the
#: education inspection framework of September 2019). Before 2019 the overall grade may be
#: recorded alone; given any key judgement, all of that period's are given.
SEPTEMBER_2012_KEY_JUDGEMENTS = (
    KeyJudgementPeriod(
        starts_on=date(2012, 9, 1),
        ends_on=date(2015, 8, 31),
        required=(
            "achievement_of_pupils",
            "quality_of_teaching",
            "behaviour_and_safety_of_pupils",
            "leadership_and_management",
        ),
        optional=(),
        handbook="school inspection handbook, September 2012",
    ),
    KeyJudgementPeriod(
        starts_on=date(2015, 9, 1),
        ends_on=date(2019, 8, 31),
        required=(
            "effectiveness_of_leadership_and_management",
            "quality_of_teaching_learning_and_assessment",
            "personal_development_behaviour_and_welfare",
            "outcomes_for_pupils",
        ),
        optional=EIF_OPTIONAL_JUDGEMENTS,
        handbook="common inspection framework, September 2015",
    ),
    KeyJudgementPeriod(
        starts_on=KEY_JUDGEMENTS_FROM,
        ends_on=None,
        required=EIF_KEY_JUDGEMENTS,
        optional=EIF_OPTIONAL_JUDGEMENTS,
        handbook="education inspection framework, September 2019",
    ),
)


def judgement_areas(vocabulary: Vocabulary) -> dict[str, tuple[KeyJudgementPeriod, ...]]:
    """Every judgement a framework has ever graded, in order, with the periods it was graded in
    (empty for a framework whose judgements did not change)."""
    if vocabulary.framework != Framework.SEPTEMBER_2012:
        return {area: () for area in vocabulary.required_areas + vocabulary.optional_areas}
    areas: dict[str, tuple[KeyJudgementPeriod, ...]] = {}
    for period in SEPTEMBER_2012_KEY_JUDGEMENTS:
        for area in period.required + period.optional:
            areas[area] = (*areas.get(area, ()), period)
    return areas


def key_judgement_period(inspected_on: date) -> KeyJudgementPeriod:
    """The key judgements graded under the framework of September 2012 on ``inspected_on``."""
    return next(
        period for period in reversed(SEPTEMBER_2012_KEY_JUDGEMENTS) if period.starts_on <= inspected_on
    )


@dataclass(frozen=True)
class Vocabulary:
    framework: Framework
    in_force_from: date | None
    in_force_until: date | None
    overall_grades: tuple[str, ...]  # empty: the framework gives no overall grade
    judgement_grades: tuple[str, ...]
    required_areas: tuple[str, ...]
    optional_areas: tuple[str, ...]
    safeguarding: tuple[str, ...]  # empty: no separate safeguarding judgement
    safeguarding_required: bool
    good_or_better: frozenset[str]


VOCABULARIES: dict[Framework, Vocabulary] = {
    Framework.UNTIL_AUGUST_2012: Vocabulary(
        framework=Framework.UNTIL_AUGUST_2012,
        in_force_from=None,
        in_force_until=date(2012, 8, 31),
        overall_grades=(OUTSTANDING, GOOD, SATISFACTORY, INADEQUATE),
        judgement_grades=(),
        required_areas=(),
        optional_areas=(),
        safeguarding=(),
        safeguarding_required=False,
        good_or_better=frozenset({OUTSTANDING, GOOD}),
    ),
    Framework.SEPTEMBER_2012: Vocabulary(
        framework=Framework.SEPTEMBER_2012,
        in_force_from=date(2012, 9, 1),
        in_force_until=date(2024, 8, 31),
        overall_grades=(OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE),
        judgement_grades=(OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE),
        required_areas=EIF_KEY_JUDGEMENTS,
        optional_areas=EIF_OPTIONAL_JUDGEMENTS,
        safeguarding=("effective", "not_effective"),
        safeguarding_required=False,
        good_or_better=frozenset({OUTSTANDING, GOOD}),
    ),
    Framework.SEPTEMBER_2024: Vocabulary(
        framework=Framework.SEPTEMBER_2024,
        in_force_from=date(2024, 9, 1),
        in_force_until=date(2025, 11, 9),
        overall_grades=(),
        judgement_grades=(OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE),
        required_areas=EIF_KEY_JUDGEMENTS,
        optional_areas=EIF_OPTIONAL_JUDGEMENTS,
        safeguarding=("effective", "not_effective"),
        safeguarding_required=True,
        good_or_better=frozenset({OUTSTANDING, GOOD}),
    ),
    Framework.REPORT_CARDS_NOVEMBER_2025: Vocabulary(
        framework=Framework.REPORT_CARDS_NOVEMBER_2025,
        in_force_from=date(2025, 11, 10),
        in_force_until=None,
        overall_grades=(),
        judgement_grades=(
            EXCEPTIONAL,
            STRONG_STANDARD,
            EXPECTED_STANDARD,
            NEEDS_ATTENTION,
            URGENT_IMPROVEMENT,
        ),
        required_areas=REPORT_CARD_AREAS,
        optional_areas=REPORT_CARD_OPTIONAL_AREAS,
        safeguarding=("met", "not_met"),
        safeguarding_required=True,
        good_or_better=frozenset({EXCEPTIONAL, STRONG_STANDARD, EXPECTED_STANDARD}),
    ),
}

_FAILING_SAFEGUARDING = frozenset({"not_effective", "not_met"})


@dataclass(frozen=True)
class Headline:
    """The one grade that sums up a graded inspection, and the scale it is on."""

    grade: str
    scale: str  # "four_point" or "report_card"

    @property
    def level(self) -> int:
        return (FOUR_POINT if self.scale == "four_point" else FIVE_POINT)[self.grade]

    @property
    def is_below_good(self) -> bool:
        """Satisfactory, requires improvement, inadequate; needs attention, urgent improvement."""
        return self.level >= (3 if self.scale == "four_point" else 4)

    def same_level_as(self, other: Headline) -> bool:
        return self.scale == other.scale and self.level == other.level


@dataclass(frozen=True)
class Assessment:
    """``good_or_better`` counts towards the council's "good or better" share; unless a report-card
    policy says otherwise it is simply not below good."""

    headline: Headline | None
    below_good: bool
    good_or_better: bool | None = None

    def __post_init__(self) -> None:
        if self.good_or_better is None:
            object.__setattr__(self, "good_or_better", not self.below_good)


class ConcernPolicy(Protocol):
    """How the council reads report-card grades (``inspection_policies.ReportCardConcernPolicy``)."""

    def is_concern(self, judgements: Mapping[str, str]) -> bool: ...

    def is_good_or_better(self, judgements: Mapping[str, str]) -> bool: ...


def assess(
    *,
    framework: Framework,
    inspection_type: InspectionType,
    inspected_on: date,
    overall_effectiveness: str | None,
    judgements: dict[str, str],
    safeguarding: str | None,
    category_of_concern: CategoryOfConcern | None,
    concern_policy: ConcernPolicy | None = None,
) -> Assessment:
    """Check an inspection's judgements against its framework; raise ``InvalidInput`` naming the
    first field that does not belong, else return its headline and whether it is below good.

    Under report cards ``concern_policy`` (the council's, in force on the inspection's date) says
    which grades are below good and which good or better; without one, or under the older
    frameworks, any grade outside the vocabulary's good-or-better grades is below good."""
    vocabulary = VOCABULARIES[framework]
    _in_force(vocabulary, inspected_on)
    if safeguarding is not None and safeguarding not in vocabulary.safeguarding:
        allowed = " / ".join(vocabulary.safeguarding) or "no separate safeguarding judgement"
        raise InvalidInput(
            f"safeguarding {safeguarding!r} is not in the {framework.value} framework ({allowed})",
            field="safeguarding",
        )
    if inspection_type != InspectionType.GRADED:
        if overall_effectiveness is not None or judgements or category_of_concern is not None:
            field = (
                "overall_effectiveness"
                if overall_effectiveness is not None
                else "category_of_concern"
                if category_of_concern is not None
                else "judgements"
            )
            raise InvalidInput(
                f"an {inspection_type.value} inspection makes no graded judgements; record those "
                "on a graded inspection",
                field=field,
            )
        return Assessment(headline=None, below_good=safeguarding in _FAILING_SAFEGUARDING)

    _check_overall(vocabulary, overall_effectiveness)
    _check_areas(vocabulary, inspected_on, judgements)
    if vocabulary.safeguarding_required and safeguarding is None:
        raise InvalidInput(
            f"the {framework.value} framework judges safeguarding: give "
            + " or ".join(vocabulary.safeguarding),
            field="safeguarding",
        )
    grades = [overall_effectiveness] if overall_effectiveness else list(judgements.values())
    headline = _lowest(grades, _scale(framework))
    failing = _failing(vocabulary, overall_effectiveness, judgements, safeguarding)
    _check_category(vocabulary, failing, category_of_concern)
    ofsted_concern = category_of_concern is not None or safeguarding in _FAILING_SAFEGUARDING
    if concern_policy is not None and framework == Framework.REPORT_CARDS_NOVEMBER_2025:
        below_good = ofsted_concern or concern_policy.is_concern(judgements)
        good_or_better = not below_good and concern_policy.is_good_or_better(judgements)
        return Assessment(headline=headline, below_good=below_good, good_or_better=good_or_better)
    below_good = ofsted_concern or any(grade not in vocabulary.good_or_better for grade in grades)
    return Assessment(headline=headline, below_good=below_good)


def headline_for(framework: Framework, grade: str) -> Headline:
    """The headline of an inspection recorded under ``framework`` with that headline grade."""
    return Headline(grade=grade, scale=_scale(framework))


def _scale(framework: Framework) -> str:
    return "report_card" if framework == Framework.REPORT_CARDS_NOVEMBER_2025 else "four_point"


def _in_force(vocabulary: Vocabulary, inspected_on: date) -> None:
    starts, ends = vocabulary.in_force_from, vocabulary.in_force_until
    if (starts and inspected_on < starts) or (ends and inspected_on > ends):
        begun = starts.isoformat() if starts else "the start"
        span = f"{begun} to {ends.isoformat() if ends else 'now'}"
        raise InvalidInput(
            f"the {vocabulary.framework.value} framework was in force from {span}, "
            f"not on {inspected_on.isoformat()}",
            field="framework",
        )


def _check_overall(vocabulary: Vocabulary, overall: str | None) -> None:
    name = vocabulary.framework.value
    if not vocabulary.overall_grades:
        if overall is not None:
            raise InvalidInput(
                f"the {name} framework gives no overall effectiveness grade",
                field="overall_effectiveness",
            )
        return
    if overall is None:
        raise InvalidInput(
            f"a graded inspection under {name} has an overall effectiveness grade",
            field="overall_effectiveness",
        )
    if overall not in vocabulary.overall_grades:
        raise InvalidInput(
            f"{overall!r} is not an overall effectiveness grade in the {name} framework "
            f"({', '.join(vocabulary.overall_grades)})",
            field="overall_effectiveness",
        )


def _check_areas(vocabulary: Vocabulary, inspected_on: date, judgements: dict[str, str]) -> None:
    name = vocabulary.framework.value
    required, optional = vocabulary.required_areas, vocabulary.optional_areas
    if vocabulary.framework == Framework.SEPTEMBER_2012:
        period = key_judgement_period(inspected_on)
        required, optional = period.required, period.optional
        name = f"{name} framework's {period.handbook}"
    else:
        name = f"{name} framework"
    known = required + optional
    for area, grade in judgements.items():
        if area not in known:
            raise InvalidInput(
                f"{area!r} is not a judgement of the {name}"
                + (f" (its judgements are {', '.join(known)})" if known else ""),
                field=f"judgements.{area}",
            )
        if grade not in vocabulary.judgement_grades:
            raise InvalidInput(
                f"{grade!r} is not a grade in the {name} ({', '.join(vocabulary.judgement_grades)})",
                field=f"judgements.{area}",
            )
    if vocabulary.framework == Framework.SEPTEMBER_2012 and not judgements:
        return  # a record of the overall grade alone
    for area in required:
        if area not in judgements:
            raise InvalidInput(f"the {name} judges {area}: give its grade", field=f"judgements.{area}")


def _failing(
    vocabulary: Vocabulary,
    overall: str | None,
    judgements: dict[str, str],
    safeguarding: str | None,
) -> bool:
    """Whether the judgements are of the kind that carries a category of concern: an inadequate
    overall grade where the framework has one, else an inadequate (or urgent improvement) key
    judgement or failing safeguarding."""
    if vocabulary.overall_grades:
        return overall == INADEQUATE
    worst = {INADEQUATE, URGENT_IMPROVEMENT}
    return any(grade in worst for grade in judgements.values()) or safeguarding in _FAILING_SAFEGUARDING


def _check_category(vocabulary: Vocabulary, failing: bool, category: CategoryOfConcern | None) -> None:
    name = vocabulary.framework.value
    if category is not None and not failing:
        raise InvalidInput(
            "a category of concern goes with an inadequate (or urgent improvement) judgement "
            "or failing safeguarding, and there is none",
            field="category_of_concern",
        )
    must_have = vocabulary.framework in (Framework.SEPTEMBER_2012, Framework.SEPTEMBER_2024)
    if must_have and failing and category is None:
        raise InvalidInput(
            f"under the {name} framework an inadequate school is placed in a category of concern: "
            f"give {' or '.join(category_names(vocabulary.framework))}",
            field="category_of_concern",
        )


def _lowest(grades: list[str], scale: str) -> Headline:
    order = FOUR_POINT if scale == "four_point" else FIVE_POINT
    worst = max(grades, key=lambda grade: order[grade])
    return Headline(grade=worst, scale=scale)
