package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// QuestionnaireTextList returns the texts of a version of the questionnaire in a language, by
// key; none for a version or language it is not given in.
func (s *Store) QuestionnaireTextList(ctx context.Context, version, language string) ([]partnernet.QuestionnaireText, error) {
	rows, err := s.db.Query(ctx, `
SELECT version, key, language, text, source FROM questionnaire_text
WHERE version = $1 AND language = $2 ORDER BY key`, version, language)
	if err != nil {
		return nil, translate(fmt.Errorf("questionnaire texts: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (partnernet.QuestionnaireText, error) {
		var t partnernet.QuestionnaireText
		return t, r.Scan(&t.Version, &t.Key, &t.Language, &t.Text, &t.Source)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("questionnaire texts: %w", err))
	}
	return out, nil
}

// responseColumns read a response with its answers, items and values in step.
const responseColumns = `r.id, r.newcomer_id, r.version, r.language, r.declined, r.created_at,
  coalesce((SELECT array_agg(a.item ORDER BY a.item) FROM questionnaire_answer a WHERE a.response_id = r.id), '{}'),
  coalesce((SELECT array_agg(a.value ORDER BY a.item) FROM questionnaire_answer a WHERE a.response_id = r.id), '{}')`

// scanResponse reads a row of responseColumns.
func scanResponse(row pgx.CollectableRow) (partnernet.QuestionnaireResponse, error) {
	var r partnernet.QuestionnaireResponse
	var items []string
	var values []int
	if err := row.Scan(&r.ID, &r.NewcomerID, &r.Version, &r.Language, &r.Declined, &r.CreatedAt, &items, &values); err != nil {
		return r, err
	}
	for i, item := range items {
		r.Answers = append(r.Answers, partnernet.QuestionnaireAnswer{Item: partnernet.QuestionnaireItem(item), Value: values[i]})
	}
	return r, nil
}

// QuestionnaireResponseCreate stores a response (or decline) of newcomer r.NewcomerID with its
// answers, and returns it as stored.
func (s *Store) QuestionnaireResponseCreate(ctx context.Context, r partnernet.QuestionnaireResponse) (partnernet.QuestionnaireResponse, error) {
	items := make([]string, len(r.Answers))
	values := make([]int, len(r.Answers))
	for i, a := range r.Answers {
		items[i], values[i] = string(a.Item), a.Value
	}
	var id int64
	err := s.db.QueryRow(ctx, `
WITH r AS (
  INSERT INTO questionnaire_response (newcomer_id, version, language, declined) VALUES ($1, $2, $3, $4) RETURNING id
), answers AS (
  INSERT INTO questionnaire_answer (response_id, item, value)
  SELECT r.id, a.item, a.value FROM r, unnest($5::text[], $6::int[]) AS a (item, value)
)
SELECT id FROM r`, r.NewcomerID, r.Version, r.Language, r.Declined, items, values).Scan(&id)
	if err != nil {
		return r, translate(fmt.Errorf("store questionnaire response: %w", err))
	}
	got, err := s.questionnaireResponses(ctx, "r.id = ANY($1)", []int64{id})
	if err != nil {
		return r, err
	}
	if len(got) != 1 {
		return r, fmt.Errorf("read questionnaire response %d: %w", id, partnernet.ErrNotFound)
	}
	return got[0], nil
}

// QuestionnaireResponseListByNewcomers returns the responses of each of the newcomers, with
// their answers, each newcomer's oldest first.
func (s *Store) QuestionnaireResponseListByNewcomers(ctx context.Context, newcomerIDs []int64) ([]partnernet.QuestionnaireResponse, error) {
	return s.questionnaireResponses(ctx, "r.newcomer_id = ANY($1)", newcomerIDs)
}

// questionnaireResponses returns the responses where cond holds of $1, by newcomer and age.
func (s *Store) questionnaireResponses(ctx context.Context, cond string, ids []int64) ([]partnernet.QuestionnaireResponse, error) {
	rows, err := s.db.Query(ctx, "SELECT "+responseColumns+" FROM questionnaire_response r WHERE "+cond+
		" ORDER BY r.newcomer_id, r.created_at, r.id", ids)
	if err != nil {
		return nil, translate(fmt.Errorf("questionnaire responses: %w", err))
	}
	out, err := pgx.CollectRows(rows, scanResponse)
	if err != nil {
		return nil, translate(fmt.Errorf("questionnaire responses: %w", err))
	}
	return out, nil
}

// QuestionnaireResponsesDelete deletes every response of a newcomer, with its answers, and
// returns how many there were.
func (s *Store) QuestionnaireResponsesDelete(ctx context.Context, newcomerID int64) (int, error) {
	tag, err := s.db.Exec(ctx, "DELETE FROM questionnaire_response WHERE newcomer_id = $1", newcomerID)
	if err != nil {
		return 0, translate(fmt.Errorf("delete questionnaire responses of newcomer %d: %w", newcomerID, err))
	}
	return int(tag.RowsAffected()), nil
}

// ConsentActiveCovering returns the newcomer's active consent records that cover purpose and
// category, whichever organisations they name: for the consent to statistics a response needs.
func (s *Store) ConsentActiveCovering(ctx context.Context, newcomerID int64, purpose partnernet.Purpose, category partnernet.DataCategory) ([]partnernet.ConsentRecord, error) {
	rows, err := s.db.Query(ctx, "SELECT "+consentColumns+` FROM consent_record_current c
WHERE c.newcomer_id = $1 AND c.active AND $2 = ANY (c.purposes) AND $3 = ANY (c.data_categories)
ORDER BY c.id`, newcomerID, string(purpose), string(category))
	if err != nil {
		return nil, translate(fmt.Errorf("active consents covering %s: %w", purpose, err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (partnernet.ConsentRecord, error) {
		var c partnernet.ConsentRecord
		return c, r.Scan(consentFields(&c)...)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("active consents covering %s: %w", purpose, err))
	}
	return out, nil
}
