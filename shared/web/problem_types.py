"""Every kind of refusal and failure a service answers with, one entry each.

A problem body's ``type`` is ``/problems/<slug>``: a relative reference, resolved (RFC 3986)
against the address of the service that answered, where ``GET /problems/<slug>`` describes it
and ``GET /problems`` lists them all. A client tells refusals apart by ``type`` (or by its
slug, the last segment), never by parsing ``title`` or ``detail``. The statuses never change
for a slug; new slugs may be added, and a client should treat an unknown slug as its status.

``shared.web.problems`` takes the type from the exception (``DomainError.problem_type``, or a
raise site's ``problem_type=``) or, for the framework's own errors, from the status. The tests
check that every problem any test provokes is in this catalogue with the status it lists.

``python -m shared.web.problem_types --write`` writes ``docs/problems.md`` from this module;
``--check`` fails when the page is out of date (the tests run it).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

PREFIX = "/problems/"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str
    when: str
    """When a client meets it."""
    what_to_do: str
    service: str | None = None
    """The one service that answers with it, or None for every service."""
    retry: bool = False
    """Whether repeating the request (as ``what_to_do`` says) can succeed."""

    @property
    def uri(self) -> str:
        return PREFIX + self.slug

    def describe(self) -> dict[str, object]:
        return {
            "type": self.uri,
            "slug": self.slug,
            "status": self.status,
            "title": self.title,
            "when": self.when,
            "what_to_do": self.what_to_do,
            "service": self.service,
            "retry": self.retry,
        }


_ENTRIES = (
    # -- the request itself ------------------------------------------------------------------
    ProblemType(
        "validation", 422, "Invalid input",
        "The request does not match the route's schema: a required field is missing, a value has "
        "the wrong type, is too long or short, out of range, not one of the allowed values or not in "
        "the required form, a field is not expected, or the body is not JSON at all. `field` names "
        "the first field at fault and `errors` lists each one with its message.",
        "Correct the request as the messages say; repeating it unchanged gets the same answer.",
    ),
    ProblemType(
        "invalid-input", 422, "Invalid input",
        "The request matches the schema but a value is refused by a rule of form: a date in the "
        "future, an end before a start, a blank name, a list with a repeated entry, an If-Match "
        "or Idempotency-Key that is not well formed, text containing a NUL character or a lone "
        "surrogate.",
        "Correct the value named by `field`.",
    ),
    ProblemType(
        "bad-request", 400, "Bad request",
        "The request cannot be read at all.",
        "Correct the request.",
    ),
    ProblemType(
        "idempotency-key-reused", 422, "Invalid input",
        "The Idempotency-Key was already used for a different request (another body, path or "
        "operation). A retry must repeat the first request exactly.",
        "Send a new key with a new request; to retry, repeat the first request byte for byte.",
    ),
    ProblemType(
        "payload-too-large", 413, "Request too large",
        "The request body is larger than the service accepts.",
        "Send less: split an import, or shorten the text (`docs/limits.md`).",
    ),
    ProblemType(
        "unsupported-media-type", 415, "Unsupported media type",
        "The body is in a form the route does not take (a school import that is not CSV, say).",
        "Send the Content-Type the route's OpenAPI description names.",
    ),
    ProblemType(
        "method-not-allowed", 405, "Method not allowed",
        "The address exists but not with this method.",
        "Use a method the route's OpenAPI description lists.",
    ),
    # -- who is asking -----------------------------------------------------------------------
    ProblemType(
        "unauthenticated", 401, "Not authenticated",
        "No bearer token, or one that is expired, wrongly signed, for another audience or from "
        "another issuer. The WWW-Authenticate header says which.",
        "Get a new token from the council's identity provider and send it as "
        "`Authorization: Bearer <token>`.",
    ),
    ProblemType(
        "not-permitted", 403, "Forbidden",
        "The caller's role (or a service account's scopes) does not admit this route, or not what "
        "the request names: on the event log, a category of streams the account's scopes do not "
        "grant (`field` is `category`, `stream_id` or `child_id`), or the stored form to anyone but "
        "an auditor (`stored`).",
        "Ask for the role or scope `docs/security.md` (or, for the event log, `docs/event-log.md`) "
        "names; repeating the request with the same token gets the same answer.",
    ),
    ProblemType(
        "out-of-data-scope", 403, "Forbidden",
        "The role admits the route, but not for this record: a designated teacher asking about a "
        "child who is not on roll at their school today. The answer is the same whether the child "
        "exists or not.",
        "Nothing to retry: the record is not available to this caller.",
    ),
    ProblemType(
        "rate-limited", 429, "Too many requests",
        "Too many writes from this caller in the last minute.",
        "Wait for the seconds in Retry-After, then repeat the request with the same "
        "Idempotency-Key.",
        retry=True,
    ),
    # -- what the request asks for -----------------------------------------------------------
    ProblemType(
        "not-found", 404, "Not found",
        "The record, or an id the request names, is not known (`field` says which).",
        "Check the id; a record just created elsewhere may take a moment to appear in a read.",
    ),
    ProblemType(
        "conflict", 409, "Conflict",
        "The request clashes with the record's current state: it was already decided, a record "
        "with this id already exists, or it is at a stage where this cannot be done.",
        "Read the record again and decide whether the request still makes sense.",
    ),
    ProblemType(
        "version-conflict", 409, "Conflict",
        "The record has changed since it was read: the If-Match sent is not its current ETag "
        "(or, without If-Match, it kept changing while the request was being recorded).",
        "Read the record again (GET returns the new ETag), decide again, and send the request "
        "with the new If-Match.",
        retry=True,
    ),
    ProblemType(
        "personal-data-erased", 409, "Conflict",
        "The child's personal data was erased by the data protection officer (their key destroyed): "
        "personal data about them (a name, a date of birth, a carer, their own words) cannot be "
        "recorded again under that identifier, since a new key would start a record the erasure never "
        "covered, and their data protection record takes no legal hold and no second erasure.",
        "Nothing to retry under that identifier. What records nothing personal about the child "
        "(dates, statuses) is still accepted.",
    ),
    ProblemType(
        "refused-by-rules", 422, "Refused by the rules",
        "The request is valid, but the rules of the domain refuse it (a statutory condition, a "
        "date the law sets, a money rule).",
        "Read `detail`: it says which rule and, where there is one, the way forward.",
    ),
    # -- notices: warning notices and powers of intervention ---------------------------------
    ProblemType(
        "school-not-maintained", 422, "The council does not maintain this school",
        "A warning notice or a power of intervention is asked for a school the council does not "
        "maintain: an academy (or a school that became one), a school that has closed or not yet "
        "opened, or another kind of establishment.",
        "For an academy, write a letter of concern to its trust, then to the Secretary of State.",
        service="notices",
    ),
    ProblemType(
        "not-an-academy", 422, "The school is not an academy",
        "A letter of concern is asked for a school that is not an open academy.",
        "For a maintained school, give a warning notice instead.",
        service="notices",
    ),
    ProblemType(
        "not-eligible-for-intervention", 422, "The school is not eligible for intervention",
        "A power (s63-s66) is asked for a school that is not eligible for intervention on that day: "
        "no warning notice has been followed by notice of intention, and Ofsted has not judged it to "
        "have serious weaknesses or to need special measures; or a recorded warning notice has not "
        "made it eligible.",
        "Nothing to retry until the school becomes eligible.",
        service="notices",
    ),
    ProblemType(
        "power-no-longer-available", 422, "The power is no longer available",
        "The power's time has passed: where eligibility came from a warning notice, s63, s64 and s66 "
        "lapse two months after the compliance period ended; and once the Secretary of State has "
        "appointed additional governors the council can no longer suspend the delegated budget.",
        "A new warning notice is needed to use the power again.",
        service="notices",
    ),
    ProblemType(
        "interim-executive-board-in-place", 422, "An interim executive board is in place",
        "The delegated budget cannot be suspended while the governing body is (or is about to be) "
        "constituted as an interim executive board.",
        "Nothing to retry while the board is in place.",
        service="notices",
    ),
    ProblemType(
        "consultation-required", 422, "The consultation is not finished",
        "s63 or s65 is used before its consultation has closed, or a consultation is started for a "
        "power that needs none, or an interim executive board is established without the Secretary "
        "of State's consent.",
        "Wait until the consultation closes (the day is in `detail`), or record the consent first.",
        service="notices",
    ),
    ProblemType(
        "warning-notice-stage", 409, "The warning notice is at another stage",
        "The warning notice is not at the stage this step needs: it has not been given, was "
        "discarded, was already given (and can no longer be changed), compliance was already "
        "judged, or representations are closed.",
        "Read the notice again (GET /notices/<id>) to see its stage.",
        service="notices",
    ),
    ProblemType(
        "statutory-period", 422, "Refused by the statutory period",
        "A date falls on the wrong side of a period the law sets: representations to Ofsted made "
        "after their 15 working days (or for a notice given since 18 April 2016, when there are "
        "none), compliance judged before the day after the compliance period ends, a compliance "
        "period set for a notice given before 18 April 2016, when the law fixes it, a notice, "
        "direction or consultation dated before Part 4 of the Education and Inspections Act 2006 "
        "came into force, or a Secretary of State's notice dated before 18 April 2016.",
        "Correct the date; `detail` names the day the period ends or the law came into force.",
        service="notices",
    ),
    ProblemType(
        "secretary-of-state-notice-stands", 422, "A Secretary of State's warning notice bars the council's",
        "The council was told that the Secretary of State gave the school a warning notice, and "
        "may not give its own unless or until the Secretary of State informs it that it may "
        "(Education and Inspections Act 2006, s60(4A)).",
        "Record the Secretary of State's permission (POST /secretary-of-state-notices/<urn>/"
        "permissions) once it is given, then give the notice.",
        service="notices",
    ),
    ProblemType(
        "academy-order-required", 422, "The law requires an academy order",
        "A decision not to make an academy order is recorded for a maintained school eligible for "
        "intervention because Ofsted judged it to have serious weaknesses or to need special measures, "
        "where Academies Act 2010 s4(A1) (Education and Adoption Act 2016) makes the order a duty: "
        "before the Children's Wellbeing and Schools Act 2026 commences, as the council records it, "
        "or for a school that became eligible before then.",
        "Record the order when the Secretary of State makes it; if the Act's commencement date is "
        "wrong, a principal adviser corrects it (POST /academy-order-law).",
        service="notices",
    ),
    # -- pep: looked-after children and their PEPs -------------------------------------------
    ProblemType(
        "pep-stage", 409, "The PEP is at another stage",
        "The PEP is not at the stage this step needs: it is submitted and awaiting quality "
        "assurance (so cannot be edited or submitted again), it has been quality-assured (and is "
        "final), the PEP for its term has already been quality-assured, or it is not submitted (so "
        "cannot be returned for rework or quality-assured).",
        "Read the PEP again (GET /children/<child_id>/peps/<pep_id>) to see its status; a PEP "
        "returned for rework can be edited and submitted again.",
        service="pep",
    ),
    ProblemType(
        "pep-incomplete", 422, "The PEP is not complete",
        "A PEP is submitted before its review is recorded or its SMART targets are set (`field` "
        "says which: `review` or `targets`).",
        "Record the review (POST .../peps/<pep_id>/review) or set the targets "
        "(POST .../peps/<pep_id>/targets), then submit again.",
        service="pep",
    ),
    ProblemType(
        "pep-already-initiated", 409, "A PEP is already initiated for this occasion",
        "The occasion already has its PEP in the child's current time in care: the initial PEP, "
        "the PEP for that term, or the PEP for that change of school (`field` says which).",
        "Carry on with the PEP already initiated (GET /children/<child_id>/peps lists them).",
        service="pep",
    ),
    ProblemType(
        "care-history", 422, "The child's care history does not allow this",
        "The step depends on the child's care or school history as the virtual school holds it, "
        "and that history says otherwise: a PEP initiated on a day the child was not looked after, "
        "a change-of-school PEP when the child has not changed school while looked after, a legal "
        "status for a child who is not looked after.",
        "Read the child (GET /children/<child_id>); record the care episode or the move of school "
        "first, or correct the date.",
        service="pep",
    ),
    ProblemType(
        "child-status", 409, "The child's care or school status is otherwise",
        "The step assumes a care or school status the child does not have now: entering care while "
        "already looked after, registering a previously looked-after child the virtual school "
        "already knows, recording a wait for a school place while already waiting, placing a child "
        "who is on a school's roll (record a move instead), moving a child who is on no school's "
        "roll (record a placement instead), or a child leaving care who is not looked after.",
        "Read the child (GET /children/<child_id>) and record what did happen; `detail` names the "
        "step to use instead where there is one.",
        service="pep",
    ),
    ProblemType(
        "term-dates-missing", 422, "The council's term dates are not set",
        "Counting school days or naming a term needs the council's term dates for an academic "
        "year that has not been set (`detail` names the term or the date).",
        "Have the council calendar's year set at the schools service "
        "(PUT /council/term-dates/<academic_year>), then repeat the request.",
        service="pep",
    ),
    ProblemType(
        "alert-already-handled", 409, "The alert is already handled",
        "A school-concern alert is acknowledged when it was already acknowledged or actioned, or "
        "actioned when it was already actioned.",
        "Nothing to do: read the alert (GET /alerts) to see who handled it and when.",
        service="pep",
    ),
    # -- pupil-premium: Pupil Premium Plus ---------------------------------------------------
    ProblemType(
        "no-pep-no-premium", 422, "No PEP, no premium",
        "PP+ pays for the needs in the child's PEP, and the PEP does not allow this request: the "
        "child has no current PEP, the current PEP is not quality-assured at the rating the "
        "devolution policy needs, or a target named is not one in force in the current PEP.",
        "Complete the child's PEP at the pep service (quality-assured at the rating `detail` "
        "names), then request against the targets in force in that PEP.",
        service="pupil-premium",
    ),
    ProblemType(
        "not-on-roll", 422, "The child is not a looked-after child on roll at the school",
        "The child is not looked after today, or not on roll today at the school named: a request "
        "or a pooled project for such a child, or a payment run paying a school the child has left.",
        "Check the child's record at the pep service. Request for the school the child is on roll "
        "at; leave a child who has left the school out of the payment run.",
        service="pupil-premium",
    ),
    ProblemType(
        "outside-devolution-policy", 422, "The amount is not one the devolution policy allows",
        "The amount asked for is not allowed by the devolution policy in force: more than the cap "
        "for the child in the term (or year), counting what is already approved, not the termly "
        "instalment, or not one of the bands.",
        "Ask for an amount the policy allows (GET /settings describes the policy in force).",
        service="pupil-premium",
    ),
    ProblemType(
        "budget-exceeded", 422, "The budget cannot cover it",
        "Never spend more than the budget: an approval or top-slice more than the budget has left, "
        "an approval beyond the policy's devolved share, an approval before the year's grant is "
        "recorded, or a grant revised below what is already top-sliced and approved.",
        "Read the budget (GET /budgets/<financial_year>): part-approve for less, record the grant "
        "first, or withdraw approvals or reduce top-slices first.",
        service="pupil-premium",
    ),
    ProblemType(
        "request-already-open", 409, "A request for this child and term is still open",
        "A request is made for a child and term that already has a request before the panel "
        "(`detail` names it).",
        "Follow the open request (GET /budgets/<financial_year>/requests/<request_id>): answer the "
        "panel's questions on it, or withdraw it before requesting again.",
        service="pupil-premium",
    ),
    ProblemType(
        "funding-stage", 409, "The request, project or payment run is at another stage",
        "The request, school project or payment run is not at the stage this step needs: a request "
        "already decided by the panel, one the panel has not asked more information on (or already "
        "has), one refused, withdrawn, paid or in a payment run (so it cannot be withdrawn); a "
        "project already decided, or not approved (so no milestone is recorded), or a milestone "
        "already met; a payment run cancelled, or paid (so it cannot be cancelled or paid again "
        "under another finance reference).",
        "Read the record again (GET it from /budgets/<financial_year>/...) to see its stage.",
        service="pupil-premium",
    ),
    ProblemType(
        "already-in-payment-run", 409, "Already paid or in a payment run",
        "Never pay twice: a request or school project named in a payment run has already been "
        "paid, or is in another payment run (`field` names it).",
        "Leave it out of the run; to move it to another run, cancel the run it is in first.",
        service="pupil-premium",
    ),
    ProblemType(
        "not-approved-for-payment", 422, "Not approved, so not payable",
        "A payment run names a request or school project the panel has not approved (`field` "
        "names it).",
        "Leave it out of the run until the panel approves it.",
        service="pupil-premium",
    ),
    ProblemType(
        "no-rate-for-year", 422, "No PP+ rate is recorded for the year",
        "The grant is worked out from the census for a financial year whose rate per child is not "
        "recorded.",
        "Set the year's rate (POST /settings/rates), or record the grant from the DfE's letter "
        "instead (POST /budgets/<financial_year>/grant/letter).",
        service="pupil-premium",
    ),
    # -- schools: the register, categorisation, support and reviews --------------------------
    ProblemType(
        "school-not-open", 422, "The school is not open",
        "The school has closed (a closed school is not categorised, reviewed, allocated support "
        "or converted), or was not open on the date named (an inspection or a proposal dated "
        "before it opened or after it closed).",
        "Check the school's status and dates (GET /schools/<urn>); for a school that reopened or "
        "converted, use its new URN.",
        service="schools",
    ),
    ProblemType(
        "register-change-not-allowed", 422, "The register does not change that way",
        "A status change the register does not make (a closed URN never reopens), or a maintained "
        "school's type changed to an academy's (or back) under the same URN.",
        "Record an academy conversion (POST /schools/<urn>/conversion), which gives the academy its "
        "new URN; register a reopened school under its new URN.",
        service="schools",
    ),
    ProblemType(
        "register-file-missing", 409, "The register's file is not where the import reads it",
        "The national register import (POST /schools/imports/national-register, or its links) reads "
        "the month's download from where the schools service's settings say "
        "(`NATIONAL_REGISTER_FILE`, `NATIONAL_REGISTER_LINKS_FILE`), and no readable file is there, "
        "or the setting is not made.",
        "Put the file downloaded from Get Information About Schools there (docs/operations.md, "
        "\"The national register\"), then repeat the request.",
        service="schools",
    ),
    ProblemType(
        "proposal-awaiting-approval", 409, "A categorisation proposal awaits approval",
        "A category is proposed while another proposal for the school awaits a principal adviser "
        "(`detail` names it).",
        "Have the pending proposal approved or rejected "
        "(POST /schools/<urn>/categorisation/proposals/<proposal_id>/approval or /rejection), then "
        "propose again.",
        service="schools",
    ),
    ProblemType(
        "category-disagrees-with-ofsted", 422, "The category disagrees with Ofsted",
        "The category proposed (or approved) disagrees with Ofsted's latest inspection by that "
        "date: a school Ofsted placed in a category of concern is categorised `ofsted_category`, "
        "and only such a school is (one at risk of it is `at_risk`).",
        "Propose the category `detail` names.",
        service="schools",
    ),
    ProblemType(
        "second-adviser-needed", 422, "A second adviser must approve",
        "A category is approved by the adviser who proposed it.",
        "Have another principal adviser approve it.",
        service="schools",
    ),
    ProblemType(
        "not-categorised", 422, "The school has no approved category",
        "Adviser support is allocated to a maintained school that has no approved category: its "
        "days follow its category.",
        "Categorise the school first (propose, then approve), then allocate its support.",
        service="schools",
    ),
    ProblemType(
        "beyond-support-allocation", 422, "Beyond the school's support allocation",
        "Adviser days beyond the school's allocation for the academic year: a visit longer than "
        "the days that remain, or a visit or an increase for a year with no allocation yet.",
        "Allocate the year's support first (POST /schools/<urn>/support/allocations), or record an "
        "increase (POST /schools/<urn>/support/increases) before logging the visit.",
        service="schools",
    ),
    ProblemType(
        "review-stage", 409, "The progress review is at another stage",
        "The progress review is not at the stage this step needs: another review is already "
        "scheduled (and not yet held or cancelled), or the review was already held or cancelled.",
        "Read the school's reviews (GET /schools/<urn>) and record the outcome of, or cancel, the "
        "one still scheduled.",
        service="schools",
    ),
    # -- event-log: the data protection officer's records -------------------------------------
    ProblemType(
        "legal-hold-in-force", 409, "A legal hold is in force",
        "An erasure is asked for a child whose records are under a legal hold (`detail` names each hold "
        "in force). Nothing was changed.",
        "Lift the hold once the reason for it has passed "
        "(POST /privacy/children/<child_id>/legal-holds/<hold_id>/lift), then ask again.",
        service="event-log",
    ),
    ProblemType(
        "retention-not-due", 409, "The retention period has not ended",
        "An erasure is asked under a retention rule that has not fallen due for the child (`detail` "
        "names the day it does), that is not the rule the child's records are kept under, or that "
        "counts from a day the log does not record. Nothing was changed.",
        "Wait for the day (GET /privacy/retention/due lists who is due), name the child's own rule, or "
        "erase under `erasure_request` where the child's right to erasure applies.",
        service="event-log",
    ),
    # -- the service -------------------------------------------------------------------------
    ProblemType(
        "still-failing", 409, "Still failing",
        "An operator retried a parked event and it failed again; it stays parked (`error` says why).",
        "Fix the cause, then retry the dead letter again.",
    ),
    ProblemType(
        "service-unavailable", 503, "Service unavailable",
        "Something the service depends on (its database, the identity provider's signing keys) is "
        "away for now, a background task has stopped (/health), or the service is already working "
        "on as many requests (or appends to the log) as it takes at once. Nothing was changed that cannot "
        "safely be repeated; `detail` says whether the request may have been recorded.",
        "Wait for the seconds in Retry-After, then repeat the request with the same "
        "Idempotency-Key: it is recorded exactly once.",
        retry=True,
    ),
    ProblemType(
        "internal-error", 500, "Internal error",
        "A fault on the service's side. Nothing internal is in the answer; `detail` names the "
        "request id.",
        "Report it, quoting the request id (also in the X-Request-Id header).",
    ),
)

CATALOGUE: dict[str, ProblemType] = {entry.slug: entry for entry in _ENTRIES}
assert len(CATALOGUE) == len(_ENTRIES), "a slug is listed twice"

# The type of an error the framework (or a generic DomainError) raises, by its status.
_BY_STATUS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "not-permitted",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "invalid-input",
    429: "rate-limited",
    500: "internal-error",
    503: "service-unavailable",
}


def entry(slug: str) -> ProblemType:
    try:
        return CATALOGUE[slug]
    except KeyError:
        raise KeyError(f"{slug!r} is not in the problem catalogue (shared/web/problem_types.py)") from None


def for_status(status: int) -> ProblemType:
    """The catalogued type for an error known only by its status (500's when none fits)."""
    return CATALOGUE[_BY_STATUS.get(status, "internal-error" if status >= 500 else "bad-request")]


def catalogued(type_uri: object, status: int) -> str | None:
    """Why a problem body's ``type`` and ``status`` are not a catalogue entry, or None if they are."""
    if not isinstance(type_uri, str) or not type_uri.startswith(PREFIX):
        return f"type {type_uri!r} is not a catalogued /problems/<slug>"
    found = CATALOGUE.get(type_uri[len(PREFIX):])
    if found is None:
        return f"type {type_uri!r} is not in the problem catalogue"
    if found.status != status:
        return f"type {type_uri!r} is catalogued with status {found.status}, not {status}"
    return None


def problems_router() -> APIRouter:
    """``GET /problems`` and ``GET /problems/{slug}``: the catalogue, so a problem's ``type``,
    resolved against the service's address, describes itself. Public, like the API description."""
    router = APIRouter(prefix="/problems", tags=["problems"])

    @router.get("", summary="Every kind of problem this service answers with")
    async def problem_types() -> JSONResponse:
        return JSONResponse([e.describe() for e in _ENTRIES])

    @router.get("/{slug}", summary="One kind of problem: when a client meets it and what to do")
    async def problem_type(slug: str = Path(max_length=64)) -> JSONResponse:
        found = CATALOGUE.get(slug)
        if found is None:
            from shared.errors import NotFound

            raise NotFound(f"there is no problem type {slug!r}; GET /problems lists them", field="slug")
        return JSONResponse(found.describe())

    return router


# -- docs/problems.md ------------------------------------------------------------------------


def render() -> str:
    lines = [
        "# Problems: every error a service answers with",
        "",
        "<!-- Generated by `python -m shared.web.problem_types --write` from "
        "shared/web/problem_types.py; do not edit by hand. -->",
        "",
        "Every refusal and failure is an RFC 9457 problem (`Content-Type: application/problem+json`):",
        "",
        "```json",
        "{",
        '  "type": "/problems/validation",',
        '  "title": "Invalid input",',
        '  "status": 422,',
        '  "detail": "urn must be six digits, e.g. 100001",',
        '  "field": "urn",',
        '  "errors": [{"field": "urn", "message": "urn must be six digits, e.g. 100001"}],',
        '  "instance": "/schools/12345"',
        "}",
        "```",
        "",
        "## `type`",
        "",
        "`type` is a relative reference, `/problems/<slug>`, resolved against the address of the "
        "service that answered (behind the gateway, under that service's prefix, e.g. "
        "`/schools/problems/not-found`). It does not pretend to be a page on any public site: "
        "`GET` it from the service and it describes itself (`GET /problems` lists them all, "
        "without a token). Tell refusals apart by the slug, the last segment; never by `title` or "
        "`detail`, which are for people and may be reworded. A slug always comes with the status "
        "listed below. New slugs may be added: treat one you do not know as its status.",
        "",
        "## `field`",
        "",
        "Where one input is at fault, `field` names it:",
        "",
        "- a body field by its dotted path from the top of the JSON body: `urn`, "
        "`judgements.quality_of_education`, `targets.1.target` (list items by index, from 0; a "
        "few domain checks write an index as `targets[1].target`);",
        "- a path or query parameter by its name (`urn`, `financial_year`);",
        "- a header by its name (`If-Match`, `Idempotency-Key`, `authorization`);",
        "- `body` for the body as a whole: not JSON at all, or a body that is missing.",
        "",
        "A validation problem (`/problems/validation`) also lists every field at fault in "
        "`errors`, each with a `message` that is a sentence naming the field and the rule "
        "(\"financial_year is required\", \"amount_pence must be a whole number of pence\"); "
        "`detail` is the first of them.",
        "",
        "## Which are worth retrying",
        "",
        "- **503** `service-unavailable`, with `Retry-After`: wait that many seconds and repeat the "
        "request with the same `Idempotency-Key`; it is recorded exactly once.",
        "- **429** `rate-limited`, with `Retry-After`: the same.",
        "- **409** `version-conflict`: read the record again, decide again with what it now says, "
        "and send the request with the new `If-Match`. Repeating the same request unchanged gets "
        "the same answer.",
        "",
        "Every other problem gets the same answer until the request (or the caller's role, or "
        "the record) changes. A 500 is a fault on our side: report it with the request id.",
        "",
        "## The catalogue",
        "",
        "| type | status | title | retry |",
        "|---|---|---|---|",
    ]
    for e in _ENTRIES:
        lines.append(f"| [`{e.uri}`](#{e.slug}) | {e.status} | {e.title} | {'yes' if e.retry else ''} |")
    lines.append("")
    for e in _ENTRIES:
        lines += [
            f"### {e.slug}",
            "",
            f"`{e.uri}` - {e.status} {e.title}" + (f" (only the {e.service} service)" if e.service else ""),
            "",
            f"**When:** {e.when}",
            "",
            f"**What to do:** {e.what_to_do}",
            "",
        ]
    return "\n".join(lines)


def _main(argv: list[str] | None = None) -> int:
    from shared.generated_docs import page_command
    from shared.migrations import REPO_ROOT

    return page_command("shared.web.problem_types", REPO_ROOT / "docs" / "problems.md", render, __doc__)(argv)


main = _main

if __name__ == "__main__":
    sys.exit(main())
