package notice

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// Defaults of WorkerConfig.
const (
	DefaultLease        = 2 * time.Minute
	DefaultPollInterval = 15 * time.Second
	DefaultMaxAttempts  = 8
	DefaultBaseBackoff  = 30 * time.Second
	DefaultMaxBackoff   = 2 * time.Hour
	DefaultBatch        = 20
	// MessageIDDomain is the right-hand side of notices' Message-IDs.
	MessageIDDomain = "notices.partnernet.partnerskap-skane"
)

// WorkerConfig configures a [Worker].
type WorkerConfig struct {
	// Store reads and writes the outbox. Required.
	Store *store.Store
	// Mailer sends e-mail; nil turns e-mail off (deliveries are SKIPPED).
	Mailer Mailer
	// SMS sends text messages; nil turns SMS off (deliveries are SKIPPED).
	SMS SMSProvider
	// Lease is how long a claimed delivery is the claiming worker's: past it, another worker (or
	// the same after a restart) claims it again. DefaultLease when zero; it must exceed the
	// longest send (the SMTP timeout).
	Lease time.Duration
	// PollInterval is how often the worker looks for due deliveries besides being woken by new
	// notices (retries fall due without a notification). DefaultPollInterval when zero.
	PollInterval time.Duration
	// MaxAttempts is how many times a delivery is tried before it FAILS. DefaultMaxAttempts
	// when zero.
	MaxAttempts int
	// BaseBackoff and MaxBackoff bound the wait before a retry: BaseBackoff doubled after each
	// failed attempt, ±20% jitter, at most MaxBackoff. Defaults when zero.
	BaseBackoff, MaxBackoff time.Duration
	// Batch is how many deliveries one claim takes; DefaultBatch when zero.
	Batch int
	// Logger receives what goes wrong; slog.Default() when nil.
	Logger *slog.Logger
	// AfterClaim and AfterSend, for fault-injection tests, run after a claim committed (before
	// the send) and after a send succeeded (before it is marked): an error stops the pass there,
	// writing nothing more, as a process killed at that point would.
	AfterClaim, AfterSend func(store.ClaimedDelivery) error
}

// Worker delivers the outbox's notices. Any number of workers (one per replica) may run at
// once: a claim takes due deliveries with FOR UPDATE SKIP LOCKED and commits a lease on them
// before sending, and a delivery is marked only by the claim that holds it (its attempt
// number is the fencing token).
//
// The guarantee: every notice written is sent on each channel until the mail server or SMS
// gateway accepts it, or its attempts run out (FAILED), or there is nowhere to send it
// (SKIPPED). A worker killed after its claim and before its send leaves a lease that runs out,
// and the delivery is claimed again and sent once. A worker killed after the server accepted the
// message and before the delivery was marked SENT (one database round trip) leaves the same
// lease, and the message is sent a second time, with the same Message-ID (e-mail) or reference
// and Idempotency-Key (SMS), by which mail systems and gateways that deduplicate recognise it:
// at least once to the relay, exactly once as far as the outbox can tell.
type Worker struct {
	cfg WorkerConfig
	log *slog.Logger
}

// NewWorker returns a worker over cfg, defaults filled in.
func NewWorker(cfg WorkerConfig) *Worker {
	cfg.Lease = cmp.Or(cfg.Lease, DefaultLease)
	cfg.PollInterval = cmp.Or(cfg.PollInterval, DefaultPollInterval)
	cfg.MaxAttempts = cmp.Or(cfg.MaxAttempts, DefaultMaxAttempts)
	cfg.BaseBackoff = cmp.Or(cfg.BaseBackoff, DefaultBaseBackoff)
	cfg.MaxBackoff = cmp.Or(cfg.MaxBackoff, DefaultMaxBackoff)
	cfg.Batch = cmp.Or(cfg.Batch, DefaultBatch)
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Worker{cfg: cfg, log: log}
}

// Result counts what one pass did.
type Result struct {
	Sent, Retried, Failed, Skipped int
}

// errStopped is how a fault-injection hook stops a pass.
var errStopped = errors.New("notice worker stopped by a hook")

// RunOnce delivers every delivery due at now, batch by batch, until none is left, and returns
// what it did. It stops at the first error of the database (or of a hook).
func (w *Worker) RunOnce(ctx context.Context, now time.Time) (Result, error) {
	var res Result
	for {
		claimed, err := w.cfg.Store.NoticeDeliveryClaim(ctx, now, w.cfg.Lease, w.cfg.Batch)
		if err != nil {
			return res, err
		}
		for _, c := range claimed {
			if err := w.deliver(ctx, c, now, &res); err != nil {
				return res, err
			}
		}
		if len(claimed) < w.cfg.Batch {
			return res, nil
		}
	}
}

