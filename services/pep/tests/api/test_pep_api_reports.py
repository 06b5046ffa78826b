"""The virtual school's reports through the API: termly PEP compliance and whether the in-time rate
rose term on term, persistent absence, exclusions (unofficial ones flagged), days lost awaiting a
place, and the roll "as if a single school" with filters (seed 002 monitoring)."""

from __future__ import annotations

from datetime import datetime, timezone

HOME = "118001"
AWAY = "118002"
SUMMER_2025 = datetime(2025, 8, 1, 9, 0, tzinfo=timezone.utc)
TODAY = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


async def test_the_compliance_report_counts_peps_by_term_and_school_and_says_whether_the_rate_rose(
    pep_service, clock, helpers
):
    clock.set(SUMMER_2025)
    async with pep_service() as api:
        await api.set_term_dates()
        # In care from 1 August 2025: in place due 1 September 2025, then a review each term.
        await api.enter_care("C1", "2025-08-01")
        await api.place("C1", HOME, "2025-09-03")
        await api.initiate("C1", "P1", 2025, "autumn", "2025-08-05", occasion="initial")
        await api.complete_pep(
            "C1",
            "P1",
            meeting="2025-09-08",
            submitted="2025-09-10",
            targets=[helpers.target("T1", "2026-03-20")],
        )
        await api.initiate("C1", "P2", 2025, "spring", "2026-01-06")
        unofficial = {
            "kind": "fixed_term",
            "first_day": "2026-02-02",
            "school_days": "1",
            "reason": "sent home early",
            "unofficial": True,
        }
        official = {"kind": "fixed_term", "first_day": "2026-02-09", "school_days": "2", "reason": "assault"}
        await api.complete_pep(
            "C1",
            "P2",
            meeting="2026-03-02",
            submitted="2026-03-10",
            attendance="85.0",
            targets=[helpers.target("T2", "2026-07-10")],
            progress=[
                {
                    "target_id": "T1",
                    "status": "behind",
                    "evidence": "Reading age 11",
                    "actions": "Tutor twice a week",
                }
            ],
            exclusions=[unofficial, official],
        )
        # Nothing for summer 2026: the scheduler records that review overdue.
        clock.set(TODAY)
        await api.app.state.scheduler.run_once()
        await api.settle()

        report = (await api.client.get("/reports/pep-compliance?academic_year=2025", headers=api.vsh)).json()
        rows = {t["term"]["name"]: t for t in report["terms"]}
        assert {
            name: (t["due"], t["completed_in_time"], t["late"], t["overdue"]) for name, t in rows.items()
        } == {
            "autumn 2025/26": (2, 1, 1, 0),
            "spring 2025/26": (1, 1, 0, 0),
            "summer 2025/26": (1, 0, 0, 1),
        }
        assert [rows[n]["in_time_percentage"] for n in rows] == ["50.0", "100.0", "0.0"]
        assert [rows[n]["rose_on_previous_term"] for n in rows] == [None, True, False]
        by_school = {(s["term"]["season"], s["urn"]): s["due"] for s in report["by_school"]}
        # The first deadline fell before the child joined a roll: it counts under no school.
        assert by_school == {
            ("autumn", None): 1,
            ("autumn", HOME): 1,
            ("spring", HOME): 1,
            ("summer", HOME): 1,
        }

        absent = (await api.client.get("/reports/persistent-absence", headers=api.vso)).json()
        assert (absent["persistently_absent"], absent["items"][0]["attendance_percentage"]) == (1, "85.0")

        exclusions = (await api.client.get("/reports/exclusions", headers=api.vso)).json()
        assert (exclusions["exclusions"], exclusions["fixed_term"], exclusions["unofficial"]) == (2, 2, 1)
        only_unofficial = (
            await api.client.get("/reports/exclusions?unofficial=true", headers=api.vso)
        ).json()
        assert [e["reason"] for e in only_unofficial["items"]] == ["sent home early"]

        record = (await api.client.get("/children/C1", headers=api.vso)).json()
        t1 = next(t for t in record["targets"] if t["target_id"] == "T1")
        assert (t1["closed"], t1["progress"][0]["status"]) == (False, "behind")


