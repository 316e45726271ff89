package siblings_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/partnerskap-skane/partnernet/siblings"
)

// recorder keeps what the elements of a list did: the order in which they began, and how many
// ran at once at most.
type recorder struct {
	mu               sync.Mutex
	began            []int
	running, maxRuns int
}

func (r *recorder) enter(i int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.began = append(r.began, i)
	r.running++
	r.maxRuns = max(r.maxRuns, r.running)
}

func (r *recorder) leave() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running--
}

// awaitAll blocks until n elements have begun, as siblings waiting for one batch do; it fails
// the test if they do not all begin.
func (r *recorder) awaitAll(t *testing.T, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.began) == n
	}, 5*time.Second, time.Millisecond, "the elements after the waiting one did not start")
}

// render writes m as JSON.
func render(m graphql.Marshaler) string {
	var b strings.Builder
	m.MarshalGQL(&b)
	return b.String()
}

// responseContext is the context of a response that errors can be added to.
func responseContext() context.Context {
	return graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
}

func TestMarshal(t *testing.T) {
	t.Parallel()
	const n = 6
	tests := []struct {
		name      string
		waitingAt int // the element that calls Waiting; -1 for none
		// wantSequential: every element began in order, one at a time.
		wantSequential bool
	}{
		{name: "no element waits: all in turn on the caller's goroutine", waitingAt: -1, wantSequential: true},
		{name: "the first waits: the rest start beside it", waitingAt: 0},
		{name: "a middle one waits: those before ran in turn, the rest start beside it", waitingAt: 3},
		{name: "the last waits: nothing is left to start", waitingAt: n - 1, wantSequential: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r recorder
			got := siblings.Marshal(responseContext(), n, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
				r.enter(i)
				defer r.leave()
				require.Equal(t, i, *graphql.GetFieldContext(ctx).Index)
				if i == tt.waitingAt {
					siblings.Waiting(ctx)
					r.awaitAll(t, n) // a batch collects every sibling's key before it answers
				}
				return graphql.MarshalInt(i)
			})
			require.Equal(t, "[0,1,2,3,4,5]", render(got), "each element in its place")
			require.Len(t, r.began, n)
			if tt.wantSequential {
				require.Equal(t, 1, r.maxRuns)
				require.Equal(t, []int{0, 1, 2, 3, 4, 5}, r.began)
				return
			}
			require.GreaterOrEqual(t, r.maxRuns, 2, "the rest ran while the waiting element waited")
			for i := 0; i <= tt.waitingAt; i++ {
				require.Equal(t, i, r.began[i], "elements up to the waiting one begin in turn")
			}
		})
	}
}

// An element of an inner list that waits starts the rest of the outer list too: an organisation's
// activity waiting for its organiser's batch lets the other organisations' activities join it.
func TestWaitingStartsTheListsAround(t *testing.T) {
	t.Parallel()
	const outer, inner = 3, 4
	var begun atomic.Int32
	allBegun := func() bool { return begun.Load() == outer*inner }
	got := siblings.Marshal(responseContext(), outer, 0, false, func(ctx context.Context, o int) graphql.Marshaler {
		return siblings.Marshal(ctx, inner, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
			begun.Add(1)
			siblings.Waiting(ctx)
			require.Eventually(t, allBegun, 5*time.Second, time.Millisecond, "not every element started")
			return graphql.MarshalInt(o*inner + i)
		})
	})
	require.Equal(t, "[[0,1,2,3],[4,5,6,7],[8,9,10,11]]", render(got))
}

func TestMarshalRecoversAPanicIntoANullElement(t *testing.T) {
	t.Parallel()
	for _, waiting := range []bool{false, true} {
		ctx := responseContext()
		got := siblings.Marshal(ctx, 3, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
			if waiting {
				siblings.Waiting(ctx)
			}
			if i == 1 {
				panic("broken element")
			}
			return graphql.MarshalInt(i)
		})
		require.Equal(t, "[0,null,2]", render(got))
		errs := graphql.GetErrors(ctx)
		require.Len(t, errs, 1)
		require.Equal(t, ast.Path{ast.PathIndex(1)}, errs[0].Path)
	}
}

// A limit on the workers keeps gqlgen's bounded concurrency, which this project does not ask for.
func TestMarshalWithAWorkerLimitIsGqlgens(t *testing.T) {
	t.Parallel()
	var r recorder
	got := siblings.Marshal(responseContext(), 8, 2, false, func(_ context.Context, i int) graphql.Marshaler {
		r.enter(i)
		defer r.leave()
		time.Sleep(time.Millisecond)
		return graphql.MarshalInt(i)
	})
	require.Equal(t, "[0,1,2,3,4,5,6,7]", render(got))
	require.LessOrEqual(t, r.maxRuns, 2)
}

func TestWaitingOutsideAListDoesNothing(t *testing.T) {
	t.Parallel()
	require.NotPanics(t, func() { siblings.Waiting(context.Background()) })
}
