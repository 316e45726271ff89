-- Outcomes and newcomers' own voice (issue 18): establishment outcomes recorded by the partner
-- responsible (category OUTCOMES); the well-being questionnaire, its texts per language and the
-- newcomers' responses (category WELLBEING); feedback on activities with its moderation, and the
-- role that moderates it.

-- +goose Up

-- Two categories of newcomer data, decided like the others (authz/policy.csv).
ALTER TABLE consent_record DROP CONSTRAINT consent_record_data_categories_check;
ALTER TABLE consent_record ADD CONSTRAINT consent_record_data_categories_check CHECK (
    cardinality(data_categories) > 0 AND data_categories <@ ARRAY[
        'IDENTITY', 'CONTACT', 'FAMILY', 'LANGUAGES', 'HEALTH', 'BACKGROUND', 'PLAN',
        'PARTICIPATION', 'OUTCOMES', 'WELLBEING']::text[]);

-- Moderators read comments on activities before any organiser does, and approve or reject them.
ALTER TABLE membership DROP CONSTRAINT membership_role_check;
ALTER TABLE membership ADD CONSTRAINT membership_role_check CHECK (role IN (
    'network_admin', 'org_admin', 'coordinator', 'communicator', 'supervisor', 'adviser',
    'publisher', 'analyst', 'moderator'));
ALTER TABLE api_key DROP CONSTRAINT api_key_role_check;
ALTER TABLE api_key ADD CONSTRAINT api_key_role_check CHECK (role IN (
    'org_admin', 'coordinator', 'communicator', 'supervisor', 'adviser', 'publisher', 'analyst',
    'moderator'));

-- A dated step of a newcomer's establishment (category OUTCOMES), recorded by the partner
-- responsible: an SFI course (level and progress), work, studies, the establishment programme
-- (spells from started_on until ended_on, open while they last), or leaving the region (a date).
CREATE TABLE newcomer_outcome (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newcomer_id        bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    kind               text        NOT NULL CHECK (kind IN (
                                       'SFI', 'WORK', 'STUDIES', 'ESTABLISHMENT_PROGRAMME', 'LEFT_REGION')),
    started_on         date        NOT NULL CHECK (started_on >= '2000-01-01'),
    ended_on           date        CHECK (ended_on >= started_on),
    sfi_course         text        CHECK (sfi_course IN ('A', 'B', 'C', 'D')),
    sfi_progress       text        CHECK (sfi_progress IN ('STUDYING', 'PASSED', 'DISCONTINUED')),
    recorded_by_org_id bigint      NOT NULL REFERENCES organisation (id),
    recorded_by        text        NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 300),
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'SFI' OR (sfi_course IS NOT NULL AND sfi_progress IS NOT NULL)),
    CHECK (kind = 'SFI' OR (sfi_course IS NULL AND sfi_progress IS NULL)),
    CHECK (sfi_progress <> 'STUDYING' OR ended_on IS NULL),
    CHECK (sfi_progress = 'STUDYING' OR sfi_progress IS NULL OR ended_on IS NOT NULL),
    CHECK (kind <> 'LEFT_REGION' OR ended_on IS NULL)
);
CREATE INDEX newcomer_outcome_newcomer_idx ON newcomer_outcome (newcomer_id, started_on, id);
CREATE INDEX newcomer_outcome_kind_idx ON newcomer_outcome (kind, newcomer_id);

