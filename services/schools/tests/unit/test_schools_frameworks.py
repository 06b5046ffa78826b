"""The four Ofsted vocabularies (domain.md section 1, "Ofsted inspections change their vocabulary
over time; record the framework with each one")."""

from __future__ import annotations

from datetime import date

import pytest
from schools.domain.frameworks import (
    Assessment,
    CategoryOfConcern,
    Framework,
    Headline,
    InspectionType,
    assess,
)

from shared.errors import InvalidInput

EIF_GOOD = {
    "quality_of_education": "good",
    "behaviour_and_attitudes": "good",
    "personal_development": "outstanding",
    "leadership_and_management": "good",
}
REPORT_CARD_EXPECTED = {
    "inclusion": "expected_standard",
    "curriculum_and_teaching": "expected_standard",
    "achievement": "strong_standard",
    "attendance_and_behaviour": "expected_standard",
    "personal_development_and_wellbeing": "strong_standard",
    "leadership_and_governance": "expected_standard",
}


def graded(
    framework: Framework,
    inspected_on: date,
    *,
    overall: str | None = None,
    judgements: dict[str, str] | None = None,
    safeguarding: str | None = None,
    category: CategoryOfConcern | None = None,
    inspection_type: InspectionType = InspectionType.GRADED,
) -> Assessment:
    return assess(
        framework=framework,
        inspection_type=inspection_type,
        inspected_on=inspected_on,
        overall_effectiveness=overall,
        judgements=judgements or {},
        safeguarding=safeguarding,
        category_of_concern=category,
    )


def refused_field(**kwargs: object) -> str | None:
    with pytest.raises(InvalidInput) as refused:
        graded(**kwargs)  # type: ignore[arg-type]
    return refused.value.field


# --- until August 2012 -------------------------------------------------------------------------


def test_before_september_2012_grade_3_is_satisfactory_and_below_good() -> None:
    result = graded(Framework.UNTIL_AUGUST_2012, date(2011, 3, 10), overall="satisfactory")

    assert result == Assessment(Headline("satisfactory", "four_point"), below_good=True)


def test_requires_improvement_is_not_a_grade_before_september_2012() -> None:
    field = refused_field(
        framework=Framework.UNTIL_AUGUST_2012,
        inspected_on=date(2011, 3, 10),
        overall="requires_improvement",
    )

    assert field == "overall_effectiveness"


def test_the_old_framework_had_no_key_judgements_in_the_2019_vocabulary() -> None:
    field = refused_field(
        framework=Framework.UNTIL_AUGUST_2012,
        inspected_on=date(2011, 3, 10),
        overall="good",
        judgements={"quality_of_education": "good"},
    )

    assert field == "judgements.quality_of_education"


# --- September 2012 to August 2024 -------------------------------------------------------------


def test_from_september_2012_satisfactory_is_no_longer_a_grade() -> None:
    field = refused_field(
        framework=Framework.SEPTEMBER_2012, inspected_on=date(2013, 3, 10), overall="satisfactory"
    )

    assert field == "overall_effectiveness"


def test_from_september_2012_an_inadequate_school_must_be_given_its_category_of_concern() -> None:
    field = refused_field(
        framework=Framework.SEPTEMBER_2012, inspected_on=date(2013, 3, 10), overall="inadequate"
    )

    assert field == "category_of_concern"


def test_special_measures_is_recorded_with_an_inadequate_grade() -> None:
    result = graded(
        Framework.SEPTEMBER_2012,
        date(2013, 3, 10),
        overall="inadequate",
        category=CategoryOfConcern.SPECIAL_MEASURES,
    )

    assert result == Assessment(Headline("inadequate", "four_point"), below_good=True)


def test_a_category_of_concern_needs_an_inadequate_judgement() -> None:
    field = refused_field(
        framework=Framework.SEPTEMBER_2012,
        inspected_on=date(2013, 3, 10),
        overall="requires_improvement",
        category=CategoryOfConcern.SERIOUS_WEAKNESSES,
    )

    assert field == "category_of_concern"


def test_the_four_key_judgements_are_recorded_from_september_2019() -> None:
    result = graded(Framework.SEPTEMBER_2012, date(2021, 11, 2), overall="good", judgements=EIF_GOOD)

    assert result == Assessment(Headline("good", "four_point"), below_good=False)


def test_key_judgements_in_the_2019_vocabulary_are_refused_before_september_2019() -> None:
    field = refused_field(
        framework=Framework.SEPTEMBER_2012,
        inspected_on=date(2016, 5, 4),
        overall="good",
        judgements=EIF_GOOD,
    )

    assert field == "judgements.quality_of_education"


