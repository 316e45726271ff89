-- In the newcomer's own language (issue 16): an activity's public texts in any number of
-- languages, by BCP 47 tag, each with a search vector in the PostgreSQL text-search configuration
-- of its language (simple where PostgreSQL has none), accent- and case-insensitive, and a
-- trigram key of its title for the typo-tolerant fallback; and the public texts of programmes,
-- organisations, RÅDRUM desks and SHK courses in the same way, without search.
--
-- The Swedish and English texts stay the activity's own columns (title, description, title_en,
-- description_en, and the notes, which are written in Swedish); a trigger copies them into
-- activity_text, so that every writer (the API, the HSDS push, the bulk import, the seed) keeps
-- the translations table complete, and search reads one table.

-- +goose Up

-- text_search_config is the text-search configuration of a language tag's base language:
-- PostgreSQL 15's snowball stemmers where one exists, simple (no stemming, no stop words)
-- otherwise — Dari, Persian, Somali, Tigrinya, Ukrainian, Kurdish, Pashto among them. The
-- configurations are built in and never change: IMMUTABLE, as a generated column needs.
-- +goose StatementBegin
CREATE FUNCTION text_search_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
SELECT (CASE split_part(lower(language), '-', 1)
    WHEN 'sv' THEN 'pg_catalog.swedish' WHEN 'en' THEN 'pg_catalog.english'
    WHEN 'ar' THEN 'pg_catalog.arabic' WHEN 'da' THEN 'pg_catalog.danish'
    WHEN 'nb' THEN 'pg_catalog.norwegian' WHEN 'no' THEN 'pg_catalog.norwegian'
    WHEN 'fi' THEN 'pg_catalog.finnish' WHEN 'de' THEN 'pg_catalog.german'
    WHEN 'fr' THEN 'pg_catalog.french' WHEN 'es' THEN 'pg_catalog.spanish'
    WHEN 'ru' THEN 'pg_catalog.russian' WHEN 'tr' THEN 'pg_catalog.turkish'
    WHEN 'el' THEN 'pg_catalog.greek' WHEN 'hy' THEN 'pg_catalog.armenian'
    WHEN 'sr' THEN 'pg_catalog.serbian' WHEN 'ta' THEN 'pg_catalog.tamil'
    WHEN 'ne' THEN 'pg_catalog.nepali' WHEN 'hi' THEN 'pg_catalog.hindi'
    ELSE 'pg_catalog.simple' END)::regconfig
$$;
-- +goose StatementEnd

CREATE TABLE activity_text (
    activity_id             bigint      NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    language                text        NOT NULL CHECK (length(language) BETWEEN 2 AND 35
                                            AND language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$'),
    title                   text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description             text        NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    accessibility           text        NOT NULL DEFAULT '' CHECK (length(accessibility) <= 2000),
    cost_note               text        NOT NULL DEFAULT '' CHECK (length(cost_note) <= 500),
    application_process     text        NOT NULL DEFAULT '' CHECK (length(application_process) <= 2000),
    interpretation_services text        NOT NULL DEFAULT '' CHECK (length(interpretation_services) <= 2000),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    -- The title weighs more than the description in the rank.
    search                  tsvector    GENERATED ALWAYS AS (
                                setweight(to_tsvector(text_search_config(language), immutable_unaccent(title)), 'A')
                                || setweight(to_tsvector(text_search_config(language), immutable_unaccent(description)), 'B')) STORED,
    -- The title folded for trigram similarity: lower case, without accents.
    title_key               text        GENERATED ALWAYS AS (lower(immutable_unaccent(title))) STORED,
    PRIMARY KEY (activity_id, language)
);
CREATE INDEX activity_text_search_idx ON activity_text USING gin (search);
CREATE INDEX activity_text_title_key_idx ON activity_text USING gin (title_key gin_trgm_ops);

-- activity_own_texts copies an activity's own texts into activity_text: Swedish (title,
-- description and the notes) and English (title_en, description_en; its notes are the English
-- translation's own, kept). An empty English title removes the English texts.
-- +goose StatementBegin
CREATE FUNCTION activity_own_texts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_text (activity_id, language, title, description, accessibility, cost_note,
                               application_process, interpretation_services)
    VALUES (NEW.id, 'sv', NEW.title, NEW.description, NEW.accessibility, NEW.cost_note,
            NEW.application_process, NEW.interpretation_services)
    ON CONFLICT (activity_id, language) DO UPDATE SET
        title = EXCLUDED.title, description = EXCLUDED.description,
        accessibility = EXCLUDED.accessibility, cost_note = EXCLUDED.cost_note,
        application_process = EXCLUDED.application_process,
        interpretation_services = EXCLUDED.interpretation_services, updated_at = now()
    WHERE (activity_text.title, activity_text.description, activity_text.accessibility,
           activity_text.cost_note, activity_text.application_process, activity_text.interpretation_services)
          IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.description, EXCLUDED.accessibility,
           EXCLUDED.cost_note, EXCLUDED.application_process, EXCLUDED.interpretation_services);
    IF NEW.title_en = '' THEN
        DELETE FROM activity_text WHERE activity_id = NEW.id AND language = 'en';
    ELSE
        INSERT INTO activity_text (activity_id, language, title, description)
        VALUES (NEW.id, 'en', NEW.title_en, NEW.description_en)
        ON CONFLICT (activity_id, language) DO UPDATE SET
            title = EXCLUDED.title, description = EXCLUDED.description, updated_at = now()
        WHERE (activity_text.title, activity_text.description) IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.description);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER activity_own_texts AFTER INSERT OR UPDATE OF title, description, title_en, description_en,
    accessibility, cost_note, application_process, interpretation_services ON activity
    FOR EACH ROW EXECUTE FUNCTION activity_own_texts();

INSERT INTO activity_text (activity_id, language, title, description, accessibility, cost_note,
                           application_process, interpretation_services)
SELECT id, 'sv', title, description, accessibility, cost_note, application_process, interpretation_services
FROM activity;
INSERT INTO activity_text (activity_id, language, title, description)
SELECT id, 'en', title_en, description_en FROM activity WHERE title_en <> '';

-- The public texts of programmes, organisations, RÅDRUM desks and SHK courses in languages
-- beyond their own columns (a programme's name in English and Swedish, an organisation's
-- description, a desk's and a course's own texts), one row per owner, language and field.
CREATE TABLE public_text (
    owner_kind text        NOT NULL CHECK (owner_kind IN ('PROGRAMME', 'ORGANISATION', 'ADVICE_DESK', 'COURSE')),
    owner_id   bigint      NOT NULL,
    language   text        NOT NULL CHECK (length(language) BETWEEN 2 AND 35
                               AND language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$'),
    field      text        NOT NULL CHECK (field IN ('NAME', 'DESCRIPTION', 'PLACE', 'TITLE')),
    text       text        NOT NULL CHECK (length(text) BETWEEN 1 AND 10000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_kind, owner_id, language, field)
);


-- +goose Down
DROP TABLE public_text;
DROP TRIGGER activity_own_texts ON activity;
DROP FUNCTION activity_own_texts();
DROP TABLE activity_text;
DROP FUNCTION text_search_config(text);
