"""Overdue PEPs are recorded by the deadline scheduler on its own, exactly once per deadline, and
the virtual school sees them (domain.md section 2: "an overdue event is appended on its own")."""

from __future__ import annotations

from datetime import datetime, timezone

URN = "118001"
# The scheduler also runs once when the service starts: start it before any deadline has passed.
BEFORE_ANY_DEADLINE = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)


def overdue_events(records):
    return [r for r in records if r.event_type.endswith("Overdue")]


async def test_a_pep_not_initiated_in_time_is_recorded_overdue_once_even_after_a_restart(
    pep_service, store, clock
):
    clock.set(BEFORE_ANY_DEADLINE)
    async with pep_service() as api:
        await api.set_term_dates()
        # Entered care on 12 October 2026: initiation due 10 working days later, 26 October;
        # in place due 20 working days later, 9 November.
        await api.looked_after_at("C1", URN, entered="2026-10-12", start="2026-10-12")

        clock.set(datetime(2026, 11, 2, 7, 0, tzinfo=timezone.utc))
        first = await api.app.state.scheduler.run_once()
        second = await api.app.state.scheduler.run_once()
        assert (first, second) == (1, 0)
        [initiation] = overdue_events(await store.read_stream("pep-C1"))
        assert initiation.event_type == "PepInitiationOverdue"
        assert initiation.data["due_on"] == "2026-10-26"
        assert initiation.effective_date.isoformat() == "2026-10-27"
        assert initiation.metadata["idempotency_key"] == "pep:overdue:C1:initiation:2026-10-12"

        await api.settle()
        listed = (await api.client.get("/reports/overdue-peps", headers=api.vso)).json()["items"]
        # Overdue from the day after it was due, though the scheduler first ran a week later.
        assert [
            (o["child_id"], o["kind"], o["due_on"], o["overdue_since"], o["noticed_on"]) for o in listed
        ] == [("C1", "initiation", "2026-10-26", "2026-10-27", "2026-11-02")]

    # Another instance of the service, started later, finds nothing new to record.
    async with pep_service() as restarted:
        assert await restarted.app.state.scheduler.run_once() == 0
    assert len(overdue_events(await store.read_stream("pep-C1"))) == 1


async def test_a_pep_not_in_place_by_its_due_date_counts_as_overdue_in_the_compliance_report(
    pep_service, clock
):
    clock.set(BEFORE_ANY_DEADLINE)
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN, entered="2026-10-12", start="2026-10-12")
        await api.initiate("C1", "P1", 2026, "autumn", "2026-10-14", occasion="initial")

        clock.set(datetime(2026, 11, 10, 8, 0, tzinfo=timezone.utc))
        await api.settle()
        before = (await api.client.get("/reports/pep-compliance?academic_year=2026", headers=api.vsh)).json()
        autumn = before["terms"][0]
        assert (autumn["term"]["name"], autumn["due"], autumn["overdue"], autumn["not_yet_due"]) == (
            "autumn 2026/27",
            1,
            0,
            1,
        )

        assert await api.app.state.scheduler.run_once() == 1
        await api.settle()
        after = (await api.client.get("/reports/pep-compliance?academic_year=2026", headers=api.vsh)).json()
        autumn = after["terms"][0]
        assert (autumn["due"], autumn["overdue"], autumn["completed_in_time"]) == (1, 1, 0)
        assert after["by_school"][0]["urn"] == URN
        assert after["by_school"][0]["overdue"] == 1
        listed = (await api.client.get("/reports/overdue-peps", headers=api.vso)).json()["items"]
        assert [(o["kind"], o["due_on"]) for o in listed] == [("in_place_after_entering_care", "2026-11-09")]


async def test_the_virtual_school_sees_peps_coming_due_before_they_are_missed(pep_service, clock):
    # Entered care on 12 October 2026: initiation due 26 October, in place due 9 November.
    clock.set(datetime(2026, 10, 20, 9, 0, tzinfo=timezone.utc))
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN, entered="2026-10-12", start="2026-10-12")
        await api.looked_after_at("C2", "118002", entered="2026-10-12", start="2026-10-12")
        await api.settle()

        async def coming_due(query: str = "") -> dict:
            answer = await api.client.get(f"/reports/peps-coming-due{query}", headers=api.vso)
            assert answer.status_code == 200, answer.text
            return answer.json()

        # Ten working days from Tuesday 20 October (half term counts; no bank holiday) run to
        # Tuesday 3 November: the initiations are in the window, the PEPs in place are not.
        listed = await coming_due()
        assert (listed["as_of"], listed["due_by"]) == ("2026-10-20", "2026-11-03")
        assert [(i["child_id"], i["kind"], i["due_on"], i["working_days_left"]) for i in listed["items"]] == [
            ("C1", "initiation", "2026-10-26", 4),
            ("C2", "initiation", "2026-10-26", 4),
        ]
        wider = await coming_due("?within_working_days=15")
        assert [(i["child_id"], i["kind"], i["due_on"]) for i in wider["items"]] == [
            ("C1", "initiation", "2026-10-26"),
            ("C2", "initiation", "2026-10-26"),
            ("C1", "in_place_after_entering_care", "2026-11-09"),
            ("C2", "in_place_after_entering_care", "2026-11-09"),
        ]
        one_school = await coming_due(f"?within_working_days=15&urn={URN}")
        assert {i["child_id"] for i in one_school["items"]} == {"C1"}

        # A PEP initiated leaves the list; a deadline due today is still coming due, not overdue.
        await api.initiate("C1", "P1", 2026, "autumn", "2026-10-21", occasion="initial")
        await api.settle()
        clock.set(datetime(2026, 10, 26, 9, 0, tzinfo=timezone.utc))
        today = await coming_due()
        assert [(i["child_id"], i["kind"], i["working_days_left"]) for i in today["items"]] == [
            ("C2", "initiation", 0),
            ("C1", "in_place_after_entering_care", 10),
            ("C2", "in_place_after_entering_care", 10),
        ]
        # The day after, C2's initiation is overdue and no longer coming due.
        clock.set(datetime(2026, 10, 27, 9, 0, tzinfo=timezone.utc))
        assert "initiation" not in {i["kind"] for i in (await coming_due())["items"]}

        too_far = await api.client.get("/reports/peps-coming-due?within_working_days=61", headers=api.vso)
        assert too_far.status_code == 422
        assert "within_working_days" in too_far.text
