"""Children's daily attendance: schools' files and council feeds of marks, corrections, a child's
UPN, a child's attendance and absence, the national codes, the attendance reports and alerts."""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import AsyncIterator, Iterable
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse

from shared.csv_cells import CSV_MEDIA_TYPE, Figure, csv_table
from shared.errors import Conflict, DomainError, InvalidInput, NotFound
from shared.security.data_scope import designated_teacher_urn, ensure_designated_teacher_scope
from shared.security.principal import Principal
from shared.urn import UrnQuery
from shared.web.audit import record_child_read
from shared.web.context import ContextDep, UnversionedContextDep
from shared.web.paging import single_page

from pep import access
from pep.domain import attendance as rules
from pep.domain.attendance import AttendanceSource, GivenMark
from pep.domain.attendance_codes import CODE_LISTS, code_list_in_force_on
from pep.domain.attendance_intake import IntakeLine, LineProblem, csv_lines, json_items
from pep.domain.attendance_reports import (
    AbsenceLine,
    PeriodMeasures,
    ReportGrouping,
    absence_report,
    period_measures,
    rolling_measures,
    weekly_measures,
)
from pep.domain.terms import Season, SchoolCalendar, academic_year_of, term
from pep.handlers import attendance as handlers
from pep.handlers.scope import child_in_scope
from pep.queries import attendance as queries
from pep.wiring import PepDep

from .answers import answer, nothing_new
from .schemas.attendance import (
    CSV_RESPONSE,
    AbsenceReportPublic,
    AttendanceAlertsPublic,
    AttendanceCodesPublic,
    AttendanceCorrectionCreate,
    AttendanceIntakePublic,
    ChildAttendancePublic,
    Format,
    MeasuresPublic,
    UpnCreate,
)
from .schemas.commands import CommandResultPublic
from .schemas.identifiers import ChildId

router = APIRouter(tags=["attendance"])

CSV_TYPES = frozenset({"text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"})
JSON_TYPES = frozenset({"application/json"})
# A school's export is UTF-8 unless it says otherwise; older management information systems
# write Windows-1252, and say so in the charset.
CHARSETS = {"utf-8": "utf-8-sig", "utf8": "utf-8-sig", "windows-1252": "cp1252", "cp1252": "cp1252",
            "iso-8859-1": "latin-1", "latin-1": "latin-1"}


# A feed's request is within the service's request size limit; this many marks is well above what
# fits in it, and is what the document promises.
MAX_JSON_MARKS = 20_000


class UnsupportedMediaType(DomainError):
    status = 415
    title = "Unsupported media type"


EXAMPLE_CSV = (
    "upn,child_id,urn,date,session,code\r\n"
    "A123456789012,,118000,2026-09-14,am,/\r\n"
    ",C000001,118000,2026-09-14,pm,N\r\n"
)
_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string", "maxLength": 1_048_576}, "example": EXAMPLE_CSV},
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["marks"],
                    "properties": {
                        "marks": {
                            "type": "array",
                            "maxItems": MAX_JSON_MARKS,
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "properties": {
                                    name: {"type": "string", "maxLength": 64}
                                    for name in ("child_id", "upn", "urn", "date", "session", "code")
                                },
                            },
                        }
                    },
                },
                "example": {
                    "marks": [{"child_id": "C000001", "urn": "118000", "date": "2026-09-14", "session": "am", "code": "/"}]
                },
            },
        },
    }
}


@router.post(
    "/attendance/marks",
    response_model=AttendanceIntakePublic,
    summary="Take in a school's file or a council feed of attendance marks",
    openapi_extra=_BODY,
)
async def send_marks(
    request: Request,
    principal: Annotated[Principal, Depends(access.SEND_ATTENDANCE)],
    ctx: UnversionedContextDep,
    pep: PepDep,
    source: Annotated[
        AttendanceSource, Query(description="school_file (a school's export) or council_feed (a daily feed)")
    ] = AttendanceSource.SCHOOL_FILE,
) -> AttendanceIntakePublic:
    """One mark per CSV line (``upn`` or ``child_id``, ``urn``, ``date``, ``session``, ``code``)
    or per item of ``{"marks": [...]}``. The same mark again records nothing; a different code
    for a session already marked at that school replaces it (both stay in the log). Lines that
    cannot be taken are listed with their line number, field and reason; the others are taken in.
    A designated teacher sends marks for their own school's children only."""
    if source is AttendanceSource.CORRECTION:
        raise InvalidInput("corrections are made one session at a time, with a reason", field="source")
    lines = await _intake_lines(request)
    report = await handlers.import_marks(pep, ctx, lines, source)
    return AttendanceIntakePublic(
        lines_read=report.lines_read,
        marks_recorded=report.marks_recorded,
        marks_unchanged=report.marks_unchanged,
        children=len(report.children),
        events_recorded=report.events_recorded,
        alerts_raised=report.alerts_raised,
        problems_found=report.problems_found,
        problems=[{"line": p.line, "field": p.field, "reason": p.reason} for p in report.problems],
    )


