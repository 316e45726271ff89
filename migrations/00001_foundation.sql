-- Foundation schema: the partner network (municipalities, programmes, organisations), NAD
-- activities, newcomers and consent records with their append-only event history.
--
-- Enumerations are text columns with CHECK constraints rather than PostgreSQL enum types, so a
-- later migration can add a value with an ordinary ALTER TABLE inside a transaction.

-- +goose Up

-- Names and titles sort as Swedish readers expect (… X, Y, Z, Å, Ä, Ö), through ICU.
CREATE COLLATION swedish (provider = icu, locale = 'sv-SE');

-- The 33 municipalities of Skåne, keyed by their official four-digit code.
CREATE TABLE municipality (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text   NOT NULL UNIQUE CHECK (code ~ '^[0-9]{4}$'),
    name text   COLLATE swedish NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100)
);

-- The partnership's methods: SHK, WELCOME, NAD, MILSA, RADRUM and MYPATH.
CREATE TABLE programme (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text   NOT NULL UNIQUE CHECK (code ~ '^[A-Z][A-Z0-9_]{1,31}$'),
    name        text   NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_sv     text   NOT NULL CHECK (length(name_sv) BETWEEN 1 AND 200),
    description text   NOT NULL DEFAULT ''
);

-- The partner organisations of the network.
CREATE TABLE organisation (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug                 text        NOT NULL UNIQUE
                                     CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
    name                 text        COLLATE swedish NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    short_name           text        CHECK (length(short_name) BETWEEN 1 AND 50),
    kind                 text        NOT NULL CHECK (kind IN (
                                         'MUNICIPALITY', 'COUNTY_BOARD', 'REGION', 'STATE_AGENCY',
                                         'UNIVERSITY', 'ASSOCIATION', 'ADULT_EDUCATION_ASSOCIATION',
                                         'SPORTS_FEDERATION', 'UMBRELLA')),
    sector               text        NOT NULL CHECK (sector IN ('PUBLIC', 'CIVIC', 'ACADEMIC')),
    home_municipality_id bigint      REFERENCES municipality (id),
    website              text        CHECK (website ~ '^https?://'),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisation_name_idx ON organisation (name, id);
CREATE INDEX organisation_home_municipality_idx ON organisation (home_municipality_id, id);
-- A municipality is represented in the network by exactly one organisation of kind MUNICIPALITY.
CREATE UNIQUE INDEX organisation_one_per_municipality_idx
    ON organisation (home_municipality_id) WHERE kind = 'MUNICIPALITY';

-- Which organisations take part in which programmes, and how.
CREATE TABLE organisation_programme (
    organisation_id bigint NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    programme_id    bigint NOT NULL REFERENCES programme (id) ON DELETE CASCADE,
    role            text   NOT NULL DEFAULT 'PARTNER' CHECK (role IN ('LEAD', 'PARTNER')),
    PRIMARY KEY (organisation_id, programme_id)
);
CREATE INDEX organisation_programme_programme_idx ON organisation_programme (programme_id, organisation_id);

-- Activities that newcomers can join, published by an organisation within a programme.
CREATE TABLE activity (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organiser_id    bigint      NOT NULL REFERENCES organisation (id),
    programme_id    bigint      NOT NULL REFERENCES programme (id),
    municipality_id bigint      REFERENCES municipality (id),
    title           text        COLLATE swedish NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description     text        NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    status          text        NOT NULL DEFAULT 'DRAFT'
                                CHECK (status IN ('DRAFT', 'PUBLISHED', 'CANCELLED', 'FINISHED')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_organiser_idx ON activity (organiser_id, id);
CREATE INDEX activity_programme_idx ON activity (programme_id, id);
CREATE INDEX activity_municipality_idx ON activity (municipality_id, id);
CREATE INDEX activity_status_title_idx ON activity (status, title, id);

-- Newly arrived migrants registered by a municipality, which is the controller of their data.
CREATE TABLE newcomer (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    controller_id   bigint      NOT NULL REFERENCES organisation (id),
    municipality_id bigint      NOT NULL REFERENCES municipality (id),
    display_name    text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    registered_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX newcomer_controller_idx ON newcomer (controller_id, id);
CREATE INDEX newcomer_municipality_idx ON newcomer (municipality_id, id);

-- A newcomer's consent (or other lawful basis) for sharing categories of data with recipient
-- organisations for purposes. The state is derived from consent_event, never stored here.
CREATE TABLE consent_record (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newcomer_id     bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    controller_id   bigint      NOT NULL REFERENCES organisation (id),
    purposes        text[]      NOT NULL CHECK (cardinality(purposes) > 0 AND purposes <@ ARRAY[
                                    'ESTABLISHMENT_COORDINATION', 'REFERRAL', 'ACTIVITY_PARTICIPATION',
                                    'SUPPORT_PLAN', 'HEALTH_COMMUNICATION', 'ADVICE', 'RESEARCH',
                                    'STATISTICS']::text[]),
    data_categories text[]      NOT NULL CHECK (cardinality(data_categories) > 0 AND data_categories <@ ARRAY[
                                    'IDENTITY', 'CONTACT', 'FAMILY', 'LANGUAGES', 'HEALTH',
                                    'BACKGROUND', 'PLAN', 'PARTICIPATION']::text[]),
    legal_basis     text        NOT NULL DEFAULT 'CONSENT' CHECK (legal_basis IN (
                                    'CONSENT', 'PUBLIC_TASK', 'LEGAL_OBLIGATION', 'VITAL_INTERESTS',
                                    'CONTRACT', 'LEGITIMATE_INTERESTS')),
    method          text        NOT NULL CHECK (method IN ('WRITTEN', 'VERBAL', 'DIGITAL')),
    notice_language text        NOT NULL CHECK (notice_language ~ '^[a-z]{2,3}$'),
    notice_version  text        NOT NULL CHECK (length(notice_version) BETWEEN 1 AND 50),
    valid_from      timestamptz NOT NULL,
    valid_until     timestamptz CHECK (valid_until IS NULL OR valid_until > valid_from),
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_record_newcomer_idx ON consent_record (newcomer_id, id);
CREATE INDEX consent_record_controller_idx ON consent_record (controller_id, id);

-- The organisations a consent record names as recipients.
CREATE TABLE consent_recipient (
    consent_record_id bigint NOT NULL REFERENCES consent_record (id) ON DELETE CASCADE,
    organisation_id   bigint NOT NULL REFERENCES organisation (id),
    PRIMARY KEY (consent_record_id, organisation_id)
);
CREATE INDEX consent_recipient_organisation_idx ON consent_recipient (organisation_id, consent_record_id);

-- The append-only history of a consent record; its latest event gives the record's state.
CREATE TABLE consent_event (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consent_record_id bigint      NOT NULL REFERENCES consent_record (id) ON DELETE CASCADE,
    kind              text        NOT NULL CHECK (kind IN ('GIVEN', 'RENEWED', 'WITHDRAWN', 'EXPIRED')),
    occurred_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_event_record_idx ON consent_event (consent_record_id, occurred_at DESC, id DESC);

-- +goose StatementBegin
CREATE FUNCTION consent_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'consent_event is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER consent_event_no_update BEFORE UPDATE ON consent_event
    FOR EACH ROW EXECUTE FUNCTION consent_event_append_only();

-- +goose Down
DROP TABLE consent_event;
DROP FUNCTION consent_event_append_only();
DROP TABLE consent_recipient;
DROP TABLE consent_record;
DROP TABLE newcomer;
DROP TABLE activity;
DROP TABLE organisation_programme;
DROP TABLE organisation;
DROP TABLE programme;
DROP TABLE municipality;
DROP COLLATION swedish;
