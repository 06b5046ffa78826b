"""A financial year's budget: the grant and top-slices for central provision (domain.md section 3)."""

from datetime import date

import pytest

from pp_builders import FY, TODAY, approved, given, grant, requested, top_sliced
from pupil_premium.domain.budget import (
    AmendTopSlice,
    RecordGrantLetter,
    SetGrantFromCensus,
    TopSliceForCentralProvision,
    amend_top_slice,
    record_grant_letter,
    set_grant_from_census,
    top_slice,
)
from pupil_premium.domain.budget_state import NO_BUDGET
from pupil_premium.domain.events import (
    CentralProvisionTopSliced,
    GrantCalculatedFromCensus,
    GrantLetterRecorded,
    TopSliceAmended,
)
from pupil_premium.domain.rates import DEFAULT_RATES
from pupil_premium.domain.reports.position import position_of
from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation


def census(children: int, *, fy: str = FY, census_date: date = date(2024, 3, 31)) -> SetGrantFromCensus:
    return SetGrantFromCensus(financial_year=fy, census_date=census_date, looked_after_children=children)


def slice_of(pence: int, top_slice_id: str = "TS1") -> TopSliceForCentralProvision:
    return TopSliceForCentralProvision(
        financial_year=FY,
        top_slice_id=top_slice_id,
        name="Tutoring",
        purpose="Online tutoring for Key Stage 4",
        amount_pence=pence,
        decided_by="Virtual School Head",
    )


def test_the_grant_is_the_rate_per_child_times_the_children_looked_after_at_the_census_date():
    """domain.md section 3: 2024-25 rate 2,570 pounds per child."""
    events = set_grant_from_census(census(120), NO_BUDGET, rates=DEFAULT_RATES, today=TODAY)
    assert events == [
        GrantCalculatedFromCensus(
            financial_year=FY,
            census_date=date(2024, 3, 31),
            looked_after_children=120,
            rate_pence=257_000,
            grant_pence=30_840_000,
            recorded_on=TODAY,
        )
    ]
    assert given(*events).grant_pence == 30_840_000


def test_a_year_with_no_rate_in_the_table_cannot_be_calculated():
    with pytest.raises(RuleViolation) as refused:
        set_grant_from_census(
            census(10, fy="2030-31", census_date=date(2030, 3, 31)),
            NO_BUDGET,
            rates=DEFAULT_RATES,
            today=TODAY,
        )
    assert refused.value.field == "financial_year"


def test_a_census_date_after_the_financial_year_is_refused():
    with pytest.raises(InvalidInput) as refused:
        set_grant_from_census(
            census(10, census_date=date(2025, 4, 1)), NO_BUDGET, rates=DEFAULT_RATES, today=TODAY
        )
    assert refused.value.field == "census_date"


def test_the_grant_can_be_taken_from_the_grant_letter():
    command = RecordGrantLetter(
        financial_year=FY,
        letter_reference="DfE/PP+/2024-25/Medway",
        letter_date=date(2024, 6, 14),
        grant_pence=30_000_000,
    )
    assert record_grant_letter(command, NO_BUDGET, today=TODAY) == [
        GrantLetterRecorded(
            financial_year=FY,
            letter_reference="DfE/PP+/2024-25/Medway",
            letter_date=date(2024, 6, 14),
            grant_pence=30_000_000,
            recorded_on=TODAY,
        )
    ]


def test_a_grant_letter_dated_in_the_future_is_refused():
    command = RecordGrantLetter(
        financial_year=FY, letter_reference="L", letter_date=date(2024, 10, 8), grant_pence=1
    )
    with pytest.raises(InvalidInput) as refused:
        record_grant_letter(command, NO_BUDGET, today=TODAY)
    assert refused.value.field == "letter_date"


def test_a_revised_grant_replaces_the_earlier_figure():
    budget = given(grant(1_000_000))
    revised = record_grant_letter(
        RecordGrantLetter(
            financial_year=FY, letter_reference="Final", letter_date=TODAY, grant_pence=1_200_000
        ),
        budget,
        today=TODAY,
    )
    assert given(grant(1_000_000), *revised).grant_pence == 1_200_000


