-- Case work on newcomers' journeys: the registry's remaining categories (family, background),
-- arrival and plan dates, duplicate merging with its history, referrals between partners with
-- their status history, MY PATH support plans with steps and follow-ups, and what erasure and
-- retention need.

-- +goose Up

ALTER TABLE newcomer
    ADD COLUMN arrival_date              date,
    ADD COLUMN plan_start_date           date,
    ADD COLUMN residence_municipality_id bigint REFERENCES municipality (id),
    ADD COLUMN merged_into               bigint REFERENCES newcomer (id),
    ADD COLUMN last_activity_at          timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN erased_at                 timestamptz,
    ADD CONSTRAINT newcomer_not_merged_into_self CHECK (merged_into <> id);
COMMENT ON COLUMN newcomer.last_activity_at IS 'The last change to the newcomer''s case: the clock of the retention job.';
COMMENT ON COLUMN newcomer.erased_at IS 'When the newcomer''s personal data was erased (GDPR art. 17); the row stays for anonymous counts.';
-- Duplicate detection looks up records of one controller by normalised name and birth year.
CREATE INDEX newcomer_duplicate_idx ON newcomer (controller_id, lower(display_name), birth_year)
    WHERE merged_into IS NULL AND erased_at IS NULL;
CREATE INDEX newcomer_last_activity_idx ON newcomer (last_activity_at) WHERE erased_at IS NULL;

-- Family category: the members of the newcomer's household.
CREATE TABLE newcomer_family_member (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newcomer_id bigint NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    relation    text   NOT NULL CHECK (relation IN ('PARTNER', 'CHILD', 'PARENT', 'SIBLING', 'OTHER')),
    name        text   NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    birth_year  int    CHECK (birth_year BETWEEN 1900 AND 2100),
    in_sweden   boolean NOT NULL DEFAULT true
);
CREATE INDEX newcomer_family_member_newcomer_idx ON newcomer_family_member (newcomer_id, id);

-- Background category: education and work.
CREATE TABLE newcomer_background (
    newcomer_id     bigint PRIMARY KEY REFERENCES newcomer (id) ON DELETE CASCADE,
    education_level text   CHECK (education_level IN ('NONE', 'PRIMARY', 'SECONDARY', 'VOCATIONAL', 'UNIVERSITY')),
    occupation      text   CHECK (length(occupation) <= 200),
    years_of_work   int    CHECK (years_of_work BETWEEN 0 AND 80),
    notes           text   CHECK (length(notes) <= 5000)
);

-- The history of merged duplicates: which record was folded into which, by whom.
CREATE TABLE newcomer_merge (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survivor_id bigint      NOT NULL REFERENCES newcomer (id),
    merged_id   bigint      NOT NULL UNIQUE REFERENCES newcomer (id),
    merged_by   text        NOT NULL CHECK (length(merged_by) BETWEEN 1 AND 300),
    merged_at   timestamptz NOT NULL DEFAULT now(),
    reason      text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    CHECK (survivor_id <> merged_id)
);
CREATE INDEX newcomer_merge_survivor_idx ON newcomer_merge (survivor_id, id);

-- A partner's referral of a newcomer to another partner's service or activity.
CREATE TABLE referral (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newcomer_id     bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    from_org_id     bigint      NOT NULL REFERENCES organisation (id),
    to_org_id       bigint      NOT NULL REFERENCES organisation (id),
    activity_id     bigint      REFERENCES activity (id),
    service         text        CHECK (length(service) BETWEEN 1 AND 200),
    purpose         text        NOT NULL CHECK (purpose IN ('REFERRAL', 'ACTIVITY_PARTICIPATION',
                                    'SUPPORT_PLAN', 'HEALTH_COMMUNICATION', 'ADVICE', 'ESTABLISHMENT_COORDINATION')),
    status          text        NOT NULL DEFAULT 'SENT' CHECK (status IN ('SENT', 'ACCEPTED', 'DECLINED', 'COMPLETED', 'CANCELLED')),
    referrer_note   text        CHECK (length(referrer_note) <= 5000),
    receiver_note   text        CHECK (length(receiver_note) <= 5000),
    created_by      text        NOT NULL CHECK (length(created_by) BETWEEN 1 AND 300),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (from_org_id <> to_org_id),
    CHECK (activity_id IS NOT NULL OR service IS NOT NULL)
);
CREATE INDEX referral_newcomer_idx ON referral (newcomer_id, id);
CREATE INDEX referral_from_idx ON referral (from_org_id, created_at, id);
CREATE INDEX referral_to_idx ON referral (to_org_id, created_at, id);

