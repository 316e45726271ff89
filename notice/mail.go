package notice

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Message is one e-mail of a notice.
type Message struct {
	// ID is the Message-ID (without angle brackets). It is the same on every attempt of a
	// delivery, so that a message sent twice (the worker died after the server accepted it and
	// before it was marked sent) is recognisable as one.
	ID       string
	To       string
	Subject  string
	Body     string
	Language string
}

// Mailer sends the e-mail of notices.
type Mailer interface {
	// Send sends m. An error wrapping [ErrPermanent] will not succeed on retry.
	Send(ctx context.Context, m Message) error
}

// ErrPermanent marks a refusal that a retry would not change (a 5xx answer of a mail server, a
// 4xx of an SMS provider): the delivery fails at once.
var ErrPermanent = errors.New("permanent delivery failure")

// SMTPConfig configures [SMTPMailer].
type SMTPConfig struct {
	// Host and Port of the mail server (the relay); Port 587 when zero.
	Host string
	Port int
	// Username and Password authenticate with the server when Username is set.
	Username, Password string
	// From is the sender's address, for example "Partnerskap Skåne <noreply@partnerskap-skane.se>".
	From string
	// TLS is "mandatory" (STARTTLS required, the default), "opportunistic", "none" (only for a
	// relay on the same host or in tests) or "implicit" (TLS from the start, port 465).
	TLS string
	// Timeout bounds one connection's dialogue; 15s when zero.
	Timeout time.Duration
}

// SMTPMailer sends notices through an SMTP relay, with github.com/wneessen/go-mail.
type SMTPMailer struct {
	cfg  SMTPConfig
	opts []mail.Option
}

// NewSMTPMailer checks cfg and returns a mailer over it. Each Send opens one connection.
func NewSMTPMailer(cfg SMTPConfig) (*SMTPMailer, error) {
	if cfg.Host == "" || cfg.From == "" {
		return nil, errors.New("smtp: a host and a From address are required")
	}
	if cfg.Port == 0 {
		cfg.Port = mail.DefaultPortTLS
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = mail.DefaultTimeout
	}
	opts := []mail.Option{mail.WithPort(cfg.Port), mail.WithTimeout(cfg.Timeout)}
	switch cfg.TLS {
	case "", "mandatory":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case "opportunistic":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case "implicit":
		opts = append(opts, mail.WithSSL())
	default:
		return nil, fmt.Errorf("smtp: unknown TLS mode %q; use mandatory, opportunistic, none or implicit", cfg.TLS)
	}
	if cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(cfg.Username),
			mail.WithPassword(cfg.Password))
	}
	probe := mail.NewMsg()
	if err := probe.From(cfg.From); err != nil {
		return nil, fmt.Errorf("smtp: From %q: %w", cfg.From, err)
	}
	return &SMTPMailer{cfg: cfg, opts: opts}, nil
}

// Send implements Mailer: a plain-text UTF-8 message with the notice's Message-ID and
// Content-Language, to one recipient. A 5xx answer is permanent.
func (s *SMTPMailer) Send(ctx context.Context, m Message) error {
	msg := mail.NewMsg(mail.WithCharset(mail.CharsetUTF8))
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("smtp from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("smtp recipient: %w: %w", ErrPermanent, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.ID)
	msg.SetDate()
	msg.SetGenHeader(mail.HeaderContentLang, m.Language)
	msg.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	client, err := mail.NewClient(s.cfg.Host, s.opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		var se *mail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
			return fmt.Errorf("smtp send: %w: %w", ErrPermanent, err)
		}
		return fmt.Errorf("smtp send: %w", err)
	}
	return nil
}

// LogMailer is the mailer of dev mode: it sends nothing and writes each message to a logger, so
// that a developer reads the notices in the server's output.
type LogMailer struct{ Log *slog.Logger }

// Send implements Mailer.
func (l LogMailer) Send(ctx context.Context, m Message) error {
	l.Log.InfoContext(ctx, "notice e-mail (dev mode: not sent)", "message_id", m.ID, "to", m.To,
		"language", m.Language, "subject", m.Subject, "body", m.Body)
	return nil
}
