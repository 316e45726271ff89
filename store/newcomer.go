package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// Order columns of newcomer and consent lists.
const (
	OrderRegisteredAt = "REGISTERED_AT"
	OrderRecordedAt   = "RECORDED_AT"
	OrderValidFrom    = "VALID_FROM"
	// OrderArrivalDate orders newcomers by arrival in Sweden, those without one last.
	OrderArrivalDate = "ARRIVAL_DATE"
	// OrderLastActivity orders newcomers by the last change to their case.
	OrderLastActivity = "LAST_ACTIVITY"
)

// SearchThreshold is how alike (pg_trgm's word similarity, 0 to 1) a name must be to what a
// case worker typed, both folded by name_key, for a search to find it: low enough that a typo
// or two and a transliteration the folding does not know pass ("yusuf" finds "Youssef"), high
// enough that a name sharing a syllable does not.
const SearchThreshold = "0.5"

const newcomerColumns = `n.id, n.controller_id, n.municipality_id, n.display_name, n.birth_year, n.gender,
  n.registered_at, n.arrival_date, n.plan_start_date, n.residence_municipality_id, n.merged_into, n.erased_at,
  n.last_activity_at, n.assigned_to, n.assigned_at,
  (SELECT t.to_org_id FROM case_transfer t WHERE t.newcomer_id = n.id AND t.status = 'PENDING')`

func newcomerFields(n *partnernet.Newcomer) []any {
	return []any{&n.ID, &n.ControllerID, &n.MunicipalityID, &n.DisplayName, &n.BirthYear, &n.Gender,
		&n.RegisteredAt, &n.ArrivalDate, &n.PlanStartDate, &n.ResidenceMunicipalityID, &n.MergedInto, &n.ErasedAt,
		&n.LastActivityAt, &n.AssignedTo, &n.AssignedAt, &n.IncomingTo}
}

// NewcomerFilter narrows a list of newcomers: the worklist of a case worker. Conditions combine
// with AND, values within one with OR.
type NewcomerFilter struct {
	// Controllers says whose newcomers may be listed; the zero value lists none.
	Controllers partnernet.OrgScope
	// ConsentRecipient, with ConsentPurpose, also lists the newcomers with an active consent
	// naming that organisation for that purpose; 0 for none.
	ConsentRecipient int64
	ConsentPurpose   partnernet.Purpose
	// MunicipalityCodes, when set, keeps newcomers registered in these municipalities.
	MunicipalityCodes []string
	// Statuses keeps cases in these statuses at Now; active and inactive ones when empty.
	// Merged duplicates are never listed.
	Statuses []partnernet.CaseStatus
	Now      time.Time

	// Name keeps newcomers whose name is like it, forgiving case, accents, transliteration and
	// typos (see SearchThreshold); "" for no search. It reads identity data.
	Name string
	// Phone and Email keep newcomers with this telephone number (in any of its national and
	// international forms) or e-mail address (in any case); "" for none. They read contact
	// data.
	Phone string
	Email string
	// ArrivedFrom and ArrivedTo keep newcomers who arrived on or after, on or before these
	// dates; ResidenceMunicipalityCodes those living in these municipalities. They read identity
	// data.
	ArrivedFrom, ArrivedTo     *time.Time
	ResidenceMunicipalityCodes []string
	// InCourse keeps newcomers who take part in an SHK course (false: who do not), EnrolledInNAD
	// those enrolled or waitlisted in a NAD activity: participation data. InPlan keeps those
	// with an active MY PATH support plan: plan data. nil for no condition.
	InCourse, EnrolledInNAD, InPlan *bool
	// AssignedTo keeps the cases assigned to these staff members (subjects); Assigned the cases
	// assigned to someone (false: to nobody).
	AssignedTo []string
	Assigned   *bool

	// Released holds, for each category the conditions and the order of the list read
	// (NewcomerFilterCategories), whose data of that category they may read: a newcomer is
	// listed, and counted, only where each is released. A condition or order on a category
	// without its scope here lists nobody.
	Released []partnernet.CategoryScope
}

