// Package resolvers implements the GraphQL schema. Resolvers are thin: each authorises through
// authz, loads through the per-request loaders or the store, and shapes the result. They hold
// no SQL and take no authorisation decision of their own.
package resolvers

import (
	"log/slog"

	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/live"
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
	// SuppressionThreshold is the smallest count aggregates publish; analytics.DefaultThreshold
	// (5) when zero.
	SuppressionThreshold int
	// Facts keeps the analytics measures' facts between requests; nil keeps none.
	Facts *FactCache
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
