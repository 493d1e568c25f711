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
    # Issue 16 (Zalo as a full channel): Zalo updates already handled (a webhook Zalo
    # re-posts, or a restart, must not answer twice), a class manager's /broadcast draft
    # on Zalo (a conversation that survives restarts), and failed sends per Zalo chat
    # (a member is marked unreachable only on failures that last).
    [
        """
        CREATE TABLE zalo_seen_updates (
            message_id TEXT PRIMARY KEY,
            seen_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE zalo_drafts (
            chat_id TEXT PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE zalo_send_failures (
            chat_id TEXT PRIMARY KEY,
            first_failed_at TEXT NOT NULL,
            last_failed_at TEXT NOT NULL,
            failures INTEGER NOT NULL,
            last_error TEXT NOT NULL DEFAULT ''
        )
        """,
    ],
    # Issue 14: global admin is ADMIN_IDS (recomputed at each start: admin_configured)
    # plus explicit, audited promotions (admin_promoted, revoked by /demote); a removed
    # member's old invitation links no longer admit them (removals).
    [
        "ALTER TABLE persons ADD COLUMN admin_promoted INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE persons ADD COLUMN admin_configured INTEGER NOT NULL DEFAULT 0",
        """
        UPDATE persons SET admin_promoted = 1 WHERE id IN (
            SELECT CAST(json_extract(details, '$.person') AS INTEGER) FROM audit_log
            WHERE action = 'member.promote' AND json_extract(details, '$.to') = 'global admin')
        """,
        "UPDATE persons SET admin_configured = 1 WHERE is_admin = 1 AND admin_promoted = 0",
        """
        CREATE TABLE removals (
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            removed_at TEXT NOT NULL,
            removed_by INTEGER REFERENCES persons(id) ON DELETE SET NULL,
            last_invite_id INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (class_id, person_id)
        )
        """,
    ],
    # Issue 18 (what a trainee carries in their pocket): the roster (room, bus, seat …),
    # rosters waiting for Confirm, the class's contacts, per-session interpreter and
    # material links read from the workbook, and documents attached by managers.
    [
        """
        CREATE TABLE roster (
            id INTEGER PRIMARY KEY,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            row_no INTEGER NOT NULL,
            name TEXT NOT NULL,
            unit TEXT NOT NULL DEFAULT '',
            room TEXT NOT NULL DEFAULT '',
            roommate TEXT NOT NULL DEFAULT '',
            bus TEXT NOT NULL DEFAULT '',
            seat TEXT NOT NULL DEFAULT '',
            leader TEXT NOT NULL DEFAULT '',
            lang TEXT,
            phone TEXT NOT NULL DEFAULT '',
            person_id INTEGER REFERENCES persons(id) ON DELETE SET NULL,
            invite_hash TEXT,
            UNIQUE (class_id, row_no)
        )
        """,
        "CREATE UNIQUE INDEX roster_person ON roster (class_id, person_id) "
        "WHERE person_id IS NOT NULL",
        "CREATE UNIQUE INDEX roster_invite ON roster (invite_hash) WHERE invite_hash IS NOT NULL",
        """
        CREATE TABLE pending_rosters (
            id INTEGER PRIMARY KEY,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            rows TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
                ('pending', 'applied', 'cancelled')),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE class_contacts (
            class_id INTEGER PRIMARY KEY REFERENCES classes(id) ON DELETE CASCADE,
            data TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE session_extras (
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            session_key TEXT NOT NULL,
            interpreter TEXT NOT NULL DEFAULT '',
            interpret_into TEXT,
            lecture_lang TEXT,
            links TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (class_id, session_key)
        )
        """,
        """
        CREATE TABLE materials (
            id INTEGER PRIMARY KEY,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            session_key TEXT,
            topic_number INTEGER,
            title TEXT NOT NULL,
            file_id TEXT,
            link TEXT,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'attached')),
            added_by INTEGER REFERENCES persons(id) ON DELETE SET NULL,
            added_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX materials_class ON materials (class_id, state)",
    ],
    # Issue 17: attendance at every session (sign-in settings, the register), a rating per
    # lecture, the evaluation form and its answers, results and commendations, staged sheet
    # uploads, and the typed answer the bot waits for from a person (a code, a comment…).
    [
        """
        CREATE TABLE attendance_settings (
            class_id INTEGER PRIMARY KEY REFERENCES classes(id) ON DELETE CASCADE,
            opens_min INTEGER NOT NULL DEFAULT 15,
            closes_min INTEGER NOT NULL DEFAULT 30,
            code_minutes INTEGER NOT NULL DEFAULT 0,
            code_secret TEXT NOT NULL DEFAULT '',
            kinds TEXT NOT NULL DEFAULT 'lecture'
        )
        """,
        """
        CREATE TABLE signin_extra (
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            session_key TEXT NOT NULL,
            day TEXT NOT NULL,
            PRIMARY KEY (class_id, session_key, day)
        )
        """,
        """
        CREATE TABLE attendance (
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            session_key TEXT NOT NULL,
            day TEXT NOT NULL,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
            reason TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL,
            marked_by INTEGER REFERENCES persons(id) ON DELETE SET NULL,
            PRIMARY KEY (class_id, session_key, day, person_id)
        )
        """,
        "CREATE INDEX attendance_by_person ON attendance (class_id, person_id)",
        """
        CREATE TABLE lecture_ratings (
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            session_key TEXT NOT NULL,
            day TEXT NOT NULL,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
            comment TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL,
            PRIMARY KEY (class_id, session_key, day, person_id)
        )
        """,
        """
        CREATE TABLE evaluation_questions (
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('scale', 'text')),
            text TEXT NOT NULL,
            PRIMARY KEY (class_id, number)
        )
        """,
        """
        CREATE TABLE evaluation_answers (
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            score INTEGER CHECK (score BETWEEN 1 AND 5),
            text TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL,
            PRIMARY KEY (class_id, person_id, number)
        )
        """,
        """
        CREATE TABLE class_results (
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            grade TEXT NOT NULL CHECK (grade IN ('excellent', 'good', 'pass', 'not_completed')),
            commended INTEGER NOT NULL DEFAULT 0,
            reason TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (class_id, person_id)
        )
        """,
        """
        CREATE TABLE pending_sheets (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('results', 'evaluation')),
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            filename TEXT NOT NULL DEFAULT '',
            data BLOB NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
                ('pending', 'applied', 'cancelled', 'expired')),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE awaited_texts (
            person_id INTEGER PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            ref TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )
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
