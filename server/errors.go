package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/partnerskap-skane/partnernet"
)

// presentError shapes every error of a GraphQL response: a partnernet.Error shows its code and
// message (and the offending field), gqlgen's own parse and validation errors keep theirs, and
// anything else is logged and shown only as INTERNAL_SERVER_ERROR.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var domainErr *partnernet.Error
		switch {
		case errors.Is(err, context.Canceled):
			// The client went away: nobody reads this answer, and it is no fault of the server's,
			// so it is neither logged nor counted as one.
			gqlErr.Message = "the request was cancelled by its client"
			setExtension(gqlErr, "code", CodeCancelled)
		case errors.Is(err, context.DeadlineExceeded):
			// Before the domain errors: the store reports a cancelled statement as UNAVAILABLE.
			gqlErr.Message = "the request took longer than the server allows; its work was cancelled"
			setExtension(gqlErr, "code", CodeTimeout)
		case errors.As(err, &domainErr):
			gqlErr.Message = domainErr.Message
			if gqlErr.Message == "" {
				gqlErr.Message = string(domainErr.Code)
			}
			setExtension(gqlErr, "code", string(domainErr.Code))
			if field := cmp.Or(domainErr.Field, inputPath(ctx, gqlErr.Path)); field != "" {
				setExtension(gqlErr, "field", field)
			}
		case gqlErr.Extensions["code"] != nil:
			// gqlgen's parse, validation and coercion errors already carry a code.
		case gqlErr.Err == nil:
			// An error gqlgen made about the request itself (an argument it could not coerce).
			setExtension(gqlErr, "code", string(partnernet.CodeBadUserInput))
		default:
			log.ErrorContext(ctx, "internal error", "err", err, "path", gqlErr.Path.String(),
				"request_id", RequestID(ctx))
			gqlErr.Message = "internal server error"
			setExtension(gqlErr, "code", string(partnernet.CodeInternal))
		}
		return gqlErr
	}
}

// inputPath is the path of the argument or input field an error is about, such as
// "filter.occursFrom", when the error arose reading the arguments of the field ctx resolves: its
// path is then the field's response path followed by the input's. It is "" for an error of the
// field itself.
func inputPath(ctx context.Context, errPath ast.Path) string {
	fieldPath := graphql.GetPath(ctx)
	if len(errPath) <= len(fieldPath) || !slices.Equal(errPath[:len(fieldPath)], fieldPath) {
		return ""
	}
	var b strings.Builder
	for _, el := range errPath[len(fieldPath):] {
		switch e := el.(type) {
		case ast.PathName:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(e))
		case ast.PathIndex:
			fmt.Fprintf(&b, "[%d]", int(e))
		}
	}
	return b.String()
}

// setExtension sets one extension of a GraphQL error.
func setExtension(e *gqlerror.Error, key string, value any) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions[key] = value
}

// writeError is the one writer of the errors the server answers outside a GraphQL response: a
// request refused before GraphQL ran (by the rate limits, the body limit, authentication, the
// declared purpose, the HTTP transport) and a failed CSV export or calendar feed. It writes one
// error in the GraphQL response shape and the media type the client accepts, with the HTTP
// status of its code (httpStatus), and counts the code in the metrics: a partnernet.Error shows
// its code, message and field; any other error only as INTERNAL_SERVER_ERROR (500).
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := partnernet.ErrorCode(err)
	noteErrorCode(r.Context(), string(code))
	e := &gqlerror.Error{Message: "internal server error", Extensions: map[string]any{"code": string(code)}}
	var pe *partnernet.Error
	if errors.As(err, &pe) {
		e.Message = pe.Message
		if pe.Field != "" {
			e.Extensions["field"] = pe.Field
		}
	}
	writeResponse(w, responseMediaType(r), httpStatus(code), &graphql.Response{Errors: gqlerror.List{e}})
}

// httpStatus is the HTTP status of an error answered by writeError, by its code.
func httpStatus(code partnernet.Code) int {
	switch code {
	case partnernet.CodeBadUserInput, CodeBadRequest, CodeBatchingNotSupported:
		return http.StatusBadRequest
	case partnernet.CodeUnauthenticated:
		return http.StatusUnauthorized
	case partnernet.CodeForbidden, partnernet.CodeConsentRequired:
		return http.StatusForbidden
	case partnernet.CodeNotFound:
		return http.StatusNotFound
	case CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case partnernet.CodeConflict:
		return http.StatusConflict
	case CodeBodyTooLarge:
		return http.StatusRequestEntityTooLarge
	case CodeUnsupportedMediaType:
		return http.StatusUnsupportedMediaType
	case CodeRateLimited:
		return http.StatusTooManyRequests
	case partnernet.CodeUnavailable:
		return http.StatusServiceUnavailable
	case CodeTimeout:
		return http.StatusGatewayTimeout
	case CodeCancelled:
		return statusClientClosedRequest
	}
	return http.StatusInternalServerError
}

// statusClientClosedRequest is the status of a request whose client went away before its answer
// (nginx's 499): no client reads it; the access log and metrics do.
const statusClientClosedRequest = 499

// writeFailure answers a request whose work failed (a CSV export, a calendar feed) with
// writeError, first logging an error the caller is not told about (INTERNAL_SERVER_ERROR) as
// "<what> failed".
func (s *Server) writeFailure(w http.ResponseWriter, r *http.Request, what string, err error) {
	if httpStatus(partnernet.ErrorCode(err)) == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), what+" failed", "err", err, "request_id", RequestID(r.Context()))
	}
	writeError(w, r, err)
}