async def test_days_lost_awaiting_a_place_count_school_days_and_the_roll_filters_like_a_school(
    pep_service, clock
):
    clock.set(TODAY)
    async with pep_service() as api:
        await api.set_term_dates()
        # Waited from Monday 7 September, placed Monday 14 September: 5 school days lost.
        await api.enter_care("WAITED", "2026-09-01", year_group="year_9", sen_status="ehc_plan")
        await api.ok(
            "POST",
            "/children/WAITED/awaiting-school-place",
            api.social_worker,
            {"place_needed_from": "2026-09-07", "reason": "new placement out of area"},
        )
        await api.place("WAITED", HOME, "2026-09-14")
        # Waiting since Monday 19 October: 5 school days to today, the half-term week not counted.
        await api.enter_care("WAITING", "2026-10-01", year_group="year_9")
        await api.ok(
            "POST",
            "/children/WAITING/awaiting-school-place",
            api.social_worker,
            {"place_needed_from": "2026-10-19", "reason": "permanently excluded"},
        )
        await api.looked_after_at("ELSEWHERE", AWAY)
        await api.settle()

        lost = (await api.client.get("/reports/days-lost-awaiting-place", headers=api.vso)).json()
        per_child = {
            i["child_id"]: (i["school_days_lost_on_completed_waits"], i["school_days_lost_in_current_wait"])
            for i in lost["items"]
        }
        assert per_child == {"WAITED": (5, 0), "WAITING": (0, 5)}
        assert (lost["school_days_lost"], lost["awaiting_school_place_now"]) == (10, 1)

        roll = (await api.client.get("/virtual-school/roll", headers=api.vsh)).json()
        assert roll["summary"]["children"] == 3
        assert roll["summary"]["awaiting_school_place"] == 1
        assert roll["summary"]["by_year_group"] == {"year_7": 1, "year_9": 2}
        filtered = await api.client.get(
            "/virtual-school/roll?year_group=year_9&sen_status=ehc_plan&pep_status=not_started",
            headers=api.vsh,
        )
        assert [c["child_id"] for c in filtered.json()["items"]] == ["WAITED"]
        at_home = (await api.client.get(f"/virtual-school/roll?urn={HOME}", headers=api.vsh)).json()
        assert [c["child_id"] for c in at_home["items"]] == ["WAITED"]
        first_page = (await api.client.get("/virtual-school/roll?limit=2", headers=api.vsh)).json()
        assert [c["child_id"] for c in first_page["items"]] == ["ELSEWHERE", "WAITED"]
        assert first_page["summary"]["children"] == 3
        rest = (await api.client.get(first_page["next"], headers=api.vsh)).json()
        assert [c["child_id"] for c in rest["items"]] == ["WAITING"]
        assert rest["summary"]["children"] == 3
        assert rest["next"] is None and rest["next_cursor"] is None


async def test_the_roll_summary_counts_the_whole_filtered_roll_whatever_page_is_shown(pep_service, clock, helpers):
    clock.set(TODAY)
    async with pep_service() as api:
        await api.set_term_dates()
        sent_home = {
            "kind": "fixed_term",
            "first_day": "2026-09-21",
            "school_days": "1",
            "reason": "sent home early",
            "unofficial": True,
        }
        # Attendance 85.0 and 92.5: an average of 88.75, reported as 88.8; 85.0 is persistent absence.
        for child_id, attendance, exclusions in (("A1", "85.0", [sent_home]), ("A2", "92.5", [])):
            await api.looked_after_at(child_id, HOME)
            await api.initiate(child_id, f"P-{child_id}", 2026, "autumn", "2026-09-08")
            await api.complete_pep(
                child_id,
                f"P-{child_id}",
                meeting="2026-10-05",
                submitted="2026-10-07",
                targets=[helpers.target(f"T-{child_id}", "2027-03-20")],
                attendance=attendance,
                exclusions=exclusions,
            )
        await api.enter_care("A3", "2026-10-01", year_group="year_9")
        await api.settle()

        first = (await api.client.get("/virtual-school/roll?limit=1", headers=api.vsh)).json()
        assert [c["child_id"] for c in first["items"]] == ["A1"]
        summary = first["summary"]
        assert summary == {
            **summary,
            "children": 3,
            "by_year_group": {"year_7": 2, "year_9": 1},
            "with_attendance_recorded": 2,
            "average_attendance_percentage": "88.8",
            "persistently_absent": 1,
            "persistently_absent_percentage": "50.0",
            "children_with_exclusions": 1,
            "exclusions": 1,
            "unofficial_exclusions": 1,
        }
        assert sum(summary["by_pep_status"].values()) == 3
        last = (await api.client.get(first["next"], headers=api.vsh)).json()
        assert last["summary"] == summary

        at_home = (await api.client.get(f"/schools/{HOME}/children", headers=api.vsh)).json()
        assert at_home["summary"]["children"] == 2
        assert at_home["summary"]["average_attendance_percentage"] == "88.8"
