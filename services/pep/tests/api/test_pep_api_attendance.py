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
            f",C1,11800,2026-10-20,am,/",
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
