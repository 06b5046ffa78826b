"""The national attendance and absence codes, as data with the date each list came into force.

domain.md section 6. Every mark a school enters in its attendance register is one code, and each
code is of one kind, which is all the attendance measures need:

* ``present`` - at the school when the register was taken, or late before it closed;
* ``approved_educational_activity`` - attending a place other than the school for an approved
  educational activity (counted as attendance);
* ``authorised_absence`` / ``unauthorised_absence`` - absent, with or without the school's leave
  or another authorised reason;
* ``not_counted`` - not a possible session: the school was closed, the pupil could not attend for
  an exceptional reason, was not of compulsory school age and not required to attend, or not yet
  on roll.

Sources, each list as in force from its date:

* **19 August 2024** - The School Attendance (Pupil Registration) (England) Regulations 2024
  (SI 2024/208), regulation 10 and its tables (present, attending a place other than the school,
  leave of absence, absent for other authorised reasons, unauthorised, unable to attend due to
  exceptional circumstances, administrative codes), as set out in DfE *Working together to
  improve school attendance* (August 2024), "Recording attendance and absence". ``H``, ``J`` and
  ``Y`` of the earlier list are withdrawn; ``J1``, ``C1``, ``C2``, ``K``, ``Q`` and ``Y1``-``Y7``
  are new.
* **1 September 2013** - The Education (Pupil Registration) (England) Regulations 2006 as
  amended in 2013 (``F``, extended family holiday, withdrawn; ``H`` kept for holidays the head
  agreed in exceptional circumstances), as listed in DfE *School attendance* guidance (2016
  edition). The earlier history (``F``) is not held: no list is given before that date, and a
  mark dated before it is refused.

Two choices the regulations leave to statistics rather than the register, made here as DfE's
absence statistics make them (*Pupil absence statistics: methodology*), and stated so a council
can see them:

* ``D`` (attending another school at which the pupil is also registered) is ``not_counted``: the
  other school's register records that session, so counting it here too would count one session
  twice in the virtual school's "as if a single school" totals.
* ``X``, ``Q``, ``Y1``-``Y7``, ``Z`` and ``#`` are ``not_counted`` (not possible sessions).

A code's meaning here is a summary of the regulation's wording, not a quotation of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache

from shared.errors import InvalidInput


class AttendanceKind(StrEnum):
    PRESENT = "present"
    APPROVED_EDUCATIONAL_ACTIVITY = "approved_educational_activity"
    AUTHORISED_ABSENCE = "authorised_absence"
    UNAUTHORISED_ABSENCE = "unauthorised_absence"
    NOT_COUNTED = "not_counted"

    @property
    def possible(self) -> bool:
        """Whether a session of this kind is a possible session (counted in the rates)."""
        return self is not AttendanceKind.NOT_COUNTED

    @property
    def attended(self) -> bool:
        return self in (AttendanceKind.PRESENT, AttendanceKind.APPROVED_EDUCATIONAL_ACTIVITY)

    @property
    def absent(self) -> bool:
        return self in (AttendanceKind.AUTHORISED_ABSENCE, AttendanceKind.UNAUTHORISED_ABSENCE)


@dataclass(frozen=True)
class AttendanceCode:
    code: str
    kind: AttendanceKind
    meaning: str


@dataclass(frozen=True)
class CodeList:
    """The codes in force from ``effective_from`` until the next list, and where they come from."""

    effective_from: date
    source: str
    codes: tuple[AttendanceCode, ...]

    def by_code(self) -> dict[str, AttendanceCode]:
        return _by_code(self)


@cache
def _by_code(code_list: CodeList) -> dict[str, AttendanceCode]:
    return {code.code: code for code in code_list.codes}


P = AttendanceKind.PRESENT
A = AttendanceKind.APPROVED_EDUCATIONAL_ACTIVITY
AUTH = AttendanceKind.AUTHORISED_ABSENCE
UNAUTH = AttendanceKind.UNAUTHORISED_ABSENCE
NC = AttendanceKind.NOT_COUNTED

REGULATIONS_2024 = CodeList(
    effective_from=date(2024, 8, 19),
    source="The School Attendance (Pupil Registration) (England) Regulations 2024, regulation 10",
    codes=(
        AttendanceCode("/", P, "present at the school when the morning register began"),
        AttendanceCode("\\", P, "present at the school when the afternoon register began"),
        AttendanceCode("L", P, "arrived late, before the register closed"),
        AttendanceCode("K", A, "attending education provision arranged by the local authority"),
        AttendanceCode("V", A, "attending an educational visit or trip arranged by the school"),
        AttendanceCode("P", A, "participating in an approved sporting activity"),
        AttendanceCode("W", A, "attending work experience"),
        AttendanceCode("B", A, "attending any other approved educational activity"),
        AttendanceCode("D", NC, "attending another school at which the pupil is also registered"),
        AttendanceCode("C1", AUTH, "leave of absence for a regulated performance or employment abroad"),
        AttendanceCode("M", AUTH, "leave of absence for a medical or dental appointment"),
        AttendanceCode("J1", AUTH, "leave of absence for an interview for employment or education"),
        AttendanceCode("S", AUTH, "leave of absence for study leave"),
        AttendanceCode("X", NC, "not of compulsory school age and not required to attend"),
        AttendanceCode("C2", AUTH, "leave of absence under a temporary part-time timetable"),
        AttendanceCode("C", AUTH, "leave of absence for exceptional circumstances"),
        AttendanceCode("T", AUTH, "absent while travelling, the parent's trade or business requiring it"),
        AttendanceCode("R", AUTH, "absent on a day set apart for religious observance"),
        AttendanceCode("I", AUTH, "absent because of illness"),
        AttendanceCode("E", AUTH, "suspended or permanently excluded, with no alternative provision"),
        AttendanceCode("Q", NC, "unable to attend because of a lack of access arrangements"),
        AttendanceCode("Y1", NC, "unable to attend: transport the local authority must provide not available"),
        AttendanceCode("Y2", NC, "unable to attend: widespread disruption to travel"),
        AttendanceCode("Y3", NC, "unable to attend: part of the school premises closed"),
        AttendanceCode("Y4", NC, "unable to attend: the whole school unexpectedly closed"),
        AttendanceCode("Y5", NC, "unable to attend: in criminal justice detention"),
        AttendanceCode("Y6", NC, "unable to attend: public health guidance or law"),
        AttendanceCode("Y7", NC, "unable to attend: any other unavoidable cause"),
        AttendanceCode("G", UNAUTH, "absent on a holiday the school did not grant"),
        AttendanceCode("N", UNAUTH, "absent, the reason not yet provided"),
        AttendanceCode("O", UNAUTH, "absent in other or unknown circumstances"),
        AttendanceCode("U", UNAUTH, "arrived after the register closed"),
        AttendanceCode("Z", NC, "prospective pupil, not yet on the admission register"),
        AttendanceCode("#", NC, "planned whole or partial school closure"),
    ),
)

REGULATIONS_2006_AS_AMENDED_2013 = CodeList(
    effective_from=date(2013, 9, 1),
    source="The Education (Pupil Registration) (England) Regulations 2006, as amended in 2013",
    codes=(
        AttendanceCode("/", P, "present (morning)"),
        AttendanceCode("\\", P, "present (afternoon)"),
        AttendanceCode("L", P, "late, before the register closed"),
        AttendanceCode("B", A, "educated off site (not dual registration)"),
        AttendanceCode("D", NC, "dual registered: at another school or a pupil referral unit"),
        AttendanceCode("J", A, "at an interview with a prospective employer or educational establishment"),
        AttendanceCode("P", A, "participating in a supervised sporting activity"),
        AttendanceCode("V", A, "on an educational visit or trip"),
        AttendanceCode("W", A, "on work experience"),
        AttendanceCode("C", AUTH, "leave of absence authorised for other exceptional circumstances"),
        AttendanceCode("E", AUTH, "excluded, no alternative provision made"),
        AttendanceCode("H", AUTH, "holiday authorised by the school in exceptional circumstances"),
        AttendanceCode("I", AUTH, "illness"),
        AttendanceCode("M", AUTH, "medical or dental appointment"),
        AttendanceCode("R", AUTH, "religious observance"),
        AttendanceCode("S", AUTH, "study leave"),
        AttendanceCode("T", AUTH, "Traveller absence"),
        AttendanceCode("G", UNAUTH, "holiday not authorised by the school, or beyond what was agreed"),
        AttendanceCode("N", UNAUTH, "no reason yet provided for the absence"),
        AttendanceCode("O", UNAUTH, "absent in other or unknown circumstances"),
        AttendanceCode("U", UNAUTH, "arrived in school after the register closed"),
        AttendanceCode("X", NC, "not required to be in school (non-compulsory school age)"),
        AttendanceCode("Y", NC, "unable to attend due to exceptional circumstances"),
        AttendanceCode("Z", NC, "pupil not on admission register"),
        AttendanceCode("#", NC, "planned whole or partial school closure"),
    ),
)

CODE_LISTS: tuple[CodeList, ...] = (REGULATIONS_2006_AS_AMENDED_2013, REGULATIONS_2024)


def code_list_in_force_on(day: date) -> CodeList:
    """The list of codes a register dated ``day`` is kept in."""
    for code_list in reversed(CODE_LISTS):
        if code_list.effective_from <= day:
            return code_list
    raise InvalidInput(
        f"no national attendance codes are held for {day}: the earliest list held is in force from "
        f"{CODE_LISTS[0].effective_from}",
        field="date",
    )


def code_on(code: str, day: date) -> AttendanceCode:
    """The code as the list in force on ``day`` defines it; refused when that list has no such code."""
    code_list = code_list_in_force_on(day)
    found = code_list.by_code().get(code)
    if found is None:
        raise InvalidInput(
            f"{code!r} is not a national attendance or absence code on {day} ({code_list.source})",
            field="code",
        )
    return found