// categories returns the categories the filter's conditions read, with order o.
func (f NewcomerFilter) categories(o Order) []partnernet.DataCategory {
	var out []partnernet.DataCategory
	if f.Name != "" || f.ArrivedFrom != nil || f.ArrivedTo != nil || len(f.ResidenceMunicipalityCodes) > 0 ||
		o.Column == OrderName || o.Column == OrderArrivalDate || o.Column == OrderRelevance {
		out = append(out, partnernet.CategoryIdentity)
	}
	if f.Phone != "" || f.Email != "" {
		out = append(out, partnernet.CategoryContact)
	}
	if f.InCourse != nil || f.EnrolledInNAD != nil {
		out = append(out, partnernet.CategoryParticipation)
	}
	if f.InPlan != nil {
		out = append(out, partnernet.CategoryPlan)
	}
	return out
}

// NewcomerFilterCategories returns the categories of newcomer data a filter and an order read:
// the caller must put a scope for each into the filter's Released.
func NewcomerFilterCategories(f NewcomerFilter, o Order) []partnernet.DataCategory {
	return f.categories(o)
}

// newcomerQuery builds the list of newcomers f selects in order o. key is the search key of
// f.Name (name_key), read by NewcomerList and NewcomerCount before.
func newcomerQuery(f NewcomerFilter, o Order, key string) *listQuery {
	q := &listQuery{
		name: "newcomers", from: "newcomer n", columns: newcomerColumns, idExpr: "n.id",
		sorts: map[string]sortColumn{
			OrderRegisteredAt: {"n.registered_at", "timestamptz"},
			OrderName:         {"(n.display_name COLLATE swedish)", "text"},
			OrderArrivalDate:  {"coalesce(n.arrival_date, 'infinity'::date)", "date"},
			OrderLastActivity: {"n.last_activity_at", "timestamptz"},
		},
	}
	// Merged duplicates are no one's case.
	q.filter("n.merged_into IS NULL")
	// The controllers' newcomers, and those an active consent shares with the recipient for the
	// purpose whoever controls them. The recipient and the purpose are written in
	// (orgLiteral).
	const shared = `EXISTS (
  SELECT 1 FROM consent_record_current v JOIN consent_recipient vr ON vr.consent_record_id = v.id
  WHERE v.newcomer_id = %[1]s.id AND v.active AND vr.organisation_id = %[2]s AND %[3]s = ANY(v.purposes))`
	switch sharing := f.ConsentRecipient != 0 && f.ConsentPurpose != ""; {
	case sharing && key != "" && !f.Controllers.All && len(f.Controllers.IDs) > 0:
		// A name search over both: two disjoint parts, appended. As one condition (own OR
		// shared) no index could serve the controller's part: a search rechecked the trigrams of
		// every controller's newcomers, 20,000 rows for a common name over 150,000, where the
		// controller's part of the search index (newcomer_search_idx) finds the 5,000 of its
		// own. (Counts split the same two parts: newcomerCount.)
		own := orgsLiteral("controller_id", f.Controllers.IDs)
		q.from = "(SELECT * FROM newcomer WHERE " + own +
			" UNION ALL SELECT * FROM newcomer s WHERE NOT (s." + own + ") AND " +
			fmt.Sprintf(shared, "s", orgLiteral(f.ConsentRecipient), purposeLiteral(f.ConsentPurpose)) + ") n"
	case sharing:
		q.scope(f.Controllers, "n.controller_id",
			fmt.Sprintf(shared, "n", orgLiteral(f.ConsentRecipient), purposeLiteral(f.ConsentPurpose)))
	default:
		q.scope(f.Controllers, "n.controller_id", "")
	}
	q.statuses(f.Statuses, f.Now)
	// Each category the conditions and the order read, and each the caller released (so that a
	// count reads what the page it counts reads), only where it is released; in a fixed order,
	// so that one filter is always one statement text.
	released := map[partnernet.DataCategory]partnernet.CategoryScope{}
	for _, r := range f.Released {
		released[r.Category] = r
	}
	read := f.categories(o)
	for _, c := range partnernet.DataCategory("").Values() {
		c := partnernet.DataCategory(c)
		if _, ok := released[c]; ok || slices.Contains(read, c) {
			q.released(released[c])
		}
	}
	if len(f.MunicipalityCodes) > 0 {
		q.filter("n.municipality_id IN (SELECT fm.id FROM municipality fm WHERE fm.code = ANY(%s))", f.MunicipalityCodes)
	}
	if f.Name != "" {
		// Every word typed is in the name, each forgiving its typos on its own: "laila pruvnar"
		// finds the Leila Provners, not every Provner (as the words' trigrams together did: half
		// of them alike enough passed), and the index intersects the words' candidates before a
		// row is rechecked (192 rows for Malmö instead of 5,000). Likeness to all that was typed
		// orders them.
		// Each word is taken from the one parameter of the key (a count, which orders nothing,
		// reads it too), folded to a constant by the search's plan for its parameters so that
		// the index serves it.
		ph := q.arg(key)
		words := searchWords(key)
		if len(words) == 0 {
			q.where = append(q.where, ph+" <% n.search_name")
		}
		for _, i := range words {
			q.where = append(q.where, fmt.Sprintf("split_part(%s, ' ', %d) <%% n.search_name", ph, i))
		}
		q.sorts[OrderRelevance] = sortColumn{"word_similarity(" + ph + ", n.search_name)", "real"}
	}
	if f.Phone != "" {
		q.filter("n.id IN (SELECT fc.newcomer_id FROM newcomer_contact fc WHERE phone_key(fc.phone) = phone_key(%s) AND fc.phone IS NOT NULL)", f.Phone)
	}
	if f.Email != "" {
		q.filter("n.id IN (SELECT fc.newcomer_id FROM newcomer_contact fc WHERE lower(fc.email) = lower(%s) AND fc.email IS NOT NULL)", f.Email)
	}
	if f.ArrivedFrom != nil {
		q.filter("n.arrival_date >= %s::date", *f.ArrivedFrom)
	}
	if f.ArrivedTo != nil {
		q.filter("n.arrival_date <= %s::date", *f.ArrivedTo)
	}
	if len(f.ResidenceMunicipalityCodes) > 0 {
		q.filter("coalesce(n.residence_municipality_id, n.municipality_id) IN (SELECT fm.id FROM municipality fm WHERE fm.code = ANY(%s))",
			f.ResidenceMunicipalityCodes)
	}
	q.exists(f.InCourse, "SELECT 1 FROM shk_participant fp WHERE fp.newcomer_id = n.id")
	q.exists(f.EnrolledInNAD, `SELECT 1 FROM enrolment fe JOIN activity fa ON fa.id = fe.activity_id
  JOIN programme fpr ON fpr.id = fa.programme_id
  WHERE fe.newcomer_id = n.id AND fe.status <> 'CANCELLED' AND fpr.code = 'NAD'`)
	q.exists(f.InPlan, "SELECT 1 FROM support_plan fsp WHERE fsp.newcomer_id = n.id AND fsp.status = 'ACTIVE'")
	if len(f.AssignedTo) > 0 {
		filterOneOf(q, "n.assigned_to", f.AssignedTo)
	}
	if f.Assigned != nil {
		if *f.Assigned {
			q.filter("n.assigned_to IS NOT NULL")
		} else {
			q.filter("n.assigned_to IS NULL")
		}
	}
	return q
}