async def _intake_lines(request: Request) -> AsyncIterator[IntakeLine | LineProblem]:
    """The body's lines, read as marks. The body is within the service's request size limit, so
    it is decoded whole first: a file that is not text in its charset is refused before anything
    is recorded. Its lines are then read one at a time and taken in a batch at a time."""
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in CSV_TYPES | JSON_TYPES:
        raise UnsupportedMediaType(
            "send the marks as text/csv, or as application/json {\"marks\": [...]}", field="Content-Type"
        )
    body = await request.body()
    if not body:
        raise InvalidInput("the file is empty", field="file")
    charset = _charset(content_type)
    try:
        text = codecs.decode(body, CHARSETS[charset]) if media_type in CSV_TYPES else body.decode("utf-8-sig")
    except UnicodeDecodeError:
        name = "UTF-8" if media_type in JSON_TYPES else charset
        raise InvalidInput(
            f"the file is not {name} text: save it as UTF-8, or name its charset in Content-Type", field="file"
        ) from None
    del body
    if media_type in JSON_TYPES:
        try:
            items = json.loads(text)
        except ValueError:
            raise InvalidInput("the body is not JSON", field="marks") from None
        if isinstance(items, dict) and isinstance(items.get("marks"), list) and len(items["marks"]) > MAX_JSON_MARKS:
            raise InvalidInput(f"send at most {MAX_JSON_MARKS} marks in one request", field="marks")
        read: Iterable[IntakeLine | LineProblem] = json_items(items)
    else:
        read = csv_lines(io.StringIO(text, newline=""))
    # Whole-file problems (no header, a column missing) are raised by the first line read, before
    # anything is recorded.
    iterator = iter(read)
    first = next(iterator, None)

    async def lines() -> AsyncIterator[IntakeLine | LineProblem]:
        if first is not None:
            yield first
        for line in iterator:
            yield line

    return lines()


def _charset(content_type: str) -> str:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
            if charset not in CHARSETS:
                raise UnsupportedMediaType(
                    f"the charset {charset!r} is not read: send UTF-8 or Windows-1252", field="Content-Type"
                )
            return charset
    return "utf-8"


