"""The story of a council, written from a seed: what its officers record, day by day.

The story is told in the order the services would hear it. Before the first year: the council's
term dates, its register of schools with each school's last inspection before the record starts,
the council's categorisation of each, and the virtual school's PP+ rate and devolution policy.
Then, academic year by academic year:

- schools are inspected on the framework in force on the day (before September 2012, the
  September 2012 framework with key judgements from September 2019, September 2024, the report
  cards from 10 November 2025), recategorised when the judgement moves them, their progress
  reviews held and their advisers' visits recorded;
- a maintained school found stuck below good is given a warning notice, which runs through its
  stages: drafted, given, the compliance period ended (by the service's own deadline job), judged;
  not complied with, a notice of intention, a consultation and the use of a power under s63;
- children enter care, are placed at a school (some wait for a place), move school (and from
  primary to secondary), have a PEP each term with SMART targets, a review of attendance,
  exclusions, attainment and the progress made on the last PEP's targets, and leave care;
- PP+: the grant each financial year, requests against a completed PEP's targets, the panel's
  decisions (approved, part-approved, refused, or more information asked for first) and a
  payment run at the end of each term, paid by finance a week later.

Nothing here calls a service: the story is a sequence of ``Call`` values (steps.py), the same for
the same seed, size and last day. ``running.py`` makes the calls.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from shared.calendar import add_working_days, is_working_day
from shared.council_calendar import academic_year_of

from .sizes import Size
from .steps import Call, Minted, Officer

COUNCIL = "Wessex County Council"
LA_CODE = "940"

# -- the officers ---------------------------------------------------------------------------------

PRINCIPAL_ADVISER = Officer("principal_adviser", "pa.okafor")
SECOND_PRINCIPAL_ADVISER = Officer("principal_adviser", "pa.wright")  # approves what another proposed
ADVISERS = tuple(Officer("school_improvement_adviser", f"sia.{name}") for name in ("khan", "brooks", "evans"))
VIRTUAL_SCHOOL_HEAD = Officer("virtual_school_head", "vsh.fenton")
VIRTUAL_SCHOOL_OFFICER = Officer("virtual_school_officer", "vso.patel")
FINANCE_OFFICER = Officer("finance_officer", "fo.raj")
SOCIAL_WORKERS = tuple(Officer("social_worker", f"sw.{name}") for name in ("shah", "jones", "obi", "price"))
PANEL = ["Claire Fenton, Virtual School Head", "Raj Patel, finance business partner",
         "Dr Sue Adams, educational psychologist"]


def designated_teacher(urn: str) -> Officer:
    return Officer("designated_teacher", f"dt.{urn}", urn)


# -- names ----------------------------------------------------------------------------------------

PLACES = (
    "Ashby", "Beechwood", "Brookfield", "Castle Hill", "Chalkdown", "Elmhurst", "Fairfield", "Greenway",
    "Hartley", "Hollybank", "Kingsmead", "Larkrise", "Longford", "Meadowbank", "Millbrook", "Northgate",
    "Oakfield", "Orchard", "Parkside", "Queensway", "Riverside", "Rosehill", "St Leonard's", "Southfields",
    "Stoneleigh", "Thornbury", "Upton", "Westbury", "Whitecross", "Willowdene", "Woodlands", "Yewtree",
)
FIRST_NAMES = (
    "Aaliyah", "Alfie", "Amelia", "Archie", "Ava", "Bella", "Charlie", "Chloe", "Daniel", "Ella", "Ethan",
    "Evie", "Freddie", "George", "Grace", "Harry", "Isla", "Jack", "Jacob", "Kai", "Layla", "Leo", "Lily",
    "Logan", "Maya", "Mia", "Mohammed", "Noah", "Olivia", "Oscar", "Poppy", "Riley", "Ruby", "Sofia",
    "Theo", "Tyler", "Zara", "Zoe",
)
SURNAMES = (
    "Ahmed", "Baker", "Brown", "Campbell", "Clarke", "Davies", "Edwards", "Evans", "Green", "Hall",
    "Hughes", "Hussain", "Jackson", "Johnson", "Khan", "Lewis", "Martin", "Mensah", "Morris", "Nowak",
    "Patel", "Roberts", "Robinson", "Smith", "Taylor", "Thomas", "Thompson", "Walker", "White", "Wilson",
    "Wood", "Wright",
)

# -- schools --------------------------------------------------------------------------------------

MAINTAINED = frozenset({
    "community", "foundation", "voluntary_aided", "voluntary_controlled", "community_special",
    "foundation_special", "la_nursery", "pupil_referral_unit",
})
# (phase, share of schools, [(establishment type, share)]) - roughly England's mix.
SCHOOL_MIX = (
    ("primary", 74, (("community", 30), ("voluntary_controlled", 12), ("voluntary_aided", 12),
                     ("foundation", 4), ("academy_converter", 30), ("academy_sponsor_led", 9),
                     ("free_school", 3))),
    ("secondary", 16, (("community", 8), ("foundation", 6), ("voluntary_aided", 6),
                       ("academy_converter", 55), ("academy_sponsor_led", 20), ("free_school", 5))),
    ("special", 5, (("community_special", 55), ("foundation_special", 5), ("academy_special_converter", 30),
                    ("free_school_special", 10))),
    ("nursery", 2, (("la_nursery", 100),)),
    ("pupil_referral_unit", 2, (("pupil_referral_unit", 60),
                                ("academy_alternative_provision_converter", 40))),
    ("all_through", 1, (("academy_converter", 70), ("free_school", 30))),
)
PHASE_WORDS = {"primary": "Primary School", "secondary": "Academy", "special": "Special School",
               "nursery": "Nursery School", "pupil_referral_unit": "Short Stay School",
               "all_through": "All-Through School"}
DIOCESES = {"Church of England": "Diocese of Salisbury", "Roman Catholic": "Diocese of Clifton"}
CHURCH_TYPES = frozenset({"voluntary_aided", "voluntary_controlled"})
FOUNDATION_OR_VOLUNTARY = frozenset({"foundation", "foundation_special", "voluntary_aided", "voluntary_controlled"})

# The council's categories for an inspection's level (1 best, 4 a category of concern).
COUNCIL_CATEGORY = {1: "outstanding", 2: "good", 3: "requires_improvement", 4: "ofsted_category"}
FOUR_POINT = {1: "outstanding", 2: "good", 3: "requires_improvement", 4: "inadequate"}
UNTIL_2012 = {1: "outstanding", 2: "good", 3: "satisfactory", 4: "inadequate"}
KEY_JUDGEMENTS = ("quality_of_education", "behaviour_and_attitudes", "personal_development",
                  "leadership_and_management")
REPORT_CARD_AREAS = ("inclusion", "curriculum_and_teaching", "achievement", "attendance_and_behaviour",
                     "personal_development_and_wellbeing", "leadership_and_governance")
# A report card's areas for each level: mostly one grade, one area a step either side.
REPORT_CARD_GRADES = {1: ("exceptional", "strong_standard"), 2: ("strong_standard", "expected_standard"),
                      3: ("expected_standard", "needs_attention"), 4: ("needs_attention", "urgent_improvement")}


@dataclass
class School:
    urn: str
    name: str
    establishment_type: str
    phase: str
    level: int  # the latest graded judgement's level
    graded_on: date  # the latest graded inspection
    category: str | None = None  # the council's, once categorised
    religious_character: str | None = None
    below_good_in_a_row: int = 0
    notice_until: date | None = None  # a warning notice runs until then: none given meanwhile

    @property
    def maintained(self) -> bool:
        return self.establishment_type in MAINTAINED


# -- children -------------------------------------------------------------------------------------

YEAR_GROUPS = ("reception", *(f"year_{n}" for n in range(1, 14)))
LEGAL_STATUSES = (("full_care_order", 55), ("interim_care_order", 15), ("accommodated_section_20", 20),
                  ("placement_order", 8), ("other", 2))
LEFT_CARE_REASONS = (("returned_home", 40), ("special_guardianship_order", 20), ("adopted", 15),
                     ("child_arrangements_order", 10), ("transferred_to_another_authority", 10), ("other", 5))
SUBJECTS = (("Reading", "Reading age {a} years", "Reading age {b} years"),
            ("Mathematics", "Working at year {a} standard", "Working at year {b} standard"),
            ("Writing", "Writes {a} sentences independently", "Writes {b} sentences independently"),
            ("Attendance", "Attending {a}0% of sessions", "Attending {b}0% of sessions"))
INTERVENTIONS = (("tutoring", "One-to-one tuition with a qualified teacher, weekly for the term"),
                 ("literacy", "A reading recovery programme, three sessions a week"),
                 ("numeracy", "Small-group mathematics catch-up, twice a week"),
                 ("mentoring", "A learning mentor, one session a week"),
                 ("social_emotional_and_mental_health", "Play therapy, six sessions"))


@dataclass
class Spell:
    urn: str
    starts: date


@dataclass
class Child:
    child_id: str
    entered: date
    leaves: date | None
    leave_reason: str
    year_index: int  # its year group at entering care, an index of YEAR_GROUPS
    entered_year: int  # the academic year it entered care in
    spells: list[Spell] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)  # targets of its last completed PEP
    peps: int = 0
    ehc_plan: bool = False

    def in_care_on(self, day: date) -> bool:
        return self.entered <= day and (self.leaves is None or day < self.leaves)

    def year_group_on(self, day: date) -> int:
        return self.year_index + academic_year_of(day) - self.entered_year

    def school_on(self, day: date) -> str | None:
        current = None
        for spell in self.spells:
            if spell.starts <= day:
                current = spell.urn
        return current

    def stays_from(self, start: date, end: date) -> bool:
        """In care and at one school from ``start`` to ``end``."""
        return (self.in_care_on(start) and self.in_care_on(end)
                and self.school_on(start) is not None and self.school_on(start) == self.school_on(end)
                and not any(start < spell.starts <= end for spell in self.spells))


# -- term dates -----------------------------------------------------------------------------------


def _weekday_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _friday_on_or_before(day: date) -> date:
    while day.weekday() != 4:
        day -= timedelta(days=1)
    return day


def _monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def term_dates(academic_year: int) -> dict[str, dict[str, str]]:
    """A year of term dates in the usual English pattern: autumn from early September with a
    half-term in the last week of October, spring from early January with a half-term in mid
    February, summer from mid April with a half-term in the week of the late May bank holiday."""
    y, n = academic_year, academic_year + 1
    october_31 = date(y, 10, 31)
    autumn_half = _monday_of(october_31 - timedelta(days=4))
    late_may = max(d for d in (date(n, 5, 31) - timedelta(days=k) for k in range(7)) if d.weekday() == 0)
    terms = {
        "autumn": (_weekday_on_or_after(date(y, 9, 3)), autumn_half, _friday_on_or_before(date(y, 12, 20))),
        "spring": (_weekday_on_or_after(date(n, 1, 5)), _monday_of(date(n, 2, 14)),
                   _friday_on_or_before(date(n, 3, 29))),
        "summer": (_weekday_on_or_after(_monday_on_or_after(date(n, 4, 13))), late_may,
                   _friday_on_or_before(date(n, 7, 22))),
    }
    return {
        season: {"start": start.isoformat(), "half_term_start": half.isoformat(),
                 "half_term_end": (half + timedelta(days=4)).isoformat(), "end": end.isoformat()}
        for season, (start, half, end) in terms.items()
    }


@dataclass(frozen=True)
class Term:
    season: str
    academic_year: int
    starts: date
    ends: date

    @property
    def key(self) -> str:
        """As the pupil-premium service names it: autumn-2026, spring-2027, summer-2027."""
        return f"{self.season}-{self.academic_year + (0 if self.season == 'autumn' else 1)}"

    @property
    def ref(self) -> dict[str, object]:
        """As the pep service names it."""
        return {"academic_year": self.academic_year, "season": self.season}


def terms_of(academic_year: int) -> list[Term]:
    return [
        Term(season, academic_year, date.fromisoformat(dates["start"]), date.fromisoformat(dates["end"]))
        for season, dates in term_dates(academic_year).items()
    ]


def financial_year(day: date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{str(first + 1)[2:]}"


def framework_on(day: date) -> str:
    if day <= date(2012, 8, 31):
        return "ofsted_until_august_2012"
    if day <= date(2024, 8, 31):
        return "ofsted_september_2012"
    if day <= date(2025, 11, 9):
        return "ofsted_september_2024"
    return "ofsted_report_cards_november_2025"


# -- the story ------------------------------------------------------------------------------------


class Story:
    """``Story(size, seed, until).calls()``: every call, in order, up to and including ``until``."""

    def __init__(self, size: Size, seed: int, until: date) -> None:
        self.size = size
        self.seed = seed
        self.until = until
        self.last_year = academic_year_of(until)
        self.first_year = self.last_year - size.years + 1
        self.starts = date(self.first_year, 9, 1)
        self._random = random.Random(f"synthetic-council:{seed}:{size.name}")
        self._order = 0
        self._calls: list[Call] = []
        self._inspection_numbers = 10_000_000
        self.terms = [term for year in range(self.first_year, self.last_year + 2) for term in terms_of(year)]
        self.schools: list[School] = []
        self.children: list[Child] = []
        self._notices = 0  # warning notices drafted
        self._approved: dict[str, list[Minted]] = {}  # each term's approved requests, for its payment run

    # -- writing calls --------------------------------------------------------------------------

    def _call(self, on: date, service: str, officer: Officer, method: str, *path: str | Minted,
              body: object = None, keep: tuple[str, str] | None = None, expect: tuple[int, ...] = (200, 201)) -> None:
        self._order += 1
        self._calls.append(Call(on, service, officer, method, tuple(path), body, keep, expect, order=self._order))

    def _pick(self, weighted) -> str:
        names = [name for name, _ in weighted]
        return self._random.choices(names, weights=[w for _, w in weighted])[0]

    def _person(self) -> str:
        return f"{self._random.choice(FIRST_NAMES)} {self._random.choice(SURNAMES)}"

    def _school_day(self, day: date) -> date:
        """The first day in term on or after ``day``."""
        for term in self.terms:
            if day <= term.ends:
                return _weekday_on_or_after(max(day, term.starts))
        return _weekday_on_or_after(day)

    def term_of(self, day: date) -> Term:
        """The term in progress on ``day``, or the next one in a holiday."""
        return next(term for term in self.terms if day <= term.ends)

    def _next_term(self, term: Term) -> Term:
        return self.terms[self.terms.index(term) + 1]

    # -- the whole story ------------------------------------------------------------------------

    def calls(self) -> Iterator[Call]:
        """Year by year: each year's calls sorted by day (and by the order written within a day)."""
        self._before_the_first_year()
        yield from self._flush(self.starts)
        for year in range(self.first_year, self.last_year + 1):
            year_ends = date(year + 1, 8, 31)
            self._school_year(year)
            self._children_year(year)
            yield from self._flush(year_ends)
        yield from self._flush(date.max)

    def _flush(self, through: date) -> Iterator[Call]:
        """The calls written for days up to ``through`` (those after ``until`` are never made)."""
        ready = sorted((c for c in self._calls if c.on <= through), key=lambda c: (c.on, c.order))
        self._calls = [c for c in self._calls if c.on > through]
        for call in ready:
            if call.on <= self.until:
                yield call

    # -- before the first year ------------------------------------------------------------------

    def _before_the_first_year(self) -> None:
        day = self.starts
        for year in range(self.first_year, self.last_year + 2):
            self._call(day, "schools", PRINCIPAL_ADVISER, "PUT", f"/council/term-dates/{year}",
                       body={"council": COUNCIL, **term_dates(year)})
        self._register_schools(day)
        self._virtual_school_settings(day)
        self._enter_children()

    def _register_schools(self, day: date) -> None:
        phases = [(phase, share) for phase, share, _ in SCHOOL_MIX]
        types = {phase: kinds for phase, _, kinds in SCHOOL_MIX}
        urns = self._random.sample(range(100_000, 150_000 + self.size.schools * 4), self.size.schools)
        for number, urn_number in enumerate(sorted(urns)):
            urn = str(urn_number)
            phase = self._pick(phases)
            kind = self._pick(types[phase])
            religious = None
            if kind in CHURCH_TYPES or (kind.startswith("academy") and self._random.random() < 0.1):
                religious = "Roman Catholic" if self._random.random() < 0.25 else "Church of England"
            place = PLACES[number % len(PLACES)]
            suffix = f" {number // len(PLACES) + 1}" if number >= len(PLACES) else ""
            saint = {"Church of England": "Church of England ", "Roman Catholic": "St Mary's Catholic "}
            name = f"{place}{suffix} {saint.get(religious, '')}{PHASE_WORDS[phase]}"
            body = {
                "urn": urn, "name": name, "la_code": LA_CODE, "la_name": COUNCIL,
                "establishment_type": kind, "phase": phase,
                "opened_on": date(self._random.randint(1950, self.first_year - 4), 9, 1).isoformat(),
                "headteacher": self._person(), "chair_of_governors": self._person(),
                "designated_teacher": self._person(),
            }
            if religious:
                body |= {"religious_character": religious, "diocese": DIOCESES[religious]}
            self._call(day, "schools", PRINCIPAL_ADVISER, "POST", "/schools", body=body)
            level = self._pick(((1, 14), (2, 66), (3, 16), (4, 4)))
            graded = _working_day_on_or_before(day - timedelta(days=self._random.randint(60, 4 * 365)))
            school = School(urn, name, kind, phase, int(level), graded, religious_character=religious)
            self.schools.append(school)
            self._inspect(school, graded, int(level), recorded_on=day)
            self._categorise(school, day + timedelta(days=self._random.randint(1, 6)))

    def _virtual_school_settings(self, day: date) -> None:
        self._call(day, "pupil-premium", VIRTUAL_SCHOOL_HEAD, "POST", "/settings/devolution-policies", body={
            "effective_from": day.isoformat(),
            "policy": {"model": "capped_termly_requests", "termly_cap_pence": 65_000, "minimum_pep_rating": "amber"},
        })

    # -- schools --------------------------------------------------------------------------------

    def _inspect(self, school: School, on: date, level: int, *, recorded_on: date | None = None) -> None:
        """A graded inspection at ``level``, recorded on ``recorded_on`` (a week later by default)."""
        framework = framework_on(on)
        self._inspection_numbers += self._random.randint(1, 40)
        body: dict[str, object] = {
            "inspection_id": str(self._inspection_numbers), "inspected_on": on.isoformat(),
            "inspection_type": "graded", "framework": framework,
        }
        if framework == "ofsted_until_august_2012":
            body["overall_effectiveness"] = UNTIL_2012[level]
        elif framework == "ofsted_report_cards_november_2025":
            best, other = REPORT_CARD_GRADES[level]
            odd = self._random.randrange(len(REPORT_CARD_AREAS))
            body["judgements"] = {area: (other if i == odd else best) for i, area in enumerate(REPORT_CARD_AREAS)}
            body["safeguarding"] = "met"
        else:
            grade = FOUR_POINT[level]
            if framework == "ofsted_september_2012":
                body["overall_effectiveness"] = grade
            if framework == "ofsted_september_2024" or on >= date(2019, 9, 1):
                body["judgements"] = {area: grade for area in KEY_JUDGEMENTS}
                body["safeguarding"] = "effective"
        if level == 4:  # an inadequate (or urgent improvement) judgement: Ofsted names a category
            body["category_of_concern"] = "special_measures" if self._random.random() < 0.4 else "serious_weaknesses"
        adviser = self._random.choice(ADVISERS)
        when = recorded_on or on + timedelta(days=7)
        self._call(when, "schools", adviser, "POST", f"/schools/{school.urn}/inspections", body=body)
        school.below_good_in_a_row = school.below_good_in_a_row + 1 if level >= 3 else 0
        school.level, school.graded_on = level, on

    def _categorise(self, school: School, on: date) -> None:
        category = COUNCIL_CATEGORY[school.level]
        if category == school.category:
            return
        school.category = category
        proposal = f"proposal:{school.urn}:{on.isoformat()}"
        self._call(on, "schools", self._random.choice(ADVISERS), "POST",
                   f"/schools/{school.urn}/categorisation/proposals",
                   body={"category": category, "reasons": ["The latest Ofsted inspection"]},
                   keep=(proposal, "proposal_id"))
        self._call(on + timedelta(days=2), "schools", SECOND_PRINCIPAL_ADVISER, "POST",
                   f"/schools/{school.urn}/categorisation/proposals/", Minted(proposal), "/approval")

    def _school_year(self, year: int) -> None:
        for school in self.schools:
            self._reviews_in(school, year)
            self._inspections_in(school, year)
            self._support_in(school, year)

    def _reviews_in(self, school: School, year: int) -> None:
        """Each term, the progress review the service scheduled when the school was categorised
        (and after each review) is held and its outcome recorded; a school requiring improvement
        or in a category is reviewed again at half-term."""
        outcomes = (("good_progress", 35), ("reasonable_progress", 50), ("insufficient_progress", 15))
        concern = school.category in ("requires_improvement", "ofsted_category")
        for term in (t for t in self.terms if t.academic_year == year):
            for offset in ((24, 64) if concern else (30,)):
                day = self._school_day(term.starts + timedelta(days=offset))
                if day > term.ends:
                    continue
                review = f"review:{school.urn}:{day.isoformat()}"
                adviser = self._random.choice(ADVISERS)
                self._call(day, "schools", adviser, "GET", f"/schools/{school.urn}", keep=(review, "open_review_id"),
                           expect=(200,))
                outcome = self._pick(outcomes)
                self._call(day, "schools", adviser, "POST", f"/schools/{school.urn}/reviews/", Minted(review),
                           "/outcome", body={
                               "held_on": day.isoformat(), "outcome": outcome,
                               "summary": "Leaders are acting on the plan; the next review checks the results",
                               "actions": [] if outcome != "insufficient_progress"
                               else ["A scoping meeting with the governors"],
                           })

    def _inspections_in(self, school: School, year: int) -> None:
        """Graded inspections come round about every four years for a good school, two and a half
        for one requiring improvement and two for one in a category."""
        interval = {1: 4 * 365, 2: 4 * 365, 3: 30 * 30, 4: 2 * 365}[school.level]
        due = school.graded_on + timedelta(days=interval + self._random.randint(-120, 120))
        if academic_year_of(due) > year:
            return
        if academic_year_of(due) < year:  # overdue: Ofsted comes this year
            due = date(year, 9, 1) + timedelta(days=self._random.randint(0, 300))
        on = self._school_day(due)
        if academic_year_of(on) != year:
            return
        drift = self._random.random()
        level = school.level
        if level == 4:
            level = 3 if drift < 0.7 else (2 if drift < 0.85 else 4)
        elif level == 3:
            level = 2 if drift < 0.55 else (3 if drift < 0.9 else 4)
        else:
            level = 1 if drift < 0.15 else (2 if drift < 0.85 else (3 if drift < 0.97 else 4))
        self._inspect(school, on, level)
        self._categorise(school, on + timedelta(days=14))
        # Stuck below good: a warning notice, unless one given in the last year is still running.
        free = school.notice_until is None or school.notice_until < on
        if school.maintained and school.below_good_in_a_row >= 2 and level < 4 and free:
            self._warning_notice(school, on + timedelta(days=28))

    def _support_in(self, school: School, year: int) -> None:
        """A school requiring improvement or in a category: an adviser's visit each half-term and
        a progress review each term (the review the service scheduled when it was categorised)."""
        if school.category not in ("requires_improvement", "ofsted_category"):
            return
        visits = [day for term in self.terms if term.academic_year == year
                  for day in (self._school_day(term.starts + timedelta(days=16)),
                              self._school_day(term.starts + timedelta(days=60)))
                  if day <= term.ends]
        # The year's allocation follows the category and the part of the year left when it was
        # given; the action plan's visits are added to it, as the principal adviser would.
        self._call(visits[0], "schools", PRINCIPAL_ADVISER, "POST", f"/schools/{school.urn}/support/increases",
                   body={"academic_year": year, "extra_days": len(visits),
                         "reason": "A visit each half-term to check progress against the action plan"})
        for day in visits:
            self._call(day, "schools", self._random.choice(ADVISERS), "POST", f"/schools/{school.urn}/support/visits",
                       body={"visited_on": day.isoformat(), "days": 1,
                             "purpose": "Progress against the school's action plan"})

    # -- warning notices ------------------------------------------------------------------------

    def _warning_notice(self, school: School, drafted: date) -> None:
        urn = school.urn
        drafted = self._school_day(drafted)
        notice = f"notice:{urn}:{drafted.isoformat()}"
        adviser = self._random.choice(ADVISERS)
        content = {
            "urn": urn,
            "grounds": ["low_standards", "breakdown_in_management_or_governance"],
            "low_standards_basis": ["expected_attainment", "comparable_schools"],
            "concerns": ["Attainment at the end of each key stage well below comparable schools for two years",
                         "Two inspections in a row found the school below good"],
            "required_actions": ["Commission an external review of governance and act on it",
                                 "Put in place a costed plan to raise attainment in reading and mathematics"],
            "powers_minded_to_use": ["s63_require_arrangements", "s65_interim_executive_board"],
            "compliance_period": {"working_days": 20},
        }
        self._call(drafted, "notices", adviser, "POST", "/notices", body=content, keep=(notice, "notice_id"))
        path = ("/notices/", Minted(notice))
        self._notices += 1
        if self._notices % 5 == 2:  # one draft in five is not given
            self._call(drafted + timedelta(days=2), "notices", PRINCIPAL_ADVISER, "POST", *path, "/discard",
                       body={"reason": "The governors commissioned the review themselves"})
            return
        given = self._school_day(drafted + timedelta(days=7))
        giving: dict[str, str] = {"given_on": given.isoformat()}
        if school.establishment_type in FOUNDATION_OR_VOLUNTARY:
            # Whoever appoints the foundation governors gets a copy of the notice.
            giving["foundation_governors_appointer"] = (
                f"{DIOCESES[school.religious_character]} Board of Education" if school.religious_character
                else "The school's foundation trustees"
            )
        self._call(given, "notices", PRINCIPAL_ADVISER, "POST", *path, "/give", body=giving)
        period_ends = add_working_days(given, 20)
        judged = self._school_day(period_ends + timedelta(days=8))
        complied = self._random.random() < 0.6
        self._call(judged, "notices", PRINCIPAL_ADVISER, "POST", *path, "/compliance-judgement", body={
            "judged_on": judged.isoformat(), "complied": complied,
            "evidence": "The review of governance was commissioned and its actions begun" if complied
            else "No review of governance was commissioned by the end of the period",
        })
        school.notice_until = judged + timedelta(days=365)
        if complied:
            return
        intention = judged + timedelta(days=2)
        self._call(intention, "notices", PRINCIPAL_ADVISER, "POST", *path, "/notice-of-intention",
                   body={"given_on": intention.isoformat(), "powers": ["s63_require_arrangements"]})
        consulting = intention + timedelta(days=3)
        consultation = f"consultation:{urn}:{consulting.isoformat()}"
        self._call(consulting, "notices", PRINCIPAL_ADVISER, "POST", f"/interventions/{urn}/consultations", body={
            "power": "s63_require_arrangements",
            "proposal": "Require an advisory contract with the county's leadership partnership",
            "started_on": consulting.isoformat(),
        }, keep=(consultation, "consultation_id"))
        answered = consulting + timedelta(days=5)
        self._call(answered, "notices", adviser, "POST", f"/interventions/{urn}/consultations/",
                   Minted(consultation), "/responses",
                   body={"consultee": "governing_body", "received_on": answered.isoformat(),
                         "summary": "The governors agree"})
        required = consulting + timedelta(days=28)
        self._call(required, "notices", PRINCIPAL_ADVISER, "POST", f"/interventions/{urn}/s63", body={
            "form": "advisory_services", "with_whom": "The county's leadership partnership",
            "details": "Leadership and governance support, two days a week for a term",
            "consultation_id": Minted(consultation), "required_on": required.isoformat(),
        })

    # -- children -------------------------------------------------------------------------------

    def _enter_children(self) -> None:
        """Who enters care when: nearly half in the first half-term (the children the virtual
        school has when the record starts), the rest through the years."""
        last = min(self.until, date(self.last_year + 1, 8, 31))
        span = (last - self.starts).days
        for number in range(1, self.size.children + 1):
            if self._random.random() < 0.45:
                entered = self.starts + timedelta(days=self._random.randint(2, 50))
            else:
                entered = self.starts + timedelta(days=self._random.randint(2, max(span, 3)))
            stay = self._random.choice((120, 300, 500, 800, 1200, 2000, 4000))
            leaves = entered + timedelta(days=stay + self._random.randint(0, 90))
            year_index = self._random.randint(0, 11)
            child = Child(f"C{number:06d}", entered, leaves, self._pick(LEFT_CARE_REASONS), year_index,
                          academic_year_of(entered), ehc_plan=self._random.random() < 0.25)
            # Care ends, at the latest, when the child would leave year 13.
            ages_out = date(academic_year_of(entered) + 13 - year_index, 7, 31)
            if child.leaves is not None and child.leaves >= ages_out:
                child.leaves, child.leave_reason = ages_out, "aged_18"
            self.children.append(child)

    def _school_for(self, child: Child, day: date, avoiding: str | None = None) -> School:
        secondary = child.year_group_on(day) >= YEAR_GROUPS.index("year_7")
        wanted = {"special"} if child.ehc_plan and self._random.random() < 0.5 else (
            {"secondary", "all_through"} if secondary else {"primary", "all_through"})
        choices = [s for s in self.schools if s.phase in wanted and s.urn != avoiding]
        return self._random.choice(choices or [s for s in self.schools if s.urn != avoiding])

    def _children_year(self, year: int) -> None:
        self._grant(year)
        for child in self.children:
            if academic_year_of(child.entered) == year:
                self._enters_care(child)
            if child.entered <= date(year + 1, 8, 31):
                self._year_in_care(child, year)
        self._payment_runs(year)

    def _enters_care(self, child: Child) -> None:
        day = child.entered
        year_group = YEAR_GROUPS[child.year_index]
        born_in = child.entered_year - 5 - child.year_index
        born = date(born_in, 9, 1) + timedelta(days=self._random.randint(0, 364))
        self._call(day, "pep", self._random.choice(SOCIAL_WORKERS), "POST", "/children", body={
            "child_id": child.child_id, "name": self._person(), "date_of_birth": born.isoformat(),
            "entered_care_on": day.isoformat(), "legal_status": self._pick(LEGAL_STATUSES),
            "placing_authority": COUNCIL, "social_worker": self._person(), "carer": self._person(),
            "independent_reviewing_officer": self._person(),
            "sen_status": "ehc_plan" if child.ehc_plan else self._pick((("sen_support", 30), ("none", 70))),
            "year_group": year_group,
        })
        worker = self._random.choice(SOCIAL_WORKERS)
        starts = self._school_day(day + timedelta(days=self._random.randint(1, 8)))
        if self._random.random() < 0.06:
            # No school near the new placement: the child waits for a place.
            self._call(day + timedelta(days=1), "pep", worker, "POST",
                       f"/children/{child.child_id}/awaiting-school-place", body={
                           "place_needed_from": (day + timedelta(days=1)).isoformat(),
                           "reason": "Placed with foster carers too far from the old school to travel each day",
                       })
            starts = self._school_day(day + timedelta(days=self._random.randint(15, 40)))
        school = self._school_for(child, starts)
        child.spells.append(Spell(school.urn, starts))
        self._call(starts, "pep", worker, "POST", f"/children/{child.child_id}/school-placement",
                   body={"urn": school.urn, "start_date": starts.isoformat(),
                         "year_group": YEAR_GROUPS[child.year_group_on(starts)]})
        if child.leaves is not None:
            self._call(child.leaves, "pep", worker, "POST", f"/children/{child.child_id}/leaving-care",
                       body={"left_care_on": child.leaves.isoformat(), "reason": child.leave_reason})

    def _year_in_care(self, child: Child, year: int) -> None:
        autumn = next(t for t in self.terms if t.academic_year == year and t.season == "autumn")
        # From primary to secondary: a new school from the first day of year 7.
        if (child.year_group_on(autumn.starts) == YEAR_GROUPS.index("year_7") and child.spells
                and child.spells[0].starts < autumn.starts and child.in_care_on(autumn.starts)):
            self._move(child, autumn.starts, "Transfer to secondary school", last_day=date(year, 7, 31))
        elif child.spells and child.in_care_on(autumn.starts) and self._random.random() < 0.12:
            day = self._school_day(autumn.starts + timedelta(days=self._random.randint(20, 250)))
            if child.in_care_on(day) and day > child.spells[-1].starts + timedelta(days=30):
                self._move(child, day, "A new long-term foster placement; the carers live too far away")
        for term in (t for t in self.terms if t.academic_year == year):
            self._pep_for(child, term)

    def _move(self, child: Child, day: date, reason: str, *, last_day: date | None = None) -> None:
        current = child.school_on(day)
        school = self._school_for(child, day, avoiding=current)
        child.spells.append(Spell(school.urn, day))
        body = {"to_urn": school.urn, "start_date": day.isoformat(), "reason": reason,
                "year_group": YEAR_GROUPS[child.year_group_on(day)]}
        if last_day is not None:
            body["left_previous_school_on"] = last_day.isoformat()
        self._call(day, "pep", self._random.choice(SOCIAL_WORKERS), "POST",
                   f"/children/{child.child_id}/school-moves", body=body)

    def _pep_for(self, child: Child, term: Term) -> None:
        """The term's PEP: initiated, targets set and the meeting reviewed on one day, submitted
        and quality assured; the first of a care episode begins within days of entering care."""
        initial = child.peps == 0
        if initial:
            if self.term_of(child.entered) != term:
                return
            # Once the child is on a school's roll: a PEP is made with the school.
            initiated = max(child.entered, child.spells[0].starts) + timedelta(days=self._random.randint(3, 10))
        else:
            initiated = term.starts + timedelta(days=self._random.randint(3, 20))
        meeting = initiated + timedelta(days=self._random.randint(5, 15))
        submitted = meeting + timedelta(days=self._random.randint(1, 4))
        assured = submitted + timedelta(days=self._random.randint(2, 7))
        if meeting > term.ends or not child.stays_from(initiated, assured):
            return
        child.peps += 1
        pep_id = f"PEP-{child.child_id}-{child.peps}"
        base = f"/children/{child.child_id}/peps/{pep_id}"
        worker = self._random.choice(SOCIAL_WORKERS)
        self._call(initiated, "pep", worker, "POST", f"/children/{child.child_id}/peps", body={
            "pep_id": pep_id, "term": term.ref, "occasion": "initial" if initial else "termly_review",
            "initiated_on": initiated.isoformat(),
        })
        # Due by the end of term, or of the next one when the meeting is in the term's last weeks.
        by_when = term.ends if meeting + timedelta(days=14) <= term.ends else self._next_term(term).ends
        targets = []
        for n, (area, baseline, aim) in enumerate(self._random.sample(SUBJECTS, 2), start=1):
            a = self._random.randint(6, 9)
            targets.append({
                "target_id": f"{pep_id}-T{n}", "subject_or_area": area,
                "baseline": baseline.format(a=a, b=a + 1), "target": aim.format(a=a, b=a + 1),
                "by_when": by_when.isoformat(), "who": "The designated teacher with the class teacher",
            })
        self._call(meeting, "pep", worker, "POST", f"{base}/targets",
                   body={"targets": targets, "set_on": meeting.isoformat()})
        self._call(meeting, "pep", worker, "POST", f"{base}/review", body=self._review(child, term, meeting))
        self._call(submitted, "pep", worker, "POST", f"{base}/submission", body={"submitted_on": submitted.isoformat()})
        if self._random.random() < 0.08:
            returned = submitted + timedelta(days=1)
            self._call(returned, "pep", VIRTUAL_SCHOOL_OFFICER, "POST", f"{base}/return-for-rework",
                       body={"reason": "The targets need a baseline test score", "returned_on": returned.isoformat()})
            self._call(returned + timedelta(days=1), "pep", worker, "POST", f"{base}/submission",
                       body={"submitted_on": (returned + timedelta(days=1)).isoformat()})
        rating = self._pick((("green", 60), ("amber", 30), ("red", 10)))
        assurance = {"rating": rating, "quality_assured_on": assured.isoformat()}
        if rating != "green":
            assurance["comments"] = ("The child's voice is clear; the targets need sharper measures"
                                     if rating == "amber" else "No attainment data and the targets are not SMART")
        self._call(assured, "pep", VIRTUAL_SCHOOL_OFFICER, "POST", f"{base}/quality-assurance", body=assurance)
        child.carried = [t["target_id"] for t in targets]
        if rating != "red" and self._random.random() < 0.55:
            self._request(child, term, assured, child.carried)

    def _review(self, child: Child, term: Term, meeting: date) -> dict[str, object]:
        period_start = max(next(t.starts for t in self.terms if t.academic_year == term.academic_year),
                           child.entered)
        attendance = max(55.0, min(100.0, self._random.gauss(92.5, 6.0)))
        exclusions = []
        if self._random.random() < 0.08 and meeting > term.starts + timedelta(days=3):
            first_day = self._school_day(term.starts + timedelta(days=1))
            if first_day < meeting:
                exclusions.append({"kind": "fixed_term", "first_day": first_day.isoformat(),
                                   "school_days": self._random.choice(("0.5", "1.0", "2.0", "3.0")),
                                   "reason": "Persistent disruptive behaviour",
                                   "unofficial": self._random.random() < 0.2})
        progress = []
        for target_id in child.carried:
            status = self._pick((("achieved", 55), ("not_achieved", 45)))
            progress.append({"target_id": target_id, "status": status,
                             "evidence": "The class teacher's assessment at the end of term",
                             "actions": "" if status == "achieved" else "Carried into this term's targets"})
        return {
            "meeting_date": meeting.isoformat(),
            "attendance": {"percentage": f"{attendance:.1f}", "period_start": period_start.isoformat(),
                           "period_end": meeting.isoformat()},
            "exclusions": exclusions,
            "attainment": [{"subject": "English", "attainment": "Working towards the expected standard",
                            "progress": self._pick((("above_expected", 15), ("expected", 60),
                                                    ("below_expected", 25)))}],
            "target_progress": progress,
            "child_voice": "I like art and want help with reading.",
            "attendees": [{"name": "Social worker", "role": "social_worker"},
                          {"name": "Designated teacher", "role": "designated_teacher"},
                          {"name": "Foster carer", "role": "carer"}],
            "support_funded": [],
        }

    # -- Pupil Premium Plus ---------------------------------------------------------------------

    def _grant(self, year: int) -> None:
        """The grant letter for the financial year starting in this academic year (April), or at
        the start of the record for the year already under way."""
        days = [date(year + 1, 4, 1)]
        if year == self.first_year:
            days.insert(0, self.starts)
        for day in days:
            label = financial_year(day)
            first = int(label[:4])
            looked_after = sum(1 for c in self.children
                               if c.entered < date(first + 1, 3, 31) and (c.leaves is None or c.leaves > date(first, 4, 1)))
            rate = 234_500 + 5_000 * (first - 2017)
            self._call(day, "pupil-premium", FINANCE_OFFICER, "POST", f"/budgets/{label}/grant/letter", body={
                "letter_reference": f"DfE PP+ grant {label}", "letter_date": day.isoformat(),
                "grant_pence": rate * max(looked_after, 1),
            })

    def _request(self, child: Child, term: Term, assured: date, target_ids: list[str]) -> None:
        requested = self._school_day(assured + timedelta(days=self._random.randint(7, 14)))
        decided = requested + timedelta(days=self._random.randint(7, 14))
        runs = self._run_day(term)
        # The PEP it rests on was made at the school that asks, and the child is still on its roll
        # when the request is paid (payment follows the child).
        if requested > term.ends or decided >= runs or not child.stays_from(assured, runs + timedelta(days=7)):
            return
        urn = child.school_on(requested)
        assert urn is not None
        label = financial_year(term.starts)
        name = f"request:{child.child_id}:{term.key}"
        kind, what = self._random.choice(INTERVENTIONS)
        amount = self._random.randrange(20_000, 65_001, 500)
        teacher = designated_teacher(urn)
        self._call(requested, "pupil-premium", teacher, "POST", f"/budgets/{label}/requests", body={
            "child_id": child.child_id, "term": term.key, "amount_pence": amount,
            "target_ids": target_ids[: self._random.randint(1, len(target_ids))],
            "intervention_type": kind, "intervention": what,
        }, keep=(name, "request_id"))
        path = (f"/budgets/{label}/requests/", Minted(name))
        decision = self._pick((("approve", 72), ("part", 12), ("refuse", 8), ("ask", 8)))
        if decision == "ask":
            self._call(decided - timedelta(days=5), "pupil-premium", VIRTUAL_SCHOOL_HEAD, "POST", *path,
                       "/information-request",
                       body={"panel_members": PANEL, "questions": ["Who will deliver the support, and how often?"]})
            self._call(decided - timedelta(days=2), "pupil-premium", teacher, "POST", *path, "/more-information",
                       body={"information": "A qualified teacher, twice a week before school"})
            decision = "approve"
        if decision == "approve":
            self._call(decided, "pupil-premium", VIRTUAL_SCHOOL_HEAD, "POST", *path, "/approval",
                       body={"panel_members": PANEL})
        elif decision == "part":
            self._call(decided, "pupil-premium", VIRTUAL_SCHOOL_HEAD, "POST", *path, "/part-approval", body={
                "panel_members": PANEL, "amount_approved_pence": amount // 1000 * 600,
                "reasons": ["The school's own pupil premium can fund the rest"],
            })
        else:
            self._call(decided, "pupil-premium", VIRTUAL_SCHOOL_HEAD, "POST", *path, "/refusal",
                       body={"panel_members": PANEL, "reasons": ["Not linked closely enough to the PEP's targets"]})
            return
        self._approved.setdefault(term.key, []).append(Minted(name))

    def _run_day(self, term: Term) -> date:
        return _friday_on_or_before(term.ends)

    def _payment_runs(self, year: int) -> None:
        """A payment run at the end of each term for the requests approved in it; paid a week later."""
        for term in (t for t in self.terms if t.academic_year == year):
            approved = self._approved.pop(term.key, [])
            if not approved:
                continue
            label = financial_year(term.starts)
            run_id = f"RUN-{term.key}"
            runs = self._run_day(term)
            self._call(runs, "pupil-premium", FINANCE_OFFICER, "POST", f"/budgets/{label}/payment-runs",
                       body={"run_id": run_id, "request_ids": approved})
            paid = runs + timedelta(days=7)
            self._call(paid, "pupil-premium", FINANCE_OFFICER, "POST", f"/budgets/{label}/payment-runs/{run_id}/paid",
                       body={"finance_reference": f"AP-{term.key.upper()}", "paid_on": paid.isoformat()})
