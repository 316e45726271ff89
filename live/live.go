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

// readBatch is how many rows one read of a log takes.
const readBatch = 500

// Log is a table a Follower follows: rows with growing ids, a notification on Channel when one
// commits.
type Log[T any] struct {
	// Name names the log in error messages ("the activity change log").
	Name string
	// Channel is the PostgreSQL notification channel its commits notify.
	Channel string
	// Latest returns the id of the newest row; ListAfter up to limit rows past an id, in order.
	Latest    func(ctx context.Context) (int64, error)
	ListAfter func(ctx context.Context, after int64, limit int) ([]T, error)
	// ID is a row's id.
	ID func(T) int64
	// Buffer is how many rows a subscriber may lag behind before it is dropped.
	Buffer int
}

// Follower is one replica's fan-out of a log: woken by the notification a row's commit sends
// (through store.Listen), it reads the rows past the last one it handed out and gives each to
// the subscribers it matches, in commit order. A replica that loses its connection catches up
// from the log when it is back.
type Follower[T any] struct {
	src   Log[T]
	log   *slog.Logger
	ready chan struct{}

	mu   sync.Mutex
	subs map[chan T]func(T) bool
	// last is the id of the last row handed out; -1 before the first read.
	last int64
}

// NewFollower returns a follower of src; log receives its errors (slog.Default() when nil).
func NewFollower[T any](src Log[T], log *slog.Logger) *Follower[T] {
	if log == nil {
		log = slog.Default()
	}
	return &Follower[T]{src: src, log: log, ready: make(chan struct{}), subs: map[chan T]func(T) bool{}, last: -1}
}

// Run follows the log until ctx ends, listening on a connection of its own from pool.
func (f *Follower[T]) Run(ctx context.Context, pool *pgxpool.Pool) {
	var once sync.Once
	err := store.Listen(ctx, pool, f.src.Channel, func() {
		f.catchUp(ctx)
		once.Do(func() { close(f.ready) })
	}, f.log)
	if err != nil && ctx.Err() == nil {
		f.log.ErrorContext(ctx, "stopped following "+f.src.Name, "err", err)
	}
}

// Ready is closed once the follower follows the log: rows committed after that reach its
// subscribers.
func (f *Follower[T]) Ready() <-chan struct{} { return f.ready }

// catchUp hands out the rows past the last one seen; the first call only notes where the log
// stands.
func (f *Follower[T]) catchUp(ctx context.Context) {
	if f.last < 0 {
		latest, err := f.src.Latest(ctx)
		if err != nil {
			f.log.ErrorContext(ctx, "could not read "+f.src.Name, "err", err)
			return
		}
		f.last = latest
		return
	}
	for {
		rows, err := f.src.ListAfter(ctx, f.last, readBatch)
		if err != nil {
			if ctx.Err() == nil {
				f.log.ErrorContext(ctx, "could not read "+f.src.Name, "err", err)
			}
			return
		}
		for _, r := range rows {
			f.publish(r)
			f.last = f.src.ID(r)
		}
		if len(rows) < readBatch {
			return
		}
	}
}

// publish hands a row to every subscriber it matches; one too far behind is dropped (its
// channel is closed), never waited for.
func (f *Follower[T]) publish(r T) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch, match := range f.subs {
		if !match(r) {
			continue
		}
		select {
		case ch <- r:
		default:
			delete(f.subs, ch)
			close(ch)
		}
	}
}

// Subscribe returns a channel of the rows committed from now on that match, closed when ctx
// ends or when the subscriber falls too far behind.
func (f *Follower[T]) Subscribe(ctx context.Context, match func(T) bool) <-chan T {
	ch := make(chan T, f.src.Buffer)
	f.mu.Lock()
	f.subs[ch] = match
	f.mu.Unlock()
	go func() {
		<-ctx.Done()
		f.mu.Lock()
		defer f.mu.Unlock()
		if _, ok := f.subs[ch]; ok {
			delete(f.subs, ch)
			close(ch)
		}
	}()
	return ch
}

// Hub is one replica's fan-out of public activity changes.
type Hub struct {
	*Follower[partnernet.ActivityChange]
}

// NewHub returns a hub reading the change log through st; log receives its errors
// (slog.Default() when nil).
func NewHub(st *store.Store, log *slog.Logger) *Hub {
	return &Hub{NewFollower(Log[partnernet.ActivityChange]{
		Name: "the activity change log", Channel: store.ActivityChannel,
		Latest: st.ActivityChangeLatest, ListAfter: st.ActivityChangeListAfter,
		ID:     func(c partnernet.ActivityChange) int64 { return c.ID },
		Buffer: 256,
	}, log)}
}

// Subscribe returns a channel of the changes committed from now on, closed when ctx ends or
// when the subscriber falls too far behind.
func (h *Hub) Subscribe(ctx context.Context) <-chan partnernet.ActivityChange {
	return h.Follower.Subscribe(ctx, func(partnernet.ActivityChange) bool { return true })
}
