"""Daily attendance through the HTTP API on real PostgreSQL: a school's file or a council feed of
marks, matched by the child's id or UPN; idempotent per child, school, date and session; bad lines
reported while good ones are taken in; whole-file problems refused; corrections kept beside the
marks they replace (domain.md section 6)."""

from __future__ import annotations

from datetime import date, timedelta

from shared.testing.problems import assert_problem

HOME = "118001"
AWAY = "118002"
UPN = "A123456789012"


def csv_of(*lines: str, header: str = "upn,child_id,urn,date,session,code") -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode()


async def send(api, body: bytes, headers=None, content_type="text/csv", **params):
    return await api.client.post(
        "/attendance/marks",
        content=body,
        params=params,
        headers={**(headers or api.vso), "Content-Type": content_type},
    )


def school_days(first: date, last: date, closed=()) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5 and day not in closed:
            days.append(day)
        day += timedelta(days=1)
    return days


async def a_child_at_home(api, child_id="C1", upn=UPN):
    await api.set_term_dates()
    await api.looked_after_at(child_id, HOME, entered="2026-09-03", start="2026-09-03")
    await api.ok("POST", f"/children/{child_id}/unique-pupil-number", api.social_worker, {"upn": upn})
    await api.settle()


async def test_a_schools_file_is_taken_in_by_upn_and_child_id_and_the_same_file_again_records_nothing(pep_service, store):
    async with pep_service() as api:
        await a_child_at_home(api)
        body = csv_of(f"{UPN},,{HOME},2026-10-19,am,/", f",C1,{HOME},2026-10-19,pm,I", f",C1,{HOME},19/10/2026,pm,I")
        first = await send(api, body)
        assert first.status_code == 200, first.text
        report = first.json()
        assert report["lines_read"] == 3
        assert report["marks_recorded"] == 2
        assert report["events_recorded"] == 1
        assert report["problems"] == []
        again = (await send(api, body)).json()
        assert again["marks_recorded"] == 0 and again["marks_unchanged"] == 2 and again["events_recorded"] == 0
        events = [e for e in await store.read_stream("attendance-C1") if e.event_type == "AttendanceRecorded"]
        assert len(events) == 1
        await api.settle()
        view = await api.ok("GET", "/children/C1/attendance?academic_year=2026", api.social_worker)
        assert [(s["date"], s["session"], s["code"], s["kind"]) for s in view["sessions"]] == [
            ("2026-10-19", "am", "/", "present"),
            ("2026-10-19", "pm", "I", "authorised_absence"),
        ]
        assert view["upn"] == UPN
        assert view["terms"][0]["possible_sessions"] == 2 and view["terms"][0]["attendance_percent"] == "50.0"


async def test_bad_lines_are_reported_with_line_field_and_reason_while_good_lines_are_taken_in(pep_service):
    async with pep_service() as api:
        await a_child_at_home(api)
        body = csv_of(
            f",C1,{HOME},2026-10-19,am,/",
            f",C1,{HOME},2026-10-19,pm,H",  # H was withdrawn in August 2024
            ",C1,11800,2026-10-20,am,/",
            f",C1,{HOME},2026-13-01,am,/",
            f",C1,{HOME},2026-10-20,noon,/",
            f",NOBODY,{HOME},2026-10-20,am,/",
            f"B123456789012,,{HOME},2026-10-20,am,/",
            f",C1,{HOME},2026-12-01,am,/",  # after today
            f",C1,{HOME},2026-10-21,am,/",
        )
        report = (await send(api, body)).json()
        assert report["marks_recorded"] == 2
        assert [(p["line"], p["field"]) for p in report["problems"]] == [
            (3, "code"), (4, "urn"), (5, "date"), (6, "session"), (7, "child_id"), (8, "upn"), (9, "date"),
        ]
        assert "H" in report["problems"][0]["reason"]


