package statistics

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/store"
)

// researchCategories are the categories a research extract may hold.
var researchCategories = []partnernet.DataCategory{
	partnernet.CategoryIdentity, partnernet.CategoryLanguages, partnernet.CategoryParticipation,
}

// ResearchExtract is a research extract: pseudonymised, generalised rows of the newcomers whose
// consent lets the principal's organisation use some of the categories asked for.
type ResearchExtract struct {
	// CreatedAt is when the extract was made.
	CreatedAt time.Time
	// Categories are the categories asked for, without repeats.
	Categories []partnernet.DataCategory
	// Rows are the people, ordered by pseudonym.
	Rows []ResearchRow
}

// ResearchRow is one person of a research extract. Fields of a category not released for the
// person are nil. Its fields are those of the GraphQL type ResearchRow.
type ResearchRow struct {
	// Pseudonym is a keyed hash (HMAC-SHA256, a fresh random key per extract) of the person.
	Pseudonym string
	// Categories are the categories released for this person.
	Categories []partnernet.DataCategory
	// BirthYearBand is the five-year band of the birth year, such as 1985-1989 (IDENTITY).
	BirthYearBand *string
	// Gender is the person's gender (IDENTITY).
	Gender *string
	// Municipality is the four-digit code of the municipality of residence (IDENTITY).
	Municipality *string
	// RegisteredMonth is the month of registration, YYYY-MM (IDENTITY).
	RegisteredMonth *string
	// ArrivalMonth is the month of arrival in Sweden, YYYY-MM (IDENTITY).
	ArrivalMonth *string
	// Languages are the languages spoken, ISO 639 codes (LANGUAGES).
	Languages []string
	// Enrolments counts enrolments in activities (PARTICIPATION).
	Enrolments *int
	// ActivityCategories are the categories of the activities enrolled in (PARTICIPATION).
	ActivityCategories []string
	// ShkCompleted says whether an SHK course was completed (PARTICIPATION).
	ShkCompleted *bool
}

// Extract makes a research extract of categories for the principal's organisation: every
// subject's categories decided by authz (audited per person), pseudonymised with a fresh key,
// generalised, and the extract itself audited with its audit entry committed before it is
// returned. Refusals are UNAUTHENTICATED or FORBIDDEN (also without the declared purpose
// RESEARCH); no category, or one besides IDENTITY, LANGUAGES and PARTICIPATION, is a
// BAD_USER_INPUT error on input.categories.
func (s *Service) Extract(ctx context.Context, categories []partnernet.DataCategory) (ResearchExtract, error) {
	if err := s.authz.AuthorizeExtract(ctx); err != nil {
		return ResearchExtract{}, err
	}
	if len(categories) == 0 {
		return ResearchExtract{}, partnernet.InputError("input.categories", "ask for at least one category")
	}
	var asked []partnernet.DataCategory
	for _, c := range categories {
		if !slices.Contains(researchCategories, c) {
			return ResearchExtract{}, partnernet.InputError("input.categories", "a research extract holds IDENTITY, LANGUAGES and PARTICIPATION only")
		}
		if !slices.Contains(asked, c) {
			asked = append(asked, c)
		}
	}
	p := authz.PrincipalFrom(ctx)
	subjects, err := s.store.ResearchSubjects(ctx, p.OrganisationID)
	if err != nil {
		return ResearchExtract{}, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return ResearchExtract{}, fmt.Errorf("research extract key: %w", err)
	}
	out := ResearchExtract{CreatedAt: time.Now().UTC(), Categories: asked, Rows: []ResearchRow{}}
	for _, subject := range subjects {
		released, err := s.authz.ResearchRelease(ctx, authz.NewcomerRef{ID: subject.NewcomerID, ControllerID: subject.ControllerID},
			asked, authz.GrantsFrom(subject.Consents))
		if err != nil {
			continue // no category released: the person is left out
		}
		out.Rows = append(out.Rows, researchRow(key, subject, released))
	}
	slices.SortFunc(out.Rows, func(a, b ResearchRow) int { return strings.Compare(a.Pseudonym, b.Pseudonym) })
	names := make([]string, len(asked))
	for i, c := range asked {
		names[i] = string(c)
	}
	event := authz.Event(ctx, partnernet.AuditResearchExtract, 0,
		fmt.Sprintf("%d rows; %s", len(out.Rows), strings.Join(names, ",")))
	event.Categories = names
	if err := s.store.InTx(ctx, func(tx *store.Store) error {
		return tx.AuditInsert(ctx, []partnernet.AuditEvent{event})
	}); err != nil {
		return ResearchExtract{}, err
	}
	return out, nil
}

// pseudonym is the keyed hash of a newcomer: HMAC-SHA256 under the extract's key, hex.
func pseudonym(key []byte, newcomerID int64) string {
	h := hmac.New(sha256.New, key)
	_, _ = fmt.Fprintf(h, "newcomer:%d", newcomerID)
	return hex.EncodeToString(h.Sum(nil))
}

// researchRow generalises a subject into a row holding the released categories only.
func researchRow(key []byte, s store.ResearchSubject, released []partnernet.DataCategory) ResearchRow {
	row := ResearchRow{Pseudonym: pseudonym(key, s.NewcomerID), Categories: released}
	for _, c := range released {
		switch c {
		case partnernet.CategoryIdentity:
			if s.BirthYear != nil {
				lo := *s.BirthYear / 5 * 5
				band := fmt.Sprintf("%d-%d", lo, lo+4)
				row.BirthYearBand = &band
			}
			row.Gender = s.Gender
			municipality := s.Municipality
			row.Municipality = &municipality
			registered := s.RegisteredAt.In(partnernet.Stockholm).Format("2006-01")
			row.RegisteredMonth = &registered
			if s.ArrivalDate != nil {
				arrived := s.ArrivalDate.Format("2006-01")
				row.ArrivalMonth = &arrived
			}
		case partnernet.CategoryLanguages:
			row.Languages = s.Languages
		case partnernet.CategoryParticipation:
			n, completed := s.Enrolments, s.ShkCompleted
			row.Enrolments, row.ActivityCategories, row.ShkCompleted = &n, s.ActivityCategories, &completed
		}
	}
	return row
}
