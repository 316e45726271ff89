// Package notice tells newcomers what happens to the activities they enrolled in: an activity or
// one occurrence cancelled, a changed time or place, a promotion from the waitlist, a reminder
// the day before.
//
// # The outbox
//
// A change writes its notices with [Enqueue] in its own transaction (resolvers do it through
// their one write helper), so that no change commits without its notices and no notice without
// its change; each notice's dedup key keeps it once however often the change is retried. Each
// notice is rendered when written, in the newcomer's language ([Language], [Render]: Swedish,
// English, Arabic, Persian, Ukrainian; otherwise Swedish followed by English), and gets a
// delivery per channel (e-mail, SMS); the API shows the notice itself.
//
// # Delivery
//
// A [Worker] in the server delivers them: it claims due deliveries with FOR UPDATE SKIP LOCKED
// and a lease, sends them by e-mail ([SMTPMailer], github.com/wneessen/go-mail) and SMS (an
// [SMSProvider]; [HTTPSMS] for an HTTP gateway), and marks each SENT, or PENDING again with an
// exponential backoff, or FAILED, or SKIPPED (no address, opted out, channel off). The
// guarantee is spelt out on [Worker]. [Remind] writes the reminders of tomorrow's occurrences,
// under an advisory lock so that replicas do not write them twice; [Hub] fans new notices out to
// the subscriptions of one replica.
package notice
