package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/partnerskap-skane/partnernet"
)

func TestPresentError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		err         error
		wantCode    string
		wantMessage string
		wantField   any
		wantLogged  bool
	}{
		{
			name:     "domain error keeps its code and message",
			err:      fmt.Errorf("load: %w", partnernet.Errorf(partnernet.CodeForbidden, "not allowed to read this identity data")),
			wantCode: "FORBIDDEN", wantMessage: "not allowed to read this identity data",
		},
		{
			name:     "input error names its field",
			err:      partnernet.InputError("first", "first must be at most 100"),
			wantCode: "BAD_USER_INPUT", wantMessage: "first must be at most 100", wantField: "first",
		},
		{
			name:     "a joined domain error wins over the database error beside it",
			err:      errors.Join(partnernet.Errorf(partnernet.CodeUnavailable, "database unavailable"), errors.New("dial tcp 10.0.0.1:5432: connection refused")),
			wantCode: "UNAVAILABLE", wantMessage: "database unavailable",
		},
		{
			name:     "anything else is hidden and logged",
			err:      errors.New(`ERROR: relation "secret_table" does not exist`),
			wantCode: "INTERNAL_SERVER_ERROR", wantMessage: "internal server error", wantLogged: true,
		},
		{
			name:     "timeouts say so",
			err:      fmt.Errorf("list: %w", context.DeadlineExceeded),
			wantCode: "TIMEOUT", wantMessage: "the request took longer than the server allows; its work was cancelled",
		},
		{
			name:     "a cancelled statement is a timeout, not an outage",
			err:      errors.Join(partnernet.Errorf(partnernet.CodeUnavailable, "database unavailable"), fmt.Errorf("query: %w", context.DeadlineExceeded)),
			wantCode: "TIMEOUT", wantMessage: "the request took longer than the server allows; its work was cancelled",
		},
		{
			name:     "a request its client cancelled is no fault, and not logged",
			err:      fmt.Errorf("list: %w", context.Canceled),
			wantCode: "CANCELLED", wantMessage: "the request was cancelled by its client",
		},
		{
			name:     "a statement cancelled with its request is no outage either",
			err:      errors.Join(partnernet.Errorf(partnernet.CodeUnavailable, "database unavailable"), fmt.Errorf("query: %w", context.Canceled)),
			wantCode: "CANCELLED", wantMessage: "the request was cancelled by its client",
		},
		{
			name:     "gqlgen's own codes stay",
			err:      &gqlerror.Error{Message: "Cannot query field", Extensions: map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}},
			wantCode: "GRAPHQL_VALIDATION_FAILED", wantMessage: "Cannot query field",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			present := presentError(slog.New(slog.NewJSONHandler(&logs, nil)))
			ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, nil)
			got := present(ctx, tt.err)
			require.Equal(t, tt.wantCode, got.Extensions["code"])
			require.Equal(t, tt.wantMessage, got.Message)
			require.Equal(t, tt.wantField, got.Extensions["field"])
			require.Equal(t, tt.wantLogged, logs.Len() > 0)
			require.NotContains(t, got.Message, "secret_table")
		})
	}
}
