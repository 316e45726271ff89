-- Indexes the benchmark (issue 8, item 7) showed missing on its large data set.

-- +goose Up

-- A caseload page, by registration, of the newcomers who are still someone's case: walked in
-- order instead of sorting every newcomer of the table for each page.
CREATE INDEX newcomer_registered_idx ON newcomer (registered_at, id) WHERE merged_into IS NULL AND erased_at IS NULL;

-- The count of a caseload: an index-only scan of the controller's open cases, not a visit to
-- every row of theirs.
CREATE INDEX newcomer_open_controller_idx ON newcomer (controller_id) WHERE merged_into IS NULL AND erased_at IS NULL;

-- +goose Down
DROP INDEX newcomer_open_controller_idx;
DROP INDEX newcomer_registered_idx;
