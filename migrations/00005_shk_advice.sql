-- SHK and RÅDRUM: courses of civic and health communication with their sessions (WELCOME visits
-- among them), participants, attendance and completion; advice desks with their visits and
-- follow-ups. The audit trail learns the actions of these mutations.

-- +goose Up

-- A course of civic and health communication (SHK), given in one language by a communicator of
-- an organisation (usually a municipality). A participant completes it when the communicator
-- confirms it, which the server allows only after at least required_sessions attended sessions.
CREATE TABLE shk_course (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id   bigint      NOT NULL REFERENCES organisation (id),
    municipality_id   bigint      REFERENCES municipality (id),
    title             text        COLLATE swedish NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    language          text        NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
    communicator      text        NOT NULL CHECK (length(communicator) BETWEEN 1 AND 300),
    required_sessions int         NOT NULL CHECK (required_sessions BETWEEN 1 AND 100),
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shk_course_organisation_idx ON shk_course (organisation_id, id);

-- A session of a course: a lesson on a topic, or a WELCOME visit to an arena of the local
-- community (the library, the health centre, an association).
CREATE TABLE shk_session (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id bigint      NOT NULL REFERENCES shk_course (id) ON DELETE CASCADE,
    kind      text        NOT NULL CHECK (kind IN ('LESSON', 'WELCOME_VISIT')),
    starts_at timestamptz NOT NULL,
    ends_at   timestamptz NOT NULL CHECK (ends_at > starts_at),
    topic     text        NOT NULL CHECK (length(topic) BETWEEN 1 AND 200),
    place     text        NOT NULL CHECK (length(place) BETWEEN 1 AND 200)
);
CREATE INDEX shk_session_course_idx ON shk_session (course_id, starts_at, id);

-- A newcomer taking part in a course (category PARTICIPATION of the newcomer's data).
CREATE TABLE shk_participant (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id    bigint      NOT NULL REFERENCES shk_course (id) ON DELETE CASCADE,
    newcomer_id  bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    enrolled_at  timestamptz NOT NULL DEFAULT now(),
    enrolled_by  text        NOT NULL CHECK (length(enrolled_by) BETWEEN 1 AND 300),
    completed_at timestamptz,
    completed_by text        CHECK (length(completed_by) BETWEEN 1 AND 300),
    CHECK ((completed_at IS NULL) = (completed_by IS NULL)),
    UNIQUE (course_id, newcomer_id)
);
CREATE INDEX shk_participant_newcomer_idx ON shk_participant (newcomer_id, id);

-- Whether a participant attended a session; one row per participant and session, last word wins.
CREATE TABLE shk_attendance (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id     bigint      NOT NULL REFERENCES shk_session (id) ON DELETE CASCADE,
    participant_id bigint      NOT NULL REFERENCES shk_participant (id) ON DELETE CASCADE,
    present        boolean     NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    recorded_by    text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 300),
    UNIQUE (session_id, participant_id)
);
CREATE INDEX shk_attendance_participant_idx ON shk_attendance (participant_id, id);

-- A RÅDRUM advice desk of an organisation: a place where volunteer advisers receive newcomers.
CREATE TABLE advice_desk (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint      NOT NULL REFERENCES organisation (id),
    municipality_id bigint      REFERENCES municipality (id),
    name            text        COLLATE swedish NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    place           text        NOT NULL CHECK (length(place) BETWEEN 1 AND 200),
    opened_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);

-- A visit to an advice desk. newcomer_id is null for an anonymous visit; the desk's
-- organisation is the only one that sees it.
CREATE TABLE advice_visit (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    desk_id     bigint      NOT NULL REFERENCES advice_desk (id),
    visited_at  timestamptz NOT NULL,
    topic       text        NOT NULL CHECK (topic IN (
                                'HOUSING', 'WORK', 'HEALTH_CARE', 'SCHOOL', 'AUTHORITIES', 'FAMILY',
                                'MONEY', 'OTHER')),
    adviser     text        NOT NULL CHECK (length(adviser) BETWEEN 1 AND 300),
    newcomer_id bigint      REFERENCES newcomer (id) ON DELETE SET NULL,
    outcome     text        NOT NULL CHECK (length(outcome) BETWEEN 1 AND 2000),
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX advice_visit_desk_idx ON advice_visit (desk_id, visited_at, id);
CREATE INDEX advice_visit_newcomer_idx ON advice_visit (newcomer_id) WHERE newcomer_id IS NOT NULL;

-- A follow-up of a visit: what to do, by when.
CREATE TABLE advice_follow_up (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    visit_id    bigint      NOT NULL REFERENCES advice_visit (id) ON DELETE CASCADE,
    due_at      timestamptz NOT NULL,
    note        text        NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 300)
);
CREATE INDEX advice_follow_up_visit_idx ON advice_follow_up (visit_id, due_at, id);

-- The audit trail's SHK and RÅDRUM actions pass the shape check of 00004; the application's
-- enumeration lists them.

-- +goose Down
DROP TABLE advice_follow_up;
DROP TABLE advice_visit;
DROP TABLE advice_desk;
DROP TABLE shk_attendance;
DROP TABLE shk_participant;
DROP TABLE shk_session;
DROP TABLE shk_course;
