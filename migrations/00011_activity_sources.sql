-- Bulk publishing (issue 15): an activity an association's system published from its own
-- programme (an iCalendar file or a CSV), keyed by the source's own ID within the organiser, so
-- that importing again updates it and never makes a second one. content_hash is the digest of
-- what was imported: the same row imported again changes nothing.

-- +goose Up
CREATE TABLE activity_source (
    activity_id  bigint      PRIMARY KEY REFERENCES activity (id) ON DELETE CASCADE,
    organiser_id bigint      NOT NULL REFERENCES organisation (id),
    source_id    text        NOT NULL CHECK (length(source_id) BETWEEN 1 AND 255),
    format       text        NOT NULL CHECK (format IN ('ICALENDAR', 'CSV')),
    content_hash bytea       NOT NULL CHECK (length(content_hash) = 32),
    imported_by  text        NOT NULL CHECK (length(imported_by) BETWEEN 1 AND 300),
    imported_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organiser_id, source_id)
);

-- +goose Down
DROP TABLE activity_source;
