"""The notices read-model schema: subscription checkpoints and dead letters.

Revision ID: notices_0001
"""

from alembic import op

from shared.eventlog.tables import subscription_tables_ddl

revision = "notices_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in subscription_tables_ddl("notices"):
        op.execute(statement)
    op.execute('GRANT USAGE ON SCHEMA "notices" TO education_service')
    op.execute(
        'ALTER DEFAULT PRIVILEGES IN SCHEMA "notices" '
        "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO education_service"
    )
    op.execute(
        'GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "notices" '
        "TO education_service"
    )


def downgrade() -> None:
    op.execute('DROP TABLE "notices".dead_letters')
    op.execute('DROP TABLE "notices".subscription_checkpoints')
