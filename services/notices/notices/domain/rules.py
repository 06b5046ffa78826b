"""The rule book: which legal regime governs a notice, keyed by the date it takes effect. Data
only: the periods are counted in ``dates``.

domain.md section 4 marks the regime *configurable*: a notice is processed under the rules in
force on the day it is given (notices given before 18 April 2016 finish under the old rules), a
direction under those in force on the day it is given, a consultation on the day it starts.
The rule book is data passed into ``decide``; the defaults below are domain.md's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from .refusals import OutsideStatutoryPeriod


class CopyTo(StrEnum):
    """Who a warning notice is copied to, at the same time as it is given to the governing body.
    Some apply only to some schools (``recipients`` decides from the school's facts)."""

    HEADTEACHER = "headteacher"
    DIOCESAN_AUTHORITY = "diocesan_authority"
    """Of a Church of England or Roman Catholic school."""
    FOUNDATION_GOVERNORS_APPOINTER = "foundation_governors_appointer"
    """Of a foundation or voluntary school: whoever appoints its foundation governors."""
    OFSTED = "ofsted"
    """His Majesty's Chief Inspector."""
    SECRETARY_OF_STATE = "secretary_of_state"
    SECRETARY_OF_STATE_WHEN_DIRECTED = "secretary_of_state_when_directed"
    """The Secretary of State, for a notice the council gives on the Secretary of State's direction."""
    LOCAL_AUTHORITY = "local_authority"
    """The council that maintains the school (a Secretary of State's notice)."""


@dataclass(frozen=True)
class InterventionRules:
    """One regime of Part 4 of the Education and Inspections Act 2006."""

    key: str
    """Stored in events (``rules``) to say which regime a notice was given under."""
    title: str
    in_force_from: date
    fixed_compliance_period_working_days: int | None
    """Before 18 April 2016: 15 (the period ends on the 15th working day following the day the
    notice is given). Since then: ``None``, the notice itself sets the period."""
    representations_to_ofsted: bool
    representation_window_working_days: int
    """Working days after receipt of the notice in which representations may be made."""
    eligible_after_confirmation_working_days: int
    """A notice confirmed by Ofsted makes the school eligible this many working days after the
    confirmation."""
    powers_time_limit_months: int
    """s63, s64 and s66 must be used within this many months after the compliance period ends."""
    direction_response_working_days: int
    """The council answers a direction within this many working days beginning with its day."""
    directed_notice_working_days: int
    """Having agreed (or been directed) to give the notice, the council gives it within this many
    working days."""
    consultation_days: int
    """The normal length of a consultation before s63 or s65 is used (calendar days)."""
    copies_of_council_notice: tuple[CopyTo, ...]
    """Who the council copies its warning notice to."""
    secretary_of_state_gives_notices: bool
    """Whether the Secretary of State may give a warning notice to a maintained school."""
    copies_of_secretary_of_state_notice: tuple[CopyTo, ...]
    """Who the Secretary of State copies a warning notice to (empty where the Secretary of State
    gives none)."""


PART_4_IN_FORCE_FROM = date(2007, 4, 1)
"""The day Part 4 of the Education and Inspections Act 2006 (schools causing concern, the
warning notice of s60) came into force in England: 1 April 2007, by the Education and
Inspections Act 2006 (Commencement No. 3 and Savings) Order 2007, S.I. 2007/935, article 5.

What this relies on (legislation.gov.uk could not be read from here): its revised text of Part 4
gives the commencement "S. 59 in force at 1.4.2007 by S.I. 2007/935, art. 5(j)" and keeps a
point-in-time version of s60 dated 1 April 2007 (the first), and a written answer in Hansard
(Commons, 11 March 2009, "Schools: Warnings") says councils have copied warning notices to the
Chief Inspector "since April 2007 (when the Education and Inspections Act 2006 came into force)".
The article of the order that commenced s60 itself was not read; if it proves to be another day,
change this date (the rule book is data passed into ``decide``). Before it, warning notices were
given under s15 of the School Standards and Framework Act 1998, which this service does not
model: a notice, direction or consultation dated earlier is refused, naming the day."""

BEFORE_18_APRIL_2016 = InterventionRules(
    key="eia2006",
    title="Education and Inspections Act 2006, Part 4, before the Education and Adoption Act 2016",
    in_force_from=PART_4_IN_FORCE_FROM,
    fixed_compliance_period_working_days=15,
    representations_to_ofsted=True,
    representation_window_working_days=15,
    eligible_after_confirmation_working_days=15,
    powers_time_limit_months=2,
    direction_response_working_days=10,
    directed_notice_working_days=5,
    consultation_days=14,
    # s60(5) and (6) as enacted: the Chief Inspector, and the headteacher, the diocesan authority
    # and the foundation governors' appointer. The copy to the Secretary of State of a directed
    # notice is the council's practice (seed 003), kept as the service has always recorded it.
    copies_of_council_notice=(
        CopyTo.HEADTEACHER,
        CopyTo.DIOCESAN_AUTHORITY,
        CopyTo.FOUNDATION_GOVERNORS_APPOINTER,
        CopyTo.OFSTED,
        CopyTo.SECRETARY_OF_STATE_WHEN_DIRECTED,
    ),
    secretary_of_state_gives_notices=False,
    copies_of_secretary_of_state_notice=(),
)

COPIES_SINCE_18_APRIL_2016 = (
    CopyTo.HEADTEACHER,
    CopyTo.DIOCESAN_AUTHORITY,
    CopyTo.FOUNDATION_GOVERNORS_APPOINTER,
)
"""The copies s60(6) requires of every "relevant authority" (the council or the Secretary of
State) since the Education and Adoption Act 2016."""

# The Education and Adoption Act 2016, s2 (in force 18 April 2016), amended s60: the notice sets
# its own compliance period; the governing body no longer makes representations to Ofsted; the
# Secretary of State is also a "relevant authority" who may give a warning notice; a council told
# that the Secretary of State has given one may not give its own "unless or until the Secretary
# of State informs them that they may" (s60(4A)); a Secretary of State's notice makes any earlier
# council notice "cease to have effect from that time" (s60(4B)); subsection (5) is omitted and
# (6A) inserted, a copy rule for the council's own notices. Every other period stayed as it was.
#
# Uncertain, and so kept here as data a council can change: the text of s2 read for this
# (legislation.gov.uk, ukpga/2016/6/section/2, as quoted by a search index; the site itself could
# not be read) breaks off inside (6A). This rule set reads the omitted s60(5) as the copy to the
# Chief Inspector (Hansard, 11 March 2009, confirms a statutory duty since April 2007 to copy every
# notice to the Chief Inspector, and the explanatory notes to the 2006 Act put the other copies in
# (6)), (6A) as the council's copy to the Secretary of State, and the Secretary of State's own
# notice as copied to the council (the council must be "notified", s60(4A); the Welsh equivalent,
# School Standards and Organisation (Wales) Act 2013 s10(3), copies the local authority first).
# The DfE's "Support and intervention in schools" (2024) is the guidance to check it against.
FROM_18_APRIL_2016 = replace(
    BEFORE_18_APRIL_2016,
    key="eaa2016",
    title="Education and Inspections Act 2006, Part 4, as amended by the Education and Adoption Act 2016",
    in_force_from=date(2016, 4, 18),
    fixed_compliance_period_working_days=None,
    representations_to_ofsted=False,
    copies_of_council_notice=(*COPIES_SINCE_18_APRIL_2016, CopyTo.SECRETARY_OF_STATE),
    secretary_of_state_gives_notices=True,
    copies_of_secretary_of_state_notice=(*COPIES_SINCE_18_APRIL_2016, CopyTo.LOCAL_AUTHORITY),
)


@dataclass(frozen=True)
class RuleBook:
    """Regimes ordered by the date they came into force; one is in force on any given day."""

    rule_sets: tuple[InterventionRules, ...]
    _ordered: tuple[InterventionRules, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.rule_sets:
            raise ValueError("a rule book needs at least one rule set")
        ordered = tuple(sorted(self.rule_sets, key=lambda r: r.in_force_from))
        starts = [r.in_force_from for r in ordered]
        if len(set(starts)) != len(starts):
            raise ValueError("two rule sets come into force on the same day")
        keys = [r.key for r in ordered]
        if len(set(keys)) != len(keys):
            raise ValueError("two rule sets share a key")
        object.__setattr__(self, "_ordered", ordered)

    def in_force_on(self, day: date, field: str = "given_on") -> InterventionRules:
        """The regime in force on ``day``; a day before the first is refused naming ``field`` (the
        date the caller was given), with the Act and the day it came into force."""
        in_force = [r for r in self._ordered if r.in_force_from <= day]
        if not in_force:
            first = self._ordered[0]
            raise OutsideStatutoryPeriod(
                f"{day.isoformat()} is before the {first.title} came into force, on "
                f"{first.in_force_from.isoformat()}: the council's warning notices and powers of "
                "intervention are recorded from that day.",
                field=field,
            )
        return in_force[-1]


DEFAULT_RULE_BOOK = RuleBook((BEFORE_18_APRIL_2016, FROM_18_APRIL_2016))
