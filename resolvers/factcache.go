package resolvers

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/partnerskap-skane/partnernet/analytics"
)

// factLoadTimeout bounds one load of a measure's facts, which callers share.
const factLoadTimeout = 2 * time.Minute

// FactCache keeps each analytics measure's facts for a while, so that analysts' aggregates,
// computed over every enrolment, referral or visit of the network, cost one database pass per
// measure and period rather than one per request. Facts never leave the process; what is
// published is still protected per request. Concurrent requests for a measure whose facts are
// stale share one load. The zero TTL keeps nothing (each request loads afresh).
type FactCache struct {
	ttl   time.Duration
	group singleflight.Group

	mu      sync.Mutex
	entries map[string]factEntry
	tables  map[string]tableEntry
}

type factEntry struct {
	facts  []analytics.Fact
	loaded time.Time
}

// tableEntry is a protected table computed from the facts loaded at loaded.
type tableEntry struct {
	table  analytics.Table
	loaded time.Time
}

// NewFactCache returns a cache that keeps facts, and the tables protected from them, for ttl.
func NewFactCache(ttl time.Duration) *FactCache {
	return &FactCache{ttl: ttl, entries: map[string]factEntry{}, tables: map[string]tableEntry{}}
}

// table returns the protected table of measure m over the dimensions chosen (indexes into
// m.Dimensions, sorted) at threshold: computed once per load of the facts and kept with them, as
// the same facts always give the same table.
func (c *FactCache) table(ctx context.Context, m analytics.Measure, chosen []int, threshold int,
	load func(context.Context, analytics.Measure) ([]analytics.Fact, error)) (analytics.Table, error) {
	facts, err := c.facts(ctx, m, load)
	if err != nil {
		return analytics.Table{}, err
	}
	protect := func() analytics.Table {
		return analytics.Protect(m.Dimensions, chosen, analytics.FromFacts(facts, m.Distinct), threshold)
	}
	if c == nil || c.ttl <= 0 {
		return protect(), nil
	}
	key := fmt.Sprint(m.Name, chosen, threshold)
	c.mu.Lock()
	loaded := c.entries[m.Name].loaded
	e, ok := c.tables[key]
	c.mu.Unlock()
	if ok && e.loaded.Equal(loaded) {
		return e.table, nil
	}
	t := protect()
	c.mu.Lock()
	c.tables[key] = tableEntry{table: t, loaded: loaded}
	c.mu.Unlock()
	return t, nil
}

// facts returns the facts of measure m, loading them with load when the cache holds none fresh.
// A caller that gives up (its context ends) leaves the shared load running for the others.
func (c *FactCache) facts(ctx context.Context, m analytics.Measure, load func(context.Context, analytics.Measure) ([]analytics.Fact, error)) ([]analytics.Fact, error) {
	if c == nil || c.ttl <= 0 {
		return load(ctx, m)
	}
	c.mu.Lock()
	e, ok := c.entries[m.Name]
	c.mu.Unlock()
	if ok && time.Since(e.loaded) < c.ttl {
		return e.facts, nil
	}
	ch := c.group.DoChan(m.Name, func() (any, error) {
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), factLoadTimeout)
		defer cancel()
		facts, err := load(lctx, m)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.entries[m.Name] = factEntry{facts: facts, loaded: time.Now()}
		c.mu.Unlock()
		return facts, nil
	})
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for the facts of %s: %w", m.Name, ctx.Err())
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.([]analytics.Fact), nil
	}
}
