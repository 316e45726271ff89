package notice

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// SMS is one text message of a notice.
type SMS struct {
	// Reference is the same on every attempt of a delivery: the provider's idempotency key.
	Reference string
	To        string
	Text      string
}

// SMSProvider sends the text messages of notices. SMS is off unless one is configured.
type SMSProvider interface {
	// Send sends m. An error wrapping [ErrPermanent] will not succeed on retry.
	Send(ctx context.Context, m SMS) error
}

// HTTPSMSConfig configures [HTTPSMS].
type HTTPSMSConfig struct {
	// URL is the provider's endpoint for sending one message (https).
	URL string
	// Token is sent as "Authorization: Bearer <token>".
	Token string
	// From is the sender name or number the provider shows (at most 11 letters for a name).
	From string
	// Client sends the requests; one with a 15 s timeout when nil.
	Client *http.Client
}

// HTTPSMS sends text messages through an SMS gateway's HTTP API, as docs/notices.md documents:
// a POST of the JSON object {"from", "to", "message", "reference"} with a bearer token and the
// reference also as the Idempotency-Key header, so that a gateway that honours it sends a
// message retried after a crash once. 2xx is sent; 408, 429 and 5xx are retried; any other 4xx
// is permanent.
type HTTPSMS struct{ cfg HTTPSMSConfig }

// NewHTTPSMS checks cfg and returns a provider over it.
func NewHTTPSMS(cfg HTTPSMSConfig) (*HTTPSMS, error) {
	if cfg.URL == "" || cfg.From == "" {
		return nil, errors.New("sms: a URL and a From are required")
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 15 * time.Second}
	}
	return &HTTPSMS{cfg: cfg}, nil
}

// Send implements SMSProvider.
func (h *HTTPSMS) Send(ctx context.Context, m SMS) error {
	body, err := json.Marshal(map[string]string{"from": h.cfg.From, "to": m.To, "message": m.Text, "reference": m.Reference})
	if err != nil {
		return fmt.Errorf("sms encode: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("sms request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", m.Reference)
	if h.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+h.cfg.Token)
	}
	resp, err := h.cfg.Client.Do(req)
	if err != nil {
		return fmt.Errorf("sms send: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	detail, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		return nil
	case s == http.StatusRequestTimeout, s == http.StatusTooManyRequests, s >= 500:
		return fmt.Errorf("sms gateway answered %d: %s", s, detail)
	default:
		return fmt.Errorf("sms gateway answered %d: %s: %w", s, detail, ErrPermanent)
	}
}

// LogSMS is the SMS provider of dev mode: it sends nothing and writes each message to a logger.
type LogSMS struct{ Log *slog.Logger }

// Send implements SMSProvider.
func (l LogSMS) Send(ctx context.Context, m SMS) error {
	l.Log.InfoContext(ctx, "notice SMS (dev mode: not sent)", "reference", m.Reference, "to", m.To, "text", m.Text)
	return nil
}
