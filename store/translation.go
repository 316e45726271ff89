package store

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/partnerskap-skane/partnernet"
)

// activityTextColumns are the columns of an activity's texts in one language.
const activityTextColumns = `t.activity_id, t.language, t.title, t.description, t.accessibility, t.cost_note,
 t.application_process, t.interpretation_services, t.updated_at`

// activityTextFields are the scan destinations of activityTextColumns.
func activityTextFields(t *partnernet.ActivityTranslation) []any {
	return []any{&t.ActivityID, &t.Language, &t.Title, &t.Description, &t.Accessibility, &t.CostNote,
		&t.ApplicationProcess, &t.InterpretationServices, &t.UpdatedAt}
}

// ActivityTranslationListByActivities returns the texts of each of the activities in every
// language they are written in (Swedish and English included), ordered by activity and language.
func (s *Store) ActivityTranslationListByActivities(ctx context.Context, ids []int64) ([]partnernet.ActivityTranslation, error) {
	return getMany(ctx, s.db, "activity texts", activityTextsSQL, ids, activityTextFields)
}

// activityTextsSQL reads the texts in every language of each activity of $1.
const activityTextsSQL = "SELECT " + activityTextColumns +
	" FROM activity_text t WHERE t.activity_id = ANY($1) ORDER BY t.activity_id, t.language"