// maxSearchWords bounds the words of a name search that must each be in a name; further words
// only order the names found.
const maxSearchWords = 6

// searchWords returns the positions (from 1, as split_part counts) of the distinct words of a
// search key, whose words name_key separates by single spaces; at most maxSearchWords.
func searchWords(key string) []int {
	var seen []string
	var at []int
	for i, w := range strings.Split(key, " ") {
		if w != "" && !slices.Contains(seen, w) && len(at) < maxSearchWords {
			seen = append(seen, w)
			at = append(at, i+1)
		}
	}
	return at
}

// statuses keeps the newcomers whose case is in one of the statuses at now; active and inactive
// ones when none is given.
func (q *listQuery) statuses(statuses []partnernet.CaseStatus, now time.Time) {
	active := len(statuses) == 0 || slices.Contains(statuses, partnernet.CaseActive)
	inactive := len(statuses) == 0 || slices.Contains(statuses, partnernet.CaseInactive)
	erased := slices.Contains(statuses, partnernet.CaseErased)
	cutoff := now.Add(-partnernet.InactiveAfter)
	var open string
	switch {
	case active && inactive:
		open = "n.erased_at IS NULL"
	case active:
		open = "(n.erased_at IS NULL AND n.last_activity_at >= " + q.arg(cutoff) + ")"
	case inactive:
		open = "(n.erased_at IS NULL AND n.last_activity_at < " + q.arg(cutoff) + ")"
	}
	switch {
	case open != "" && erased:
		q.where = append(q.where, "("+open+" OR n.erased_at IS NOT NULL)")
	case open != "":
		q.where = append(q.where, open)
	default:
		q.where = append(q.where, "n.erased_at IS NOT NULL")
	}
}

