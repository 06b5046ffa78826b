"""A notice given just before Easter 2015, under the rules before 18 April 2016, walked through
the API: the statutory compliance period over Good Friday and Easter Monday, representations to
Ofsted, Ofsted's confirmation, and the school eligible 15 working days later by itself."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import fire_deadlines, low_standards_notice, settled  # noqa: E402

URN = "118230"


async def test_a_notice_given_before_easter_2015_runs_to_eligibility_under_the_old_rules(
    client, schools, on, adviser, director, events
):
    await schools.register(
        URN,
        "St Anselm's Catholic Primary School",
        establishment_type="voluntary_aided",
        religious_character="Roman Catholic",
        diocese="Archdiocese of Southwark",
        headteacher="Mrs B Okafor",
    )
    on(date(2015, 3, 30))
    drafted = await client.post("/notices", json=low_standards_notice(URN), headers=adviser)
    assert drafted.status_code == 201, drafted.text
    notice_id = drafted.json()["notice_id"]
    assert drafted.headers["Location"] == f"/notices/{notice_id}"
    assert drafted.json()["stage"] == "draft" and drafted.headers["ETag"] == '"1"'

    # An adviser proposes; only a principal adviser or director gives the notice.
    on(date(2015, 3, 31))
    give = {
        "given_on": "2015-03-31",
        "foundation_governors_appointer": "The Archdiocese of Southwark trustees",
    }
    assert (await client.post(f"/notices/{notice_id}/give", json=give, headers=adviser)).status_code == 403
    given = await client.post(f"/notices/{notice_id}/give", json=give, headers=director)
    assert given.status_code == 200, given.text
    notice = given.json()
    assert notice["rules"] == "eia2006" and notice["stage"] == "compliance_period"
    # The 15th working day following 31 March, not counting Good Friday (3 April) or Easter Monday.
    assert notice["dates"]["compliance_period_ends_on"] == "2015-04-23"
    assert notice["dates"]["representation_window_ends_on"] == "2015-04-23"
    assert notice["content"]["compliance_period"] == {"working_days": 15, "ends_on": None}
    assert [r["role"] for r in notice["recipients"]] == [
        "governing_body",
        "headteacher",
        "diocesan_authority",
        "foundation_governors_appointer",
        "ofsted",
    ]
    assert {r["name"] for r in notice["recipients"]} >= {"Archdiocese of Southwark", "Mrs B Okafor", "Ofsted"}
    assert [(c["role"], c["given_on"]) for c in notice["copies_given"]] == [
        (r["role"], "2015-03-31") for r in notice["recipients"]
    ]
    assert {d["kind"]: d["due_on"] for d in notice["pending_deadlines"]} == {
        "compliance_period_end": "2015-04-23",
        "representation_window_end": "2015-04-23",
    }
    assert len(await events(client, "WarningNoticeCopyGiven")) == 5

    on(date(2015, 4, 10))
    made = await client.post(
        f"/notices/{notice_id}/representations",
        json={"made_on": "2015-04-10", "summary": "The evidence predates the new headteacher"},
        headers=adviser,
    )
    assert made.status_code == 200, made.text
    assert made.json()["stage"] == "representations_with_ofsted"

    on(date(2015, 4, 20))
    confirmed = await client.post(
        f"/notices/{notice_id}/ofsted-decision",
        json={"decided_on": "2015-04-20", "confirmed": True},
        headers=adviser,
    )
    assert confirmed.status_code == 200, confirmed.text
    dates = confirmed.json()["dates"]
    # 15 working days after 20 April, over the early May bank holiday (4 May 2015).
    assert dates["eligible_on"] == "2015-05-12"
    assert dates["last_day_to_use_lapsing_powers"] == "2015-07-12"
    assert dates["powers_lapse_on"] == "2015-07-13"

    # The window for representations closes by itself the day after its last day.
    on(date(2015, 4, 24))
    assert await fire_deadlines(client.app) == 1
    assert [e["closed_on"] for e in await events(client, "RepresentationWindowClosed")] == ["2015-04-23"]
    upcoming = (await client.get("/deadlines", params={"working_days": 15}, headers=adviser)).json()
    assert upcoming["until"] == "2015-05-18"  # 15 working days on, over 4 May
    assert ("eligibility_date", "2015-05-12", URN) in {
        (d["kind"], d["due_on"], d["urn"]) for d in upcoming["items"]
    }
    assert (await client.get(f"/interventions/{URN}", headers=adviser)).json()["eligible_today"] is False

    # On the eligibility date the school becomes eligible, with no one doing anything.
    on(date(2015, 5, 12))
    await fire_deadlines(client.app)
    await settled(client.app)
    [eligible] = await events(client, "SchoolBecameEligibleForIntervention")
    assert eligible["stream_id"] == f"intervention-{URN}"
    assert (eligible["basis"], eligible["eligible_from"], eligible["notice_id"]) == (
        "warning_notice",
        "2015-05-12",
        notice_id,
    )
    assert eligible["powers_lapse_on"] == "2015-07-13"

    case = (await client.get(f"/interventions/{URN}", headers=adviser)).json()
    assert case["eligible_today"] is True
    assert set(case["powers_available_today"]) == {
        "s63_require_arrangements",
        "s64_additional_governors",
        "s65_interim_executive_board",
        "s66_suspend_delegated_budget",
    }
    assert {d["kind"]: d["due_on"] for d in case["pending_deadlines"]} == {"powers_lapse": "2015-07-12"}

    read = await client.get(f"/notices/{notice_id}", headers=adviser)
    assert read.status_code == 200 and read.headers["ETag"] == f'"{read.json()["version"]}"'
    timeline = [(e["on"], e["event_type"]) for e in read.json()["timeline"]]
    assert timeline[0] == ("2015-03-30", "WarningNoticeDrafted")
    assert ("2015-04-23", "RepresentationWindowClosed") in timeline
    assert ("2015-05-12", "WarningNoticeEligibilityDateReached") in timeline
    assert ("2015-05-12", "SchoolBecameEligibleForIntervention") in timeline
    assert read.json()["stage"] == "school_eligible"

    [concern] = (await client.get("/schools-causing-concern", headers=adviser)).json()["items"]
    assert concern == {
        "urn": URN,
        "school_name": "St Anselm's Catholic Primary School",
        "stage": "eligible_for_intervention_warning_notice",
        "since": "2015-05-12",
        "notice_id": notice_id,
        "powers_available": [
            "s63_require_arrangements",
            "s64_additional_governors",
            "s65_interim_executive_board",
            "s66_suspend_delegated_budget",
        ],
    }