// ActivityTranslationSet writes an activity's texts in one language other than Swedish and
// English (which are the activity's own columns: [Store.ActivityTextsSetOwn]), replacing what
// was there, and marks the activity changed. It returns partnernet.ErrBadUserInput (CHECK) for
// texts beyond the limits and partnernet.ErrConflict when the activity already has
// partnernet.MaxTranslations languages.
func (s *Store) ActivityTranslationSet(ctx context.Context, t partnernet.ActivityTranslation) (partnernet.ActivityTranslation, error) {
	var count int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM activity_text WHERE activity_id = $1 AND language <> $2`,
		t.ActivityID, t.Language).Scan(&count); err != nil {
		return t, translate(fmt.Errorf("count activity texts: %w", err))
	}
	if count >= partnernet.MaxTranslations {
		return t, partnernet.Errorf(partnernet.CodeConflict, "an activity is written in at most %d languages", partnernet.MaxTranslations)
	}
	err := s.db.QueryRow(ctx, `INSERT INTO activity_text AS t (activity_id, language, title, description, accessibility,
  cost_note, application_process, interpretation_services)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (activity_id, language) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description,
  accessibility = EXCLUDED.accessibility, cost_note = EXCLUDED.cost_note,
  application_process = EXCLUDED.application_process, interpretation_services = EXCLUDED.interpretation_services,
  updated_at = now()
RETURNING `+activityTextColumns, t.ActivityID, t.Language, t.Title, t.Description, t.Accessibility, t.CostNote,
		t.ApplicationProcess, t.InterpretationServices).Scan(activityTextFields(&t)...)
	if err != nil {
		return t, translate(fmt.Errorf("set activity %d text in %s: %w", t.ActivityID, t.Language, err))
	}
	return t, s.activityTouch(ctx, t.ActivityID)
}

// ActivityTextsSetOwn writes an activity's own Swedish or English texts (title and description
// in the activity's columns; for Swedish its notes too, for English the notes of the English
// texts), which the database copies into the activity's texts, and marks the activity changed.
func (s *Store) ActivityTextsSetOwn(ctx context.Context, t partnernet.ActivityTranslation) (partnernet.ActivityTranslation, error) {
	var err error
	switch t.Language {
	case partnernet.Swedish:
		_, err = s.db.Exec(ctx, `UPDATE activity SET title = $2, description = $3, accessibility = $4, cost_note = $5,
  application_process = $6, interpretation_services = $7 WHERE id = $1`, t.ActivityID, t.Title, t.Description,
			t.Accessibility, t.CostNote, t.ApplicationProcess, t.InterpretationServices)
	case partnernet.English:
		// The activity's update copies title and description into its English texts (trigger);
		// the notes of the English texts are then written beside them.
		_, err = s.db.Exec(ctx, "UPDATE activity SET title_en = $2, description_en = $3 WHERE id = $1",
			t.ActivityID, t.Title, t.Description)
		if err == nil {
			_, err = s.db.Exec(ctx, `UPDATE activity_text SET accessibility = $2, cost_note = $3,
  application_process = $4, interpretation_services = $5 WHERE activity_id = $1 AND language = 'en'`,
				t.ActivityID, t.Accessibility, t.CostNote, t.ApplicationProcess, t.InterpretationServices)
		}
	default:
		return t, fmt.Errorf("set own activity texts in %s: only Swedish and English are the activity's own", t.Language)
	}
	if err != nil {
		return t, translate(fmt.Errorf("set activity %d own texts in %s: %w", t.ActivityID, t.Language, err))
	}
	err = s.db.QueryRow(ctx, "SELECT "+activityTextColumns+" FROM activity_text t WHERE t.activity_id = $1 AND t.language = $2",
		t.ActivityID, t.Language).Scan(activityTextFields(&t)...)
	if err != nil {
		return t, translate(fmt.Errorf("read activity %d texts in %s: %w", t.ActivityID, t.Language, err))
	}
	return t, s.activityTouch(ctx, t.ActivityID)
}

// ActivityTranslationRemove removes an activity's texts in one language other than Swedish and
// English, and marks the activity changed. It returns partnernet.ErrNotFound when the activity
// has no texts in that language.
func (s *Store) ActivityTranslationRemove(ctx context.Context, activityID int64, lang partnernet.LanguageTag) (partnernet.ActivityTranslation, error) {
	var t partnernet.ActivityTranslation
	err := s.db.QueryRow(ctx, "DELETE FROM activity_text t WHERE t.activity_id = $1 AND t.language = $2 RETURNING "+activityTextColumns,
		activityID, lang).Scan(activityTextFields(&t)...)
	if err != nil {
		return t, translate(fmt.Errorf("remove activity %d text in %s: %w", activityID, lang, err))
	}
	return t, s.activityTouch(ctx, activityID)
}

// activityTouch marks an activity changed by a write of its texts: a new version, now, and, for
// a published activity, a public change that subscribers and directories are told of, as for
// any other edit.
func (s *Store) activityTouch(ctx context.Context, id int64) error {
	var published bool
	if err := s.db.QueryRow(ctx, "UPDATE activity SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING status = 'PUBLISHED'",
		id).Scan(&published); err != nil {
		return translate(fmt.Errorf("mark activity %d changed: %w", id, err))
	}
	if published {
		return s.activityChange(ctx, id, partnernet.ChangeUpdated)
	}
	return nil
}

// PublicTextListByOwners returns the public texts of the owners of a kind, in every language
// they are translated into, ordered by owner, language and field.
func (s *Store) PublicTextListByOwners(ctx context.Context, owner partnernet.PublicTextOwner, ids []int64) ([]partnernet.PublicText, error) {
	rows, err := s.db.Query(ctx, `SELECT owner_kind, owner_id, language, field, text FROM public_text
WHERE owner_kind = $1 AND owner_id = ANY($2) ORDER BY owner_id, language, field`, owner, ids)
	if err != nil {
		return nil, translate(fmt.Errorf("list public texts: %w", err))
	}
	out, err := collectAll(rows, func(t *partnernet.PublicText) []any {
		return []any{&t.Owner, &t.OwnerID, &t.Language, &t.Field, &t.Text}
	})
	if err != nil {
		return nil, translate(fmt.Errorf("list public texts: %w", err))
	}
	return out, nil
}

// PublicTextSet writes the texts of one owner in one language, field by field: an empty text
// removes that field's translation. It returns partnernet.ErrConflict when the owner already has
// partnernet.MaxTranslations other languages.
func (s *Store) PublicTextSet(ctx context.Context, owner partnernet.PublicTextOwner, ownerID int64, lang partnernet.LanguageTag, texts map[partnernet.PublicTextField]string) error {
	var count int
	if err := s.db.QueryRow(ctx, `SELECT count(DISTINCT language) FROM public_text
WHERE owner_kind = $1 AND owner_id = $2 AND language <> $3`, owner, ownerID, lang).Scan(&count); err != nil {
		return translate(fmt.Errorf("count public texts: %w", err))
	}
	if count >= partnernet.MaxTranslations {
		return partnernet.Errorf(partnernet.CodeConflict, "at most %d languages", partnernet.MaxTranslations)
	}
	for field, text := range texts {
		var err error
		if text == "" {
			_, err = s.db.Exec(ctx, `DELETE FROM public_text WHERE owner_kind = $1 AND owner_id = $2 AND language = $3 AND field = $4`,
				owner, ownerID, lang, field)
		} else {
			_, err = s.db.Exec(ctx, `INSERT INTO public_text (owner_kind, owner_id, language, field, text) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (owner_kind, owner_id, language, field) DO UPDATE SET text = EXCLUDED.text, updated_at = now()`,
				owner, ownerID, lang, field, text)
		}
		if err != nil {
			return translate(fmt.Errorf("set %s %d text %s in %s: %w", owner, ownerID, field, lang, err))
		}
	}
	return nil
}

// PublicTextRemove removes every text of one owner in one language. It returns
// partnernet.ErrNotFound when there was none.
func (s *Store) PublicTextRemove(ctx context.Context, owner partnernet.PublicTextOwner, ownerID int64, lang partnernet.LanguageTag) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM public_text WHERE owner_kind = $1 AND owner_id = $2 AND language = $3`, owner, ownerID, lang)
	if err != nil {
		return translate(fmt.Errorf("remove %s %d texts in %s: %w", owner, ownerID, lang, err))
	}
	if tag.RowsAffected() == 0 {
		return partnernet.Errorf(partnernet.CodeNotFound, "no texts in %s", lang)
	}
	return nil
}