// released keeps the newcomers whose data of category s.Category the scope releases: those of
// its controller, and those whose active consent names its recipient for its purpose and the
// category (all written in: orgLiteral). An empty scope keeps nobody.
func (q *listQuery) released(s partnernet.CategoryScope) {
	consent := fmt.Sprintf(`EXISTS (
  SELECT 1 FROM consent_record_current rv JOIN consent_recipient rr ON rr.consent_record_id = rv.id
  WHERE rv.newcomer_id = n.id AND rv.active AND rr.organisation_id = %s AND %s = ANY(rv.purposes)
    AND %s = ANY(rv.data_categories))`, orgLiteral(s.ConsentRecipient), purposeLiteral(s.Purpose),
		enumLiteral(string(s.Category), partnernet.DataCategory("").Values()))
	own := "n.controller_id = " + orgLiteral(s.Controller)
	switch {
	case s.Controller != 0 && s.ConsentRecipient != 0:
		q.where = append(q.where, "("+own+" OR "+consent+")")
	case s.Controller != 0:
		q.where = append(q.where, own)
	case s.ConsentRecipient != 0:
		q.where = append(q.where, consent)
	default:
		q.filter("false")
	}
}

// purposeLiteral is purpose written into a statement (see orgLiteral).
func purposeLiteral(purpose partnernet.Purpose) string {
	return enumLiteral(string(purpose), partnernet.Purpose("").Values())
}

// exists keeps the rows for which the subquery has a row (cond true) or has none (false);
// nothing when cond is nil.
func (q *listQuery) exists(cond *bool, subquery string) {
	switch {
	case cond == nil:
	case *cond:
		q.where = append(q.where, "EXISTS ("+subquery+")")
	default:
		q.where = append(q.where, "NOT EXISTS ("+subquery+")")
	}
}

// searching runs fn on a Store whose statements search names as f asks: in one transaction
// whose trigram threshold is SearchThreshold, JIT is off and every plan is made for its
// parameters, with the search key of f.Name, read first. Without a name to search, fn runs on s
// with no key.
func (s *Store) searching(ctx context.Context, f NewcomerFilter, fn func(st *Store, key string) error) error {
	if f.Name == "" {
		return fn(s, "")
	}
	return s.InTx(ctx, func(tx *Store) error {
		var key string
		// JIT off for the transaction: a common name matches thousands of rows, the planner's
		// estimate of the recheck then crosses jit_above_cost, and compiling the plan took 100 ms
		// of a 145 ms search over 150,000 newcomers (docs/casework.md). Plans for the parameters:
		// a generic plan, made once for any search and caller, reads a consent-shared part by
		// searching every municipality's names first and checking consents after (235 ms for a
		// common name), where the plan for the caller reads its few consents first (0.1 ms).
		if err := tx.db.QueryRow(ctx, `SELECT name_key($2)
FROM set_config('pg_trgm.word_similarity_threshold', $1, true) t, set_config('jit', 'off', true) j,
  set_config('plan_cache_mode', 'force_custom_plan', true) p`,
			SearchThreshold, f.Name).Scan(&key); err != nil {
			return translate(fmt.Errorf("prepare the name search: %w", err))
		}
		if key == "" {
			// Nothing but punctuation and spaces: it matches every name.
			key = " "
		}
		return fn(tx, key)
	})
}

