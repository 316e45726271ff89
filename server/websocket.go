package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
)

// websocketInit authenticates a websocket from its connection_init payload, since browsers
// cannot set headers on a websocket: {"Authorization": "Bearer <token>"} and, optionally,
// {"Partnernet-Purpose": "<Purpose>"}, checked as the HTTP headers of the same names are. A
// refusal closes the connection with the error's message and a graphql-transport-ws close code:
// 4403 for refused credentials or purpose, 4400 for a malformed one, 4500 when they could not be
// checked.
func (s *Server) websocketInit(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	if credential := payload.Authorization(); credential != "" {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "/graphql", http.NoBody)
		if err != nil {
			return ctx, nil, err
		}
		req.Header.Set("Authorization", credential)
		p, err := s.authn.Authenticate(req)
		if err != nil {
			if partnernet.ErrorCode(err) != partnernet.CodeUnauthenticated {
				s.log.ErrorContext(ctx, "websocket authentication failed", "err", err, "request_id", RequestID(ctx))
				return refuseWebsocket(ctx, partnernet.Errorf(partnernet.CodeUnavailable, "could not check credentials; try again"))
			}
			return refuseWebsocket(ctx, err)
		}
		ctx = authz.WithPrincipal(ctx, p)
	}
	if raw := payload.GetString(authz.PurposeHeader); raw != "" {
		var purpose partnernet.Purpose
		if err := purpose.UnmarshalGQL(raw); err != nil {
			return refuseWebsocket(ctx, partnernet.InputError(authz.PurposeHeader, "unknown purpose"))
		}
		ctx = authz.WithPurpose(ctx, purpose)
		if err := s.authz.CheckPurpose(ctx); err != nil {
			return refuseWebsocket(ctx, err)
		}
	}
	return ctx, nil, nil
}

// refuseWebsocket ends a websocket's initialisation with err, closing it with the
// graphql-transport-ws code that fits err's code.
func refuseWebsocket(ctx context.Context, err error) (context.Context, *transport.InitPayload, error) {
	code := 4403
	switch partnernet.ErrorCode(err) {
	case partnernet.CodeBadUserInput:
		code = 4400
	case partnernet.CodeUnavailable, partnernet.CodeInternal:
		code = 4500
	}
	msg := err.Error()
	var pe *partnernet.Error
	if errors.As(err, &pe) {
		msg = pe.Message
	}
	ctx = transport.AppendCloseReason(transport.WithWebsocketCloseCode(ctx, code), msg)
	return ctx, nil, errors.New(msg)
}

// operationTimeout bounds each query and mutation by d, wherever it arrives from: over HTTP the
// request's own deadline (withTimeout) usually ends it first, over a websocket this is the only
// bound. A subscription lives as long as its client wants.
func operationTimeout(d time.Duration) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		rc := graphql.GetOperationContext(ctx)
		if rc.Operation != nil && rc.Operation.Operation == ast.Subscription {
			return next(ctx)
		}
		ctx, cancel := context.WithTimeout(ctx, d)
		handler := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			defer cancel()
			ctx, cancelResponse := context.WithTimeout(ctx, d)
			defer cancelResponse()
			return handler(ctx)
		}
	}
}
