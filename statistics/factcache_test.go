package statistics

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/analytics"
)

func TestFactCache(t *testing.T) {
	t.Parallel()
	var loads atomic.Int64
	release := make(chan struct{})
	load := func(ctx context.Context, m analytics.Measure) ([]analytics.Fact, error) {
		loads.Add(1)
		<-release
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return []analytics.Fact{{Values: []string{m.Name}, Weight: 3}}, nil
	}
	tests := []struct {
		name      string
		ttl       time.Duration
		callers   int
		wantLoads int64
	}{
		{"concurrent callers share one load, and later ones the cached facts", time.Hour, 8, 1},
		{"without a TTL every caller loads", 0, 3, 3},
	}
	for _, tt := range tests {
		loads.Store(0)
		release = make(chan struct{})
		c := newFactCache(tt.ttl)
		var wg sync.WaitGroup
		for range tt.callers {
			wg.Go(func() {
				facts, err := c.facts(context.Background(), analytics.Enrolments, load)
				require.NoError(t, err)
				require.Equal(t, []analytics.Fact{{Values: []string{analytics.Enrolments.Name}, Weight: 3}}, facts)
			})
		}
		time.Sleep(50 * time.Millisecond) // let the callers reach the load
		close(release)
		wg.Wait()
		_, err := c.facts(context.Background(), analytics.Enrolments, load)
		require.NoError(t, err)
		if tt.ttl > 0 {
			require.Equal(t, tt.wantLoads, loads.Load(), tt.name)
		} else {
			require.Equal(t, tt.wantLoads+1, loads.Load(), tt.name)
		}
	}

	// A caller that gives up leaves the shared load to finish for the others.
	loads.Store(0)
	release = make(chan struct{})
	c := newFactCache(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := c.facts(ctx, analytics.Reach, load)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	close(release)
	require.Eventually(t, func() bool {
		facts, err := c.facts(context.Background(), analytics.Reach, func(context.Context, analytics.Measure) ([]analytics.Fact, error) {
			return nil, nil // a second load would find nothing
		})
		return err == nil && len(facts) == 1
	}, 5*time.Second, 10*time.Millisecond, "the first load finished and was kept")
}

func TestFactCacheKeepsFamilies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	load := func(context.Context, analytics.Measure) ([]analytics.Fact, error) {
		return []analytics.Fact{{Values: []string{"2026-01", "NAD", "1280", "SPORTS", "ar", "20-29", "FEMALE", "abf"}, Weight: 7}}, nil
	}
	c := newFactCache(time.Hour)
	first, err := c.family(ctx, analytics.Enrolments, 5, load)
	require.NoError(t, err)
	again, err := c.family(ctx, analytics.Enrolments, 5, load)
	require.NoError(t, err)
	require.Same(t, first, again, "the tables are protected once per load of the facts")
	require.Equal(t, 1+8+28+56, first.Len())
	total, err := c.table(ctx, analytics.Enrolments, nil, 5, load)
	require.NoError(t, err)
	require.Equal(t, 5, *total.Cells[0].Count, "7, rounded to a multiple of five")
	other, err := c.family(ctx, analytics.Enrolments, 3, load)
	require.NoError(t, err)
	require.NotSame(t, first, other, "another threshold, other tables")
	_, err = c.table(ctx, analytics.Enrolments, []int{0, 1, 2, 3}, 5, load)
	require.Error(t, err, "four dimensions are no table of the family")

	uncached := newFactCache(0)
	a, err := uncached.family(ctx, analytics.Enrolments, 5, load)
	require.NoError(t, err)
	b, err := uncached.family(ctx, analytics.Enrolments, 5, load)
	require.NoError(t, err)
	require.NotSame(t, a, b, "without a TTL every request protects afresh")
}
