package testfactory

import (
	"cmp"
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// AdviceDeskOpts are the options of [AdviceDesk].
type AdviceDeskOpts struct {
	// OrganisationID is the organisation running the desk; required.
	OrganisationID int64
	// MunicipalityID is where the desk is; none by default.
	MunicipalityID *int64
	// Name defaults to a unique "Rådgivning N", Place to "Medborgarhuset".
	Name, Place string
}

// AdviceDesk opens a RÅDRUM advice desk, as openAdviceDesk does, and returns it as stored.
func AdviceDesk(ctx context.Context, t testing.TB, db store.DBTX, opts *AdviceDeskOpts) partnernet.AdviceDesk {
	t.Helper()
	o := *opts
	require.NotZero(t, o.OrganisationID, "testfactory: AdviceDeskOpts.OrganisationID is required")
	d, err := store.New(db).AdviceDeskCreate(ctx, partnernet.AdviceDesk{
		OrganisationID: o.OrganisationID, MunicipalityID: o.MunicipalityID,
		Name: cmp.Or(o.Name, fmt.Sprintf("Rådgivning %d", next())), Place: cmp.Or(o.Place, "Medborgarhuset"),
	}, nil)
	require.NoError(t, err, "testfactory: open advice desk")
	return d
}