-- The status history of a referral, append-only.
CREATE TABLE referral_event (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id bigint      NOT NULL REFERENCES referral (id) ON DELETE CASCADE,
    status      text        NOT NULL CHECK (status IN ('SENT', 'ACCEPTED', 'DECLINED', 'COMPLETED', 'CANCELLED')),
    actor       text        NOT NULL CHECK (length(actor) BETWEEN 1 AND 300),
    occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_event_referral_idx ON referral_event (referral_id, occurred_at, id);

-- MY PATH: a supervisor's support plan for a newcomer (or their family).
CREATE TABLE support_plan (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newcomer_id     bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    organisation_id bigint      NOT NULL REFERENCES organisation (id),
    supervisor      text        NOT NULL CHECK (length(supervisor) BETWEEN 1 AND 300),
    for_family      boolean     NOT NULL DEFAULT false,
    needs           text        NOT NULL CHECK (length(needs) BETWEEN 1 AND 5000),
    goals           text        NOT NULL CHECK (length(goals) BETWEEN 1 AND 5000),
    status          text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'EVALUATED')),
    evaluation      text        CHECK (length(evaluation) <= 5000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'EVALUATED') = (evaluation IS NOT NULL))
);
CREATE INDEX support_plan_newcomer_idx ON support_plan (newcomer_id, id);
CREATE INDEX support_plan_organisation_idx ON support_plan (organisation_id, id);

-- The steps of a plan: an activity, an appointment with a partner, or a referral.
CREATE TABLE plan_step (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id            bigint      NOT NULL REFERENCES support_plan (id) ON DELETE CASCADE,
    kind               text        NOT NULL CHECK (kind IN ('ACTIVITY', 'APPOINTMENT', 'REFERRAL')),
    description        text        NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    responsible_org_id bigint      NOT NULL REFERENCES organisation (id),
    due_date           date,
    status             text        NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
    activity_id        bigint      REFERENCES activity (id),
    referral_id        bigint      REFERENCES referral (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'ACTIVITY' OR activity_id IS NOT NULL),
    CHECK (kind <> 'REFERRAL' OR referral_id IS NOT NULL)
);
CREATE INDEX plan_step_plan_idx ON plan_step (plan_id, id);

-- Follow-ups of a plan, with notes.
CREATE TABLE plan_follow_up (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id     bigint      NOT NULL REFERENCES support_plan (id) ON DELETE CASCADE,
    note        text        NOT NULL CHECK (length(note) BETWEEN 1 AND 5000),
    author      text        NOT NULL CHECK (length(author) BETWEEN 1 AND 300),
    occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_follow_up_plan_idx ON plan_follow_up (plan_id, occurred_at, id);

-- The audit trail records more kinds of action: the application's enumeration is the authority,
-- the database keeps the shape.
ALTER TABLE audit_event DROP CONSTRAINT audit_event_action_check;
ALTER TABLE audit_event ADD CONSTRAINT audit_event_action_check CHECK (action ~ '^[A-Z][A-Z_]{1,39}$');

-- +goose Down
ALTER TABLE audit_event DROP CONSTRAINT audit_event_action_check;
DROP TABLE plan_follow_up;
DROP TABLE plan_step;
DROP TABLE support_plan;
DROP TABLE referral_event;
DROP TABLE referral;
DROP TABLE newcomer_merge;
DROP TABLE newcomer_background;
DROP TABLE newcomer_family_member;
ALTER TABLE newcomer DROP CONSTRAINT newcomer_not_merged_into_self,
    DROP COLUMN erased_at, DROP COLUMN last_activity_at, DROP COLUMN merged_into,
    DROP COLUMN residence_municipality_id, DROP COLUMN plan_start_date, DROP COLUMN arrival_date;
