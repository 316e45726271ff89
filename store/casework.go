package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// OrderChangedAt orders a newcomer's change history by when each change was made.
const OrderChangedAt = "CHANGED_AT"

// newcomerLock locks newcomer id's record against concurrent changes until the transaction ends
// and returns it as it stands. It returns partnernet.ErrNotFound when there is no such record
// and partnernet.ErrConflict when it was merged into another or erased: no one's case any more.
func (s *Store) newcomerLock(ctx context.Context, id int64) (partnernet.Newcomer, error) {
	rows, err := s.db.Query(ctx, "SELECT "+newcomerColumns+" FROM newcomer n WHERE n.id = $1 FOR UPDATE OF n", id)
	n, err := one(rows, err, "lock newcomer", newcomerFields)
	switch {
	case err != nil:
		return n, err
	case n.MergedInto != nil:
		return n, partnernet.Errorf(partnernet.CodeConflict, "the record was merged into another; change that one")
	case n.ErasedAt != nil:
		return n, partnernet.Errorf(partnernet.CodeConflict, "the newcomer's data was erased")
	}
	return n, nil
}

// categoryVersion returns the version of category c of newcomer id's data: 1 as registered, and
// the version its latest change made after that.
func (s *Store) categoryVersion(ctx context.Context, id int64, c partnernet.DataCategory) (int, error) {
	var v int
	if err := s.db.QueryRow(ctx, `
SELECT coalesce(max(version), 1) FROM newcomer_change WHERE newcomer_id = $1 AND category = $2`, id, c).Scan(&v); err != nil {
		return 0, translate(fmt.Errorf("read the version of %s of newcomer %d: %w", c, id, err))
	}
	return v, nil
}

// NewcomerCorrect applies correction c on behalf of change.ChangedBy (acting for
// change.OrganisationID), inside InTx with its audit entry. It locks the newcomer's record,
// refuses a stale correction (one made on another version than the category's current one) with
// partnernet.ErrConflict at field "input.version", and compares the category as it stands with
// the correction (partnernet.ChangedFields). When a field changes it writes the category, moves
// the case's last activity to now and records the change, whose version is one more; it returns
// the change with its fields, none when nothing changed (then nothing is written and the
// version stays). A merged or erased record is ErrConflict, an unknown one ErrNotFound.
func (s *Store) NewcomerCorrect(ctx context.Context, c partnernet.Correction, change partnernet.NewcomerChange) (partnernet.NewcomerChange, error) {
	if _, err := s.newcomerLock(ctx, c.NewcomerID); err != nil {
		return change, err
	}
	version, err := s.categoryVersion(ctx, c.NewcomerID, c.Category)
	if err != nil {
		return change, err
	}
	change.NewcomerID, change.Category, change.Kind, change.Version = c.NewcomerID, c.Category, partnernet.ChangeCorrection, version
	if c.Version != version {
		return change, &partnernet.Error{Code: partnernet.CodeConflict, Field: "input.version", Message: fmt.Sprintf(
			"the %s data changed since you read it: it is at version %d, you sent %d; read it again and reapply your change",
			lowerCategory(c.Category), version, c.Version)}
	}
	stands, err := s.newcomerCategoryGet(ctx, c.NewcomerID, c.Category)
	if err != nil {
		return change, err
	}
	change.Fields = partnernet.ChangedFields(stands, c)
	if len(change.Fields) == 0 {
		return change, nil
	}
	if err := s.newcomerCategoryWrite(ctx, c); err != nil {
		return change, err
	}
	change.Version = version + 1
	err = s.db.QueryRow(ctx, `
WITH touched AS (UPDATE newcomer SET last_activity_at = now() WHERE id = $1)
INSERT INTO newcomer_change (newcomer_id, category, version, kind, fields, changed_by, organisation_id)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, changed_at`,
		change.NewcomerID, change.Category, change.Version, change.Kind, change.Fields, change.ChangedBy, change.OrganisationID,
	).Scan(&change.ID, &change.ChangedAt)
	if err != nil {
		return change, translate(fmt.Errorf("record the change of %s of newcomer %d: %w", c.Category, c.NewcomerID, err))
	}
	return change, nil
}

