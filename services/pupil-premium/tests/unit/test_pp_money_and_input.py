"""Money is integer pence, and bad input is refused naming the field (domain.md section 3)."""

from datetime import date

import pytest

from pupil_premium.domain.budget import RecordGrantLetter, TopSliceForCentralProvision
from pupil_premium.domain.financial_year import FinancialYear
from pupil_premium.domain.money import parse_command, pounds
from pupil_premium.domain.projects import ProposeSchoolProject
from shared.errors import InvalidInput

LETTER = {
    "financial_year": "2024-25",
    "letter_reference": "DfE PP+ 2024-25",
    "letter_date": "2024-06-14",
    "grant_pence": 30_840_000,
}


def test_a_whole_number_of_pence_is_accepted():
    command = parse_command(RecordGrantLetter, LETTER)
    assert command.grant_pence == 30_840_000
    assert command.letter_date == date(2024, 6, 14)


@pytest.mark.parametrize("amount", [12.5, 0.01, 12.0, "1200", True])
def test_fractional_or_non_integer_pence_are_refused_naming_the_field(amount):
    """domain.md section 3: never round money with floats; integer pence only."""
    with pytest.raises(InvalidInput) as refused:
        parse_command(RecordGrantLetter, {**LETTER, "grant_pence": amount})
    assert refused.value.field == "grant_pence"


def test_negative_pence_are_refused_naming_the_field():
    with pytest.raises(InvalidInput) as refused:
        parse_command(RecordGrantLetter, {**LETTER, "grant_pence": -1})
    assert refused.value.field == "grant_pence"


def test_a_top_slice_of_nothing_is_refused():
    with pytest.raises(InvalidInput) as refused:
        parse_command(
            TopSliceForCentralProvision,
            {
                "financial_year": "2024-25",
                "top_slice_id": "TS1",
                "name": "Tutoring",
                "purpose": "Central tutoring",
                "amount_pence": 0,
                "decided_by": "VSH",
            },
        )
    assert refused.value.field == "amount_pence"


def test_a_field_inside_a_list_is_named_by_its_path():
    with pytest.raises(InvalidInput) as refused:
        parse_command(
            ProposeSchoolProject,
            {
                "financial_year": "2024-25",
                "project_id": "P1",
                "school_urn": "123456",
                "title": "Nurture group",
                "plan": "Twice weekly",
                "child_ids": ["C1", "C2"],
                "milestones": [
                    {"milestone_id": "M1", "description": "Mentor trained", "due_on": "2024-11-01"},
                    {"milestone_id": "M2", "description": "Review", "due_on": "next spring"},
                ],
                "amount_pence": 300_000,
                "proposed_by": "Headteacher",
            },
        )
    assert refused.value.field == "milestones[1].due_on"


def test_a_missing_field_is_named():
    data = dict(LETTER)
    del data["letter_reference"]
    with pytest.raises(InvalidInput) as refused:
        parse_command(RecordGrantLetter, data)
    assert refused.value.field == "letter_reference"


@pytest.mark.parametrize("label", ["2024-26", "2024/25", "24-25", "2024"])
def test_a_financial_year_is_written_like_2024_25(label):
    with pytest.raises(InvalidInput) as refused:
        parse_command(RecordGrantLetter, {**LETTER, "financial_year": label})
    assert refused.value.field == "financial_year"
    with pytest.raises(InvalidInput):
        FinancialYear.parse(label)


def test_a_school_is_named_by_its_six_digit_urn():
    with pytest.raises(InvalidInput) as refused:
        parse_command(
            ProposeSchoolProject,
            {
                "financial_year": "2024-25",
                "project_id": "P1",
                "school_urn": "12345",
                "title": "t",
                "plan": "p",
                "child_ids": ["C1"],
                "milestones": [{"milestone_id": "M1", "description": "d", "due_on": "2024-11-01"}],
                "amount_pence": 1,
                "proposed_by": "x",
            },
        )
    assert refused.value.field == "school_urn"


@pytest.mark.parametrize(
    ("pence", "shown"), [(123_456, "1234.56"), (5, "0.05"), (0, "0.00"), (-250, "-2.50"), (65_000, "650.00")]
)
def test_pence_are_shown_as_pounds_without_floating_point(pence, shown):
    assert pounds(pence) == shown