-- The texts of the well-being questionnaire, per version and language: each question's wording,
-- and each instrument's title, instructions, attribution and the labels of its scale. Source
-- says where a wording comes from (an official translation, or the partnership's own).
CREATE TABLE questionnaire_text (
    version  text NOT NULL CHECK (version ~ '^[0-9]{4}\.[0-9]{1,3}$'),
    key      text NOT NULL CHECK (key ~ '^[A-Z][A-Z0-9_]{1,39}(\.[a-z]+(\.[0-9])?)?$'),
    language text NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
    text     text NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
    source   text NOT NULL CHECK (length(source) BETWEEN 1 AND 300),
    PRIMARY KEY (version, key, language)
);

-- A newcomer's answer to the questionnaire (category WELLBEING), or their decline of it. Whether
-- it counts in statistics is decided by the newcomer's consent, never stored here.
CREATE TABLE questionnaire_response (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newcomer_id bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    version     text        NOT NULL CHECK (version ~ '^[0-9]{4}\.[0-9]{1,3}$'),
    language    text        NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
    declined    boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX questionnaire_response_newcomer_idx ON questionnaire_response (newcomer_id, created_at, id);

-- The questions a response answered, with the value chosen (higher is better on every scale).
CREATE TABLE questionnaire_answer (
    response_id bigint NOT NULL REFERENCES questionnaire_response (id) ON DELETE CASCADE,
    item        text   NOT NULL CHECK (item IN (
                           'SELF_RATED_HEALTH', 'WHO5_CHEERFUL', 'WHO5_CALM', 'WHO5_ACTIVE',
                           'WHO5_RESTED', 'WHO5_INTERESTED', 'PARTICIPATION_BELONGING',
                           'PARTICIPATION_INFLUENCE', 'PARTICIPATION_HEARD')),
    value       int    NOT NULL CHECK (value BETWEEN 0 AND 5),
    PRIMARY KEY (response_id, item)
);

-- A newcomer's feedback on an activity they joined: a rating and an optional comment, anonymous
-- to the organiser unless named. A comment is moderated: PENDING until a moderator approves it
-- (published_comment is what the organiser reads, personal details taken out if need be) or
-- rejects it. newcomer_id becomes null when the newcomer's data is erased.
CREATE TABLE activity_feedback (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id       bigint      NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    newcomer_id       bigint      REFERENCES newcomer (id) ON DELETE SET NULL,
    rating            int         NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment           text        CHECK (length(comment) BETWEEN 1 AND 2000),
    named             boolean     NOT NULL DEFAULT false,
    moderation        text        CHECK (moderation IN ('PENDING', 'APPROVED', 'REJECTED')),
    published_comment text        CHECK (length(published_comment) BETWEEN 1 AND 2000),
    rejection         text        CHECK (rejection IN ('PERSONAL_DATA', 'ABUSIVE', 'OFF_TOPIC', 'OTHER')),
    moderated_by      text        CHECK (length(moderated_by) BETWEEN 1 AND 300),
    moderated_at      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((comment IS NULL) = (moderation IS NULL)),
    CHECK (moderation <> 'APPROVED' OR published_comment IS NOT NULL),
    CHECK (published_comment IS NULL OR moderation = 'APPROVED'),
    CHECK (moderation <> 'REJECTED' OR rejection IS NOT NULL),
    CHECK (rejection IS NULL OR moderation = 'REJECTED'),
    CHECK ((moderated_by IS NULL) = (moderated_at IS NULL)),
    CHECK (moderation <> 'PENDING' OR moderated_at IS NULL),
    CHECK (moderation = 'PENDING' OR moderation IS NULL OR moderated_at IS NOT NULL)
);
CREATE UNIQUE INDEX activity_feedback_once_idx ON activity_feedback (activity_id, newcomer_id)
    WHERE newcomer_id IS NOT NULL;
CREATE INDEX activity_feedback_activity_idx ON activity_feedback (activity_id, id);
CREATE INDEX activity_feedback_newcomer_idx ON activity_feedback (newcomer_id) WHERE newcomer_id IS NOT NULL;
-- The moderation queue, oldest first.
CREATE INDEX activity_feedback_pending_idx ON activity_feedback (created_at, id) WHERE moderation = 'PENDING';

-- +goose Down
DROP TABLE activity_feedback;
DROP TABLE questionnaire_answer;
DROP TABLE questionnaire_response;
DROP TABLE questionnaire_text;
DROP TABLE newcomer_outcome;
DELETE FROM membership WHERE role = 'moderator';
DELETE FROM api_key WHERE role = 'moderator';
ALTER TABLE api_key DROP CONSTRAINT api_key_role_check;
ALTER TABLE api_key ADD CONSTRAINT api_key_role_check CHECK (role IN (
    'org_admin', 'coordinator', 'communicator', 'supervisor', 'adviser', 'publisher', 'analyst'));
ALTER TABLE membership DROP CONSTRAINT membership_role_check;
ALTER TABLE membership ADD CONSTRAINT membership_role_check CHECK (role IN (
    'network_admin', 'org_admin', 'coordinator', 'communicator', 'supervisor', 'adviser',
    'publisher', 'analyst'));
ALTER TABLE consent_record DROP CONSTRAINT consent_record_data_categories_check;
UPDATE consent_record SET data_categories = array_remove(array_remove(data_categories, 'OUTCOMES'), 'WELLBEING');
DELETE FROM consent_record WHERE cardinality(data_categories) = 0;
ALTER TABLE consent_record ADD CONSTRAINT consent_record_data_categories_check CHECK (
    cardinality(data_categories) > 0 AND data_categories <@ ARRAY[
        'IDENTITY', 'CONTACT', 'FAMILY', 'LANGUAGES', 'HEALTH', 'BACKGROUND', 'PLAN',
        'PARTICIPATION']::text[]);
