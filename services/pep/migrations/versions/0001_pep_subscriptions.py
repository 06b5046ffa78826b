"""The pep read-model schema: subscription checkpoints and dead letters.

Revision ID: pep_0001
"""

from alembic import op

from shared.eventlog.tables import subscription_tables_ddl

revision = "pep_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in subscription_tables_ddl("pep"):
        op.execute(statement)
    op.execute('GRANT USAGE ON SCHEMA "pep" TO education_service')
    op.execute('ALTER DEFAULT PRIVILEGES IN SCHEMA "pep" '
               "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO education_service")
    op.execute('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "pep" '
               "TO education_service")


def downgrade() -> None:
    op.execute('DROP TABLE "pep".dead_letters')
    op.execute('DROP TABLE "pep".subscription_checkpoints')