async def test_a_file_without_its_columns_or_not_text_is_refused_whole_and_records_nothing(pep_service, store):
    async with pep_service() as api:
        await a_child_at_home(api)
        missing = await send(api, csv_of(f",C1,{HOME},2026-10-19,/", header="upn,child_id,urn,date,code"))
        assert_problem(missing, 422, "file")
        assert "session" in missing.json()["detail"]
        not_text = await send(api, b"child_id,urn,date,session,code\r\nC1,118001,2026-10-19,am,\xff\xfe\r\n")
        assert_problem(not_text, 422, "file")
        empty = await send(api, b"")
        assert_problem(empty, 422, "file")
        wrong_type = await send(api, b"<xml/>", content_type="application/xml")
        assert_problem(wrong_type, 415, "Content-Type")
        not_json = await send(api, b"{", content_type="application/json")
        assert_problem(not_json, 422, "marks")
        assert await store.read_stream("attendance-C1") != []  # only the UPN
        assert all(e.event_type == "UniquePupilNumberRecorded" for e in await store.read_stream("attendance-C1"))


async def test_a_council_feed_in_json_is_taken_in_and_a_later_code_supersedes_with_both_kept(pep_service, store):
    async with pep_service() as api:
        await a_child_at_home(api)
        feed = {"marks": [{"child_id": "C1", "urn": HOME, "date": "2026-10-19", "session": "am", "code": "N"}]}
        answer = await api.client.post("/attendance/marks?source=council_feed", json=feed, headers=api.vso)
        assert answer.json()["marks_recorded"] == 1
        feed["marks"][0]["code"] = "I"
        assert (await api.client.post("/attendance/marks?source=council_feed", json=feed, headers=api.vso)).json()[
            "marks_recorded"
        ] == 1
        corrected = await api.client.post(
            "/children/C1/attendance/corrections",
            json={"urn": HOME, "date": "2026-10-19", "session": "am", "code": "M", "reason": "dentist, letter seen"},
            headers=api.vso,
        )
        assert corrected.status_code == 201, corrected.text
        types = [e.event_type for e in await store.read_stream("attendance-C1")]
        assert types == ["UniquePupilNumberRecorded", "AttendanceRecorded", "AttendanceRecorded", "AttendanceMarkCorrected"]
        await api.settle()
        view = await api.ok("GET", "/children/C1/attendance", api.vso)
        assert [(s["code"], s["kind"]) for s in view["sessions"]] == [("M", "authorised_absence")]


async def test_a_designated_teacher_sends_and_sees_only_their_own_schools_children(pep_service):
    async with pep_service() as api:
        await a_child_at_home(api)
        await api.looked_after_at("C2", AWAY, entered="2026-09-03", start="2026-09-03")
        await api.settle()
        teacher = api.designated_teacher(HOME)
        body = csv_of(f",C1,{HOME},2026-10-19,am,/", f",C2,{AWAY},2026-10-19,am,/", f",C1,{AWAY},2026-10-19,am,/")
        report = (await send(api, body, headers=teacher)).json()
        assert report["marks_recorded"] == 1
        assert [(p["line"], p["field"]) for p in report["problems"]] == [(3, "child_id"), (4, "urn")]
        await send(api, csv_of(f",C2,{AWAY},2026-10-19,am,N"))
        await api.settle()
        seen = await api.ok("GET", "/reports/attendance?academic_year=2026&by=school", teacher)
        assert [line["group"] for line in seen["items"]] == [HOME]
        assert (await api.client.get("/children/C2/attendance", headers=teacher)).status_code == 403
        other = await api.client.get(f"/reports/attendance?academic_year=2026&urn={AWAY}", headers=teacher)
        assert other.status_code == 403


async def test_a_pep_review_without_an_attendance_figure_takes_the_terms_figure_from_the_daily_marks(pep_service, helpers):
    async with pep_service() as api:
        await a_child_at_home(api)
        # 12 to 16 October 2026: 9 sessions present, 1 ill: 90.0%.
        lines = [f",C1,{HOME},2026-10-{day},{s},{'I' if (day, s) == (14, 'pm') else '/'}" for day in range(12, 17) for s in ("am", "pm")]
        assert (await send(api, csv_of(*lines))).json()["marks_recorded"] == 10
        await api.settle()
        await api.initiate("C1", "P1", 2026, "autumn", "2026-10-19")
        body = helpers.review_body("2026-10-20")
        del body["attendance"]
        await api.ok("POST", "/children/C1/peps/P1/review", api.designated_teacher(HOME), body)
        await api.settle()
        record = await api.ok("GET", "/children/C1", api.vso)
        [attendance] = record["attendance"]
        assert (attendance["percentage"], attendance["from_daily_marks"]) == ("90.0", True)
        assert (attendance["period_start"], attendance["period_end"]) == ("2026-09-03", "2026-10-20")
        # A figure the designated teacher gives is recorded as given.
        body = helpers.review_body("2026-10-21", attendance="92.5")
        await api.ok("POST", "/children/C1/peps/P1/review", api.designated_teacher(HOME), body)
        await api.settle()
        [attendance] = (await api.ok("GET", "/children/C1", api.vso))["attendance"]
        assert (attendance["percentage"], attendance["from_daily_marks"]) == ("92.5", False)


