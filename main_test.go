package partnernet_test

import (
	"testing"

	"github.com/partnerskap-skane/partnernet/dbtest"
)

// TestMain gives the package's database tests (the enum agreement) a PostgreSQL cluster.
func TestMain(m *testing.M) { dbtest.Main(m) }
