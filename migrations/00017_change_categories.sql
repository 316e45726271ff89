-- A newcomer's change history (issue 14) names the category changed; the categories of issue 18
-- (OUTCOMES, WELLBEING), added on another branch at the same time, join its CHECK list so that
-- it names every category again (enum_test.go keeps the lists equal).

-- +goose Up
ALTER TABLE newcomer_change DROP CONSTRAINT newcomer_change_category_check,
    ADD CONSTRAINT newcomer_change_category_check CHECK (category IN (
        'IDENTITY', 'CONTACT', 'FAMILY', 'LANGUAGES', 'HEALTH', 'BACKGROUND', 'PLAN',
        'PARTICIPATION', 'OUTCOMES', 'WELLBEING'));

-- +goose Down
ALTER TABLE newcomer_change DROP CONSTRAINT newcomer_change_category_check,
    ADD CONSTRAINT newcomer_change_category_check CHECK (category IN (
        'IDENTITY', 'CONTACT', 'FAMILY', 'LANGUAGES', 'HEALTH', 'BACKGROUND', 'PLAN',
        'PARTICIPATION'));
