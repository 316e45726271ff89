-- Identity, roles, consent and audit: newcomer data by category, memberships (the Casbin
-- grouping policy), API keys, who recorded each consent and its events, and the append-only
-- audit trail of every release and denial of newcomer data.

-- +goose Up

-- Identity category: optional birth year and gender next to the display name.
ALTER TABLE newcomer
    ADD COLUMN birth_year int  CHECK (birth_year BETWEEN 1900 AND 2100),
    ADD COLUMN gender     text CHECK (gender IN ('FEMALE', 'MALE', 'OTHER'));

-- Contact category: how to reach the newcomer.
CREATE TABLE newcomer_contact (
    newcomer_id    bigint PRIMARY KEY REFERENCES newcomer (id) ON DELETE CASCADE,
    phone          text   CHECK (phone ~ '^\+?[0-9 ()-]{5,30}$'),
    email          text   CHECK (length(email) <= 254 AND email ~ '^[^@\s]+@[^@\s]+$'),
    postal_address text   CHECK (length(postal_address) <= 500)
);

-- Languages category: languages the newcomer speaks, with proficiency.
CREATE TABLE newcomer_language (
    newcomer_id bigint NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    language    text   NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
    proficiency text   NOT NULL CHECK (proficiency IN ('BASIC', 'INTERMEDIATE', 'FLUENT', 'NATIVE')),
    PRIMARY KEY (newcomer_id, language)
);

-- Health category (GDPR art. 9): free-text notes, released under consent only.
CREATE TABLE newcomer_health (
    newcomer_id bigint      PRIMARY KEY REFERENCES newcomer (id) ON DELETE CASCADE,
    notes       text        NOT NULL CHECK (length(notes) BETWEEN 1 AND 10000),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Who recorded a consent (a principal's subject), and who caused each event.
ALTER TABLE consent_record ADD COLUMN recorded_by text NOT NULL DEFAULT 'system'
    CHECK (length(recorded_by) BETWEEN 1 AND 300);
ALTER TABLE consent_event
    ADD COLUMN actor       text NOT NULL DEFAULT 'system' CHECK (length(actor) BETWEEN 1 AND 300),
    ADD COLUMN valid_until timestamptz;
COMMENT ON COLUMN consent_event.valid_until IS 'For RENEWED events: the new end of the validity period.';

-- A consent's history is never rewritten, nor removed but with its record (a cascade).
CREATE TRIGGER consent_event_no_delete BEFORE DELETE ON consent_event
    FOR EACH ROW WHEN (pg_trigger_depth() = 0)
    EXECUTE FUNCTION consent_event_append_only();

-- Each consent record with its state inputs derived from its history: the latest event and the
-- end of validity as the latest renewal set it (or the original end).
CREATE VIEW consent_record_current AS
SELECT x.*,
       x.last_event IN ('GIVEN', 'RENEWED') AND x.valid_from <= now()
           AND coalesce(x.valid_until > now(), true) AS active
FROM (
    SELECT c.id, c.newcomer_id, c.controller_id, c.purposes, c.data_categories, c.legal_basis,
           c.method, c.notice_language, c.notice_version, c.valid_from, c.recorded_at,
           c.recorded_by,
           CASE WHEN lr.id IS NULL THEN c.valid_until ELSE lr.valid_until END AS valid_until,
           le.kind AS last_event
    FROM consent_record c
    LEFT JOIN LATERAL (
        SELECT e.kind FROM consent_event e WHERE e.consent_record_id = c.id
        ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) le ON true
    LEFT JOIN LATERAL (
        SELECT e.id, e.valid_until FROM consent_event e
        WHERE e.consent_record_id = c.id AND e.kind = 'RENEWED'
        ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) lr ON true
) x;

-- Who holds which role in which organisation: the grouping policy of the Casbin enforcer.
CREATE TABLE membership (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject         text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
    organisation_id bigint      NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    role            text        NOT NULL CHECK (role IN (
                                    'network_admin', 'org_admin', 'coordinator', 'communicator',
                                    'supervisor', 'adviser', 'publisher', 'analyst')),
    granted_by      text        NOT NULL CHECK (length(granted_by) BETWEEN 1 AND 300),
    granted_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (subject, organisation_id, role)
);
CREATE INDEX membership_organisation_idx ON membership (organisation_id, id);

-- API keys of associations' systems: one organisation, one role, stored as a SHA-256 hash of a
-- 256-bit random secret; the prefix finds the row.
CREATE TABLE api_key (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint      NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    role            text        NOT NULL CHECK (role IN (
                                    'org_admin', 'coordinator', 'communicator', 'supervisor',
                                    'adviser', 'publisher', 'analyst')),
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    prefix          text        NOT NULL UNIQUE CHECK (prefix ~ '^[a-z0-9]{12}$'),
    secret_hash     bytea       NOT NULL CHECK (length(secret_hash) = 32),
    created_by      text        NOT NULL CHECK (length(created_by) BETWEEN 1 AND 300),
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz
);
CREATE INDEX api_key_organisation_idx ON api_key (organisation_id, id);

-- The append-only audit trail: every release and every denial of newcomer data, and every
-- change to consents, memberships and keys. newcomer_id has no foreign key: an entry outlives
-- the erasure of the person it is about.
CREATE TABLE audit_event (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    request_id      text        NOT NULL CHECK (length(request_id) <= 64),
    subject         text        NOT NULL CHECK (length(subject) <= 300),
    organisation_id bigint      REFERENCES organisation (id),
    roles           text[]      NOT NULL,
    action          text        NOT NULL CHECK (action IN (
                                    'READ', 'RECORD_CONSENT', 'RENEW_CONSENT', 'WITHDRAW_CONSENT',
                                    'GRANT_ROLE', 'REVOKE_ROLE', 'CREATE_API_KEY', 'REVOKE_API_KEY')),
    newcomer_id     bigint,
    categories      text[]      NOT NULL DEFAULT '{}',
    purpose         text,
    decision        text        NOT NULL CHECK (decision IN ('RELEASED', 'DENIED', 'DONE')),
    reason          text        NOT NULL CHECK (length(reason) <= 200)
);
CREATE INDEX audit_event_newcomer_idx ON audit_event (newcomer_id, occurred_at DESC, id DESC)
    WHERE newcomer_id IS NOT NULL;
CREATE INDEX audit_event_organisation_idx ON audit_event (organisation_id, occurred_at DESC, id DESC);

-- +goose StatementBegin
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
-- The application's role may add to the trail and read it, nothing else.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM CURRENT_USER;

-- +goose Down
DROP TABLE audit_event;
DROP FUNCTION audit_event_append_only();
DROP TABLE api_key;
DROP TABLE membership;
DROP VIEW consent_record_current;
DROP TRIGGER consent_event_no_delete ON consent_event;
ALTER TABLE consent_event DROP COLUMN actor, DROP COLUMN valid_until;
ALTER TABLE consent_record DROP COLUMN recorded_by;
DROP TABLE newcomer_health;
DROP TABLE newcomer_language;
DROP TABLE newcomer_contact;
ALTER TABLE newcomer DROP COLUMN birth_year, DROP COLUMN gender;
