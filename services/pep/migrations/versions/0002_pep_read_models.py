"""The virtual school's read models: children and their school places, PEPs, reviews, exclusions,
targets, statutory PEP deadlines and school-concern alerts. Every table is filled by a projection
from the log and can be emptied and rebuilt from it.

Revision ID: pep_0002
"""

from alembic import op

revision = "pep_0002"
down_revision = "pep_0001"
branch_labels = None
depends_on = None

TABLES = (
    """
    CREATE TABLE pep.children (
        child_id                      text PRIMARY KEY,
        name                          text    NOT NULL,
        date_of_birth                 date    NOT NULL,
        care_status                   text    NOT NULL,
        legal_status                  text,
        placing_authority             text,
        social_worker                 text,
        carer                         text,
        independent_reviewing_officer text,
        sen_status                    text    NOT NULL,
        year_group                    text,
        entered_care_on               date,
        left_care_on                  date,
        current_urn                   text,
        on_roll_since                 date,
        awaiting_place_since          date,
        school_days_lost              integer NOT NULL DEFAULT 0,
        stream_version                integer NOT NULL
    )
    """,
    "CREATE INDEX children_roll_idx ON pep.children (care_status, current_urn)",
    """
    CREATE TABLE pep.care_episodes (
        child_id    text NOT NULL,
        entered_on  date NOT NULL,
        left_on     date,
        left_reason text,
        PRIMARY KEY (child_id, entered_on)
    )
    """,
    """
    CREATE TABLE pep.school_places (
        child_id    text NOT NULL,
        urn         text NOT NULL,
        start_date  date NOT NULL,
        end_date    date,
        PRIMARY KEY (child_id, start_date)
    )
    """,
    "CREATE INDEX school_places_urn_idx ON pep.school_places (urn, start_date)",
    """
    CREATE TABLE pep.peps (
        pep_id             text    NOT NULL,
        child_id           text    NOT NULL,
        term_year          integer NOT NULL,
        term_season        text    NOT NULL,
        term_order         integer NOT NULL,
        occasion           text    NOT NULL,
        status             text    NOT NULL,
        urn                text,
        initiated_on       date    NOT NULL,
        submitted_on       date,
        returned_on        date,
        returned_reason    text,
        quality_assured_on date,
        rating             text,
        comments           text,
        completed_on       date,
        due_on             date,
        completed_in_time  boolean,
        PRIMARY KEY (child_id, pep_id)
    )
    """,
    """
    CREATE TABLE pep.pep_reviews (
        child_id              text    NOT NULL,
        pep_id                text    NOT NULL,
        term_year             integer NOT NULL,
        term_season           text    NOT NULL,
        urn                   text,
        meeting_date          date    NOT NULL,
        attendance_percentage numeric NOT NULL,
        attendance_from       date    NOT NULL,
        attendance_to         date    NOT NULL,
        persistent_absence    boolean NOT NULL,
        target_progress       jsonb   NOT NULL,
        PRIMARY KEY (child_id, pep_id)
    )
    """,
    """
    CREATE TABLE pep.exclusions (
        child_id     text    NOT NULL,
        pep_id       text    NOT NULL,
        ordinal      integer NOT NULL,
        urn          text,
        kind         text    NOT NULL,
        first_day    date    NOT NULL,
        school_days  numeric,
        reason       text    NOT NULL,
        unofficial   boolean NOT NULL,
        reported_on  date    NOT NULL,
        PRIMARY KEY (child_id, pep_id, ordinal)
    )
    """,
    """
    CREATE TABLE pep.targets (
        child_id        text    NOT NULL,
        target_id       text    NOT NULL,
        pep_id          text    NOT NULL,
        subject_or_area text    NOT NULL,
        baseline        text    NOT NULL,
        target          text    NOT NULL,
        by_when         date    NOT NULL,
        who             text    NOT NULL,
        in_force        boolean NOT NULL DEFAULT false,
        closed          boolean NOT NULL DEFAULT false,
        latest_status   text,
        progress        jsonb   NOT NULL DEFAULT '[]'::jsonb,
        PRIMARY KEY (child_id, target_id)
    )
    """,
    """
    CREATE TABLE pep.pep_deadlines (
        child_id           text NOT NULL,
        obligation_key     text NOT NULL,
        kind               text NOT NULL,
        clock_started_on   date NOT NULL,
        due_on             date NOT NULL,
        term_year          integer,
        term_season        text,
        term_order         integer,
        urn                text,
        met_on             date,
        entered_care_on    date NOT NULL,
        overdue_noticed_on date,
        PRIMARY KEY (child_id, obligation_key)
    )
    """,
    "CREATE INDEX pep_deadlines_term_idx ON pep.pep_deadlines (term_year, term_order, urn)",
    """
    CREATE TABLE pep.alerts (
        alert_id          text PRIMARY KEY,
        child_id          text   NOT NULL,
        urn               text   NOT NULL,
        concern           text   NOT NULL,
        concern_on        date   NOT NULL,
        detail            text   NOT NULL,
        source_event_type text   NOT NULL,
        source_event_id   text   NOT NULL,
        children_on_roll  text[] NOT NULL,
        raised_on         date   NOT NULL,
        status            text   NOT NULL,
        acknowledged_on   date,
        actioned_on       date,
        action            text,
        notes             text
    )
    """,
    "CREATE INDEX alerts_status_idx ON pep.alerts (status, urn)",
)

NAMES = (
    "alerts",
    "pep_deadlines",
    "targets",
    "exclusions",
    "pep_reviews",
    "peps",
    "school_places",
    "care_episodes",
    "children",
)


def upgrade() -> None:
    for statement in TABLES:
        op.execute(statement)
    op.execute(
        'GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "pep" TO education_service'
    )


def downgrade() -> None:
    for name in NAMES:
        op.execute(f"DROP TABLE pep.{name}")
