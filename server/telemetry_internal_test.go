package server

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace/noop"
)

// handlerMark is a handler withTracing can be seen to leave as it is.
type handlerMark struct{}

func (handlerMark) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}

// TestTracingOffAddsNothing checks that withTracing leaves the handler as it is under the no-op
// provider (tracing off) and starts a span per request under a recording one.
func TestTracingOffAddsNothing(t *testing.T) {
	t.Parallel()
	require.Equal(t, http.Handler(handlerMark{}), withTracing(noop.NewTracerProvider(), handlerMark{}))

	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	traced := withTracing(tp, handlerMark{})
	_, untouched := traced.(handlerMark)
	require.False(t, untouched)
	traced.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/graphql", nil))
	require.Len(t, spans.Ended(), 1)
	require.Equal(t, "POST /graphql", spans.Ended()[0].Name())
}
