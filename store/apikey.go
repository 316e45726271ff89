package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

const apiKeyColumns = "k.id, k.organisation_id, k.role, k.name, k.prefix, k.secret_hash, k.created_by, k.created_at, k.revoked_at"

func apiKeyFields(k *partnernet.APIKey) []any {
	return []any{&k.ID, &k.OrganisationID, &k.Role, &k.Name, &k.Prefix, &k.SecretHash, &k.CreatedBy, &k.CreatedAt, &k.RevokedAt}
}

// scanAPIKey reads one API key row.
func scanAPIKey(row pgx.Row) (partnernet.APIKey, error) {
	var k partnernet.APIKey
	err := row.Scan(apiKeyFields(&k)...)
	return k, err
}

// APIKeyCreate stores a new API key and returns it as stored.
func (s *Store) APIKeyCreate(ctx context.Context, k partnernet.APIKey) (partnernet.APIKey, error) {
	out, err := scanAPIKey(s.db.QueryRow(ctx, `
INSERT INTO api_key AS k (organisation_id, role, name, prefix, secret_hash, created_by)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+apiKeyColumns,
		k.OrganisationID, k.Role, k.Name, k.Prefix, k.SecretHash, k.CreatedBy))
	if err != nil {
		return partnernet.APIKey{}, translate(fmt.Errorf("create API key: %w", err))
	}
	return out, nil
}

// APIKeyGetByPrefix returns the API key with a prefix, revoked or not, or ErrNotFound.
func (s *Store) APIKeyGetByPrefix(ctx context.Context, prefix string) (partnernet.APIKey, error) {
	k, err := scanAPIKey(s.db.QueryRow(ctx, "SELECT "+apiKeyColumns+" FROM api_key k WHERE k.prefix = $1", prefix))
	if err != nil {
		return partnernet.APIKey{}, translate(fmt.Errorf("get API key by prefix: %w", err))
	}
	return k, nil
}

// APIKeyGetMany returns the API keys with the given ids; unknown ids are absent.
func (s *Store) APIKeyGetMany(ctx context.Context, ids []int64) ([]partnernet.APIKey, error) {
	return getMany(ctx, s.db, "API keys", "SELECT "+apiKeyColumns+" FROM api_key k WHERE k.id = ANY($1)", ids, apiKeyFields)
}

// APIKeyRevoke revokes an organisation's API key at once (a revoked key stays revoked) and
// returns it; ErrNotFound when the organisation has no such key.
func (s *Store) APIKeyRevoke(ctx context.Context, id, organisationID int64) (partnernet.APIKey, error) {
	k, err := scanAPIKey(s.db.QueryRow(ctx, `
UPDATE api_key AS k SET revoked_at = coalesce(k.revoked_at, now())
WHERE k.id = $1 AND k.organisation_id = $2 RETURNING `+apiKeyColumns, id, organisationID))
	if err != nil {
		return partnernet.APIKey{}, translate(fmt.Errorf("revoke API key %d: %w", id, err))
	}
	return k, nil
}

// APIKeyListByOrganisations returns the API keys of each organisation, newest first.
func (s *Store) APIKeyListByOrganisations(ctx context.Context, organisationIDs []int64) (map[int64][]partnernet.APIKey, error) {
	keys, err := getMany(ctx, s.db, "API keys", "SELECT "+apiKeyColumns+
		" FROM api_key k WHERE k.organisation_id = ANY($1) ORDER BY k.organisation_id, k.created_at DESC, k.id DESC",
		organisationIDs, apiKeyFields)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]partnernet.APIKey, len(organisationIDs))
	for _, k := range keys {
		out[k.OrganisationID] = append(out[k.OrganisationID], k)
	}
	return out, nil
}
