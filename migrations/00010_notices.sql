-- Notices to newcomers (issue 15): an activity or an occurrence cancelled, a changed time or
-- place, a promotion from the waitlist, a reminder the day before. A notice is written in the
-- transaction of the change that causes it (the outbox); a worker in the server delivers it by
-- e-mail and SMS, one delivery per channel, with retries, backoff and a status.

-- +goose Up

-- How a newcomer wants to be told: the language of notices (an ISO 639 code; their native
-- language, else Swedish, when unset) and the channels. Category CONTACT.
CREATE TABLE notice_preference (
    newcomer_id bigint      PRIMARY KEY REFERENCES newcomer (id) ON DELETE CASCADE,
    language    text        CHECK (language ~ '^[a-z]{2,3}$'),
    email       boolean     NOT NULL DEFAULT true,
    sms         boolean     NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The outbox: one notice to one newcomer, rendered in their language when it was written.
-- dedup_key makes the same notice impossible to write twice (a retried change, two replicas
-- sending the same reminder).
CREATE TABLE notice (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newcomer_id          bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    activity_id          bigint      REFERENCES activity (id) ON DELETE CASCADE,
    kind                 text        NOT NULL CHECK (kind IN (
                                         'ACTIVITY_CANCELLED', 'OCCURRENCE_CANCELLED', 'ACTIVITY_CHANGED',
                                         'PROMOTED', 'REMINDER')),
    occurrence_starts_at timestamptz,
    language             text        NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
    subject              text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
    body                 text        NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    dedup_key            text        NOT NULL UNIQUE CHECK (length(dedup_key) BETWEEN 1 AND 300),
    created_at           timestamptz NOT NULL DEFAULT now(),
    read_at              timestamptz
);
CREATE INDEX notice_newcomer_idx ON notice (newcomer_id, id DESC);

-- The delivery of a notice on one channel. A worker claims a due delivery (PENDING and due, or
-- SENDING with its lease run out) with FOR UPDATE SKIP LOCKED, sends it, and marks it SENT, or
-- PENDING again later (backoff), or FAILED; attempts is the fencing token of each claim.
CREATE TABLE notice_delivery (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notice_id       bigint      NOT NULL REFERENCES notice (id) ON DELETE CASCADE,
    channel         text        NOT NULL CHECK (channel IN ('EMAIL', 'SMS')),
    status          text        NOT NULL DEFAULT 'PENDING'
                                CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'SKIPPED')),
    attempts        int         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_until   timestamptz,
    last_error      text        CHECK (length(last_error) <= 1000),
    sent_at         timestamptz,
    UNIQUE (notice_id, channel)
);
CREATE INDEX notice_delivery_due_idx ON notice_delivery (next_attempt_at, id) WHERE status = 'PENDING';
CREATE INDEX notice_delivery_claimed_idx ON notice_delivery (claimed_until, id) WHERE status = 'SENDING';

-- +goose Down
DROP TABLE notice_delivery;
DROP TABLE notice;
DROP TABLE notice_preference;