// deliver sends one claimed delivery and marks what became of it.
func (w *Worker) deliver(ctx context.Context, c store.ClaimedDelivery, now time.Time, res *Result) error {
	if w.cfg.AfterClaim != nil {
		if err := w.cfg.AfterClaim(c); err != nil {
			return fmt.Errorf("%w: %w", errStopped, err)
		}
	}
	d := c.Delivery
	skip, err := w.send(ctx, c)
	if err == nil && skip == "" && w.cfg.AfterSend != nil {
		if err := w.cfg.AfterSend(c); err != nil {
			return fmt.Errorf("%w: %w", errStopped, err)
		}
	}
	status, next, detail := partnernet.DeliverySent, now, (*string)(nil)
	switch {
	case skip != "":
		status, detail = partnernet.DeliverySkipped, &skip
		res.Skipped++
	case err == nil:
		res.Sent++
	case errors.Is(err, ErrPermanent) || d.Attempts >= w.cfg.MaxAttempts:
		msg := clip(err.Error(), 1000)
		status, detail = partnernet.DeliveryFailed, &msg
		res.Failed++
		w.log.WarnContext(ctx, "notice delivery failed for good", "delivery_id", d.ID, "channel", d.Channel,
			"attempts", d.Attempts, "err", err)
	default:
		msg := clip(err.Error(), 1000)
		status, next, detail = partnernet.DeliveryPending, now.Add(w.backoff(d.Attempts)), &msg
		res.Retried++
		w.log.InfoContext(ctx, "notice delivery failed; retrying later", "delivery_id", d.ID, "channel", d.Channel,
			"attempts", d.Attempts, "retry_at", next, "err", err)
	}
	// Mark even when the request that woke us has gone: the send happened.
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	ok, err := w.cfg.Store.NoticeDeliveryFinish(mctx, d.ID, d.Attempts, status, next, detail)
	if err != nil {
		return err
	}
	if !ok {
		w.log.WarnContext(ctx, "notice delivery was claimed again before it was marked (lease too short?)",
			"delivery_id", d.ID, "attempt", d.Attempts)
	}
	return nil
}

// send sends a delivery on its channel; skip says why it is not sent at all.
func (w *Worker) send(ctx context.Context, c store.ClaimedDelivery) (skip string, err error) {
	n := c.Notice
	switch c.Delivery.Channel {
	case partnernet.ChannelEmail:
		switch {
		case w.cfg.Mailer == nil:
			return "e-mail is off on this server", nil
		case !c.Wants:
			return "the newcomer chose not to be told by e-mail", nil
		case c.Email == nil:
			return "no e-mail address is recorded", nil
		}
		return "", w.cfg.Mailer.Send(ctx, Message{ID: MessageID(c.Delivery.NoticeID), To: *c.Email,
			Subject: n.Subject, Body: n.Body, Language: n.Language})
	case partnernet.ChannelSMS:
		switch {
		case w.cfg.SMS == nil:
			return "SMS is off on this server", nil
		case !c.Wants:
			return "the newcomer chose not to be told by SMS", nil
		case c.Phone == nil:
			return "no telephone number is recorded", nil
		}
		return "", w.cfg.SMS.Send(ctx, SMS{Reference: fmt.Sprintf("notice-%d-sms", n.ID), To: *c.Phone,
			Text: clip(n.Subject+"\n\n"+n.Body, 1000)})
	}
	return "unknown channel", nil
}

// MessageID is the Message-ID of the e-mail of notice id: the same on every attempt.
func MessageID(noticeID int64) string {
	return fmt.Sprintf("notice-%d@%s", noticeID, MessageIDDomain)
}

// backoff is the wait after the attempt-th failed attempt.
func (w *Worker) backoff(attempt int) time.Duration {
	d := w.cfg.BaseBackoff
	for i := 1; i < attempt && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.cfg.MaxBackoff)
	jitter := time.Duration(float64(d) * 0.2 * (2*rand.Float64() - 1)) //nolint:gosec // jitter, not a secret
	return max(d+jitter, time.Second)
}

// Run delivers due notices until ctx ends: at once when a notice is written on any replica
// (woken through [store.Listen] on a connection of its own from pool), and every PollInterval
// for retries and leases that ran out.
func (w *Worker) Run(ctx context.Context, pool *pgxpool.Pool) {
	wake := make(chan struct{}, 1)
	go func() {
		_ = store.Listen(ctx, pool, store.NoticeChannel, func() {
			select {
			case wake <- struct{}{}:
			default:
			}
		}, w.log)
	}()
	t := time.NewTicker(w.cfg.PollInterval)
	defer t.Stop()
	for {
		if res, err := w.RunOnce(ctx, time.Now()); err != nil && ctx.Err() == nil {
			w.log.ErrorContext(ctx, "notice delivery pass failed; trying again", "err", err)
		} else if res.Sent+res.Failed+res.Retried > 0 {
			w.log.InfoContext(ctx, "notices delivered", "sent", res.Sent, "retried", res.Retried,
				"failed", res.Failed, "skipped", res.Skipped)
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-t.C:
		}
	}
}

// Channels says which channels a worker sends on, for the log at start.
func (w *Worker) Channels() string {
	var on []string
	if w.cfg.Mailer != nil {
		on = append(on, "e-mail")
	}
	if w.cfg.SMS != nil {
		on = append(on, "SMS")
	}
	if len(on) == 0 {
		return "none (notices are shown in the API only)"
	}
	return strings.Join(on, ", ")
}
