package loaders

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/graph-gophers/dataloader/v7"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/siblings"
)

// recordingLoader returns a Loader with a 50 ms batch window whose batches answer each key k
// with value(k), and a function that returns the batches it ran so far, each's keys in order.
func recordingLoader(value func(int64) int64) (*Loader[int64, int64], func() [][]int64) {
	var (
		mu      sync.Mutex
		batches [][]int64
	)
	l := lazy(50*time.Millisecond, func() dataloader.BatchFunc[int64, int64] {
		return func(_ context.Context, keys []int64) []*dataloader.Result[int64] {
			mu.Lock()
			batches = append(batches, slices.Sorted(slices.Values(keys)))
			mu.Unlock()
			results := make([]*dataloader.Result[int64], len(keys))
			for i, k := range keys {
				results[i] = &dataloader.Result[int64]{Data: value(k)}
			}
			return results
		}
	})
	return l, func() [][]int64 {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(batches)
	}
}

// responseContext is the context of a response that errors can be added to.
func responseContext() context.Context {
	return graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
}

// A list whose elements load keys nobody loaded yet puts them in one batch, though its elements
// run in turn until one waits (siblings); keys a parent level primed cost no batch at all.
func TestLoadLetsTheSiblingsOfAnUnseenKeyJoinItsBatch(t *testing.T) {
	t.Parallel()
	const n = 5
	tests := []struct {
		name        string
		primed      bool
		many        bool
		wantBatches [][]int64
	}{
		{name: "unseen keys, one each", wantBatches: [][]int64{{0, 1, 2, 3, 4}}},
		{name: "unseen keys, loaded many at once", many: true, wantBatches: [][]int64{{0, 1, 2, 3, 4, 100, 101, 102, 103, 104}}},
		{name: "keys the parent level primed", primed: true, wantBatches: nil},
		{name: "keys the parent level primed, loaded many at once", primed: true, many: true, wantBatches: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, batches := recordingLoader(func(k int64) int64 { return k % 100 * 10 })
			ctx := responseContext()
			if tt.primed {
				for k := range int64(n) {
					l.Prime(ctx, k, k*10).Prime(ctx, 100+k, k*10)
				}
			}
			got := siblings.Marshal(ctx, n, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
				if tt.many {
					vs, errs := l.LoadMany(ctx, []int64{int64(i), 100 + int64(i)})()
					require.Empty(t, errs)
					require.Equal(t, vs[0], vs[1])
					return graphql.MarshalInt64(vs[0])
				}
				v, err := l.Load(ctx, int64(i))()
				require.NoError(t, err)
				return graphql.MarshalInt64(v)
			})
			var b strings.Builder
			got.MarshalGQL(&b)
			require.Equal(t, "[0,10,20,30,40]", b.String())
			require.Equal(t, tt.wantBatches, batches())
		})
	}
}

// A key another list asked for already, whose batch has not run, still lets its list's later
// elements start: their other keys join that batch instead of a batch after it.
func TestLoadOfAPendingKeyLetsItsSiblingsJoinTheBatch(t *testing.T) {
	t.Parallel()
	l, batches := recordingLoader(func(k int64) int64 { return k })
	// Two parents, each with two children; both parents' first child asks for key 1.
	keys := [][]int64{{1, 2}, {1, 3}}
	ctx := responseContext()
	got := siblings.Marshal(ctx, len(keys), 0, false, func(ctx context.Context, p int) graphql.Marshaler {
		return siblings.Marshal(ctx, len(keys[p]), 0, false, func(ctx context.Context, c int) graphql.Marshaler {
			v, err := l.Load(ctx, keys[p][c])()
			require.NoError(t, err)
			return graphql.MarshalInt64(v)
		})
	})
	var b strings.Builder
	got.MarshalGQL(&b)
	require.Equal(t, "[[1,2],[1,3]]", b.String())
	require.Equal(t, [][]int64{{1, 2, 3}}, batches())
}
