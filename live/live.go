// Package live fans public activity changes out to the subscribers of one server replica. Every
// replica follows the change log in PostgreSQL: a change commits a row of activity_change and a
// notification on store.ActivityChannel in one transaction, and each replica, woken by the
// notification (through store.Listen), reads the rows past the last one it has seen and hands
// them to its subscribers in commit order. A replica that loses its connection catches up from
// the log when it is back.
package live

import (
	"context"
	"log/slog"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// Limits of the hub.
const (
	// subscriberBuffer is how many changes a subscriber may lag behind before it is dropped.
	subscriberBuffer = 256
	// readBatch is how many changes one read of the log takes.
	readBatch = 500
)

// Hub is one replica's fan-out of public activity changes.
type Hub struct {
	st    *store.Store
	log   *slog.Logger
	ready chan struct{}

	mu   sync.Mutex
	subs map[chan partnernet.ActivityChange]struct{}
	// last is the id of the last change handed out; -1 before the first read.
	last int64
}

// NewHub returns a hub reading the change log through st; log receives its errors
// (slog.Default() when nil).
func NewHub(st *store.Store, log *slog.Logger) *Hub {
	if log == nil {
		log = slog.Default()
	}
	return &Hub{st: st, log: log, ready: make(chan struct{}), subs: map[chan partnernet.ActivityChange]struct{}{}, last: -1}
}

// Run follows the change log until ctx ends, listening on a connection of its own from pool.
func (h *Hub) Run(ctx context.Context, pool *pgxpool.Pool) {
	var once sync.Once
	err := store.Listen(ctx, pool, store.ActivityChannel, func() {
		h.catchUp(ctx)
		once.Do(func() { close(h.ready) })
	}, h.log)
	if err != nil && ctx.Err() == nil {
		h.log.ErrorContext(ctx, "stopped following activity changes", "err", err)
	}
}

// Ready is closed once the hub follows the change log: changes committed after that reach its
// subscribers.
func (h *Hub) Ready() <-chan struct{} { return h.ready }

// catchUp hands out the changes past the last one seen; the first call only notes where the
// log stands.
func (h *Hub) catchUp(ctx context.Context) {
	if h.last < 0 {
		latest, err := h.st.ActivityChangeLatest(ctx)
		if err != nil {
			h.log.ErrorContext(ctx, "could not read the activity change log", "err", err)
			return
		}
		h.last = latest
		return
	}
	for {
		changes, err := h.st.ActivityChangeListAfter(ctx, h.last, readBatch)
		if err != nil {
			if ctx.Err() == nil {
				h.log.ErrorContext(ctx, "could not read the activity change log", "err", err)
			}
			return
		}
		for _, c := range changes {
			h.publish(c)
			h.last = c.ID
		}
		if len(changes) < readBatch {
			return
		}
	}
}

// publish hands a change to every subscriber; one too far behind is dropped (its channel is
// closed), never waited for.
func (h *Hub) publish(c partnernet.ActivityChange) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- c:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// Subscribe returns a channel of the changes committed from now on, closed when ctx ends or
// when the subscriber falls too far behind.
func (h *Hub) Subscribe(ctx context.Context) <-chan partnernet.ActivityChange {
	ch := make(chan partnernet.ActivityChange, subscriberBuffer)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	go func() {
		<-ctx.Done()
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, ok := h.subs[ch]; ok {
			delete(h.subs, ch)
			close(ch)
		}
	}()
	return ch
}