// lowerCategory names a category in a message.
func lowerCategory(c partnernet.DataCategory) string {
	switch c {
	case partnernet.CategoryIdentity:
		return "identity"
	case partnernet.CategoryContact:
		return "contact"
	case partnernet.CategoryFamily:
		return "family"
	case partnernet.CategoryLanguages:
		return "language"
	case partnernet.CategoryHealth:
		return "health"
	case partnernet.CategoryBackground:
		return "background"
	}
	return string(c)
}

// newcomerCategoryGet reads category c of newcomer id's data as it stands.
func (s *Store) newcomerCategoryGet(ctx context.Context, id int64, c partnernet.DataCategory) (partnernet.CategoryData, error) {
	var d partnernet.CategoryData
	ids := []int64{id}
	switch c {
	case partnernet.CategoryIdentity:
		got, err := s.NewcomerGetMany(ctx, ids)
		if err != nil || len(got) == 0 {
			return d, wrap("read identity", err)
		}
		d.Identity = &got[0]
	case partnernet.CategoryContact:
		got, err := s.NewcomerContactGetMany(ctx, ids)
		if err != nil {
			return d, err
		}
		if len(got) > 0 {
			d.Contact = &got[0]
		}
	case partnernet.CategoryFamily:
		got, err := s.NewcomerFamilyListByNewcomers(ctx, ids)
		d.Family = got
		return d, err
	case partnernet.CategoryLanguages:
		got, err := s.NewcomerLanguageListByNewcomers(ctx, ids)
		d.Languages = got
		return d, err
	case partnernet.CategoryHealth:
		got, err := s.NewcomerHealthGetMany(ctx, ids)
		if err != nil {
			return d, err
		}
		if len(got) > 0 {
			d.Health = &got[0]
		}
	case partnernet.CategoryBackground:
		got, err := s.NewcomerBackgroundGetMany(ctx, ids)
		if err != nil {
			return d, err
		}
		if len(got) > 0 {
			d.Background = &got[0]
		}
	default:
		return d, partnernet.Errorf(partnernet.CodeBadUserInput, "the %s data is not corrected this way", lowerCategory(c))
	}
	return d, nil
}

