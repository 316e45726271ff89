-- An organisation's activities by title from the index alone (issue 19). A list of organisations
-- with their activities' titles reads each activity's Swedish and English title, so that a reader
-- in English gets the English one; with only the Swedish title in the index, every row of the
-- top-N per organisation was fetched from the table again for title_en: 778 buffers for 50
-- organisations × 10 titles, where the index alone holds what is asked (163).

-- +goose Up

CREATE INDEX activity_organiser_titles_idx ON activity (organiser_id, title, id) INCLUDE (status, title_en);
DROP INDEX activity_organiser_title_idx;

-- +goose Down

CREATE INDEX activity_organiser_title_idx ON activity (organiser_id, title, id) INCLUDE (status);
DROP INDEX activity_organiser_titles_idx;
