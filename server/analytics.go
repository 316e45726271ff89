package server

import (
	"github.com/partnerskap-skane/partnernet/resolvers"
)

// resolver returns the root of the resolvers, over the server's dependencies.
func (s *Server) resolver() *resolvers.Resolver {
	return &resolvers.Resolver{
		Store: s.store, Authz: s.authz, Live: s.live, Log: s.cfg.Logger,
		SuppressionThreshold: s.cfg.SuppressionThreshold,
	}
}
