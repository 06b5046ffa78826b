"""The notices service's read models: the schools' facts folded from the schools service's events,
one row per warning notice, intervention, direction and academy written to (each with its folded
state), and every deadline still to fire. Every table is filled by a projection from the log and
can be emptied and rebuilt from it.

Revision ID: notices_0002
"""

from alembic import op

revision = "notices_0002"
down_revision = "notices_0001"
branch_labels = None
depends_on = None

TABLES = (
    """
    CREATE TABLE notices.school_facts (
        urn         text    PRIMARY KEY,
        registered  boolean NOT NULL,
        name        text    NOT NULL,
        status      text    NOT NULL,
        maintained  boolean NOT NULL,
        academy     boolean NOT NULL,
        facts       jsonb   NOT NULL,
        position    bigint  NOT NULL
    )
    """,
    """
    CREATE TABLE notices.notices (
        notice_id                 text    PRIMARY KEY,
        urn                       text    NOT NULL,
        school_name               text    NOT NULL,
        stage                     text    NOT NULL,
        rules                     text,
        direction_id              text,
        drafted_on                date,
        given_on                  date,
        compliance_period_ends_on date,
        version                   integer NOT NULL,
        position                  bigint  NOT NULL,
        state                     jsonb   NOT NULL
    )
    """,
    "CREATE INDEX notices_urn_idx ON notices.notices (urn)",
    "CREATE INDEX notices_stage_idx ON notices.notices (stage)",
    """
    CREATE TABLE notices.interventions (
        urn       text    PRIMARY KEY,
        version   integer NOT NULL,
        position  bigint  NOT NULL,
        state     jsonb   NOT NULL
    )
    """,
    """
    CREATE TABLE notices.directions (
        direction_id     text    PRIMARY KEY,
        urn              text,
        given_on         date,
        response_due_on  date,
        version          integer NOT NULL,
        position         bigint  NOT NULL,
        state            jsonb   NOT NULL
    )
    """,
    "CREATE INDEX directions_urn_idx ON notices.directions (urn)",
    """
    CREATE TABLE notices.academy_concerns (
        urn          text    PRIMARY KEY,
        school_name  text    NOT NULL,
        trust_name   text,
        version      integer NOT NULL,
        position     bigint  NOT NULL,
        state        jsonb   NOT NULL
    )
    """,
    """
    CREATE TABLE notices.deadlines (
        stream_id    text NOT NULL,
        kind         text NOT NULL,
        reference    text NOT NULL,
        urn          text NOT NULL,
        due_on       date NOT NULL,
        fires_on     date NOT NULL,
        description  text NOT NULL,
        PRIMARY KEY (stream_id, kind, reference)
    )
    """,
    "CREATE INDEX deadlines_fires_on_idx ON notices.deadlines (fires_on)",
    "CREATE INDEX deadlines_due_on_idx ON notices.deadlines (due_on)",
)

DROPPED = ("deadlines", "academy_concerns", "directions", "interventions", "notices", "school_facts")


def upgrade() -> None:
    for statement in TABLES:
        op.execute(statement)


def downgrade() -> None:
    for table in DROPPED:
        op.execute(f'DROP TABLE "notices"."{table}"')
