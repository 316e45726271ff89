package notice

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
	subscriberBuffer = 64
	readBatch        = 500
)

// Hub fans the notices written on any replica out to this replica's subscriptions, each for
// one newcomer: woken by the notification a notice's commit sends, it reads the notices past
// the last one it handed out.
type Hub struct {
	st    *store.Store
	log   *slog.Logger
	ready chan struct{}

	mu   sync.Mutex
	subs map[chan partnernet.Notice]int64 // channel → newcomer id
	last int64                            // -1 before the first read
}

// NewHub returns a hub reading notices through st.
func NewHub(st *store.Store, log *slog.Logger) *Hub {
	if log == nil {
		log = slog.Default()
	}
	return &Hub{st: st, log: log, ready: make(chan struct{}), subs: map[chan partnernet.Notice]int64{}, last: -1}
}

// Run follows the notices until ctx ends, listening on a connection of its own from pool.
func (h *Hub) Run(ctx context.Context, pool *pgxpool.Pool) {
	var once sync.Once
	err := store.Listen(ctx, pool, store.NoticeChannel, func() {
		h.catchUp(ctx)
		once.Do(func() { close(h.ready) })
	}, h.log)
	if err != nil && ctx.Err() == nil {
		h.log.ErrorContext(ctx, "stopped following notices", "err", err)
	}
}

// Ready is closed once notices committed from then on reach the subscribers.
func (h *Hub) Ready() <-chan struct{} { return h.ready }

// catchUp hands out the notices past the last one seen; the first call notes where they stand.
func (h *Hub) catchUp(ctx context.Context) {
	if h.last < 0 {
		latest, err := h.st.NoticeLatest(ctx)
		if err != nil {
			h.log.ErrorContext(ctx, "could not read notices", "err", err)
			return
		}
		h.last = latest
		return
	}
	for {
		notices, err := h.st.NoticeListAfter(ctx, h.last, readBatch)
		if err != nil {
			if ctx.Err() == nil {
				h.log.ErrorContext(ctx, "could not read notices", "err", err)
			}
			return
		}
		for _, n := range notices {
			h.publish(n)
			h.last = n.ID
		}
		if len(notices) < readBatch {
			return
		}
	}
}

// publish hands a notice to its newcomer's subscriptions; one too far behind is dropped.
func (h *Hub) publish(n partnernet.Notice) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch, newcomer := range h.subs {
		if newcomer != n.NewcomerID {
			continue
		}
		select {
		case ch <- n:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// Subscribe returns a channel of the notices to newcomerID written from now on, closed when ctx
// ends or when the subscriber falls too far behind.
func (h *Hub) Subscribe(ctx context.Context, newcomerID int64) <-chan partnernet.Notice {
	ch := make(chan partnernet.Notice, subscriberBuffer)
	h.mu.Lock()
	h.subs[ch] = newcomerID
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
