-- Who may take part in an activity by age (HSDS 3: the eligibility of a service), in whole years.

-- +goose Up
ALTER TABLE activity
    ADD COLUMN min_age int CHECK (min_age BETWEEN 0 AND 120),
    ADD COLUMN max_age int CHECK (max_age BETWEEN 0 AND 120),
    ADD CONSTRAINT activity_age_range CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age);

-- +goose Down
ALTER TABLE activity DROP CONSTRAINT activity_age_range, DROP COLUMN max_age, DROP COLUMN min_age;
