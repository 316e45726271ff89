package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// DemoActivity is a published activity the analytics demo data enrols newcomers in.
type DemoActivity struct {
	ID, OrganiserID int64
	Programme       partnernet.ProgrammeCode
}

// DemoNewcomer is a newcomer the analytics demo data enrols or refers.
type DemoNewcomer struct {
	ID, ControllerID int64
}

// AnalyticsDemoTargets returns the published activities and the newcomers (not merged or
// erased), both in id order, for the seed's analytics demo data.
func (s *Store) AnalyticsDemoTargets(ctx context.Context) ([]DemoActivity, []DemoNewcomer, error) {
	rows, err := s.db.Query(ctx, `
SELECT a.id, a.organiser_id, p.code FROM activity a JOIN programme p ON p.id = a.programme_id
WHERE a.status = 'PUBLISHED' ORDER BY a.id`)
	if err != nil {
		return nil, nil, translate(fmt.Errorf("demo activities: %w", err))
	}
	activities, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DemoActivity, error) {
		var a DemoActivity
		return a, r.Scan(&a.ID, &a.OrganiserID, &a.Programme)
	})
	if err != nil {
		return nil, nil, translate(fmt.Errorf("demo activities: %w", err))
	}
	rows, err = s.db.Query(ctx, `SELECT id, controller_id FROM newcomer WHERE merged_into IS NULL AND erased_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, nil, translate(fmt.Errorf("demo newcomers: %w", err))
	}
	newcomers, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DemoNewcomer, error) {
		var n DemoNewcomer
		return n, r.Scan(&n.ID, &n.ControllerID)
	})
	if err != nil {
		return nil, nil, translate(fmt.Errorf("demo newcomers: %w", err))
	}
	return activities, newcomers, nil
}

// AnalyticsDemoCopy bulk-loads enrolments (positions drawn after any an activity has), and
// referrals with their status history (SENT when made, then the status they have), for the
// seed's analytics demo data.
func (s *Store) AnalyticsDemoCopy(ctx context.Context, enrolments []partnernet.Enrolment, referrals []partnernet.Referral) error {
	_, err := s.db.CopyFrom(ctx, pgx.Identifier{"enrolment"},
		[]string{"activity_id", "newcomer_id", "status", "position", "enrolled_by", "created_at", "updated_at"},
		pgx.CopyFromSlice(len(enrolments), func(i int) ([]any, error) {
			e := enrolments[i]
			return []any{e.ActivityID, e.NewcomerID, string(e.Status), e.Position, e.EnrolledBy, e.CreatedAt, e.CreatedAt}, nil
		}))
	if err != nil {
		return translate(fmt.Errorf("copy demo enrolments: %w", err))
	}
	ids, err := copyReturningIDs(ctx, s.db, "referral", len(referrals),
		[]string{"newcomer_id", "from_org_id", "to_org_id", "service", "purpose", "status", "created_by", "created_at", "updated_at"},
		func(i int) []any {
			r := referrals[i]
			return []any{r.NewcomerID, r.FromOrgID, r.ToOrgID, r.Service, string(r.Purpose), r.Status, r.CreatedBy, r.CreatedAt, r.UpdatedAt}
		})
	if err != nil {
		return err
	}
	var events [][]any
	for i, r := range referrals {
		events = append(events, []any{ids[i], "SENT", r.CreatedBy, r.CreatedAt})
		if r.Status != "SENT" {
			events = append(events, []any{ids[i], r.Status, r.CreatedBy, r.UpdatedAt})
		}
	}
	_, err = s.db.CopyFrom(ctx, pgx.Identifier{"referral_event"}, []string{"referral_id", "status", "actor", "occurred_at"}, pgx.CopyFromRows(events))
	return translate(wrap("copy demo referral events", err))
}
