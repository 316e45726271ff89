-- A newcomer's own sign-in, and the partner network managed through the API (issue 14):
-- invitations that bind the subject of a trusted identity provider's tokens to a newcomer's
-- record; organisations' contact and profile; RÅDRUM desks' address, languages, contact and
-- opening hours (schedules, as activities have).

-- +goose Up

-- An invitation a coordinator gives a newcomer to sign in with their own identity provider:
-- used once, before it expires, unless revoked. Only the SHA-256 of its 256-bit random secret is
-- kept.
CREATE TABLE newcomer_invitation (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newcomer_id bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    secret_hash bytea       NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
    created_by  text        NOT NULL CHECK (length(created_by) BETWEEN 1 AND 300),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    redeemed_at timestamptz,
    redeemed_by text        CHECK (length(redeemed_by) BETWEEN 1 AND 300),
    revoked_at  timestamptz,
    revoked_by  text        CHECK (length(revoked_by) BETWEEN 1 AND 300),
    CHECK (expires_at > created_at),
    CHECK ((redeemed_at IS NULL) = (redeemed_by IS NULL)),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX newcomer_invitation_newcomer_idx ON newcomer_invitation (newcomer_id, id);

-- The subjects ("issuer|sub") of trusted identity providers that act as a newcomer. A subject
-- acts for one newcomer at most; revoking a sign-in removes its row.
CREATE TABLE newcomer_login (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newcomer_id   bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    subject       text        NOT NULL UNIQUE CHECK (length(subject) BETWEEN 3 AND 300 AND subject ~ '^[^|]+[|].+$'),
    invitation_id bigint      REFERENCES newcomer_invitation (id) ON DELETE SET NULL,
    bound_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX newcomer_login_newcomer_idx ON newcomer_login (newcomer_id, id);

-- An organisation's profile beyond its name: what it does, and how to reach it.
ALTER TABLE organisation
    ADD COLUMN description   text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    ADD COLUMN contact_email text CHECK (length(contact_email) <= 254 AND contact_email ~ '^[^@\s]+@[^@\s]+$'),
    ADD COLUMN contact_phone text CHECK (contact_phone ~ '^\+?[0-9 ()-]{5,30}$'),
    ADD COLUMN address       text CHECK (length(address) BETWEEN 1 AND 300);

-- A RÅDRUM desk's address, the languages its advisers speak and how to reach it.
ALTER TABLE advice_desk
    ADD COLUMN address       text CHECK (length(address) BETWEEN 1 AND 300),
    ADD COLUMN languages     text[] NOT NULL DEFAULT '{sv}'
                             CHECK (cardinality(languages) BETWEEN 1 AND 20
                                    AND array_to_string(languages, ',') ~ '^[a-z]{2,3}(,[a-z]{2,3})*$'),
    ADD COLUMN contact_email text CHECK (length(contact_email) <= 254 AND contact_email ~ '^[^@\s]+@[^@\s]+$'),
    ADD COLUMN contact_phone text CHECK (contact_phone ~ '^\+?[0-9 ()-]{5,30}$'),
    ADD COLUMN updated_at    timestamptz NOT NULL DEFAULT now();

-- A desk's opening hours: schedules like an activity's (a first opening in Europe/Stockholm
-- time, how long it stays open, an RFC 5545 rule and exceptions), in the order given.
CREATE TABLE advice_desk_hours (
    desk_id          bigint      NOT NULL REFERENCES advice_desk (id) ON DELETE CASCADE,
    position         int         NOT NULL CHECK (position BETWEEN 0 AND 19),
    starts_at        timestamptz NOT NULL,
    duration_minutes int         NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    rrule            text        CHECK (length(rrule) BETWEEN 1 AND 500),
    exdates          timestamptz[] NOT NULL DEFAULT '{}' CHECK (cardinality(exdates) <= 500),
    PRIMARY KEY (desk_id, position)
);

-- +goose Down
DROP TABLE advice_desk_hours;
ALTER TABLE advice_desk DROP COLUMN updated_at, DROP COLUMN contact_phone, DROP COLUMN contact_email,
    DROP COLUMN languages, DROP COLUMN address;
ALTER TABLE organisation DROP COLUMN address, DROP COLUMN contact_phone, DROP COLUMN contact_email,
    DROP COLUMN description;
DROP TABLE newcomer_login;
DROP TABLE newcomer_invitation;
