-- NAD activities in full, shaped on Open Referral HSDS 3 (service, location, schedule, language,
-- eligibility, cost, contact): bilingual texts, category, languages, target groups, place or
-- online, a recurring schedule in Europe/Stockholm time with its occurrences expanded, capacity,
-- cost, contact and co-organisers; enrolments with a waitlist; idempotency keys of mutations;
-- and the change log that live subscriptions on every replica read.

-- +goose Up

ALTER TABLE activity
    ADD COLUMN title_en        text    NOT NULL DEFAULT '' CHECK (length(title_en) <= 200),
    ADD COLUMN description_en  text    NOT NULL DEFAULT '' CHECK (length(description_en) <= 10000),
    ADD COLUMN category        text    NOT NULL DEFAULT 'SOCIAL_MEETING_PLACE' CHECK (category IN (
                                           'LANGUAGE_PRACTICE', 'SPORTS', 'CULTURE', 'HEALTH', 'PARENTING',
                                           'CIVIC_ORIENTATION', 'WORK_AND_STUDY', 'SOCIAL_MEETING_PLACE')),
    ADD COLUMN languages       text[]  NOT NULL DEFAULT '{sv}'
                                       CHECK (cardinality(languages) BETWEEN 1 AND 20
                                              AND array_to_string(languages, ',') ~ '^[a-z]{2,3}(,[a-z]{2,3})*$'),
    ADD COLUMN target_groups   text[]  NOT NULL DEFAULT '{EVERYONE}'
                                       CHECK (cardinality(target_groups) > 0 AND target_groups <@ ARRAY[
                                           'CHILDREN', 'YOUTH', 'WOMEN', 'MEN', 'PARENTS', 'FAMILIES', 'SENIORS',
                                           'EVERYONE']::text[]),
    ADD COLUMN accessibility   text    NOT NULL DEFAULT '' CHECK (length(accessibility) <= 2000),
    ADD COLUMN online          boolean NOT NULL DEFAULT false,
    ADD COLUMN online_url      text    CHECK (online_url ~ '^https://' AND length(online_url) <= 500),
    ADD COLUMN address         text    CHECK (length(address) BETWEEN 1 AND 300),
    ADD COLUMN latitude        double precision CHECK (latitude BETWEEN -90 AND 90),
    ADD COLUMN longitude       double precision CHECK (longitude BETWEEN -180 AND 180),
    ADD COLUMN starts_at       timestamptz,
    ADD COLUMN duration_minutes int    NOT NULL DEFAULT 60 CHECK (duration_minutes BETWEEN 1 AND 1440),
    ADD COLUMN rrule           text    CHECK (length(rrule) BETWEEN 1 AND 500),
    ADD COLUMN exdates         timestamptz[] NOT NULL DEFAULT '{}' CHECK (cardinality(exdates) <= 500),
    ADD COLUMN capacity        int     CHECK (capacity BETWEEN 1 AND 100000),
    ADD COLUMN cost_sek        int     NOT NULL DEFAULT 0 CHECK (cost_sek BETWEEN 0 AND 100000),
    ADD COLUMN cost_note       text    NOT NULL DEFAULT '' CHECK (length(cost_note) <= 500),
    ADD COLUMN contact_name    text    CHECK (length(contact_name) BETWEEN 1 AND 200),
    ADD COLUMN contact_email   text    CHECK (length(contact_email) <= 254 AND contact_email ~ '^[^@\s]+@[^@\s]+$'),
    ADD COLUMN contact_phone   text    CHECK (contact_phone ~ '^\+?[0-9 ()-]{5,30}$'),
    ADD COLUMN published_at    timestamptz,
    ADD COLUMN cancelled_at    timestamptz,
    ADD COLUMN version         int     NOT NULL DEFAULT 1,
    ADD COLUMN search_sv       tsvector GENERATED ALWAYS AS (
                                   to_tsvector('swedish'::regconfig, title || ' ' || description)) STORED,
    ADD COLUMN search_en       tsvector GENERATED ALWAYS AS (
                                   to_tsvector('english'::regconfig, title_en || ' ' || description_en)) STORED,
    ADD CONSTRAINT activity_coordinates_pair CHECK ((latitude IS NULL) = (longitude IS NULL)),
    ADD CONSTRAINT activity_schedule_start CHECK (rrule IS NULL OR starts_at IS NOT NULL);
CREATE INDEX activity_search_sv_idx ON activity USING gin (search_sv);
CREATE INDEX activity_search_en_idx ON activity USING gin (search_en);
CREATE INDEX activity_category_idx ON activity (category, id);
CREATE INDEX activity_languages_idx ON activity USING gin (languages);
CREATE INDEX activity_target_groups_idx ON activity USING gin (target_groups);
-- Distance searches first narrow to a bounding box of the radius.
CREATE INDEX activity_coordinates_idx ON activity (latitude, longitude) WHERE latitude IS NOT NULL;

