package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
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