// newcomerCategoryWrite replaces category c.Category of the newcomer's data with the
// correction's.
func (s *Store) newcomerCategoryWrite(ctx context.Context, c partnernet.Correction) error {
	id := c.NewcomerID
	b := &pgx.Batch{}
	switch c.Category {
	case partnernet.CategoryIdentity:
		n := c.Identity
		cols := columns{
			{"display_name", n.DisplayName},
			{"birth_year", n.BirthYear},
			{"gender", n.Gender},
			{"arrival_date", n.ArrivalDate},
			{"plan_start_date", n.PlanStartDate},
			{"residence_municipality_id", n.ResidenceMunicipalityID},
		}
		var p params
		sql := "UPDATE newcomer SET (" + cols.names() + ") = ROW(" + p.values(cols) + ") WHERE id = " + p.add(id)
		b.Queue(sql, p...)
	case partnernet.CategoryContact:
		if x := c.Contact; x == nil || x.Phone == nil && x.Email == nil && x.PostalAddress == nil {
			b.Queue("DELETE FROM newcomer_contact WHERE newcomer_id = $1", id)
		} else {
			b.Queue(`INSERT INTO newcomer_contact (newcomer_id, phone, email, postal_address) VALUES ($1, $2, $3, $4)
ON CONFLICT (newcomer_id) DO UPDATE SET phone = $2, email = $3, postal_address = $4`, id, x.Phone, x.Email, x.PostalAddress)
		}
	case partnernet.CategoryFamily:
		b.Queue("DELETE FROM newcomer_family_member WHERE newcomer_id = $1", id)
		for _, m := range c.Family {
			b.Queue(`INSERT INTO newcomer_family_member (newcomer_id, relation, name, birth_year, in_sweden)
VALUES ($1, $2, $3, $4, $5)`, id, m.Relation, m.Name, m.BirthYear, m.InSweden)
		}
	case partnernet.CategoryLanguages:
		b.Queue("DELETE FROM newcomer_language WHERE newcomer_id = $1", id)
		for _, l := range c.Languages {
			b.Queue("INSERT INTO newcomer_language (newcomer_id, language, proficiency) VALUES ($1, $2, $3)", id, l.Language, l.Proficiency)
		}
	case partnernet.CategoryHealth:
		if c.Health == nil {
			b.Queue("DELETE FROM newcomer_health WHERE newcomer_id = $1", id)
		} else {
			b.Queue(`INSERT INTO newcomer_health (newcomer_id, notes) VALUES ($1, $2)
ON CONFLICT (newcomer_id) DO UPDATE SET notes = $2, updated_at = now()`, id, c.Health.Notes)
		}
	case partnernet.CategoryBackground:
		if x := c.Background; x == nil {
			b.Queue("DELETE FROM newcomer_background WHERE newcomer_id = $1", id)
		} else {
			b.Queue(`INSERT INTO newcomer_background (newcomer_id, education_level, occupation, years_of_work, notes)
VALUES ($1, $2, $3, $4, $5) ON CONFLICT (newcomer_id) DO UPDATE SET education_level = $2, occupation = $3,
  years_of_work = $4, notes = $5`, id, x.EducationLevel, x.Occupation, x.YearsOfWork, x.Notes)
		}
	}
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return translate(fmt.Errorf("write %s of newcomer %d: %w", c.Category, id, err))
	}
	return nil
}

// CategoryVersion is the version of one category of a newcomer's data, for the categories that
// changed since registration (the others are at version 1).
type CategoryVersion struct {
	NewcomerID int64
	Category   partnernet.DataCategory
	Version    int
}

// NewcomerChangeVersions returns the versions of the categories of the newcomers' data that
// changed since their registration, by newcomer and category.
func (s *Store) NewcomerChangeVersions(ctx context.Context, newcomerIDs []int64) ([]CategoryVersion, error) {
	return getMany(ctx, s.db, "category versions", `
SELECT newcomer_id, category, max(version) FROM newcomer_change WHERE newcomer_id = ANY($1)
GROUP BY newcomer_id, category ORDER BY newcomer_id, category`, newcomerIDs, func(v *CategoryVersion) []any {
		return []any{&v.NewcomerID, &v.Category, &v.Version}
	})
}

const changeColumns = "ch.id, ch.newcomer_id, ch.category, ch.version, ch.kind, ch.fields, ch.changed_by, ch.organisation_id, ch.changed_at"

func changeFields(c *partnernet.NewcomerChange) []any {
	return []any{&c.ID, &c.NewcomerID, &c.Category, &c.Version, &c.Kind, &c.Fields, &c.ChangedBy, &c.OrganisationID, &c.ChangedAt}
}

// ChangeFilter narrows a newcomer's change history.
type ChangeFilter struct {
	// Categories keeps the changes of these categories; it is always set, to the categories
	// released to the caller.
	Categories []partnernet.DataCategory
}

func changeQuery(f ChangeFilter) *listQuery {
	q := &listQuery{
		from: "newcomer_change ch", columns: changeColumns, idExpr: "ch.id",
		sorts: map[string]sortColumn{OrderChangedAt: {"ch.changed_at", "timestamptz"}},
	}
	q.filter("ch.category = ANY(%s::text[])", f.Categories)
	return q
}

