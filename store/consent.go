package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// NewcomerContactGetMany returns the contact data of the newcomers that have any; callers
// decide what is released.
func (s *Store) NewcomerContactGetMany(ctx context.Context, newcomerIDs []int64) ([]partnernet.NewcomerContact, error) {
	return getMany(ctx, s.db, "newcomer contacts", `
SELECT c.newcomer_id, c.phone, c.email, c.postal_address FROM newcomer_contact c
WHERE c.newcomer_id = ANY($1)`, newcomerIDs, func(c *partnernet.NewcomerContact) []any {
		return []any{&c.NewcomerID, &c.Phone, &c.Email, &c.PostalAddress}
	})
}

// NewcomerLanguageListByNewcomers returns the languages of the newcomers, by newcomer and
// language.
func (s *Store) NewcomerLanguageListByNewcomers(ctx context.Context, newcomerIDs []int64) ([]partnernet.LanguageSkill, error) {
	return getMany(ctx, s.db, "newcomer languages", `
SELECT l.newcomer_id, l.language, l.proficiency FROM newcomer_language l
WHERE l.newcomer_id = ANY($1) ORDER BY l.newcomer_id, l.language`, newcomerIDs, func(l *partnernet.LanguageSkill) []any {
		return []any{&l.NewcomerID, &l.Language, &l.Proficiency}
	})
}

// NewcomerHealthGetMany returns the health notes of the newcomers that have any.
func (s *Store) NewcomerHealthGetMany(ctx context.Context, newcomerIDs []int64) ([]partnernet.NewcomerHealth, error) {
	return getMany(ctx, s.db, "newcomer health notes", `
SELECT h.newcomer_id, h.notes, h.updated_at FROM newcomer_health h
WHERE h.newcomer_id = ANY($1)`, newcomerIDs, func(h *partnernet.NewcomerHealth) []any {
		return []any{&h.NewcomerID, &h.Notes, &h.UpdatedAt}
	})
}

// NewcomerDataUpsert stores a newcomer's contact data, languages and health notes (nil parts
// are left alone), for fixtures and the registry.
func (s *Store) NewcomerDataUpsert(ctx context.Context, c *partnernet.NewcomerContact, langs []partnernet.LanguageSkill, h *partnernet.NewcomerHealth) error {
	return s.InTx(ctx, func(tx *Store) error {
		if c != nil {
			if _, err := tx.db.Exec(ctx, `
INSERT INTO newcomer_contact (newcomer_id, phone, email, postal_address) VALUES ($1, $2, $3, $4)
ON CONFLICT (newcomer_id) DO UPDATE SET phone = $2, email = $3, postal_address = $4`,
				c.NewcomerID, c.Phone, c.Email, c.PostalAddress); err != nil {
				return translate(fmt.Errorf("store contact of newcomer %d: %w", c.NewcomerID, err))
			}
		}
		for _, l := range langs {
			if _, err := tx.db.Exec(ctx, `
INSERT INTO newcomer_language (newcomer_id, language, proficiency) VALUES ($1, $2, $3)
ON CONFLICT (newcomer_id, language) DO UPDATE SET proficiency = $3`, l.NewcomerID, l.Language, l.Proficiency); err != nil {
				return translate(fmt.Errorf("store language of newcomer %d: %w", l.NewcomerID, err))
			}
		}
		if h != nil {
			if _, err := tx.db.Exec(ctx, `
INSERT INTO newcomer_health (newcomer_id, notes) VALUES ($1, $2)
ON CONFLICT (newcomer_id) DO UPDATE SET notes = $2, updated_at = now()`, h.NewcomerID, h.Notes); err != nil {
				return translate(fmt.Errorf("store health notes of newcomer %d: %w", h.NewcomerID, err))
			}
		}
		return nil
	})
}

