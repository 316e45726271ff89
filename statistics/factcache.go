package statistics

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

// factCache keeps each analytics measure's facts for a while, so that analysts' aggregates,
// computed over every enrolment, referral or visit of the network, cost one database pass per
// measure and period rather than one per request. With the facts it keeps the measure's family
// of protected tables ([analytics.Family]), computed once per load of the facts: the tables are
// protected together, so a request only looks its table up. Facts never leave the process.
// Concurrent requests for a measure whose facts are stale share one load, and one protection.
// The zero TTL keeps nothing (each request loads and protects afresh).
type factCache struct {
	ttl   time.Duration
	group singleflight.Group

	mu       sync.Mutex
	entries  map[string]factEntry
	families map[string]familyEntry
}

type factEntry struct {
	facts  []analytics.Fact
	loaded time.Time
}

// familyEntry is a measure's protected tables computed from the facts loaded at loaded.
type familyEntry struct {
	family *analytics.Family
	loaded time.Time
}

// newFactCache returns a cache that keeps facts, and the tables protected from them, for ttl.
func newFactCache(ttl time.Duration) *factCache {
	return &factCache{ttl: ttl, entries: map[string]factEntry{}, families: map[string]familyEntry{}}
}

// family returns the protected tables of measure m at threshold: computed once per load of the
// facts and kept with them, as the same facts always give the same tables.
func (c *factCache) family(ctx context.Context, m analytics.Measure, threshold int,
	load func(context.Context, analytics.Measure) ([]analytics.Fact, error)) (*analytics.Family, error) {
	facts, err := c.entry(ctx, m, load)
	if err != nil {
		return nil, err
	}
	if c == nil || c.ttl <= 0 {
		return m.Protect(facts.facts, threshold)
	}
	key := fmt.Sprint(m.Name, "@", threshold)
	c.mu.Lock()
	e, ok := c.families[key]
	c.mu.Unlock()
	if ok && e.loaded.Equal(facts.loaded) {
		return e.family, nil
	}
	ch := c.group.DoChan(fmt.Sprint("family:", key, "@", facts.loaded.UnixNano()), func() (any, error) {
		f, err := m.Protect(facts.facts, threshold)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if e, ok := c.families[key]; !ok || e.loaded.Before(facts.loaded) {
			c.families[key] = familyEntry{family: f, loaded: facts.loaded}
		}
		c.mu.Unlock()
		return f, nil
	})
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for the tables of %s: %w", m.Name, ctx.Err())
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*analytics.Family), nil
	}
}

// table returns the protected table of measure m over the dimensions chosen (indexes into
// m.Dimensions, sorted) at threshold, from its family. Dimensions the family has no table of
// are an error: callers validate them first.
func (c *factCache) table(ctx context.Context, m analytics.Measure, chosen []int, threshold int,
	load func(context.Context, analytics.Measure) ([]analytics.Fact, error)) (analytics.Table, error) {
	f, err := c.family(ctx, m, threshold, load)
	if err != nil {
		return analytics.Table{}, err
	}
	t, ok := f.Table(chosen)
	if !ok {
		return analytics.Table{}, fmt.Errorf("analytics: %s publishes no table over %v", m.Name, chosen)
	}
	return t, nil
}

// facts returns the facts of measure m, loading them with load when the cache holds none fresh.
// A caller that gives up (its context ends) leaves the shared load running for the others.
func (c *factCache) facts(ctx context.Context, m analytics.Measure, load func(context.Context, analytics.Measure) ([]analytics.Fact, error)) ([]analytics.Fact, error) {
	e, err := c.entry(ctx, m, load)
	return e.facts, err
}

// entry returns the facts of measure m with when they were loaded (the zero time when the cache
// keeps nothing), loading them as facts does.
func (c *factCache) entry(ctx context.Context, m analytics.Measure, load func(context.Context, analytics.Measure) ([]analytics.Fact, error)) (factEntry, error) {
	if c == nil || c.ttl <= 0 {
		facts, err := load(ctx, m)
		return factEntry{facts: facts}, err
	}
	c.mu.Lock()
	e, ok := c.entries[m.Name]
	c.mu.Unlock()
	if ok && time.Since(e.loaded) < c.ttl {
		return e, nil
	}
	ch := c.group.DoChan(m.Name, func() (any, error) {
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), factLoadTimeout)
		defer cancel()
		facts, err := load(lctx, m)
		if err != nil {
			return nil, err
		}
		e := factEntry{facts: facts, loaded: time.Now()}
		c.mu.Lock()
		c.entries[m.Name] = e
		c.mu.Unlock()
		return e, nil
	})
	select {
	case <-ctx.Done():
		return factEntry{}, fmt.Errorf("wait for the facts of %s: %w", m.Name, ctx.Err())
	case r := <-ch:
		if r.Err != nil {
			return factEntry{}, r.Err
		}
		return r.Val.(factEntry), nil
	}
}