// NewcomerChangeListByNewcomers returns one page of the change history of each of the
// newcomers, keyed by newcomer id, in one statement.
func (s *Store) NewcomerChangeListByNewcomers(ctx context.Context, newcomerIDs []int64, f ChangeFilter, o Order, p Page) (map[int64]Slice[partnernet.NewcomerChange], error) {
	return listPageByParent(ctx, s.db, changeQuery(f), "ch.newcomer_id", newcomerIDs, o, p, changeFields)
}

// NewcomerChangeCountByNewcomers counts the changes of each of the newcomers.
func (s *Store) NewcomerChangeCountByNewcomers(ctx context.Context, newcomerIDs []int64, f ChangeFilter) (map[int64]int, error) {
	return countRowsByParent(ctx, s.db, changeQuery(f), "ch.newcomer_id", newcomerIDs)
}

// NewcomerAssign assigns newcomer id's case to assignee (nil: unassigns it), by actor, inside
// InTx with its audit entry, and records it in the case's assignment history with the
// controller then. It returns the record as it then stands; partnernet.ErrConflict when the
// record is merged or erased, or when the case is already so assigned.
func (s *Store) NewcomerAssign(ctx context.Context, id int64, assignee *string, actor string) (partnernet.Newcomer, error) {
	n, err := s.newcomerLock(ctx, id)
	if err != nil {
		return n, err
	}
	if (n.AssignedTo == nil && assignee == nil) || (n.AssignedTo != nil && assignee != nil && *n.AssignedTo == *assignee) {
		return n, partnernet.Errorf(partnernet.CodeConflict, "the case is already so assigned")
	}
	if _, err := s.db.Exec(ctx, `
WITH history AS (
  INSERT INTO case_assignment (newcomer_id, organisation_id, assignee, assigned_by) VALUES ($1, $2, $3, $4))
UPDATE newcomer SET assigned_to = $3, assigned_at = CASE WHEN $3::text IS NULL THEN NULL ELSE now() END,
  last_activity_at = now()
WHERE id = $1`, id, n.ControllerID, assignee, actor); err != nil {
		return n, translate(fmt.Errorf("assign the case of newcomer %d: %w", id, err))
	}
	got, err := s.NewcomerGetMany(ctx, []int64{id})
	if err != nil || len(got) == 0 {
		return n, fmt.Errorf("read assigned newcomer %d: %w", id, err)
	}
	return got[0], nil
}

// CaseAssignmentListByNewcomers returns the assignment history of each of the newcomers,
// oldest first.
func (s *Store) CaseAssignmentListByNewcomers(ctx context.Context, newcomerIDs []int64) ([]partnernet.CaseAssignment, error) {
	return getMany(ctx, s.db, "case assignments", `
SELECT a.id, a.newcomer_id, a.organisation_id, a.assignee, a.assigned_by, a.assigned_at FROM case_assignment a
WHERE a.newcomer_id = ANY($1) ORDER BY a.newcomer_id, a.assigned_at, a.id`, newcomerIDs, func(a *partnernet.CaseAssignment) []any {
		return []any{&a.ID, &a.NewcomerID, &a.OrganisationID, &a.Assignee, &a.AssignedBy, &a.AssignedAt}
	})
}

// OrderRequestedAt orders transfer lists by when the transfer was asked for.
const OrderRequestedAt = "REQUESTED_AT"

const transferColumns = `tr.id, tr.newcomer_id, tr.from_org_id, tr.to_org_id, tr.status, tr.note, tr.requested_by,
  tr.requested_at, tr.decided_by, tr.decided_at, tr.decline_reason`

func transferFields(t *partnernet.CaseTransfer) []any {
	return []any{&t.ID, &t.NewcomerID, &t.FromOrgID, &t.ToOrgID, &t.Status, &t.Note, &t.RequestedBy,
		&t.RequestedAt, &t.DecidedBy, &t.DecidedAt, &t.DeclineReason}
}

// TransferFilter narrows a list of transfers.
type TransferFilter struct {
	// Statuses keeps transfers in these statuses; all when empty.
	Statuses []partnernet.CaseTransferStatus
}

