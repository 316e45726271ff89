-- Associations run their activities (issue 15): the consent a newcomer gives at enrolment to share
-- who they are with the organiser, the occurrences an organiser cancels one by one, and the
-- attendance of each participant at each occurrence.

-- +goose Up

-- The consent record (with its receipt, the record itself) in which the newcomer chose, when
-- enrolling, to share categories of their data with the organiser and co-organisers for
-- ACTIVITY_PARTICIPATION. A withdrawn or expired record stays linked: the enrolment's history.
ALTER TABLE enrolment ADD COLUMN sharing_consent_id bigint REFERENCES consent_record (id) ON DELETE SET NULL;
CREATE INDEX enrolment_sharing_consent_idx ON enrolment (sharing_consent_id) WHERE sharing_consent_id IS NOT NULL;

-- An occurrence the organiser called off, with the reason given to participants. Its start
-- also joins the activity's exception dates, so calendars leave it out.
CREATE TABLE activity_occurrence_cancellation (
    activity_id  bigint      NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    starts_at    timestamptz NOT NULL,
    reason       text        NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    cancelled_by text        NOT NULL CHECK (length(cancelled_by) BETWEEN 1 AND 300),
    cancelled_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (activity_id, starts_at)
);

-- Whether an enrolled participant came to one occurrence (its start), as the organiser's
-- publishers record it; the last word wins. No foreign key to activity_occurrence: a schedule's
-- occurrences are rewritten when it changes, and what was recorded stays.
CREATE TABLE activity_attendance (
    enrolment_id bigint      NOT NULL REFERENCES enrolment (id) ON DELETE CASCADE,
    activity_id  bigint      NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    starts_at    timestamptz NOT NULL,
    status       text        NOT NULL CHECK (status IN ('PRESENT', 'ABSENT', 'EXCUSED')),
    recorded_by  text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 300),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (enrolment_id, starts_at)
);
CREATE INDEX activity_attendance_activity_idx ON activity_attendance (activity_id, starts_at);

-- +goose Down
DROP TABLE activity_attendance;
DROP TABLE activity_occurrence_cancellation;
ALTER TABLE enrolment DROP COLUMN sharing_consent_id;
