"""The schools read-model schema: subscription checkpoints and dead letters.

Revision ID: schools_0001
"""

from alembic import op

from shared.eventlog.tables import subscription_tables_ddl

revision = "schools_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in subscription_tables_ddl("schools"):
        op.execute(statement)
    op.execute('GRANT USAGE ON SCHEMA "schools" TO education_service')
    op.execute('ALTER DEFAULT PRIVILEGES IN SCHEMA "schools" '
               "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO education_service")
    op.execute('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "schools" '
               "TO education_service")


def downgrade() -> None:
    op.execute('DROP TABLE "schools".dead_letters')
    op.execute('DROP TABLE "schools".subscription_checkpoints')