func transferQuery(f TransferFilter) *listQuery {
	q := &listQuery{
		from: "case_transfer tr", columns: transferColumns, idExpr: "tr.id",
		sorts: map[string]sortColumn{OrderRequestedAt: {"tr.requested_at", "timestamptz"}},
	}
	if len(f.Statuses) > 0 {
		q.filter("tr.status = ANY(%s::text[])", f.Statuses)
	}
	return q
}

// The ends of the transfers an organisation lists: those it received, or those it sent.
const (
	TransferTo   = "tr.to_org_id"
	TransferFrom = "tr.from_org_id"
)

// CaseTransferListByOrganisations returns one page of the transfers each of the organisations
// received (end TransferTo) or sent (TransferFrom), keyed by organisation id.
func (s *Store) CaseTransferListByOrganisations(ctx context.Context, end string, orgIDs []int64, f TransferFilter, o Order, p Page) (map[int64]Slice[partnernet.CaseTransfer], error) {
	if end != TransferTo && end != TransferFrom {
		return nil, fmt.Errorf("list transfers by %q: unknown end", end)
	}
	return listPageByParent(ctx, s.db, transferQuery(f), end, orgIDs, o, p, transferFields)
}

// CaseTransferCountByOrganisations counts the transfers each of the organisations received or
// sent.
func (s *Store) CaseTransferCountByOrganisations(ctx context.Context, end string, orgIDs []int64, f TransferFilter) (map[int64]int, error) {
	if end != TransferTo && end != TransferFrom {
		return nil, fmt.Errorf("count transfers by %q: unknown end", end)
	}
	return countRowsByParent(ctx, s.db, transferQuery(f), end, orgIDs)
}

// CaseTransferGetMany returns the transfers with the given ids; unknown ids are absent.
func (s *Store) CaseTransferGetMany(ctx context.Context, ids []int64) ([]partnernet.CaseTransfer, error) {
	return getMany(ctx, s.db, "case transfers", "SELECT "+transferColumns+" FROM case_transfer tr WHERE tr.id = ANY($1)", ids, transferFields)
}

// CaseTransferListByNewcomers returns the transfers of each of the newcomers, oldest first.
func (s *Store) CaseTransferListByNewcomers(ctx context.Context, newcomerIDs []int64) ([]partnernet.CaseTransfer, error) {
	return getMany(ctx, s.db, "case transfers", "SELECT "+transferColumns+
		" FROM case_transfer tr WHERE tr.newcomer_id = ANY($1) ORDER BY tr.newcomer_id, tr.requested_at, tr.id", newcomerIDs, transferFields)
}

// CaseTransferCreate asks organisation t.ToOrgID to take over newcomer t.NewcomerID's case from
// its controller t.FromOrgID, inside InTx with its audit entry, and returns the pending
// transfer. It returns partnernet.ErrConflict when the newcomer's record is merged or erased,
// is no longer controlled by t.FromOrgID, or has a pending transfer already.
func (s *Store) CaseTransferCreate(ctx context.Context, t partnernet.CaseTransfer) (partnernet.CaseTransfer, error) {
	n, err := s.newcomerLock(ctx, t.NewcomerID)
	switch {
	case err != nil:
		return t, err
	case n.ControllerID != t.FromOrgID:
		return t, partnernet.Errorf(partnernet.CodeConflict, "your organisation no longer controls this case")
	case n.IncomingTo != nil:
		return t, partnernet.Errorf(partnernet.CodeConflict, "the case has a pending transfer already; cancel it first")
	}
	rows, err := s.db.Query(ctx, `
INSERT INTO case_transfer AS tr (newcomer_id, from_org_id, to_org_id, note, requested_by) VALUES ($1, $2, $3, $4, $5)
RETURNING `+transferColumns, t.NewcomerID, t.FromOrgID, t.ToOrgID, t.Note, t.RequestedBy)
	return one(rows, err, "ask for a case transfer", transferFields)
}

