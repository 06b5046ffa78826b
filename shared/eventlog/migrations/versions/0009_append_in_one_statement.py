"""A group of appends written in one statement: ``eventlog.append_group``.

The writer used to spend five round trips on each group (begin, take the append lock, read the
head, stream versions and idempotency keys, write, commit), all of them with the append lock
held, so every other process's appends waited through them. This function does the whole group
in one statement, sent as its own transaction: it takes the lock, reads the head, the streams'
versions and the idempotency keys, decides for each append whether it is written, a version
conflict or an idempotency key already used, numbers and chains the written events and inserts
them. The lock is held for one round trip and the commit.

The chain is computed here, where the head's hash is: each event's hash is
sha256(prev_hash || content), and the content (the canonical JSON text of the event) is sent in
three pieces around its position and stream version, which only this function knows
(shared/eventlog/hashing.py ``content_pieces``). Decimal whole numbers are written the same way by
Python and by PostgreSQL, so the content is the same bytes the verifier recomputes.

Which of the caller's idempotency keys is the same request is decided by the caller (it is told
the stored fingerprint), so that rule stays in one place (shared/eventlog/store.py).

Revision ID: 0009
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# CREATE OR REPLACE: a log kept at an older revision for a test of an upgrade is given the
# function too, so today's store can write to it, and this migration then runs over it.
# Ranges are given as "first index" arrays one longer than what they divide: append a's stream
# entries are append_entries[a] .. append_entries[a+1] - 1, and entry x's events are
# entry_events[x] .. entry_events[x+1] - 1 (1-based, as PostgreSQL arrays are).
APPEND_GROUP = """
CREATE OR REPLACE FUNCTION eventlog.append_group(
    lock_key                bigint,
    recorded_at             timestamptz,
    channel                 text,
    stream_ids              text[],
    append_keys             text[],
    append_fingerprints     bytea[],
    append_metadata         text[],
    append_entries          int[],
    entry_streams           int[],
    entry_expected          int[],
    entry_events            int[],
    event_types             text[],
    event_schema_versions   int[],
    event_data              text[],
    event_effective_dates   date[],
    event_subjects          text[],
    event_heads             bytea[],
    event_middles           bytea[],
    event_tails             bytea[]
) RETURNS TABLE (
    append_index    int,
    outcome         text,
    stream_index    int,
    first_position  bigint,
    last_position   bigint,
    digest          bytea,
    hashes          bytea[],
    stream_versions int[]
) LANGUAGE plpgsql AS $$
DECLARE
    head_position   bigint := 0;
    head_hash       bytea := decode(repeat('00', 32), 'hex');
    versions        int[];
    n_events        int := coalesce(array_length(event_types, 1), 0);
    positions       bigint[] := array_fill(NULL::bigint, ARRAY[n_events]);
    ev_versions     int[] := array_fill(NULL::int, ARRAY[n_events]);
    ev_streams      text[] := array_fill(NULL::text, ARRAY[n_events]);
    ev_metadata     text[] := array_fill(NULL::text, ARRAY[n_events]);
    prevs           bytea[] := array_fill(NULL::bytea, ARRAY[n_events]);
    digests         bytea[] := array_fill(NULL::bytea, ARRAY[n_events]);
    new_keys        text[] := '{}';
    new_firsts      bigint[] := '{}';
    new_lasts       bigint[] := '{}';
    new_prints      bytea[] := '{}';
    a               int;
    x               int;
    e               int;
    k               int;
    v               int;
    conflict        int;
    first           bigint;
    first_event     int;
    first_prev      bytea;
    known           record;
    written         boolean := false;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    -- Read after the lock: each statement of a READ COMMITTED transaction sees every append
    -- committed before it, so this is the true head.
    SELECT ev.position, ev.hash INTO known FROM eventlog.events ev ORDER BY ev.position DESC LIMIT 1;
    IF FOUND THEN
        head_position := known.position;
        head_hash := known.hash;
    END IF;
    versions := ARRAY(
        SELECT coalesce((SELECT ev.stream_version FROM eventlog.events ev WHERE ev.stream_id = s.id
                         ORDER BY ev.stream_version DESC LIMIT 1), 0)
        FROM unnest(stream_ids) WITH ORDINALITY AS s(id, n) ORDER BY s.n
    );

    FOR a IN 1 .. coalesce(array_length(append_keys, 1), 0) LOOP
        IF append_keys[a] IS NOT NULL THEN
            k := array_position(new_keys, append_keys[a]);
            IF k IS NOT NULL THEN
                RETURN QUERY SELECT a, 'known', NULL::int, new_firsts[k], new_lasts[k], new_prints[k],
                                    NULL::bytea[], NULL::int[];
                CONTINUE;
            END IF;
            SELECT ik.first_position, ik.last_position, ik.request_fingerprint INTO known
              FROM eventlog.idempotency_keys ik WHERE ik.key = append_keys[a];
            IF FOUND THEN
                RETURN QUERY SELECT a, 'known', NULL::int, known.first_position, known.last_position,
                                    known.request_fingerprint, NULL::bytea[], NULL::int[];
                CONTINUE;
            END IF;
        END IF;

        conflict := NULL;
        FOR x IN append_entries[a] .. append_entries[a + 1] - 1 LOOP
            IF entry_expected[x] IS NOT NULL AND entry_expected[x] <> versions[entry_streams[x]] THEN
                conflict := x;
                EXIT;
            END IF;
        END LOOP;
        IF conflict IS NOT NULL THEN
            RETURN QUERY SELECT a, 'conflict', entry_streams[conflict], versions[entry_streams[conflict]]::bigint,
                                NULL::bigint, NULL::bytea, NULL::bytea[], NULL::int[];
            CONTINUE;
        END IF;

        written := true;
        first := head_position + 1;
        first_prev := head_hash;
        first_event := entry_events[append_entries[a]];
        FOR x IN append_entries[a] .. append_entries[a + 1] - 1 LOOP
            v := versions[entry_streams[x]];
            FOR e IN entry_events[x] .. entry_events[x + 1] - 1 LOOP
                head_position := head_position + 1;
                v := v + 1;
                positions[e] := head_position;
                ev_versions[e] := v;
                ev_streams[e] := stream_ids[entry_streams[x]];
                ev_metadata[e] := append_metadata[a];
                prevs[e] := head_hash;
                head_hash := sha256(head_hash || event_heads[e] || convert_to(head_position::text, 'UTF8')
                                    || event_middles[e] || convert_to(v::text, 'UTF8') || event_tails[e]);
                digests[e] := head_hash;
            END LOOP;
            versions[entry_streams[x]] := v;
        END LOOP;
        IF append_keys[a] IS NOT NULL THEN
            new_keys := new_keys || append_keys[a];
            new_firsts := new_firsts || first;
            new_lasts := new_lasts || head_position;
            new_prints := new_prints || append_fingerprints[a];
        END IF;
        RETURN QUERY SELECT a, 'appended', NULL::int, first, head_position, first_prev,
                            digests[first_event : first_event + (head_position - first)::int],
                            ev_versions[first_event : first_event + (head_position - first)::int];
    END LOOP;

    IF written THEN
        INSERT INTO eventlog.events (position, stream_id, stream_version, event_type, schema_version, data,
                                     metadata, effective_date, recorded_at, subjects, prev_hash, hash)
        SELECT u.p, u.s, u.v, u.t, u.sv, u.d::jsonb, u.m::jsonb, u.ed, recorded_at,
               ARRAY(SELECT jsonb_array_elements_text(u.subj::jsonb)), u.ph, u.h
          FROM unnest(positions, ev_streams, ev_versions, event_types, event_schema_versions, event_data,
                      ev_metadata, event_effective_dates, event_subjects, prevs, digests)
               AS u(p, s, v, t, sv, d, m, ed, subj, ph, h)
         WHERE u.p IS NOT NULL
         ORDER BY u.p;
        INSERT INTO eventlog.idempotency_keys (key, first_position, last_position, request_fingerprint)
        SELECT * FROM unnest(new_keys, new_firsts, new_lasts, new_prints);
        PERFORM pg_notify(channel, head_position::text);
    END IF;
END
$$
"""


def upgrade() -> None:
    op.execute(APPEND_GROUP)


def downgrade() -> None:
    op.execute(
        "DROP FUNCTION eventlog.append_group(bigint, timestamptz, text, text[], text[], bytea[], text[], int[], "
        "int[], int[], int[], text[], int[], text[], date[], text[], bytea[], bytea[], bytea[])"
    )
