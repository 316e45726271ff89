-- A municipality's working day (issue 14): corrections of a newcomer's data by category with
-- their history and versions, the worklist's search (names forgiving accents, case,
-- transliteration and typos; exact phone and email), the assignment of cases to staff, and the
-- transfer of a case to another municipality.

-- +goose Up

-- Trigram matching and accent folding: both are trusted extensions of PostgreSQL's contrib, so
-- the database's owner creates them without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change); an index needs an IMMUTABLE function,
-- and the dictionary is fixed for this database: the usual wrapper, with the dictionary named.
-- +goose StatementBegin
CREATE FUNCTION immutable_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
-- +goose StatementEnd

-- name_key folds a name into the key the worklist's search matches with trigrams: lower case,
-- without accents, punctuation as spaces, and the spelling variants of the common
-- transliterations of Arabic, Persian, Somali and Tigrinya names written the same way —
-- Mohammed, Muhammad, Mohamed and Muhamad all become "muhamad"; Hussein, Husain and Husayn
-- "husain"; Youssef and Yousef "yusaf"; Abd al-Rahman and Abdurrahman "abdrahman". It is applied
-- to the stored names (newcomer.search_name) and to what a case worker types, so both sides
-- meet in the same spelling; typos are then forgiven by trigram similarity.
-- +goose StatementBegin
CREATE FUNCTION name_key(name text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
    k text := lower(public.immutable_unaccent(name));
BEGIN
    k := regexp_replace(k, '[[:punct:][:space:]]+', ' ', 'g');  -- al-Rahman, (syntetisk): words
    k := regexp_replace(k, 'ou|oo', 'u', 'g');                  -- Youssef, Mahmood, Noor: u
    k := replace(k, 'ee', 'i');                                  -- Ameen, Kareem: i
    k := regexp_replace(k, 'ay|ey|ei', 'ai', 'g');              -- Hussein, Husayn, Zeinab, Leyla: ai
    k := replace(k, 'sch', 'sh');                                -- Schirin: Shirin
    k := regexp_replace(k, 'kh|ch', 'h', 'g');                  -- Khalid, Chalid: h
    k := replace(k, 'ph', 'f');
    k := replace(k, 'th', 's');                                  -- Uthman, Othman: Osman
    k := regexp_replace(k, '([gd])h', '\1', 'g');               -- Ghassan, Ramadhan: g, d
    k := replace(k, 'dj', 'j');                                  -- Djamal: Jamal
    k := replace(k, 'ck', 'k');
    k := translate(k, 'qoe', 'kua');                             -- Qasim: k; Omar: u; Ahmed: a
    k := regexp_replace(k, '\mabd ?[aiu]l ?', 'abd', 'g');      -- Abdul Rahman, Abd al-Rahman, Abdelrahman
    k := regexp_replace(k, '\mabd ?[aiu]rr', 'abdr', 'g');      -- Abdurrahman
    k := regexp_replace(k, '\Yy', 'i', 'g');                    -- Maryam, Meryem: i, but Yusuf keeps its y
    k := regexp_replace(k, '([aiu])h\M', '\1', 'g');            -- Sarah, Aishah, Fatemeh: no final h
    k := regexp_replace(k, '([a-z])\1+', '\1', 'g');            -- Mohammed, Hassan: one letter
    RETURN btrim(k);
END;
$$;
-- +goose StatementEnd

-- phone_key folds a telephone number into the key exact phone search compares: digits only,
-- in international form, so "070-111 22 33", "+46 70 111 22 33" and "0046701112233" are one.
-- +goose StatementBegin
CREATE FUNCTION phone_key(phone text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$
SELECT CASE
    WHEN d LIKE '+%' THEN '+' || replace(d, '+', '')
    WHEN d LIKE '00%' THEN '+' || substr(d, 3)
    WHEN d LIKE '0%' THEN '+46' || substr(d, 2)
    ELSE d END
FROM (SELECT regexp_replace(phone, '[^0-9+]', '', 'g') AS d) x
$$;
-- +goose StatementEnd

-- The search key of each name, kept beside it (a trigram index and its recheck read it, never
-- recompute it), and who the case is assigned to now.
ALTER TABLE newcomer
    ADD COLUMN search_name text GENERATED ALWAYS AS (name_key(display_name)) STORED,
    ADD COLUMN assigned_to text CHECK (length(assigned_to) BETWEEN 1 AND 300),
    ADD COLUMN assigned_at timestamptz,
    ADD CONSTRAINT newcomer_assignment_pair CHECK ((assigned_to IS NULL) = (assigned_at IS NULL));
COMMENT ON COLUMN newcomer.assigned_to IS 'The subject of the staff member of the controller the case is assigned to.';
CREATE INDEX newcomer_search_name_idx ON newcomer USING gin (search_name gin_trgm_ops);
CREATE INDEX newcomer_contact_phone_idx ON newcomer_contact (phone_key(phone)) WHERE phone IS NOT NULL;
CREATE INDEX newcomer_contact_email_idx ON newcomer_contact (lower(email)) WHERE email IS NOT NULL;
-- "My cases" and a staff member's cases.
CREATE INDEX newcomer_assigned_idx ON newcomer (assigned_to, controller_id) WHERE assigned_to IS NOT NULL;
-- The worklist's orders within a caseload: by name (as Swedish readers sort), arrival and last
-- activity, walked in order instead of sorting the caseload for each page.
CREATE INDEX newcomer_open_name_idx ON newcomer (controller_id, (display_name COLLATE swedish), id)
    WHERE merged_into IS NULL AND erased_at IS NULL;
CREATE INDEX newcomer_open_arrival_idx ON newcomer (controller_id, (coalesce(arrival_date, 'infinity'::date)), id)
    WHERE merged_into IS NULL AND erased_at IS NULL;
CREATE INDEX newcomer_open_activity_idx ON newcomer (controller_id, last_activity_at, id)
    WHERE merged_into IS NULL AND erased_at IS NULL;

-- The history of changes to a newcomer's data, by category: who changed which fields, when,
-- and the version of the category each change made (a category is at version 1 as registered).
-- It never holds a value: what a field was or became is not kept here, nor in the audit trail.
-- A correction names the version it read; a stale one is refused, never silently overwritten.
CREATE TABLE newcomer_change (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newcomer_id     bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    category        text        NOT NULL CHECK (category IN (
                                    'IDENTITY', 'CONTACT', 'FAMILY', 'LANGUAGES', 'HEALTH',
                                    'BACKGROUND', 'PLAN', 'PARTICIPATION')),
    version         int         NOT NULL CHECK (version >= 2),
    kind            text        NOT NULL CHECK (kind IN ('CORRECTION', 'MERGE', 'TRANSFER')),
    fields          text[]      NOT NULL CHECK (cardinality(fields) <= 20
                                    AND array_to_string(fields, ',') ~ '^([a-zA-Z]{1,40}(,[a-zA-Z]{1,40})*)?$'),
    changed_by      text        NOT NULL CHECK (length(changed_by) BETWEEN 1 AND 300),
    organisation_id bigint      REFERENCES organisation (id),
    changed_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (newcomer_id, category, version)
);
CREATE INDEX newcomer_change_newcomer_idx ON newcomer_change (newcomer_id, changed_at, id);

-- The history of a case's assignment: to whom (null: unassigned), by whom, when, and which
-- organisation controlled the case then.
CREATE TABLE case_assignment (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newcomer_id     bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    organisation_id bigint      NOT NULL REFERENCES organisation (id),
    assignee        text        CHECK (length(assignee) BETWEEN 1 AND 300),
    assigned_by     text        NOT NULL CHECK (length(assigned_by) BETWEEN 1 AND 300),
    assigned_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_assignment_newcomer_idx ON case_assignment (newcomer_id, assigned_at, id);

-- A case's transfer to another municipality, the way Primero transfers cases: the controller
-- asks, the receiving municipality accepts (and becomes the controller) or declines; the
-- sender may cancel while it is pending. One pending transfer per case.
CREATE TABLE case_transfer (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newcomer_id    bigint      NOT NULL REFERENCES newcomer (id) ON DELETE CASCADE,
    from_org_id    bigint      NOT NULL REFERENCES organisation (id),
    to_org_id      bigint      NOT NULL REFERENCES organisation (id),
    status         text        NOT NULL DEFAULT 'PENDING'
                               CHECK (status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'CANCELLED')),
    note           text        CHECK (length(note) BETWEEN 1 AND 2000),
    requested_by   text        NOT NULL CHECK (length(requested_by) BETWEEN 1 AND 300),
    requested_at   timestamptz NOT NULL DEFAULT now(),
    decided_by     text        CHECK (length(decided_by) BETWEEN 1 AND 300),
    decided_at     timestamptz,
    decline_reason text        CHECK (length(decline_reason) BETWEEN 1 AND 2000),
    CHECK (from_org_id <> to_org_id),
    CHECK ((status = 'PENDING') = (decided_at IS NULL)),
    CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
    CHECK (status = 'DECLINED' OR decline_reason IS NULL)
);
CREATE UNIQUE INDEX case_transfer_one_pending_idx ON case_transfer (newcomer_id) WHERE status = 'PENDING';
CREATE INDEX case_transfer_newcomer_idx ON case_transfer (newcomer_id, requested_at, id);
CREATE INDEX case_transfer_to_idx ON case_transfer (to_org_id, requested_at, id);
CREATE INDEX case_transfer_from_idx ON case_transfer (from_org_id, requested_at, id);

-- +goose Down
DROP TABLE case_transfer;
DROP TABLE case_assignment;
DROP TABLE newcomer_change;
DROP INDEX newcomer_open_activity_idx;
DROP INDEX newcomer_open_arrival_idx;
DROP INDEX newcomer_open_name_idx;
DROP INDEX newcomer_assigned_idx;
DROP INDEX newcomer_contact_email_idx;
DROP INDEX newcomer_contact_phone_idx;
DROP INDEX newcomer_search_name_idx;
ALTER TABLE newcomer DROP CONSTRAINT newcomer_assignment_pair,
    DROP COLUMN assigned_at, DROP COLUMN assigned_to, DROP COLUMN search_name;
DROP FUNCTION phone_key(text);
DROP FUNCTION name_key(text);
DROP FUNCTION immutable_unaccent(text);
DROP EXTENSION unaccent;
DROP EXTENSION pg_trgm;
