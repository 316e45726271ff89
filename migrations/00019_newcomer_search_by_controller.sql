-- The worklist's name search, served per controller (issue 14): a case worker searches the
-- newcomers of their own municipality (and the few a consent shares with it), so the trigram
-- index of names is keyed by controller too. With the names alone, a common name over 150,000
-- newcomers gave 20,000 candidates to recheck, every municipality's; keyed by controller, the
-- index gives the searching municipality's own (5,000 for Malmö, a quarter of the network).
-- A GIN index over several columns serves conditions on any of them, so searches across every
-- controller (the network's own lists) still use it for the names alone.

-- +goose Up

-- btree_gin lets a GIN index hold the controller beside the trigrams; a trusted extension of
-- PostgreSQL's contrib, which the database's owner creates without being a superuser.
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX newcomer_search_idx ON newcomer USING gin (controller_id, search_name gin_trgm_ops);
DROP INDEX newcomer_search_name_idx;

-- +goose Down

CREATE INDEX newcomer_search_name_idx ON newcomer USING gin (search_name gin_trgm_ops);
DROP INDEX newcomer_search_idx;
