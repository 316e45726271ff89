package notice

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/live"
	"github.com/partnerskap-skane/partnernet/store"
)

// Hub fans the notices written on any replica out to this replica's subscriptions, each for
// one newcomer: a follower of the notice table (live.Follower), as live.Hub is of activity
// changes.
type Hub struct {
	follower *live.Follower[partnernet.Notice]
}

// NewHub returns a hub reading notices through st.
func NewHub(st *store.Store, log *slog.Logger) *Hub {
	return &Hub{live.NewFollower(live.Log[partnernet.Notice]{
		Name: "notices", Channel: store.NoticeChannel,
		Latest: st.NoticeLatest, ListAfter: st.NoticeListAfter,
		ID:     func(n partnernet.Notice) int64 { return n.ID },
		Buffer: 64,
	}, log)}
}

// Run follows the notices until ctx ends, listening on a connection of its own from pool.
func (h *Hub) Run(ctx context.Context, pool *pgxpool.Pool) { h.follower.Run(ctx, pool) }

// Ready is closed once notices committed from then on reach the subscribers.
func (h *Hub) Ready() <-chan struct{} { return h.follower.Ready() }

// Subscribe returns a channel of the notices to newcomerID written from now on, closed when ctx
// ends or when the subscriber falls too far behind.
func (h *Hub) Subscribe(ctx context.Context, newcomerID int64) <-chan partnernet.Notice {
	return h.follower.Subscribe(ctx, func(n partnernet.Notice) bool { return n.NewcomerID == newcomerID })
}