// CaseTransferDecide moves transfer id to status to, by actor answering for end by, inside InTx
// with its audit entries, and returns the transfer as decided. The transfer is locked first:
// one that is no longer pending (or cannot move to that status from that end) is
// partnernet.ErrConflict. On acceptance the case moves in the same transaction: the receiving
// organisation becomes the controller of the newcomer's data and of their consents, the
// newcomer lives in the receiving municipality (residence) from then on, the case is
// unassigned, and the history records both (a TRANSFER change of IDENTITY, an unassignment). The
// sending organisation's access ends with the commit: it is no longer the controller.
func (s *Store) CaseTransferDecide(ctx context.Context, id int64, to partnernet.CaseTransferStatus, by partnernet.TransferEnd, actor string, reason *string) (partnernet.CaseTransfer, error) {
	rows, err := s.db.Query(ctx, "SELECT "+transferColumns+" FROM case_transfer tr WHERE tr.id = $1 FOR UPDATE", id)
	t, err := one(rows, err, "lock case transfer", transferFields)
	if err != nil {
		return t, err
	}
	if !t.Status.CanBecome(to, by) {
		return t, partnernet.Errorf(partnernet.CodeConflict, "the transfer is %s; it cannot become %s", t.Status, to)
	}
	if to == partnernet.TransferAccepted {
		if err := s.caseMove(ctx, t, actor); err != nil {
			return t, err
		}
	}
	rows, err = s.db.Query(ctx, `
UPDATE case_transfer tr SET status = $2, decided_by = $3, decided_at = now(), decline_reason = $4 WHERE tr.id = $1
RETURNING `+transferColumns, id, to, actor, reason)
	return one(rows, err, "decide a case transfer", transferFields)
}

// caseMove hands newcomer t.NewcomerID's case from t.FromOrgID over to t.ToOrgID.
func (s *Store) caseMove(ctx context.Context, t partnernet.CaseTransfer, actor string) error {
	n, err := s.newcomerLock(ctx, t.NewcomerID)
	if err != nil {
		return err
	}
	if n.ControllerID != t.FromOrgID {
		return partnernet.Errorf(partnernet.CodeConflict, "the sending organisation no longer controls this case")
	}
	version, err := s.categoryVersion(ctx, t.NewcomerID, partnernet.CategoryIdentity)
	if err != nil {
		return err
	}
	b := &pgx.Batch{}
	// The receiving municipality's organisation is a municipality's (checked when the transfer
	// was asked for): where the newcomer lives now.
	b.Queue(`UPDATE newcomer SET controller_id = $2, assigned_to = NULL, assigned_at = NULL, last_activity_at = now(),
  residence_municipality_id = (SELECT o.home_municipality_id FROM organisation o WHERE o.id = $2)
WHERE id = $1`, t.NewcomerID, t.ToOrgID)
	b.Queue("UPDATE consent_record SET controller_id = $2 WHERE newcomer_id = $1", t.NewcomerID, t.ToOrgID)
	if n.AssignedTo != nil {
		b.Queue(`INSERT INTO case_assignment (newcomer_id, organisation_id, assignee, assigned_by) VALUES ($1, $2, NULL, $3)`,
			t.NewcomerID, t.FromOrgID, actor)
	}
	b.Queue(`INSERT INTO newcomer_change (newcomer_id, category, version, kind, fields, changed_by, organisation_id)
VALUES ($1, 'IDENTITY', $2, 'TRANSFER', '{residenceMunicipality}', $3, $4)`, t.NewcomerID, version+1, actor, t.ToOrgID)
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return translate(fmt.Errorf("move the case of newcomer %d to organisation %d: %w", t.NewcomerID, t.ToOrgID, err))
	}
	return nil
}

// categoriesChangedByMerge are the categories a merge may fill from the duplicate, each of
// which gets a MERGE change (and a new version) on the surviving record.
var categoriesChangedByMerge = slices.Clone(partnernet.CorrectableCategories)
