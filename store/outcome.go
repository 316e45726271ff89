package store

import (
	"context"

	"github.com/partnerskap-skane/partnernet"
)

const outcomeColumns = `o.id, o.newcomer_id, o.kind, o.started_on, o.ended_on, o.sfi_course, o.sfi_progress,
  o.recorded_by_org_id, o.recorded_by, o.recorded_at, o.updated_at`

func outcomeFields(o *partnernet.Outcome) []any {
	return []any{
		&o.ID, &o.NewcomerID, &o.Kind, &o.StartedOn, &o.EndedOn, &o.SfiCourse, &o.SfiProgress,
		&o.RecordedByOrgID, &o.RecordedBy, &o.RecordedAt, &o.UpdatedAt,
	}
}

// outcomeWrite lists the columns an outcome's create and correction set.
func outcomeWrite(o partnernet.Outcome, actor string) columns {
	return columns{
		{"kind", o.Kind},
		{"started_on", o.StartedOn},
		{"ended_on", o.EndedOn},
		{"sfi_course", o.SfiCourse},
		{"sfi_progress", o.SfiProgress},
		{"recorded_by", actor},
	}
}

// OutcomeCreate stores an outcome of newcomer o.NewcomerID recorded by organisation
// o.RecordedByOrgID and subject actor, and returns it as stored. A value a constraint refuses
// is partnernet.ErrBadUserInput.
func (s *Store) OutcomeCreate(ctx context.Context, o partnernet.Outcome, actor string) (partnernet.Outcome, error) {
	cols := append(columns{{"newcomer_id", o.NewcomerID}, {"recorded_by_org_id", o.RecordedByOrgID}}, outcomeWrite(o, actor)...)
	var p params
	sql := "INSERT INTO newcomer_outcome AS o (" + cols.names() + ") VALUES (" + p.values(cols) + ") RETURNING " + outcomeColumns
	rows, err := s.db.Query(ctx, sql, p...)
	return one(rows, err, "create outcome", outcomeFields)
}

// OutcomeUpdate corrects outcome o.ID: its kind, dates, SFI course and progress, by actor, and
// returns it as stored; partnernet.ErrNotFound when there is no such outcome.
func (s *Store) OutcomeUpdate(ctx context.Context, o partnernet.Outcome, actor string) (partnernet.Outcome, error) {
	var p params
	set := ""
	for i, c := range outcomeWrite(o, actor) {
		if i > 0 {
			set += ", "
		}
		set += c.name + " = " + p.add(c.value)
	}
	sql := "UPDATE newcomer_outcome AS o SET " + set + ", updated_at = now() WHERE o.id = " + p.add(o.ID) + " RETURNING " + outcomeColumns
	rows, err := s.db.Query(ctx, sql, p...)
	return one(rows, err, "correct outcome", outcomeFields)
}

// OutcomeDelete retracts (deletes) outcome id and returns it as it was; partnernet.ErrNotFound
// when there is no such outcome.
func (s *Store) OutcomeDelete(ctx context.Context, id int64) (partnernet.Outcome, error) {
	rows, err := s.db.Query(ctx, "DELETE FROM newcomer_outcome AS o WHERE o.id = $1 RETURNING "+outcomeColumns, id)
	return one(rows, err, "retract outcome", outcomeFields)
}

// OutcomeGetMany returns the outcomes with the given ids; unknown ids are absent. Callers decide
// visibility.
func (s *Store) OutcomeGetMany(ctx context.Context, ids []int64) ([]partnernet.Outcome, error) {
	return getMany(ctx, s.db, "outcomes", "SELECT "+outcomeColumns+" FROM newcomer_outcome o WHERE o.id = ANY($1)", ids, outcomeFields)
}

// OutcomeListByNewcomers returns the outcomes of each of the newcomers, each newcomer's in the
// order they began.
func (s *Store) OutcomeListByNewcomers(ctx context.Context, newcomerIDs []int64) ([]partnernet.Outcome, error) {
	return getMany(ctx, s.db, "outcomes", "SELECT "+outcomeColumns+
		" FROM newcomer_outcome o WHERE o.newcomer_id = ANY($1) ORDER BY o.newcomer_id, o.started_on, o.id", newcomerIDs, outcomeFields)
}