// NewcomerList returns one page of newcomers.
func (s *Store) NewcomerList(ctx context.Context, f NewcomerFilter, o Order, p Page) (Slice[partnernet.Newcomer], error) {
	var page Slice[partnernet.Newcomer]
	err := s.searching(ctx, f, func(st *Store, key string) error {
		var err error
		page, err = listPage(ctx, st.db, newcomerQuery(f, o, key), o, p, newcomerFields)
		return err
	})
	return page, err
}

// NewcomerCount counts the newcomers a filter selects.
func (s *Store) NewcomerCount(ctx context.Context, f NewcomerFilter) (int, error) {
	var n int
	err := s.searching(ctx, f, func(st *Store, key string) error {
		var err error
		n, err = st.newcomerCount(ctx, f, key)
		return err
	})
	return n, err
}

// newcomerCount is NewcomerCount with the search key of f.Name.
func (s *Store) newcomerCount(ctx context.Context, f NewcomerFilter, key string) (int, error) {
	// The count reads the categories the filter's conditions read and those released for the
	// order of the pages it counts.
	o := Order{Column: OrderRegisteredAt}
	if f.Controllers.All || len(f.Controllers.IDs) == 0 || f.ConsentRecipient == 0 || f.ConsentPurpose == "" {
		return countRows(ctx, s.db, newcomerQuery(f, o, key))
	}
	// The controllers' own newcomers, plus the others a consent shares: two disjoint counts, each
	// served by an index, in one round trip. As one condition (own OR shared) the count checked
	// the consents of every newcomer of the table: 20 ms a request over 150,000 newcomers.
	own, shared := f, f
	own.ConsentRecipient, own.ConsentPurpose = 0, ""
	shared.Controllers = partnernet.OrgScope{}
	ownSQL, ownArgs := newcomerQuery(own, o, key).count()
	sq := newcomerQuery(shared, o, key)
	sq.filter("NOT (" + orgsLiteral("n.controller_id", f.Controllers.IDs) + ")")
	sharedSQL, sharedArgs := sq.count()
	var n, m int
	b := &pgx.Batch{}
	b.Queue(ownSQL, ownArgs...).QueryRow(func(r pgx.Row) error { return r.Scan(&n) })
	b.Queue(sharedSQL, sharedArgs...).QueryRow(func(r pgx.Row) error { return r.Scan(&m) })
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return 0, translate(fmt.Errorf("count newcomers: %w", err))
	}
	return n + m, nil
}

// NewcomerGetMany returns the newcomers with the given ids, in no particular order; unknown ids
// are absent. Callers decide visibility.
func (s *Store) NewcomerGetMany(ctx context.Context, ids []int64) ([]partnernet.Newcomer, error) {
	return getMany(ctx, s.db, "newcomers",
		"SELECT "+newcomerColumns+" FROM newcomer n WHERE n.id = ANY($1)", ids, newcomerFields)
}

// consentColumns read a consent record from the view consent_record_current c, which derives
// the latest event and the end of validity from the record's history.
const consentColumns = `c.id, c.newcomer_id, c.controller_id,
  ARRAY(SELECT cr.organisation_id FROM consent_recipient cr WHERE cr.consent_record_id = c.id ORDER BY 1),
  c.purposes, c.data_categories, c.legal_basis, c.method, c.notice_language, c.notice_version,
  c.valid_from, c.valid_until, c.recorded_at, c.recorded_by, c.last_event`

func consentFields(c *partnernet.ConsentRecord) []any {
	return []any{
		&c.ID, &c.NewcomerID, &c.ControllerID, &c.RecipientIDs, &c.Purposes, &c.DataCategories,
		&c.LegalBasis, &c.Method, &c.NoticeLanguage, &c.NoticeVersion, &c.ValidFrom, &c.ValidUntil,
		&c.RecordedAt, &c.RecordedBy, &c.LastEvent,
	}
}

