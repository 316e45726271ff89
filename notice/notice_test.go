package notice_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/dbtest"
	"github.com/partnerskap-skane/partnernet/notice"
	"github.com/partnerskap-skane/partnernet/notice/noticetest"
	"github.com/partnerskap-skane/partnernet/store"
	"github.com/partnerskap-skane/partnernet/testfactory"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestLanguageAndRender(t *testing.T) {
	t.Parallel()
	when := time.Date(2026, 12, 8, 17, 0, 0, 0, time.UTC)
	facts := notice.Facts{Title: "Språkcafé", TitleEn: "Language café", Organiser: "ABF Skåne", Place: "Folkets hus, Malmö",
		When: &when, Reason: "Lokalen är upptagen"}
	tests := []struct {
		name                    string
		preferred               *string
		native                  []string
		wantLang                string
		wantSubject, wantInBody string
	}{
		{"Arabic natively", nil, []string{"ar"}, "ar", "إلغاء موعد: Language café 2026-12-08 18:00", "السبب: Lokalen är upptagen"},
		{"a chosen language over the native one", ptr("uk"), []string{"ar"}, "uk", "Заняття скасовано", "Причина: Lokalen är upptagen"},
		{"Persian", nil, []string{"ti", "fa"}, "fa", "جلسه لغو شد", "Lokalen är upptagen"},
		{"no text in the language: Swedish, then English", nil, []string{"ti"}, "sv", "Inställt tillfälle: Språkcafé 2026-12-08 18:00",
			"has cancelled the session of “Language café” on 2026-12-08 18:00"},
		{"a chosen language without texts falls back", ptr("so"), nil, "sv", "Inställt tillfälle", "Anledning: Lokalen är upptagen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lang, subject, body := notice.Render(partnernet.NoticeOccurrenceCancelled, notice.Language(tt.preferred, tt.native), facts)
			require.Equal(t, tt.wantLang, lang)
			require.Contains(t, subject, tt.wantSubject)
			require.Contains(t, body, tt.wantInBody)
			require.NotContains(t, subject+body, "{", "every placeholder is filled")
		})
	}
	// Every kind has a text in every language.
	for _, lang := range notice.Languages {
		for _, kind := range partnernet.NoticeKind("").Values() {
			got, subject, body := notice.Render(partnernet.NoticeKind(kind), lang, facts)
			require.Equal(t, lang, got)
			require.NotEmpty(t, subject, "%s %s", lang, kind)
			require.NotEmpty(t, body, "%s %s", lang, kind)
		}
	}
}

// outbox is a database with one activity of ABF starting tomorrow evening and one newcomer
// with an e-mail address and a telephone number enrolled in it.
type outbox struct {
	st       *store.Store
	activity partnernet.Activity
	newcomer int64
	starts   time.Time
}

func newOutbox(t testing.TB) outbox {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	m := testfactory.Municipality(ctx, t, pool, &testfactory.MunicipalityOpts{})
	org := testfactory.Organisation(ctx, t, pool, &testfactory.OrganisationOpts{HomeMunicipalityID: &m.ID})
	email, phone := "amal@example.invalid", "+46701740000"
	n := testfactory.Newcomer(ctx, t, pool, &testfactory.NewcomerOpts{ControllerID: org.ID,
		Contact:   &partnernet.NewcomerContact{Email: &email, Phone: &phone},
		Languages: []partnernet.LanguageSkill{{Language: "ar", Proficiency: partnernet.ProficiencyNative}}})
	now := time.Now().In(partnernet.Stockholm)
	starts := time.Date(now.Year(), now.Month(), now.Day()+1, 18, 0, 0, 0, partnernet.Stockholm)
	a := testfactory.Activity(ctx, t, pool, &testfactory.ActivityOpts{OrganiserID: org.ID, Status: partnernet.ActivityPublished,
		Schedule: partnernet.Schedule{StartsAt: &starts, DurationMinutes: 90}})
	testfactory.Enrolment(ctx, t, pool, &testfactory.EnrolmentOpts{ActivityID: a.ID, NewcomerID: n.ID})
	return outbox{st: store.New(pool), activity: a, newcomer: n.ID, starts: starts}
}

