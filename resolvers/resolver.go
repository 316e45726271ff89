// Package resolvers implements the GraphQL schema. Resolvers are thin: each authorises through
// authz, loads through the per-request loaders or the store, and shapes the result. They hold
// no SQL and take no authorisation decision of their own.
package resolvers

import (
	"log/slog"

	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/live"
	"github.com/partnerskap-skane/partnernet/notice"
	"github.com/partnerskap-skane/partnernet/statistics"
	"github.com/partnerskap-skane/partnernet/store"
)

// Resolver is the root of the resolvers and their dependencies.
type Resolver struct {
	// Store runs the root lists and single-object lookups; edges go through loaders.
	Store *store.Store
	// Authz takes every authorisation decision.
	Authz *authz.Authorizer
	// Live fans public activity changes out to subscriptions.
	Live *live.Hub
	// Notices fans newcomers' notices out to their subscriptions.
	Notices *notice.Hub
	// Statistics computes and authorises the analytics fields (aggregates, the partner network,
	// research extracts, the RÅDRUM statistics); the CSV export shares it. Its threshold is
	// also that of availability bands.
	Statistics *statistics.Service
	// Log receives what goes wrong outside a request's response (in subscriptions);
	// slog.Default() when nil.
	Log *slog.Logger
}

// log returns the resolvers' logger.
func (r *Resolver) log() *slog.Logger {
	if r.Log == nil {
		return slog.Default()
	}
	return r.Log
}
