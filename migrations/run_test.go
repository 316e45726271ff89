package migrations_test

import (
	"context"
	"io/fs"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/migrations"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// newerVersion numbers the migration of a newer binary the tests apply: past any this binary
// will carry for a long time.
const newerVersion = 99_001

func connect(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}

func TestStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	// A migrated database is the binary's: nothing pending, nothing unknown.
	migrated := connect(t, dbtest.NewDatabase(t))
	st, err := migrations.GetStatus(ctx, migrated)
	require.NoError(t, err)
	require.True(t, st.UpToDate())
	require.False(t, st.Ahead())
	require.Equal(t, st.Latest, st.Current)
	require.Positive(t, st.Latest)
	require.NoError(t, st.Check(0))
	latest := st.Latest

	// An empty database lacks every migration, and reading its status writes nothing: migrating it
	// afterwards applies them all.
	empty := connect(t, dbtest.NewEmptyDatabase(t))
	st, err = migrations.GetStatus(ctx, empty)
	require.NoError(t, err)
	require.Equal(t, migrations.Status{Current: 0, Latest: latest, Pending: st.Pending}, st)
	files, err := fs.Glob(migrations.FS, "*.sql")
	require.NoError(t, err)
	require.Len(t, st.Pending, len(files), "every migration, whatever gaps the numbering has while branches are in flight")
	require.Equal(t, latest, st.Pending[len(st.Pending)-1])
	require.ErrorIs(t, st.Check(0), migrations.ErrSchemaBehind)
	require.ErrorContains(t, st.Check(0), "at version 0, this binary needs")

	// A database a newer binary migrated is ahead: its newer version is unknown to this binary.
	ahead := dbtest.NewDatabase(t)
	dbtest.MigrateAhead(t, ahead, newerVersion)
	aheadPool := connect(t, ahead)
	st, err = migrations.GetStatus(ctx, aheadPool)
	require.NoError(t, err)
	require.Equal(t, migrations.Status{Current: newerVersion, Latest: latest, Unknown: []int64{newerVersion}}, st)
	require.True(t, st.Ahead())
	require.False(t, st.UpToDate())

	tests := []struct {
		name       string
		allowAhead int64
		wantErr    error
	}{
		{"refused by default", 0, migrations.ErrSchemaAhead},
		{"refused when allowed only older versions", newerVersion - 1, migrations.ErrSchemaAhead},
		{"allowed up to its version", newerVersion, nil},
		{"allowed past its version", newerVersion + 10, nil},
	}
	for _, tt := range tests {
		err := st.Check(tt.allowAhead)
		if tt.wantErr == nil {
			require.NoError(t, err, tt.name)
			continue
		}
		require.ErrorIs(t, err, tt.wantErr, tt.name)
		require.ErrorContains(t, err, "at version 99001", "the database's version is named")
		require.ErrorContains(t, err, "newest migration is "+strconv.FormatInt(latest, 10), "the binary's version is named")
		require.ErrorContains(t, err, "99001")
	}

	// Up refuses to stack this binary's migrations on a schema it does not know.
	_, err = migrations.Up(ctx, aheadPool)
	require.ErrorIs(t, err, migrations.ErrSchemaAhead)
}