// enqueue writes one cancellation notice to the outbox, as a change's transaction does.
func (o outbox) enqueue(t *testing.T) partnernet.Notice {
	t.Helper()
	var written []partnernet.Notice
	require.NoError(t, o.st.InTx(context.Background(), func(tx *store.Store) error {
		var err error
		written, err = notice.Enqueue(context.Background(), tx, []partnernet.NoticeDraft{{NewcomerID: o.newcomer, Activity: o.activity,
			Kind: partnernet.NoticeActivityCancelled, Reason: "Sjukdom", DedupKey: "test-cancel"}})
		return err
	}))
	require.Len(t, written, 1)
	require.Equal(t, "ar", written[0].Language)
	return written[0]
}

// deliveries returns the status and attempts of each channel's delivery of notice id.
func (o outbox) deliveries(t *testing.T, id int64) map[partnernet.NoticeChannel]partnernet.NoticeDelivery {
	t.Helper()
	got, err := o.st.NoticeDeliveryListByNotices(context.Background(), []int64{id})
	require.NoError(t, err)
	out := map[partnernet.NoticeChannel]partnernet.NoticeDelivery{}
	for _, d := range got {
		out[d.Channel] = d
	}
	return out
}

// TestWorkerRetriesWithBackoff has the mail server refuse a notice for now (451), then accept
// it after the backoff; the SMS gateway fails (503), then refuses for good (400): the e-mail is
// SENT once, the SMS FAILED, each attempt of the SMS with the same idempotency key.
func TestWorkerRetriesWithBackoff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o := newOutbox(t)
	n := o.enqueue(t)
	mail := noticetest.StartSMTP(t)
	var mu sync.Mutex
	type request struct{ auth, idempotencyKey, reference, to string }
	var requests []request
	answers := []int{http.StatusServiceUnavailable, http.StatusBadRequest}
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		requests = append(requests, request{r.Header.Get("Authorization"), r.Header.Get("Idempotency-Key"), body["reference"], body["to"]})
		w.WriteHeader(answers[0])
		answers = answers[1:]
	}))
	t.Cleanup(gateway.Close)
	sms, err := notice.NewHTTPSMS(notice.HTTPSMSConfig{URL: gateway.URL, Token: "secret", From: "Partnerskap"})
	require.NoError(t, err)
	w := notice.NewWorker(notice.WorkerConfig{Store: o.st, Mailer: mail.Mailer(t), SMS: sms, BaseBackoff: time.Minute})

	mail.RefuseNext(&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"})
	now := time.Now()
	res, err := w.RunOnce(ctx, now)
	require.NoError(t, err)
	require.Equal(t, notice.Result{Retried: 2}, res)
	d := o.deliveries(t, n.ID)
	require.Equal(t, partnernet.DeliveryPending, d[partnernet.ChannelEmail].Status)
	require.Equal(t, 1, d[partnernet.ChannelEmail].Attempts)
	require.WithinRange(t, d[partnernet.ChannelEmail].NextAttemptAt, now.Add(47*time.Second), now.Add(73*time.Second),
		"the first retry waits the base backoff, ±20%")

	res, err = w.RunOnce(ctx, now.Add(10*time.Second))
	require.NoError(t, err)
	require.Equal(t, notice.Result{}, res, "nothing is due before the backoff")

	res, err = w.RunOnce(ctx, now.Add(2*time.Minute))
	require.NoError(t, err)
	require.Equal(t, notice.Result{Sent: 1, Failed: 1}, res)
	d = o.deliveries(t, n.ID)
	require.Equal(t, partnernet.DeliverySent, d[partnernet.ChannelEmail].Status)
	require.Equal(t, 2, d[partnernet.ChannelEmail].Attempts)
	require.Equal(t, partnernet.DeliveryFailed, d[partnernet.ChannelSMS].Status, "a 400 will not succeed on retry")
	require.Len(t, requests, 2)
	for _, r := range requests {
		require.Equal(t, request{"Bearer secret", requests[0].reference, requests[0].reference, "+46701740000"}, r,
			"every attempt of a delivery has the same idempotency key, the delivery's reference")
	}
	require.Equal(t, fmt.Sprintf("notice-%d-sms", n.ID), requests[0].reference)

	got := mail.To("amal@example.invalid")
	require.Len(t, got, 1)
	require.Equal(t, "ar", got[0].Language)
	require.Equal(t, notice.MessageID(n.ID), got[0].MessageID)
	require.Contains(t, got[0].Body, "Sjukdom")
	require.True(t, strings.HasPrefix(got[0].Subject, "تم الإلغاء"))

	res, err = w.RunOnce(ctx, now.Add(24*time.Hour))
	require.NoError(t, err)
	require.Equal(t, notice.Result{}, res, "nothing is sent twice")
}