def test_the_september_2012_handbooks_key_judgements_are_recorded_until_august_2015() -> None:
    """Rule (issue: key judgements from September 2012 to August 2019): the 2012 handbook graded
    achievement, teaching, behaviour and safety, and leadership and management."""
    judgements = {
        "achievement_of_pupils": "requires_improvement",
        "quality_of_teaching": "requires_improvement",
        "behaviour_and_safety_of_pupils": "good",
        "leadership_and_management": "good",
    }
    result = graded(
        Framework.SEPTEMBER_2012, date(2014, 3, 5), overall="requires_improvement", judgements=judgements
    )

    assert result == Assessment(Headline("requires_improvement", "four_point"), below_good=True)
    assert (
        refused_field(
            framework=Framework.SEPTEMBER_2012,
            inspected_on=date(2016, 3, 5),
            overall="good",
            judgements=judgements,
        )
        == "judgements.achievement_of_pupils"
    )


def test_the_common_inspection_frameworks_key_judgements_run_from_september_2015_to_august_2019() -> None:
    judgements = {
        "effectiveness_of_leadership_and_management": "good",
        "quality_of_teaching_learning_and_assessment": "good",
        "personal_development_behaviour_and_welfare": "outstanding",
        "outcomes_for_pupils": "good",
        "early_years_provision": "good",
    }
    result = graded(Framework.SEPTEMBER_2012, date(2019, 8, 31), overall="good", judgements=judgements)

    assert result == Assessment(Headline("good", "four_point"), below_good=False)
    three = {k: v for k, v in judgements.items() if k != "outcomes_for_pupils"}
    assert (
        refused_field(
            framework=Framework.SEPTEMBER_2012,
            inspected_on=date(2017, 1, 10),
            overall="good",
            judgements=three,
        )
        == "judgements.outcomes_for_pupils"
    )
    assert (
        refused_field(
            framework=Framework.SEPTEMBER_2012,
            inspected_on=date(2015, 8, 31),
            overall="good",
            judgements=judgements,
        )
        == "judgements.effectiveness_of_leadership_and_management"
    )


def test_once_key_judgements_are_given_all_four_are_needed() -> None:
    three = {k: v for k, v in EIF_GOOD.items() if k != "personal_development"}

    field = refused_field(
        framework=Framework.SEPTEMBER_2012,
        inspected_on=date(2021, 11, 2),
        overall="good",
        judgements=three,
    )

    assert field == "judgements.personal_development"


def test_a_judgement_outside_the_framework_is_refused_with_its_name() -> None:
    field = refused_field(
        framework=Framework.SEPTEMBER_2012,
        inspected_on=date(2021, 11, 2),
        overall="good",
        judgements={**EIF_GOOD, "inclusion": "good"},
    )

    assert field == "judgements.inclusion"


def test_a_grade_from_another_frameworks_scale_is_refused_with_the_judgement_named() -> None:
    field = refused_field(
        framework=Framework.SEPTEMBER_2012,
        inspected_on=date(2021, 11, 2),
        overall="good",
        judgements={**EIF_GOOD, "quality_of_education": "strong_standard"},
    )

    assert field == "judgements.quality_of_education"


# --- September 2024 to November 2025 -----------------------------------------------------------


def test_from_september_2024_there_is_no_overall_grade() -> None:
    field = refused_field(
        framework=Framework.SEPTEMBER_2024,
        inspected_on=date(2025, 1, 15),
        overall="good",
        judgements=EIF_GOOD,
        safeguarding="effective",
    )

    assert field == "overall_effectiveness"


def test_from_september_2024_safeguarding_must_be_judged() -> None:
    field = refused_field(
        framework=Framework.SEPTEMBER_2024, inspected_on=date(2025, 1, 15), judgements=EIF_GOOD
    )

    assert field == "safeguarding"


def test_from_september_2024_the_headline_is_the_lowest_key_judgement() -> None:
    result = graded(
        Framework.SEPTEMBER_2024,
        date(2025, 1, 15),
        judgements={**EIF_GOOD, "quality_of_education": "requires_improvement"},
        safeguarding="effective",
    )

    assert result == Assessment(Headline("requires_improvement", "four_point"), below_good=True)


def test_ineffective_safeguarding_is_below_good_and_carries_a_category() -> None:
    field = refused_field(
        framework=Framework.SEPTEMBER_2024,
        inspected_on=date(2025, 1, 15),
        judgements=EIF_GOOD,
        safeguarding="not_effective",
    )
    result = graded(
        Framework.SEPTEMBER_2024,
        date(2025, 1, 15),
        judgements=EIF_GOOD,
        safeguarding="not_effective",
        category=CategoryOfConcern.SPECIAL_MEASURES,
    )

    assert field == "category_of_concern"
    assert result.below_good is True


