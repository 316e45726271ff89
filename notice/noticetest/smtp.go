// Package noticetest runs a real SMTP server in process, for tests that send notices through
// package notice's SMTP mailer and read back what the server received. It is for tests only.
package noticetest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/notice"
)

// Mail is one message the server received, decoded.
type Mail struct {
	From      string
	To        []string
	Subject   string
	MessageID string
	Language  string
	Body      string
}

// SMTPServer is an SMTP server on a loopback port that keeps every message it receives.
type SMTPServer struct {
	// Addr is host:port.
	Addr string

	mu    sync.Mutex
	mails []Mail
	// refuse, when set, answers DATA of the next message with this error (then clears it).
	refuse error
}

// StartSMTP starts a server for the test's lifetime.
func StartSMTP(t testing.TB) *SMTPServer {
	t.Helper()
	s := &SMTPServer{}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s.Addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// Mailer returns package notice's SMTP mailer pointed at the server, without TLS.
func (s *SMTPServer) Mailer(t testing.TB) *notice.SMTPMailer {
	t.Helper()
	host, port, err := net.SplitHostPort(s.Addr)
	require.NoError(t, err)
	var p int
	for _, c := range port {
		p = p*10 + int(c-'0')
	}
	m, err := notice.NewSMTPMailer(notice.SMTPConfig{Host: host, Port: p, From: "Partnerskap Skåne <noreply@partnerskap-skane.example>", TLS: "none"})
	require.NoError(t, err)
	return m
}

// Mails returns the messages received so far, in order.
func (s *SMTPServer) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// To returns the messages received for address.
func (s *SMTPServer) To(address string) []Mail {
	var out []Mail
	for _, m := range s.Mails() {
		for _, to := range m.To {
			if strings.EqualFold(to, address) {
				out = append(out, m)
			}
		}
	}
	return out
}

// RefuseNext makes the server answer the next message's DATA with err (a *smtp.SMTPError for
// a chosen code).
func (s *SMTPServer) RefuseNext(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = err
}

type backend struct{ s *SMTPServer }

// NewSession implements smtp.Backend.
func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *SMTPServer
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.refuse != nil {
		err, x.s.refuse = x.s.refuse, nil
		return err
	}
	m := Mail{From: x.from, To: x.to}
	if msg, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		dec := new(mime.WordDecoder)
		if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
			m.Subject = msg.Header.Get("Subject")
		}
		m.MessageID = strings.Trim(msg.Header.Get("Message-Id"), "<>")
		m.Language = msg.Header.Get("Content-Language")
		body, _ := io.ReadAll(msg.Body)
		switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
		case "quoted-printable":
			body, _ = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		case "base64":
			body, _ = base64.StdEncoding.DecodeString(strings.ReplaceAll(strings.ReplaceAll(string(body), "\r\n", ""), "\n", ""))
		}
		m.Body = strings.ReplaceAll(string(body), "\r\n", "\n")
	}
	x.s.mails = append(x.s.mails, m)
	return nil
}
