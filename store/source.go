package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// ActivitySource is where an imported activity came from: the organiser's own ID for it, the
// format and a digest of what was imported.
type ActivitySource struct {
	ActivityID  int64
	OrganiserID int64
	SourceID    string
	Format      partnernet.ImportFormat
	ContentHash []byte
}

// ActivitySourceLock serialises the imports of one source ID of an organiser until the
// transaction ends (an advisory lock: two systems importing the same new row at once make one
// activity), and returns what was imported under it before; found is false for a new one.
func (s *Store) ActivitySourceLock(ctx context.Context, organiserID int64, sourceID string) (src ActivitySource, found bool, err error) {
	if _, err := s.db.Exec(ctx, "SELECT pg_advisory_xact_lock($1::int, hashtext($2))", int32(organiserID), sourceID); err != nil {
		return src, false, translate(fmt.Errorf("lock source %q: %w", sourceID, err))
	}
	err = s.db.QueryRow(ctx, `SELECT activity_id, organiser_id, source_id, format, content_hash FROM activity_source
WHERE organiser_id = $1 AND source_id = $2`, organiserID, sourceID).
		Scan(&src.ActivityID, &src.OrganiserID, &src.SourceID, &src.Format, &src.ContentHash)
	if errors.Is(err, pgx.ErrNoRows) {
		return src, false, nil
	}
	if err != nil {
		return src, false, translate(fmt.Errorf("read source %q: %w", sourceID, err))
	}
	return src, true, nil
}

// ActivitySourceSave records (or updates) where an imported activity came from.
func (s *Store) ActivitySourceSave(ctx context.Context, src ActivitySource, by string) error {
	_, err := s.db.Exec(ctx, `INSERT INTO activity_source (activity_id, organiser_id, source_id, format, content_hash, imported_by)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (activity_id) DO UPDATE SET source_id = $3, format = $4, content_hash = $5, imported_by = $6, imported_at = now()`,
		src.ActivityID, src.OrganiserID, src.SourceID, src.Format, src.ContentHash, by)
	return translate(wrap(fmt.Sprintf("record source of activity %d", src.ActivityID), err))
}

// ActivitySourceGetMany returns the sources of the activities that were imported.
func (s *Store) ActivitySourceGetMany(ctx context.Context, ids []int64) ([]ActivitySource, error) {
	return getMany(ctx, s.db, "activity sources", `SELECT activity_id, organiser_id, source_id, format, content_hash
FROM activity_source WHERE activity_id = ANY($1)`, ids, func(a *ActivitySource) []any {
		return []any{&a.ActivityID, &a.OrganiserID, &a.SourceID, &a.Format, &a.ContentHash}
	})
}