def test_report_card_safeguarding_words_are_refused_in_the_2024_framework() -> None:
    field = refused_field(
        framework=Framework.SEPTEMBER_2024,
        inspected_on=date(2025, 1, 15),
        judgements=EIF_GOOD,
        safeguarding="met",
    )

    assert field == "safeguarding"


# --- report cards from 10 November 2025 --------------------------------------------------------


def test_report_cards_grade_each_area_on_five_points() -> None:
    result = graded(
        Framework.REPORT_CARDS_NOVEMBER_2025,
        date(2025, 12, 3),
        judgements=REPORT_CARD_EXPECTED,
        safeguarding="met",
    )

    assert result == Assessment(Headline("expected_standard", "report_card"), below_good=False)


def test_needs_attention_in_any_area_is_below_the_expected_standard() -> None:
    result = graded(
        Framework.REPORT_CARDS_NOVEMBER_2025,
        date(2025, 12, 3),
        judgements={**REPORT_CARD_EXPECTED, "achievement": "needs_attention"},
        safeguarding="met",
    )

    assert result == Assessment(Headline("needs_attention", "report_card"), below_good=True)


def test_a_report_card_school_can_still_be_placed_in_a_category() -> None:
    result = graded(
        Framework.REPORT_CARDS_NOVEMBER_2025,
        date(2025, 12, 3),
        judgements={**REPORT_CARD_EXPECTED, "leadership_and_governance": "urgent_improvement"},
        safeguarding="met",
        category=CategoryOfConcern.SPECIAL_MEASURES,
    )

    assert result.below_good is True


def test_the_old_four_point_grades_are_refused_on_a_report_card() -> None:
    field = refused_field(
        framework=Framework.REPORT_CARDS_NOVEMBER_2025,
        inspected_on=date(2025, 12, 3),
        judgements={**REPORT_CARD_EXPECTED, "inclusion": "good"},
        safeguarding="met",
    )

    assert field == "judgements.inclusion"


def test_every_report_card_area_must_be_graded() -> None:
    missing = {k: v for k, v in REPORT_CARD_EXPECTED.items() if k != "attendance_and_behaviour"}

    field = refused_field(
        framework=Framework.REPORT_CARDS_NOVEMBER_2025,
        inspected_on=date(2025, 12, 3),
        judgements=missing,
        safeguarding="met",
    )

    assert field == "judgements.attendance_and_behaviour"


def test_early_years_and_sixth_form_are_graded_where_present() -> None:
    result = graded(
        Framework.REPORT_CARDS_NOVEMBER_2025,
        date(2025, 12, 3),
        judgements={**REPORT_CARD_EXPECTED, "early_years": "urgent_improvement"},
        safeguarding="met",
    )

    assert result == Assessment(Headline("urgent_improvement", "report_card"), below_good=True)


# --- the framework in force ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("framework", "inspected_on"),
    [
        (Framework.UNTIL_AUGUST_2012, date(2012, 9, 1)),
        (Framework.SEPTEMBER_2012, date(2012, 8, 31)),
        (Framework.SEPTEMBER_2012, date(2024, 9, 1)),
        (Framework.SEPTEMBER_2024, date(2025, 11, 10)),
        (Framework.REPORT_CARDS_NOVEMBER_2025, date(2025, 11, 9)),
    ],
)
def test_a_framework_named_for_a_date_it_was_not_in_force_is_refused(
    framework: Framework, inspected_on: date
) -> None:
    field = refused_field(framework=framework, inspected_on=inspected_on, overall="good")

    assert field == "framework"


def test_an_ungraded_inspection_makes_no_graded_judgements() -> None:
    field = refused_field(
        framework=Framework.SEPTEMBER_2012,
        inspected_on=date(2017, 2, 1),
        overall="good",
        inspection_type=InspectionType.UNGRADED,
    )
    result = graded(Framework.SEPTEMBER_2012, date(2017, 2, 1), inspection_type=InspectionType.UNGRADED)

    assert field == "overall_effectiveness"
    assert result == Assessment(headline=None, below_good=False)


def test_satisfactory_and_requires_improvement_sit_at_the_same_grade() -> None:
    satisfactory = Headline("satisfactory", "four_point")
    requires_improvement = Headline("requires_improvement", "four_point")
    needs_attention = Headline("needs_attention", "report_card")

    assert satisfactory.same_level_as(requires_improvement)
    assert not requires_improvement.same_level_as(needs_attention)
