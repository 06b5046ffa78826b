"""The PP+ read models: what the pep service's events say about each child, the request register,
the reviewed outcomes of funded targets, the budget ledger, school projects and payment runs.
Every table is filled by a projection from the log and can be emptied and rebuilt from it.

Revision ID: pupil_premium_0002
"""

from alembic import op

revision = "pupil_premium_0002"
down_revision = "pupil_premium_0001"
branch_labels = None
depends_on = None

TABLES = (
    """
    CREATE TABLE pupil_premium.child_facts (
        child_id       text   PRIMARY KEY,
        facts          jsonb  NOT NULL,
        last_position  bigint NOT NULL
    )
    """,
    """
    CREATE TABLE pupil_premium.requests (
        financial_year          text    NOT NULL,
        request_id              text    NOT NULL,
        requested_position      bigint  NOT NULL,
        child_id                text    NOT NULL,
        school_urn              text    NOT NULL,
        term                    text    NOT NULL,
        pep_id                  text    NOT NULL,
        targets                 jsonb   NOT NULL,
        intervention_type       text    NOT NULL,
        intervention            text    NOT NULL,
        policy                  text    NOT NULL,
        amount_requested_pence  bigint  NOT NULL,
        amount_approved_pence   bigint  NOT NULL DEFAULT 0,
        status                  text    NOT NULL,
        decision                text,
        requested_on            date    NOT NULL,
        requested_by            text    NOT NULL,
        decided_on              date,
        reasons                 jsonb   NOT NULL DEFAULT '[]',
        panel_members           jsonb   NOT NULL DEFAULT '[]',
        questions               jsonb   NOT NULL DEFAULT '[]',
        information             jsonb   NOT NULL DEFAULT '[]',
        run_id                  text,
        scheduled_on            date,
        paid_on                 date,
        finance_reference       text,
        withdrawn_on            date,
        withdrawal_reason       text,
        impact_recorded_on      date,
        history                 jsonb   NOT NULL,
        PRIMARY KEY (financial_year, request_id)
    )
    """,
    "CREATE UNIQUE INDEX requests_order_idx ON pupil_premium.requests (financial_year, requested_position)",
    "CREATE INDEX requests_school_idx ON pupil_premium.requests (school_urn, financial_year)",
    "CREATE INDEX requests_child_idx ON pupil_premium.requests (child_id)",
    """
    CREATE TABLE pupil_premium.impact_outcomes (
        financial_year  text    NOT NULL,
        request_id      text    NOT NULL,
        pep_id          text    NOT NULL,
        reviewed_on     date    NOT NULL,
        spend_pence     bigint  NOT NULL,
        paid            boolean NOT NULL,
        outcomes        jsonb   NOT NULL,
        PRIMARY KEY (financial_year, request_id)
    )
    """,
    """
    CREATE TABLE pupil_premium.ledger_entries (
        position        bigint  NOT NULL,
        line            integer NOT NULL,
        financial_year  text    NOT NULL,
        day             date    NOT NULL,
        kind            text    NOT NULL,
        amount_pence    bigint  NOT NULL,
        item            text,
        item_id         text,
        label           text,
        school_urn      text,
        category        text,
        child_ids       text[]  NOT NULL DEFAULT '{}',
        PRIMARY KEY (position, line)
    )
    """,
    "CREATE INDEX ledger_entries_year_idx ON pupil_premium.ledger_entries (financial_year, day)",
    """
    CREATE TABLE pupil_premium.ledger_project_cohorts (
        financial_year  text   NOT NULL,
        project_id      text   NOT NULL,
        child_ids       text[] NOT NULL,
        PRIMARY KEY (financial_year, project_id)
    )
    """,
    """
    CREATE TABLE pupil_premium.projects (
        financial_year          text    NOT NULL,
        project_id              text    NOT NULL,
        proposed_position       bigint  NOT NULL,
        school_urn              text    NOT NULL,
        title                   text    NOT NULL,
        plan                    text    NOT NULL,
        child_ids               text[]  NOT NULL,
        milestones              jsonb   NOT NULL,
        amount_requested_pence  bigint  NOT NULL,
        amount_approved_pence   bigint  NOT NULL DEFAULT 0,
        status                  text    NOT NULL,
        proposed_on             date    NOT NULL,
        proposed_by             text    NOT NULL,
        decided_on              date,
        reasons                 jsonb   NOT NULL DEFAULT '[]',
        panel_members           jsonb   NOT NULL DEFAULT '[]',
        run_id                  text,
        paid_on                 date,
        PRIMARY KEY (financial_year, project_id)
    )
    """,
    "CREATE INDEX projects_school_idx ON pupil_premium.projects (school_urn, financial_year)",
    """
    CREATE TABLE pupil_premium.payment_runs (
        financial_year     text    NOT NULL,
        run_id             text    NOT NULL,
        scheduled_position bigint  NOT NULL,
        status             text    NOT NULL,
        lines              jsonb   NOT NULL,
        total_pence        bigint  NOT NULL,
        scheduled_on       date    NOT NULL,
        paid_on            date,
        finance_reference  text,
        cancelled_on       date,
        cancellation_reason text,
        PRIMARY KEY (financial_year, run_id)
    )
    """,
)

TABLE_NAMES = (
    "payment_runs",
    "projects",
    "ledger_project_cohorts",
    "ledger_entries",
    "impact_outcomes",
    "requests",
    "child_facts",
)


def upgrade() -> None:
    for statement in TABLES:
        op.execute(statement)


def downgrade() -> None:
    for name in TABLE_NAMES:
        op.execute(f"DROP TABLE pupil_premium.{name}")