// TestWorkerSkipsWhatCannotBeSent: with SMS off and the newcomer opted out of e-mail, both
// deliveries are SKIPPED, and the notice stays readable in the API.
func TestWorkerSkipsWhatCannotBeSent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o := newOutbox(t)
	_, err := o.st.NoticePreferenceUpsert(ctx, partnernet.NoticePreference{NewcomerID: o.newcomer, Email: false, SMS: true})
	require.NoError(t, err)
	n := o.enqueue(t)
	mail := noticetest.StartSMTP(t)
	res, err := notice.NewWorker(notice.WorkerConfig{Store: o.st, Mailer: mail.Mailer(t)}).RunOnce(ctx, time.Now())
	require.NoError(t, err)
	require.Equal(t, notice.Result{Skipped: 2}, res)
	require.Empty(t, mail.Mails())
	d := o.deliveries(t, n.ID)
	require.Equal(t, partnernet.DeliverySkipped, d[partnernet.ChannelEmail].Status)
	require.Equal(t, partnernet.DeliverySkipped, d[partnernet.ChannelSMS].Status)
}

// TestRemindOnceAcrossReplicas runs the reminders of tomorrow on three replicas at once, and
// again: the participant gets one reminder.
func TestRemindOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	o := newOutbox(t)
	noon := time.Date(o.starts.Year(), o.starts.Month(), o.starts.Day()-1, 12, 0, 0, 0, partnernet.Stockholm)
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 3 {
		wg.Go(func() {
			n, err := notice.Remind(ctx, o.st, noon)
			require.NoError(t, err)
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	wg.Wait()
	again, err := notice.Remind(ctx, o.st, noon.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, 1, total+again, "one reminder, whichever replica wrote it")
	night, err := notice.Remind(ctx, o.st, noon.Add(11*time.Hour))
	require.NoError(t, err)
	require.Zero(t, night, "no reminders are written at night")

	page, err := o.st.NoticeListByNewcomers(ctx, []int64{o.newcomer}, store.Order{Column: store.OrderCreatedAtNotice}, store.Page{Limit: 10})
	require.NoError(t, err)
	notices := page[o.newcomer].Rows
	require.Len(t, notices, 1)
	require.Equal(t, partnernet.NoticeReminder, notices[0].Kind)
	require.Equal(t, "ar", notices[0].Language)
	require.Contains(t, notices[0].Subject, "تذكير")
}

func ptr[T any](v T) *T { return &v }

// BenchmarkWorkerDelivery measures a pass of the worker over 100 notices: claiming their 200
// deliveries, sending 100 e-mails to the in-process SMTP server on loopback (a connection each),
// skipping the 100 SMS (off), and marking each.
func BenchmarkWorkerDelivery(b *testing.B) {
	ctx := context.Background()
	o := newOutbox(b)
	mail := noticetest.StartSMTP(b)
	w := notice.NewWorker(notice.WorkerConfig{Store: o.st, Mailer: mail.Mailer(b), Batch: 50})
	const perPass = 100
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		drafts := make([]partnernet.NoticeDraft, perPass)
		for k := range drafts {
			drafts[k] = partnernet.NoticeDraft{NewcomerID: o.newcomer, Activity: o.activity, Kind: partnernet.NoticeReminder,
				Occurrence: &o.starts, DedupKey: fmt.Sprintf("bench:%d:%d", i, k)}
		}
		require.NoError(b, o.st.InTx(ctx, func(tx *store.Store) error {
			_, err := notice.Enqueue(ctx, tx, drafts)
			return err
		}))
		b.StartTimer()
		res, err := w.RunOnce(ctx, time.Now())
		require.NoError(b, err)
		require.Equal(b, perPass, res.Sent)
	}
}