@router.post(
    "/children/{child_id}/attendance/corrections",
    response_model=CommandResultPublic,
    status_code=201,
    responses=nothing_new(),
    summary="Correct the mark of one session",
)
async def correct_mark(
    principal: Annotated[Principal, Depends(access.SEND_ATTENDANCE)],
    child_id: ChildId,
    body: AttendanceCorrectionCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    """The corrected code replaces the session's mark at that school; the earlier mark, the
    correction and its reason all stay in the child's history."""
    await child_in_scope(pep, principal, child_id, ctx.today)
    if designated_teacher_urn(principal) not in (None, body.urn):
        raise InvalidInput("a designated teacher corrects their own school's marks", field="urn")
    mark = GivenMark(on=body.date, session=body.session, code=body.code.strip().upper())
    outcome = await handlers.correct_mark(pep, ctx, child_id, body.urn, mark, body.reason)
    return answer(outcome, response, created=True)


@router.post(
    "/children/{child_id}/unique-pupil-number",
    response_model=CommandResultPublic,
    status_code=201,
    responses=nothing_new(),
    summary="Record the child's unique pupil number (UPN), so schools' marks can name them by it",
)
async def record_upn(
    principal: Annotated[Principal, Depends(access.RECORD_UPN)],
    child_id: ChildId,
    body: UpnCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    if not (await pep.child(child_id)).state.is_known:
        raise NotFound(f"no child with id {child_id!r}", field="child_id")
    upn = rules.check_upn(body.upn)
    others = [other for other in await queries.children_with_upn(pep.pool, upn) if other != child_id]
    if others:
        raise Conflict("another child is recorded with this UPN: correct that child's first", field="upn")
    return answer(await handlers.record_upn(pep, ctx, child_id, upn), response, created=True)


@router.get(
    "/children/{child_id}/attendance",
    response_model=ChildAttendancePublic,
    summary="A child's attendance and absence: each term, the year, the rolling weeks, each week",
)
async def child_attendance(
    request: Request,
    principal: Annotated[Principal, Depends(access.READ_CHILD)],
    child_id: ChildId,
    pep: PepDep,
    academic_year: Annotated[
        int | None, Query(ge=2000, le=2100, description="2026 is 2026/27; this academic year when left out")
    ] = None,
) -> ChildAttendancePublic:
    today = pep.today()
    child = await child_in_scope(pep, principal, child_id, today)
    if not child.state.is_known:
        raise NotFound(f"no child with id {child_id!r}", field="child_id")
    config = await pep.config()
    calendar, policies = config.school_calendar(), config.attendance_policies()
    year = academic_year if academic_year is not None else academic_year_of(today)
    state, upn = await queries.child_attendance(pep.pool, child_id)
    first, last = _year_dates(calendar, year)
    terms = []
    for season in Season:
        dates = calendar.term_dates(term(year, season))
        measures = period_measures(state, dates.start, dates.end, policies.in_force_on(dates.end))
        terms.append({**_measures(measures), "term": term(year, season).key})
    policy = policies.in_force_on(min(today, last))
    rolling = rolling_measures(state, policy)
    # Recorded as a read of the child's record; no ETag, as the answer is drawn from the
    # attendance read model rather than one stream's version.
    await record_child_read(request, child_id)
    return ChildAttendancePublic.model_validate(
        {
            "child_id": child_id,
            "upn": upn,
            "academic_year": year,
            "terms": terms,
            "year": _measures(period_measures(state, first, last, policy)),
            "rolling": _measures(rolling) if rolling is not None else None,
            "weeks": [_measures(week) for week in weekly_measures(state, first, last, policy)],
            "sessions": [
                {"date": on, "session": session, "urn": urn, "kind": mark.kind.value, "code": mark.code}
                for (on, session, urn), mark in sorted(state.marks.items())
                if first <= on <= last
            ],
        }
    )


def _year_dates(calendar: SchoolCalendar, academic_year: int) -> tuple[date, date]:
    return (
        calendar.term_dates(term(academic_year, Season.AUTUMN)).start,
        calendar.term_dates(term(academic_year, Season.SUMMER)).end,
    )


def _measures(measures: PeriodMeasures) -> dict[str, Any]:
    counts = measures.counts
    return MeasuresPublic(
        first_day=measures.first_day,
        last_day=measures.last_day,
        possible_sessions=counts.possible,
        attended_sessions=counts.attended,
        authorised_absence_sessions=counts.authorised_absence,
        unauthorised_absence_sessions=counts.unauthorised_absence,
        not_counted_sessions=counts.not_counted,
        attendance_percent=counts.attendance_percent(),
        absence_percent=counts.absence_percent(),
        persistently_absent=measures.persistently_absent,
        severely_absent=measures.severely_absent,
    ).model_dump()


@router.get("/attendance/codes", response_model=AttendanceCodesPublic, summary="The national attendance codes")
async def codes(
    principal: Annotated[Principal, Depends(access.READ_COUNCIL_SETTINGS)], pep: PepDep
) -> AttendanceCodesPublic:
    """Each list of national attendance and absence codes with the date it came into force, and
    each code's kind (what the attendance measures count it as) and meaning."""
    return AttendanceCodesPublic.model_validate(
        {
            "lists": [
                {
                    "effective_from": code_list.effective_from,
                    "source": code_list.source,
                    "codes": [{"code": c.code, "kind": c.kind.value, "meaning": c.meaning} for c in code_list.codes],
                }
                for code_list in CODE_LISTS
            ],
            "in_force_today": code_list_in_force_on(pep.today()).effective_from,
        }
    )


REPORT_COLUMNS = (
    "group", "children", "possible_sessions", "attended_sessions", "authorised_absence_sessions",
    "unauthorised_absence_sessions", "attendance_percent", "absence_percent", "persistently_absent_children",
    "severely_absent_children",
)


@router.get(
    "/reports/attendance",
    response_model=AbsenceReportPublic,
    responses=CSV_RESPONSE,
    summary="Attendance and absence by child, school or year group, for a term or a year",
)
async def attendance_report(
    principal: Annotated[Principal, Depends(access.READ_SCHOOL_ROLL)],
    pep: PepDep,
    academic_year: Annotated[int, Query(ge=2000, le=2100, description="2026 is 2026/27")],
    term_season: Annotated[Season | None, Query(alias="term", description="a term; the whole year when left out")] = None,
    by: ReportGrouping = ReportGrouping.CHILD,
    urn: UrnQuery = None,
    format: Format = "json",
) -> Any:
    """Each line counts the group's sessions by kind and its children persistently and severely
    absent (by each child's own sessions in the group); ``virtual_school`` counts every child at
    every school together, as if a single school. A designated teacher sees their own school."""
    own = designated_teacher_urn(principal)
    if own is not None:
        if urn not in (None, own):
            ensure_designated_teacher_scope(principal, None)
        urn = own
    config = await pep.config()
    calendar = config.school_calendar()
    if term_season is None:
        first, last = _year_dates(calendar, academic_year)
    else:
        dates = calendar.term_dates(term(academic_year, term_season))
        first, last = dates.start, dates.end
    policy = config.attendance_policies().in_force_on(last)
    lines, total = absence_report(await queries.sessions_by_child(pep.pool, first, last, urn), by, policy)
    if format == "csv":
        label = f"{academic_year}-{term_season.value}" if term_season else str(academic_year)
        return PlainTextResponse(
            csv_table(REPORT_COLUMNS, [_csv_line(line) for line in [*lines, total]]),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="attendance-by-{by.value}-{label}.csv"'},
        )
    return AbsenceReportPublic.model_validate(
        {
            "first_day": first,
            "last_day": last,
            "by": by.value,
            "virtual_school": _line(total),
            **single_page(_line(line) for line in lines),
        }
    )


def _line(line: AbsenceLine) -> dict[str, Any]:
    return {name: getattr(line, name) for name in REPORT_COLUMNS}


def _csv_line(line: AbsenceLine) -> list:
    # Figures the service worked out stay numbers in the spreadsheet; the group is text (a child's
    # id or a URN), defused by the writer.
    return [
        line.group,
        *(getattr(line, name) for name in REPORT_COLUMNS[1:6]),
        Figure(str(line.attendance_percent)) if line.attendance_percent is not None else None,
        Figure(str(line.absence_percent)) if line.absence_percent is not None else None,
        line.persistently_absent_children,
        line.severely_absent_children,
    ]


@router.get("/attendance/alerts", response_model=AttendanceAlertsPublic, summary="Attendance alerts raised")
async def attendance_alerts(
    principal: Annotated[Principal, Depends(access.READ_ATTENDANCE_ALERTS)],
    pep: PepDep,
    raised_from: date | None = None,
    raised_to: date | None = None,
    urn: UrnQuery = None,
    child_id: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")] = None,
    alert: Annotated[
        str | None,
        Query(
            pattern=r"^(persistent_absence|severe_absence|unexplained_absences_in_a_row|possibly_missing_education)$"
        ),
    ] = None,
) -> AttendanceAlertsPublic:
    """Persistent or severe absence crossed (for a term or the rolling weeks), unexplained absences
    in a row, and children on roll with no marks (possibly missing education), newest first."""
    rows = await queries.attendance_alerts(
        pep.pool, raised_from=raised_from, raised_to=raised_to, urn=urn, child_id=child_id, alert=alert
    )
    return AttendanceAlertsPublic.model_validate(
        {"raised_from": raised_from, "raised_to": raised_to, **single_page(rows)}
    )


@router.get(
    "/reports/attendance-thresholds-this-week",
    response_model=AttendanceAlertsPublic,
    summary="Children who crossed the persistent or severe absence threshold this week",
)
async def thresholds_this_week(
    principal: Annotated[Principal, Depends(access.READ_ATTENDANCE_ALERTS)],
    pep: PepDep,
    week_of: Annotated[date | None, Query(description="any day of the week; this week when left out")] = None,
    urn: UrnQuery = None,
) -> AttendanceAlertsPublic:
    monday = rules.week_of(week_of or pep.today())
    sunday = monday + timedelta(days=6)
    rows = await queries.attendance_alerts(
        pep.pool, raised_from=monday, raised_to=sunday, urn=urn, child_id=None, alert=None
    )
    crossed = [row for row in rows if row["alert"] in ("persistent_absence", "severe_absence")]
    return AttendanceAlertsPublic.model_validate({"raised_from": monday, "raised_to": sunday, **single_page(crossed)})