// ConsentRecordFilter narrows a list of consent records.
type ConsentRecordFilter struct {
	Purposes       []partnernet.Purpose      // covering any of these
	DataCategories []partnernet.DataCategory // covering any of these
	RecipientIDs   []int64                   // naming any of these organisations
	States         []partnernet.ConsentState // in any of these states now
}

// consentStateSQL derives a consent record's state from consent_record_current c, as
// partnernet.ConsentRecord.StateAt does.
const consentStateSQL = `CASE WHEN c.last_event = 'WITHDRAWN' THEN 'WITHDRAWN'
  WHEN c.last_event = 'EXPIRED' OR c.valid_until <= now() THEN 'EXPIRED'
  WHEN now() < c.valid_from THEN 'PENDING' ELSE 'ACTIVE' END`

func consentQuery(f ConsentRecordFilter) *listQuery {
	q := &listQuery{
		from: "consent_record_current c", columns: consentColumns, idExpr: "c.id",
		sorts: map[string]sortColumn{
			OrderRecordedAt: {"c.recorded_at", "timestamptz"}, OrderValidFrom: {"c.valid_from", "timestamptz"},
		},
	}
	if len(f.Purposes) > 0 {
		q.filter("c.purposes && %s::text[]", f.Purposes)
	}
	if len(f.DataCategories) > 0 {
		q.filter("c.data_categories && %s::text[]", f.DataCategories)
	}
	if len(f.States) > 0 {
		q.filter("("+consentStateSQL+") = ANY(%s::text[])", f.States)
	}
	if len(f.RecipientIDs) > 0 {
		q.filter("EXISTS (SELECT 1 FROM consent_recipient fr WHERE fr.consent_record_id = c.id AND fr.organisation_id = ANY(%s))", f.RecipientIDs)
	}
	return q
}

// ConsentRecordListByNewcomers returns one page of consent records for each of the newcomers,
// keyed by newcomer id, in one statement.
func (s *Store) ConsentRecordListByNewcomers(ctx context.Context, newcomerIDs []int64, f ConsentRecordFilter, o Order, p Page) (map[int64]Slice[partnernet.ConsentRecord], error) {
	return listPageByParent(ctx, s.db, consentQuery(f), "c.newcomer_id", newcomerIDs, o, p, consentFields)
}

// ConsentRecordCountByNewcomers counts the consent records of each of the newcomers.
func (s *Store) ConsentRecordCountByNewcomers(ctx context.Context, newcomerIDs []int64, f ConsentRecordFilter) (map[int64]int, error) {
	return countRowsByParent(ctx, s.db, consentQuery(f), "c.newcomer_id", newcomerIDs)
}

// ConsentRecordGetMany returns the consent records with the given ids, in no particular order;
// unknown ids are absent. Callers decide visibility.
func (s *Store) ConsentRecordGetMany(ctx context.Context, ids []int64) ([]partnernet.ConsentRecord, error) {
	return getMany(ctx, s.db, "consent records",
		"SELECT "+consentColumns+" FROM consent_record_current c WHERE c.id = ANY($1)", ids, consentFields)
}

// ConsentEventListByRecords returns the history of each of the consent records, oldest first.
func (s *Store) ConsentEventListByRecords(ctx context.Context, recordIDs []int64) ([]partnernet.ConsentEvent, error) {
	return getMany(ctx, s.db, "consent events", `
SELECT e.id, e.consent_record_id, e.kind, e.occurred_at, e.actor, e.valid_until FROM consent_event e
WHERE e.consent_record_id = ANY($1) ORDER BY e.consent_record_id, e.occurred_at, e.id`, recordIDs,
		func(e *partnernet.ConsentEvent) []any {
			return []any{&e.ID, &e.ConsentRecordID, &e.Kind, &e.OccurredAt, &e.Actor, &e.ValidUntil}
		})
}
