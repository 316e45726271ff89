// Package testfactory creates the rows tests need, one call per object, and returns them as
// stored.
//
// Each function takes the test's context, the test, what to run the statements on (a pool or a
// transaction, as [store.New] takes) and an options struct whose zero fields take defaults:
//
//	org := testfactory.Organisation(ctx, t, pool, &testfactory.OrganisationOpts{Slug: "kommunen"})
//	n := testfactory.Newcomer(ctx, t, pool, &testfactory.NewcomerOpts{ControllerID: org.ID, MunicipalityID: m.ID})
//
// Objects are created through the store, as the application creates them, so a fixture obeys the
// same rules; where the store has no single-row create (municipalities, programmes and
// organisations come from the seed in bulk), the factory inserts the row itself. A failure stops
// the test.
//
// testfactory is for tests only: production code never imports it (the linter's depguard rule
// says so).
package testfactory
