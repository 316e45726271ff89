-- The activity directory as an Open Referral HSDS 3 API: the HSDS fields activities lacked
-- (application process, interpretation services, service areas, several schedules), the stable UUIDs the HSDS API
-- names objects by, and the source ids under which associations' systems push services.

-- +goose Up
ALTER TABLE activity
    ADD COLUMN application_process     text NOT NULL DEFAULT '' CHECK (length(application_process) <= 2000),
    ADD COLUMN interpretation_services text NOT NULL DEFAULT '' CHECK (length(interpretation_services) <= 2000);

-- The municipalities whose residents an activity serves (HSDS: service_area); none for anyone.
CREATE TABLE activity_service_area (
    activity_id     bigint NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    municipality_id bigint NOT NULL REFERENCES municipality (id),
    PRIMARY KEY (activity_id, municipality_id)
);

-- An activity's further schedules, beside the first one on its own row: other days or times of
-- day, each with its rule, duration and exceptions (HSDS: several schedules per service). Their
-- occurrences are in activity_occurrence with the first schedule's.
CREATE TABLE activity_schedule (
    activity_id      bigint      NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    position         int         NOT NULL CHECK (position BETWEEN 1 AND 9),
    starts_at        timestamptz NOT NULL,
    duration_minutes int         NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    rrule            text        CHECK (length(rrule) BETWEEN 1 AND 500),
    exdates          timestamptz[] NOT NULL DEFAULT '{}' CHECK (cardinality(exdates) <= 500),
    PRIMARY KEY (activity_id, position)
);
-- Open-ended rules are expanded further as time passes (ActivityListScheduleDue).
CREATE INDEX activity_schedule_open_idx ON activity_schedule (activity_id) WHERE rrule IS NOT NULL;

-- hsds_uuid is the stable UUID of an object of the HSDS API named kind:id ("service:42"): a
-- name-based UUIDv8 (RFC 9562, appendix B.2): the first 16 bytes of the SHA-256 of the
-- namespace UUID's bytes followed by the name, with the version and variant bits set. Package
-- hsds computes the same in Go (hsds.ID); the namespace is hsds.Namespace. Lookups by id use
-- the expression indexes below.
-- +goose StatementBegin
CREATE FUNCTION hsds_uuid(name text) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT encode(set_byte(set_byte(h, 6, (get_byte(h, 6) & 15) | 128), 8, (get_byte(h, 8) & 63) | 128), 'hex')::uuid
    FROM (SELECT substring(sha256('\x4b0f5a3c9d2e4f60a1b2c3d4e5f60718'::bytea || convert_to(name, 'UTF8')) FROM 1 FOR 16) AS h) s
$$;
-- +goose StatementEnd
CREATE INDEX activity_hsds_id_idx ON activity (hsds_uuid('service:' || id));
CREATE INDEX activity_hsds_location_id_idx ON activity (hsds_uuid('service_at_location:' || id));
CREATE INDEX organisation_hsds_id_idx ON organisation (hsds_uuid('organization:' || id));

-- Services pushed by an organisation's own system, by the id that system gave them: a push
-- with an id already seen updates that activity, never makes another.
CREATE TABLE activity_hsds_source (
    organisation_id bigint NOT NULL REFERENCES organisation (id),
    source_id       uuid   NOT NULL,
    activity_id     bigint NOT NULL UNIQUE REFERENCES activity (id) ON DELETE CASCADE,
    PRIMARY KEY (organisation_id, source_id)
);

-- +goose Down
DROP TABLE activity_hsds_source;
DROP INDEX organisation_hsds_id_idx;
DROP INDEX activity_hsds_location_id_idx;
DROP INDEX activity_hsds_id_idx;
DROP FUNCTION hsds_uuid(text);
DROP TABLE activity_schedule;
DROP TABLE activity_service_area;
ALTER TABLE activity DROP COLUMN interpretation_services, DROP COLUMN application_process;