// searchConfigs are the text-search configurations every search tries beside the reader's
// language's: Swedish and English (every activity has them), Arabic (the most read of the
// newcomers' languages with a stemmer) and simple (the languages without one: Dari, Persian,
// Somali, Tigrinya, Ukrainian, Kurdish, Pashto…).
var searchConfigs = []string{"swedish", "english", "arabic", "simple"}

// textSearch adds the full-text condition and relevance order of f.Text to q: an activity
// matches when its texts in any language match the query read in the configuration of the
// reader's language, of Swedish, English, Arabic or simple — each text's vector is built in its
// own language's configuration (text_search_config), over text without accents, as the query is.
// The relevance is the best ts_rank_cd of its texts (normalised below 1), plus 1 when the text
// that matched is in the reader's language, so that those come first. With f.Fuzzy, titles are
// matched by trigram word similarity (pg_trgm's <%, forgiving typos), ranked by it.
func textSearch(q *listQuery, f ActivityFilter) {
	t := q.arg(f.Text)
	// The reader's language is a literal, not a parameter: a parameter the statement does not
	// use (the order is not by relevance, the search is fuzzy) would have no type. A tag parsed
	// by partnernet.ParseLanguageTag holds letters, digits and hyphens only; quoting keeps any
	// other text a literal.
	lang := stringLiteral(string(cmp.Or(f.TextLanguage, partnernet.Swedish)))
	if f.Fuzzy {
		key := "lower(immutable_unaccent(" + t + "::text))"
		q.where = append(q.where, fmt.Sprintf(
			"a.id IN (SELECT ft.activity_id FROM activity_text ft WHERE %s <%% ft.title_key)", key))
		q.sorts[OrderRelevance] = sortColumn{fmt.Sprintf(`(SELECT max(word_similarity(%[1]s, rt.title_key)
 + CASE WHEN rt.language = %[2]s::text THEN 1 ELSE 0 END) FROM activity_text rt WHERE rt.activity_id = a.id)`, key, lang), "real"}
		return
	}
	var matches []string
	configs := append([]string{"text_search_config(" + lang + "::text)"}, func() []string {
		out := make([]string, len(searchConfigs))
		for i, c := range searchConfigs {
			out[i] = "'pg_catalog." + c + "'::regconfig"
		}
		return out
	}()...)
	for _, c := range configs {
		matches = append(matches, fmt.Sprintf("ft.search @@ websearch_to_tsquery(%s, immutable_unaccent(%s::text))", c, t))
	}
	q.where = append(q.where, fmt.Sprintf("a.id IN (SELECT ft.activity_id FROM activity_text ft WHERE %s)",
		strings.Join(matches, " OR ")))
	// The query is read in each configuration once per statement (an uncorrelated subquery, which
	// PostgreSQL evaluates once), not once per text of every match: 1,300 matches of a common
	// word have 10,000 texts. A configuration not in rankConfigs is read per text, as before.
	all := make([]string, len(rankConfigs))
	for i, c := range rankConfigs {
		all[i] = "'pg_catalog." + c + "'::regconfig"
	}
	cfgs := "ARRAY[" + strings.Join(all, ", ") + "]"
	// Only the texts that match are ranked (a text that does not scores 0 in ts_rank_cd, and
	// ranking costs more than matching): 0.2 ms per match of a common word with every text
	// ranked, half that so.
	q.sorts[OrderRelevance] = sortColumn{fmt.Sprintf(`(SELECT coalesce(max(ts_rank_cd(rt.search, rq.q, 32)
 + CASE WHEN rt.language = %[2]s::text THEN 1 ELSE 0 END), 0)
 FROM activity_text rt CROSS JOIN LATERAL (SELECT coalesce(
   (SELECT array_agg(websearch_to_tsquery(c, immutable_unaccent(%[1]s::text)) ORDER BY o) FROM unnest(%[3]s) WITH ORDINALITY u(c, o))
     [array_position(%[3]s, text_search_config(rt.language))],
   websearch_to_tsquery(text_search_config(rt.language), immutable_unaccent(%[1]s::text))) AS q) rq
 WHERE rt.activity_id = a.id AND rt.search @@ rq.q)`, t, lang, cfgs), "real"}
}

// rankConfigs are the text-search configurations text_search_config (migration 00018) gives a
// language: the query is read in each once per search.
var rankConfigs = []string{"swedish", "english", "arabic", "danish", "norwegian", "finnish", "german", "french",
	"spanish", "russian", "turkish", "greek", "armenian", "serbian", "tamil", "nepali", "hindi", "simple"}

// FuzzyThreshold is how alike (pg_trgm's word similarity, 0 to 1) a title must be to a search
// for the typo-tolerant fallback to find it: "Sprakkafe" finds "Språkcafé" (0.54), a word
// sharing a syllable does not.
const FuzzyThreshold = "0.5"

// fuzzy runs fn in a transaction whose trigram word-similarity threshold is FuzzyThreshold.
func (s *Store) fuzzy(ctx context.Context, fn func(st *Store) error) error {
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, "SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)", FuzzyThreshold); err != nil {
			return translate(fmt.Errorf("prepare the fuzzy search: %w", err))
		}
		return fn(tx)
	})
}
