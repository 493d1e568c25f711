"""Schema migrations, applied in order at start-up (``PRAGMA user_version`` counts them).

Append new migrations at the end; never edit one that has shipped. Conventions:
dates are ISO ``YYYY-MM-DD``; wall-clock times ``HH:MM`` local to the class;
instants are UTC text from :func:`bot.store.database.utc_text`; localized text
is a JSON object ``{"vi": …, "lo": …, "en": …}``.
"""

from __future__ import annotations

_V1_CLASSES = [
    """
    CREATE TABLE classes (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        organiser TEXT NOT NULL DEFAULT '',
        venue TEXT NOT NULL DEFAULT '',
        timezone TEXT NOT NULL,
        first_day TEXT NOT NULL,
        last_day TEXT NOT NULL,
        default_lang TEXT NOT NULL CHECK (default_lang IN ('vi', 'lo', 'en')),
        reminder_time TEXT NOT NULL DEFAULT '06:30',
        evening_notice_time TEXT NOT NULL DEFAULT '20:00',
        departure_reminder_min INTEGER NOT NULL DEFAULT 30,
        rollcall_report_min INTEGER NOT NULL DEFAULT 10,
        live_version_id INTEGER,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE schedule_versions (
        id INTEGER PRIMARY KEY,
        class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        created_by_person INTEGER REFERENCES persons(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        source_name TEXT NOT NULL DEFAULT '',
        source_hash TEXT NOT NULL,
        row_count INTEGER NOT NULL,
        class_data TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        UNIQUE (class_id, number)
    )
    """,
    """
    CREATE TABLE topics (
        version_id INTEGER NOT NULL REFERENCES schedule_versions(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        block TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL,
        lecturer TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (version_id, number)
    )
    """,
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        version_id INTEGER NOT NULL REFERENCES schedule_versions(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        day TEXT NOT NULL,
        start TEXT NOT NULL,
        end TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        topic_number INTEGER,
        lecturer TEXT NOT NULL DEFAULT '',
        venue TEXT NOT NULL DEFAULT '',
        meeting_point TEXT NOT NULL DEFAULT '{}',
        departure TEXT,
        return_time TEXT,
        transport TEXT NOT NULL DEFAULT '{}',
        dress_code TEXT NOT NULL DEFAULT '{}',
        bring TEXT NOT NULL DEFAULT '{}',
        latitude REAL,
        longitude REAL,
        notes TEXT NOT NULL DEFAULT '{}',
        UNIQUE (version_id, key)
    )
    """,
    "CREATE INDEX sessions_by_day ON sessions (version_id, day, start)",
]

_V1_PEOPLE = [
    """
    CREATE TABLE persons (
        id INTEGER PRIMARY KEY,
        display_name TEXT NOT NULL,
        lang TEXT CHECK (lang IN ('vi', 'lo', 'en')),
        active_class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL,
        is_admin INTEGER NOT NULL DEFAULT 0,
        last_channel TEXT,
        remind INTEGER NOT NULL DEFAULT 1,
        digest_time TEXT,
        quiet_start TEXT NOT NULL DEFAULT '22:00',
        quiet_end TEXT NOT NULL DEFAULT '06:00',
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE identities (
        channel TEXT NOT NULL,
        external_id TEXT NOT NULL,
        person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        chat_id TEXT NOT NULL,
        username TEXT NOT NULL DEFAULT '',
        language_code TEXT,
        reachable INTEGER NOT NULL DEFAULT 1,
        unreachable_reason TEXT NOT NULL DEFAULT '',
        last_seen_at TEXT,
        PRIMARY KEY (channel, external_id)
    )
    """,
    "CREATE INDEX identities_by_person ON identities (person_id)",
    """
    CREATE TABLE members (
        class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'trainee')),
        joined_at TEXT NOT NULL,
        PRIMARY KEY (class_id, person_id)
    )
    """,
    "CREATE INDEX members_by_person ON members (person_id)",
    """
    CREATE TABLE invites (
        id INTEGER PRIMARY KEY,
        code_hash TEXT NOT NULL UNIQUE,
        class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'trainee')),
        max_uses INTEGER NOT NULL,
        uses INTEGER NOT NULL DEFAULT 0,
        expires_at TEXT NOT NULL,
        revoked_at TEXT,
        created_by INTEGER REFERENCES persons(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE group_chats (
        channel TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        linked_by INTEGER REFERENCES persons(id) ON DELETE SET NULL,
        linked_at TEXT NOT NULL,
        PRIMARY KEY (channel, chat_id)
    )
    """,
    """
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor_person_id INTEGER REFERENCES persons(id) ON DELETE SET NULL,
        actor TEXT NOT NULL,
        class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL,
        action TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}'
    )
    """,
    "CREATE INDEX audit_by_class ON audit_log (class_id, at)",
]

_V1_OUTBOX = [
    """
    CREATE TABLE announcements (
        id INTEGER PRIMARY KEY,
        class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        sender_person_id INTEGER REFERENCES persons(id) ON DELETE SET NULL,
        audience TEXT NOT NULL,
        body TEXT NOT NULL,
        media TEXT,
        needs_ack INTEGER NOT NULL DEFAULT 0,
        ack_reminder_at TEXT,
        ack_reminded_at TEXT,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE acks (
        announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        acked_at TEXT NOT NULL,
        PRIMARY KEY (announcement_id, person_id)
    )
    """,
    """
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        dedup_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        class_id INTEGER REFERENCES classes(id) ON DELETE CASCADE,
        person_id INTEGER REFERENCES persons(id) ON DELETE CASCADE,
        channel TEXT,
        chat_id TEXT,
        announcement_id INTEGER REFERENCES announcements(id) ON DELETE CASCADE,
        payload TEXT NOT NULL,
        urgent INTEGER NOT NULL DEFAULT 0,
        not_before TEXT NOT NULL,
        expires_at TEXT,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
            ('pending', 'sending', 'sent', 'failed', 'unreachable', 'expired', 'uncertain')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        sent_channel TEXT,
        sent_message_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT
    )
    """,
    "CREATE INDEX outbox_due ON outbox (state, not_before)",
    "CREATE INDEX outbox_by_announcement ON outbox (announcement_id)",
    """
    CREATE TABLE checkins (
        class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        session_key TEXT NOT NULL,
        day TEXT NOT NULL,
        person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        marked_by INTEGER REFERENCES persons(id) ON DELETE SET NULL,
        PRIMARY KEY (class_id, session_key, day, person_id)
    )
    """,
]

MIGRATIONS: list[list[str]] = [
    _V1_CLASSES + _V1_PEOPLE + _V1_OUTBOX,
    # Numbered choices last shown per chat (channels without buttons: Zalo) and
    # one-time codes that link a person's accounts on two channels.
    [
        """
        CREATE TABLE pending_choices (
            channel TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            actions TEXT NOT NULL,
            shown_at TEXT NOT NULL,
            PRIMARY KEY (channel, chat_id)
        )
        """,
        """
        CREATE TABLE link_codes (
            code_hash TEXT PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )
        """,
    ],
    # Uploaded schedule files waiting for the organiser's Confirm (at most one open per
    # class: the per-class lock), and the change-notice batching windows per class.
    [
        """
        CREATE TABLE pending_uploads (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('upload', 'newclass', 'rollback')),
            class_code TEXT NOT NULL COLLATE NOCASE,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            filename TEXT NOT NULL DEFAULT '',
            data BLOB,
            source_hash TEXT NOT NULL DEFAULT '',
            rollback_number INTEGER,
            base_version_id INTEGER,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
                ('pending', 'applied', 'cancelled', 'expired', 'stale')),
            version_id INTEGER,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            closed_at TEXT
        )
        """,
        "CREATE UNIQUE INDEX pending_upload_per_class ON pending_uploads (class_code) "
        "WHERE state = 'pending'",
        """
        CREATE TABLE change_windows (
            id INTEGER PRIMARY KEY,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            base_version_id INTEGER REFERENCES schedule_versions(id) ON DELETE SET NULL,
            opened_at TEXT NOT NULL,
            closed_at TEXT,
            notices INTEGER NOT NULL DEFAULT 0
        )
        """,
        "CREATE UNIQUE INDEX open_change_window ON change_windows (class_id) "
        "WHERE closed_at IS NULL",
    ],
    # Resumable several-part replies: how many parts already reached which chat
    # ("<channel>:<chat_id>"), so a retry there skips them instead of repeating them.
    [
        "ALTER TABLE outbox ADD COLUMN parts_done INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE outbox ADD COLUMN parts_route TEXT",
    ],
    # Topic blocks ("the part of the programme") become localized text like titles: a
    # stored plain block is the text in its version's default language.
    [
        """
        UPDATE topics SET block = CASE WHEN block = '' THEN '{}' ELSE json_object(
            (SELECT json_extract(v.class_data, '$.default_lang') FROM schedule_versions v
             WHERE v.id = topics.version_id),
            block) END
        WHERE block NOT LIKE '{%'
        """,
    ],
    # Issue 12: column mappings an organiser chose for a programme the bot could not read
    # by itself, remembered per class: a header's text (folded) means this field.
    [
        """
        CREATE TABLE column_maps (
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            header TEXT NOT NULL,
            field TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (class_id, header)
        )
        """,
    ],
]
"""Each entry is one migration: a list of statements run in one transaction."""
