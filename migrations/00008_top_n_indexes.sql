-- Indexes for the orders the API offers under a parent, and for counts that need no table
-- (issue 19). A page of each organisation's activities is the top rows of a LATERAL subquery by
-- organiser, read in the order's index rather than sorted (50 organisations × 10 titles: 492 ms
-- with the status-and-title index filtering by organiser, 6.6 ms with these), and the status
-- each index includes lets the published-or-own count of an organisation's activities be an
-- index-only scan (0.26 ms). A category's published activities are read, and counted, from a
-- partial index by title (index-only count: 0.7 ms instead of a bitmap heap scan).

-- +goose Up
CREATE INDEX activity_organiser_title_idx ON activity (organiser_id, title, id) INCLUDE (status);
CREATE INDEX activity_organiser_updated_idx ON activity (organiser_id, updated_at, id) INCLUDE (status);
CREATE INDEX activity_published_category_title_idx ON activity (category, title, id) WHERE status = 'PUBLISHED';

-- +goose Down
DROP INDEX activity_published_category_title_idx;
DROP INDEX activity_organiser_updated_idx;
DROP INDEX activity_organiser_title_idx;