// ConsentRecordActiveForRecipient returns, for each of the newcomers, their consent records
// that are active now and name organisation recipientID. Evaluated in the database at the
// moment of the call: a withdrawal holds from the next call on.
func (s *Store) ConsentRecordActiveForRecipient(ctx context.Context, newcomerIDs []int64, recipientID int64) ([]partnernet.ConsentRecord, error) {
	rows, err := s.db.Query(ctx, "SELECT "+consentColumns+`
FROM consent_record_current c
WHERE c.newcomer_id = ANY($1) AND c.active
  AND EXISTS (SELECT 1 FROM consent_recipient r WHERE r.consent_record_id = c.id AND r.organisation_id = `+
		orgLiteral(recipientID)+`)
ORDER BY c.newcomer_id, c.id`, newcomerIDs)
	if err != nil {
		return nil, translate(fmt.Errorf("active consents for organisation %d: %w", recipientID, err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (partnernet.ConsentRecord, error) {
		var c partnernet.ConsentRecord
		return c, r.Scan(consentFields(&c)...)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("active consents for organisation %d: %w", recipientID, err))
	}
	return out, nil
}

// ConsentRecordCreate stores a consent record with its recipients and its first event, GIVEN
// by actor, and returns it as stored. Call it inside InTx with the audit entry.
func (s *Store) ConsentRecordCreate(ctx context.Context, c partnernet.ConsentRecord, actor string) (partnernet.ConsentRecord, error) {
	rec := columns{
		{"newcomer_id", c.NewcomerID},
		{"controller_id", c.ControllerID},
		{"purposes", c.Purposes},
		{"data_categories", c.DataCategories},
		{"legal_basis", c.LegalBasis},
		{"method", c.Method},
		{"notice_language", c.NoticeLanguage},
		{"notice_version", c.NoticeVersion},
		{"valid_from", c.ValidFrom},
		{"valid_until", c.ValidUntil},
		{"recorded_by", actor},
	}
	var p params
	sql := `
WITH rec AS (
  INSERT INTO consent_record (` + rec.names() + `)
  VALUES (` + p.values(rec) + `) RETURNING id, recorded_by
), recipients AS (
  INSERT INTO consent_recipient (consent_record_id, organisation_id)
  SELECT rec.id, r FROM rec, unnest(` + p.add(c.RecipientIDs) + `::bigint[]) AS r
), given AS (
  INSERT INTO consent_event (consent_record_id, kind, actor) SELECT rec.id, 'GIVEN', rec.recorded_by FROM rec
)
SELECT id FROM rec`
	var id int64
	err := s.db.QueryRow(ctx, sql, p...).Scan(&id)
	if err != nil {
		return partnernet.ConsentRecord{}, translate(fmt.Errorf("create consent record: %w", err))
	}
	return s.consentRecordGet(ctx, id)
}

// ConsentEventAppend appends an event to a consent record's history, locking the record so
// that concurrent changes apply one after the other, and returns the record as it now stands.
// validUntil is the new end of validity for a RENEWED event and ignored otherwise.
func (s *Store) ConsentEventAppend(ctx context.Context, recordID int64, kind partnernet.ConsentEventKind, actor string, validUntil *time.Time) (partnernet.ConsentRecord, error) {
	if kind != partnernet.ConsentRenewed {
		validUntil = nil
	}
	tag, err := s.db.Exec(ctx, `
WITH locked AS (SELECT id FROM consent_record WHERE id = $1 FOR UPDATE)
INSERT INTO consent_event (consent_record_id, kind, actor, valid_until)
SELECT id, $2, $3, $4 FROM locked`, recordID, kind, actor, validUntil)
	if err != nil {
		return partnernet.ConsentRecord{}, translate(fmt.Errorf("append %s to consent record %d: %w", kind, recordID, err))
	}
	if tag.RowsAffected() == 0 {
		return partnernet.ConsentRecord{}, partnernet.Errorf(partnernet.CodeNotFound, "consent record not found")
	}
	return s.consentRecordGet(ctx, recordID)
}

// ConsentRecordLock returns a consent record as it stands, locked against concurrent changes
// until the transaction ends.
func (s *Store) ConsentRecordLock(ctx context.Context, recordID int64) (partnernet.ConsentRecord, error) {
	if _, err := s.db.Exec(ctx, "SELECT 1 FROM consent_record WHERE id = $1 FOR UPDATE", recordID); err != nil {
		return partnernet.ConsentRecord{}, translate(fmt.Errorf("lock consent record %d: %w", recordID, err))
	}
	return s.consentRecordGet(ctx, recordID)
}

// consentRecordGet returns one consent record, or ErrNotFound.
func (s *Store) consentRecordGet(ctx context.Context, id int64) (partnernet.ConsentRecord, error) {
	recs, err := s.ConsentRecordGetMany(ctx, []int64{id})
	if err != nil {
		return partnernet.ConsentRecord{}, err
	}
	if len(recs) == 0 {
		return partnernet.ConsentRecord{}, partnernet.Errorf(partnernet.CodeNotFound, "consent record not found")
	}
	return recs[0], nil
}
