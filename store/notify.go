package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Timing of [Listen].
const (
	// listenMinBackoff and listenMaxBackoff bound the wait before a reconnection, doubled after
	// each failed attempt.
	listenMinBackoff = 100 * time.Millisecond
	listenMaxBackoff = 5 * time.Second
	// listenDrainWindow is how long a burst may go quiet before its notifications are handled
	// as one; listenDrainMax bounds how long a steady stream can postpone the handling.
	listenDrainWindow = 10 * time.Millisecond
	listenDrainMax    = 250 * time.Millisecond
	// listenCloseTimeout bounds the goodbye to the server on the way out.
	listenCloseTimeout = 5 * time.Second
)

// Listen subscribes to channel (LISTEN) on a connection of its own, taken from pool, and calls
// onChange once right after every successful subscription, so that changes missed while
// unsubscribed are picked up, and once per burst of notifications after that: notifications
// already arrived are drained first, so a burst costs one call. Calls are sequential, on the
// goroutine that runs Listen; the payloads are not passed on.
//
// When the connection is lost, Listen logs a warning to log (slog.Default() when nil) and
// reconnects, waiting 100 ms after the first failure and twice as long after each further one,
// at most 5 s. It returns nil when ctx ends, after closing its connection, and an error only for
// an empty channel name.
func Listen(ctx context.Context, pool *pgxpool.Pool, channel string, onChange func(), log *slog.Logger) error {
	if channel == "" {
		return errors.New("listen: empty channel name")
	}
	if log == nil {
		log = slog.Default()
	}
	backoff := listenMinBackoff
	for {
		subscribed, err := listenSession(ctx, pool, channel, onChange)
		if ctx.Err() != nil {
			return nil
		}
		if subscribed {
			backoff = listenMinBackoff
		}
		log.WarnContext(ctx, "store: notification connection lost; reconnecting",
			"channel", channel, "retry_in", backoff, "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, listenMaxBackoff)
	}
}

// listenSession runs one connection of [Listen] until it fails or ctx ends. subscribed reports
// whether LISTEN succeeded.
func listenSession(ctx context.Context, pool *pgxpool.Pool, channel string, onChange func()) (subscribed bool, err error) {
	pc, err := pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("acquire a connection: %w", err)
	}
	// The connection leaves the pool: it holds a subscription, and it is busy for good.
	conn := pc.Hijack()
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), listenCloseTimeout)
		defer cancel()
		_ = conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return false, fmt.Errorf("listen on %s: %w", channel, err)
	}
	onChange()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return true, fmt.Errorf("wait for a notification on %s: %w", channel, err)
		}
		if err := drainNotifications(ctx, conn); err != nil {
			return true, fmt.Errorf("drain notifications on %s: %w", channel, err)
		}
		onChange()
	}
}

// drainNotifications consumes the notifications that follow within listenDrainWindow of each
// other, for at most listenDrainMax.
func drainNotifications(ctx context.Context, conn *pgx.Conn) error {
	stop := time.Now().Add(listenDrainMax)
	for time.Now().Before(stop) {
		waitCtx, cancel := context.WithTimeout(ctx, listenDrainWindow)
		_, err := conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
		case ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded):
			return nil // quiet: the burst is over; a timeout leaves the connection usable
		default:
			return err
		}
	}
	return nil
}