async def test_a_child_on_roll_at_a_school_that_sends_marks_but_unmarked_for_ten_school_days_is_alerted_once(pep_service, clock):
    from datetime import datetime, timezone

    async with pep_service() as api:
        await a_child_at_home(api)
        await api.looked_after_at("C2", HOME, entered="2026-09-03", start="2026-09-03")
        await api.settle()
        # Both marked to Friday 9 October; then only C2 until Monday 2 November (half-term between).
        await send(api, csv_of(*[f",C1,{HOME},2026-10-0{d},{s},/" for d in range(5, 10) for s in ("am", "pm")]))
        c2 = [f",C2,{HOME},2026-10-{d:02d},{s},/" for d in (5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23) for s in ("am", "pm")]
        await send(api, csv_of(*c2, f",C2,{HOME},2026-11-02,am,/"))
        await api.settle()
        clock.set(datetime(2026, 11, 2, 18, 0, tzinfo=timezone.utc))
        await api.app.state.scheduler.run_once()
        await api.app.state.scheduler.run_once()
        await api.settle()
        alerts = (await api.ok("GET", "/attendance/alerts?alert=possibly_missing_education", api.social_worker))["items"]
        assert [(a["child_id"], a["last_marked_on"], a["school_days_without_marks"]) for a in alerts] == [
            ("C1", "2026-10-09", 11)
        ]


async def test_an_erased_childs_codes_and_upn_leave_every_table_while_their_sessions_still_count(pep_service, store, pool):
    from shared.eventlog.records import NewEvent
    from shared.privacy.events import PersonalDataErased, privacy_stream
    from shared.testing.personal_data import where_held

    async with pep_service() as api:
        await a_child_at_home(api, upn="R987654321098")
        # R (religious observance) and I (illness) are special category data.
        await send(api, csv_of(f",C1,{HOME},2026-10-19,am,R", f",C1,{HOME},2026-10-19,pm,I", f",C1,{HOME},2026-10-20,am,/"))
        await api.settle()
        erasure = PersonalDataErased(subject="child:C1", erased_on=date(2026, 11, 2), rule="erasure_request", reason="Article 17 request")
        await store.append(
            privacy_stream("child:C1"),
            [NewEvent.from_event(erasure, default_effective_date=date(2026, 11, 2))],
            metadata={"actor": "dpo-tester", "role": "data_protection_officer"},
        )
        await pool.execute(
            "UPDATE eventlog.subject_keys SET wrapped_key = NULL, erased_at = now() WHERE subject = 'child:C1'"
        )
        await api.settle()
        assert await where_held(pool, ["R987654321098"], schemas=["pep"]) == []
        rows = await pool.fetch("SELECT kind, code FROM pep.attendance_sessions WHERE child_id = 'C1' ORDER BY on_date, session")
        assert [(row["kind"], row["code"]) for row in rows] == [
            ("authorised_absence", None), ("authorised_absence", None), ("present", None)
        ]
        report = await api.ok("GET", "/reports/attendance?academic_year=2026&term=autumn", api.vsh)
        assert report["virtual_school"]["possible_sessions"] == 3
        assert report["virtual_school"]["attendance_percent"] == "33.3"
        # Nothing personal can be recorded about the child again: their marks are refused line by
        # line, and the rest of the file is still taken in.
        await api.looked_after_at("C2", HOME, entered="2026-09-03", start="2026-09-03")
        await api.settle()
        later = (await send(api, csv_of(f",C1,{HOME},2026-10-21,am,/", f",C2,{HOME},2026-10-21,am,/"))).json()
        assert later["marks_recorded"] == 1
        assert [(p["line"], p["field"]) for p in later["problems"]] == [(2, "child_id")]