-- Partner organisations co-organising an activity; they may edit it.
CREATE TABLE activity_co_organiser (
    activity_id     bigint NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisation (id),
    PRIMARY KEY (activity_id, organisation_id)
);
CREATE INDEX activity_co_organiser_organisation_idx ON activity_co_organiser (organisation_id, activity_id);

-- The occurrences of each activity's schedule, expanded from its recurrence rule and exceptions
-- whenever the schedule is written, up to a bounded horizon: what date-range filters, next
-- occurrences and calendar windows read.
CREATE TABLE activity_occurrence (
    activity_id bigint      NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL CHECK (ends_at > starts_at),
    PRIMARY KEY (activity_id, starts_at)
);
CREATE INDEX activity_occurrence_starts_idx ON activity_occurrence (starts_at, activity_id);

-- Newcomers enrolled in activities, or waiting for a place. position is the arrival order,
-- drawn while the activity is locked, so the waitlist is served first come, first served.
CREATE TABLE enrolment (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id bigint      NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    newcomer_id bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    status      text        NOT NULL CHECK (status IN ('ENROLLED', 'WAITLISTED', 'CANCELLED')),
    position    bigint      NOT NULL,
    enrolled_by text        NOT NULL CHECK (length(enrolled_by) BETWEEN 1 AND 300),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (activity_id, position)
);
-- One live enrolment per newcomer and activity; a cancelled one may be followed by a new one.
CREATE UNIQUE INDEX enrolment_one_live_idx ON enrolment (activity_id, newcomer_id) WHERE status <> 'CANCELLED';
CREATE INDEX enrolment_newcomer_idx ON enrolment (newcomer_id, id);

-- Idempotency keys of mutations: the first result of a (caller, key), written in the
-- transaction of the mutation itself, so a retry returns it and never writes twice.
CREATE TABLE idempotency_key (
    subject     text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
    key         text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    operation   text        NOT NULL CHECK (length(operation) BETWEEN 1 AND 200),
    result      jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, key)
);

-- Public changes of activities (published, updated while public, cancelled), in commit order
-- per notification; each replica reads what it has not seen when notified on
-- partnernet_activity and fans it out to its subscribers.
CREATE TABLE activity_change (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id bigint      NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    kind        text        NOT NULL CHECK (kind IN ('PUBLISHED', 'UPDATED', 'CANCELLED')),
    occurred_at timestamptz NOT NULL DEFAULT now()
);

-- Enrolments are newcomer participation data: their changes are audited.
ALTER TABLE audit_event DROP CONSTRAINT audit_event_action_check;
ALTER TABLE audit_event ADD CONSTRAINT audit_event_action_check CHECK (action IN (
    'READ', 'RECORD_CONSENT', 'RENEW_CONSENT', 'WITHDRAW_CONSENT', 'GRANT_ROLE', 'REVOKE_ROLE',
    'CREATE_API_KEY', 'REVOKE_API_KEY', 'ENROL', 'CANCEL_ENROLMENT'));

-- +goose Down
ALTER TABLE audit_event DROP CONSTRAINT audit_event_action_check;
ALTER TABLE audit_event ADD CONSTRAINT audit_event_action_check CHECK (action IN (
    'READ', 'RECORD_CONSENT', 'RENEW_CONSENT', 'WITHDRAW_CONSENT', 'GRANT_ROLE', 'REVOKE_ROLE',
    'CREATE_API_KEY', 'REVOKE_API_KEY'));
DROP TABLE activity_change;
DROP TABLE idempotency_key;
DROP TABLE enrolment;
DROP TABLE activity_occurrence;
DROP TABLE activity_co_organiser;
ALTER TABLE activity
    DROP CONSTRAINT activity_coordinates_pair, DROP CONSTRAINT activity_schedule_start,
    DROP COLUMN search_sv, DROP COLUMN search_en, DROP COLUMN title_en, DROP COLUMN description_en,
    DROP COLUMN category, DROP COLUMN languages, DROP COLUMN target_groups, DROP COLUMN accessibility,
    DROP COLUMN online, DROP COLUMN online_url, DROP COLUMN address, DROP COLUMN latitude,
    DROP COLUMN longitude, DROP COLUMN starts_at, DROP COLUMN duration_minutes, DROP COLUMN rrule,
    DROP COLUMN exdates, DROP COLUMN capacity, DROP COLUMN cost_sek, DROP COLUMN cost_note,
    DROP COLUMN contact_name, DROP COLUMN contact_email, DROP COLUMN contact_phone,
    DROP COLUMN published_at, DROP COLUMN cancelled_at, DROP COLUMN version;
