package server

import (
	"context"
	"errors"
	"io"
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
		p, err := s.authenticate(req)
		if err != nil {
			return refuseWebsocket(ctx, err)
		}
		ctx = authz.WithPrincipal(ctx, p)
	}
	ctx, err := s.authz.DeclarePurpose(ctx, payload.GetString(authz.PurposeHeader))
	if err != nil {
		return refuseWebsocket(ctx, err)
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

// websocketInitTimeout is how long a websocket may stay open without a connection_init message.
const websocketInitTimeout = 10 * time.Second

// CloseInitTimeout is the graphql-transport-ws close code of a websocket that sent no
// connection_init in time.
const CloseInitTimeout = 4408

// initTimeout accepts websockets through accept and closes any that sends no message within
// timeout with 4408 "Connection initialisation timeout", as graphql-transport-ws specifies.
// (gqlgen's own init timeout closes with 1002.) The first message is the connection_init; the
// transport refuses any other.
type initTimeout struct {
	accept  transport.WebsocketImplementation
	timeout time.Duration
}

var _ transport.WebsocketImplementation = initTimeout{}

// Accept implements transport.WebsocketImplementation.
func (i initTimeout) Accept(w http.ResponseWriter, r *http.Request, options transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := i.accept.Accept(w, r, options)
	if err != nil {
		return nil, err
	}
	c := &initTimedConn{WebsocketConn: conn}
	c.timer = time.AfterFunc(i.timeout, func() {
		_ = conn.WriteClose(CloseInitTimeout, "Connection initialisation timeout")
	})
	return c, nil
}

// initTimedConn is a websocket whose init timer stops at its first message.
type initTimedConn struct {
	transport.WebsocketConn
	timer *time.Timer
}

var (
	_ transport.WebsocketReadLimiter   = (*initTimedConn)(nil)
	_ transport.WebsocketReadDeadliner = (*initTimedConn)(nil)
)

// NextReader implements transport.WebsocketConn.
func (c *initTimedConn) NextReader() (int, io.Reader, error) {
	typ, r, err := c.WebsocketConn.NextReader()
	if err == nil {
		c.timer.Stop()
	}
	return typ, r, err
}

// Close implements transport.WebsocketConn.
func (c *initTimedConn) Close() error {
	c.timer.Stop()
	return c.WebsocketConn.Close()
}

// SetReadLimit implements transport.WebsocketReadLimiter when the connection does.
func (c *initTimedConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

// SetReadDeadline implements transport.WebsocketReadDeadliner when the connection does.
func (c *initTimedConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}
