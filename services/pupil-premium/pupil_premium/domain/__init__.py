"""The pure domain of Pupil Premium Plus (domain.md section 3).

Everything that happens to a financial year's PP+ budget - the grant, top-slices for central
provision, requests from designated teachers, panel decisions, school projects, payment runs and
the impact recorded at the next PEP review - is an event on that year's budget stream
(``ppbudget-2024-25``). One stream per year is the consistency boundary: an approval is a decision
against the budget, so approvals made at the same moment are serialised by the event log's
expected-version check and the budget can never be overspent.

Nothing here does I/O or reads a clock: dates, ids, the facts about children taken from the PEP
service's events, the term dates, the rates table and the devolution policy are passed in.
"""