def test_the_grant_cannot_be_revised_below_what_is_already_top_sliced_and_approved():
    request = requested(amount=60_000)
    budget = given(grant(1_000_000), top_sliced("TS1", 500_000), request, approved(request))
    with pytest.raises(RuleViolation) as refused:
        record_grant_letter(
            RecordGrantLetter(
                financial_year=FY, letter_reference="Final", letter_date=TODAY, grant_pence=559_999
            ),
            budget,
            today=TODAY,
        )
    assert refused.value.field == "grant_pence"
    with pytest.raises(RuleViolation) as refused:
        set_grant_from_census(census(2), budget, rates=DEFAULT_RATES, today=TODAY)  # 2 x 2,570 pounds
    assert refused.value.field == "looked_after_children"


def test_a_named_top_slice_holds_back_money_for_central_provision():
    events = top_slice(slice_of(250_000), given(grant(1_000_000)), today=TODAY)
    assert events == [
        CentralProvisionTopSliced(
            financial_year=FY,
            top_slice_id="TS1",
            name="Tutoring",
            purpose="Online tutoring for Key Stage 4",
            amount_pence=250_000,
            decided_on=TODAY,
            decided_by="Virtual School Head",
        )
    ]
    assert given(grant(1_000_000), *events).remaining_pence == 750_000


def test_a_top_slice_larger_than_the_remaining_balance_is_refused():
    with pytest.raises(RuleViolation) as refused:
        top_slice(slice_of(400_001, "TS2"), given(grant(1_000_000), top_sliced("TS1", 600_000)), today=TODAY)
    assert refused.value.field == "amount_pence"


def test_nothing_can_be_top_sliced_before_a_grant_is_recorded():
    with pytest.raises(RuleViolation):
        top_slice(slice_of(1), NO_BUDGET, today=TODAY)


def test_a_top_slice_id_is_used_once():
    with pytest.raises(Conflict) as refused:
        top_slice(slice_of(1), given(grant(), top_sliced("TS1", 100)), today=TODAY)
    assert refused.value.field == "top_slice_id"


def test_a_top_slice_can_be_reduced_which_returns_money_to_the_balance():
    budget = given(grant(1_000_000), top_sliced("TS1", 300_000))
    command = AmendTopSlice(
        financial_year=FY,
        top_slice_id="TS1",
        amount_pence=100_000,
        reason="Tutoring contract cheaper",
        decided_by="VSH",
    )
    events = amend_top_slice(command, budget, today=TODAY)
    assert events == [
        TopSliceAmended(
            financial_year=FY,
            top_slice_id="TS1",
            name="Tutoring",
            previous_amount_pence=300_000,
            amount_pence=100_000,
            reason="Tutoring contract cheaper",
            amended_on=TODAY,
            decided_by="VSH",
        )
    ]
    assert given(grant(1_000_000), top_sliced("TS1", 300_000), *events).remaining_pence == 900_000


def test_a_top_slice_cannot_grow_beyond_the_remaining_balance():
    budget = given(grant(1_000_000), top_sliced("TS1", 300_000))
    command = AmendTopSlice(
        financial_year=FY, top_slice_id="TS1", amount_pence=1_000_001, reason="More", decided_by="VSH"
    )
    with pytest.raises(RuleViolation) as refused:
        amend_top_slice(command, budget, today=TODAY)
    assert refused.value.field == "amount_pence"


def test_an_unknown_top_slice_cannot_be_amended():
    command = AmendTopSlice(
        financial_year=FY, top_slice_id="TS9", amount_pence=1, reason="r", decided_by="VSH"
    )
    with pytest.raises(NotFound) as refused:
        amend_top_slice(command, given(grant()), today=TODAY)
    assert refused.value.field == "top_slice_id"


def test_a_command_for_another_year_is_refused_on_this_years_stream():
    with pytest.raises(InvalidInput) as refused:
        top_slice(slice_of(1).model_copy(update={"financial_year": "2025-26"}), given(grant()), today=TODAY)
    assert refused.value.field == "financial_year"


def test_the_position_is_derived_by_folding_the_events():
    first, second = requested("R1", amount=50_000), requested("R2", child_id="C2", amount=40_000)
    budget = given(grant(1_000_000), top_sliced("TS1", 200_000), first, approved(first), second)
    position = position_of(budget)
    assert (
        position.grant_pence,
        position.top_sliced_pence,
        position.committed_pence,
        position.paid_pence,
    ) == (
        1_000_000,
        200_000,
        50_000,
        0,
    )
    assert position.remaining_pence == 750_000
