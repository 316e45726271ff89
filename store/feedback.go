package store

import (
	"context"
	"fmt"

	"github.com/partnerskap-skane/partnernet"
)

// feedbackColumns read feedback with its activity's organiser.
const feedbackColumns = `f.id, f.activity_id, a.organiser_id, f.newcomer_id, f.rating, f.comment, f.named, f.moderation,
  f.published_comment, f.rejection, f.moderated_by, f.moderated_at, f.created_at, f.updated_at`

// feedbackFrom joins feedback to its activity, for the organiser.
const feedbackFrom = "activity_feedback f JOIN activity a ON a.id = f.activity_id"

func feedbackFields(f *partnernet.ActivityFeedback) []any {
	return []any{
		&f.ID, &f.ActivityID, &f.OrganiserID, &f.NewcomerID, &f.Rating, &f.Comment, &f.Named, &f.Moderation,
		&f.PublishedComment, &f.Rejection, &f.ModeratedBy, &f.ModeratedAt, &f.CreatedAt, &f.UpdatedAt,
	}
}

// EnrolmentJoined reports whether the newcomer is enrolled in the activity (neither waitlisted
// nor cancelled): who may give feedback on it.
func (s *Store) EnrolmentJoined(ctx context.Context, activityID, newcomerID int64) (bool, error) {
	var joined bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM enrolment e
WHERE e.activity_id = $1 AND e.newcomer_id = $2 AND e.status = 'ENROLLED')`, activityID, newcomerID).Scan(&joined)
	if err != nil {
		return false, translate(fmt.Errorf("whether newcomer %d joined activity %d: %w", newcomerID, activityID, err))
	}
	return joined, nil
}

// FeedbackUpsert stores the newcomer's feedback on an activity, or replaces what they gave
// before, and returns it as stored. A comment that is new or changed waits for moderation
// (PENDING) and whatever was approved of the old one is withdrawn; an unchanged comment keeps
// its moderation.
func (s *Store) FeedbackUpsert(ctx context.Context, f partnernet.ActivityFeedback) (partnernet.ActivityFeedback, error) {
	rows, err := s.db.Query(ctx, `
WITH f AS (
  INSERT INTO activity_feedback AS x (activity_id, newcomer_id, rating, comment, named, moderation)
  VALUES ($1, $2, $3, $4, $5, CASE WHEN $4::text IS NULL THEN NULL ELSE 'PENDING' END)
  ON CONFLICT (activity_id, newcomer_id) WHERE newcomer_id IS NOT NULL DO UPDATE SET
    rating = excluded.rating, named = excluded.named, comment = excluded.comment, updated_at = now(),
    moderation = CASE WHEN x.comment IS NOT DISTINCT FROM excluded.comment THEN x.moderation ELSE excluded.moderation END,
    published_comment = CASE WHEN x.comment IS NOT DISTINCT FROM excluded.comment THEN x.published_comment END,
    rejection = CASE WHEN x.comment IS NOT DISTINCT FROM excluded.comment THEN x.rejection END,
    moderated_by = CASE WHEN x.comment IS NOT DISTINCT FROM excluded.comment THEN x.moderated_by END,
    moderated_at = CASE WHEN x.comment IS NOT DISTINCT FROM excluded.comment THEN x.moderated_at END
  RETURNING *)
SELECT `+feedbackColumns+` FROM f JOIN activity a ON a.id = f.activity_id`,
		f.ActivityID, f.NewcomerID, f.Rating, f.Comment, f.Named)
	return one(rows, err, "store feedback", feedbackFields)
}

// FeedbackDelete withdraws (deletes) the newcomer's feedback on an activity and returns it as it
// was; partnernet.ErrNotFound when they gave none.
func (s *Store) FeedbackDelete(ctx context.Context, activityID, newcomerID int64) (partnernet.ActivityFeedback, error) {
	rows, err := s.db.Query(ctx, `
WITH f AS (DELETE FROM activity_feedback WHERE activity_id = $1 AND newcomer_id = $2 RETURNING *)
SELECT `+feedbackColumns+` FROM f JOIN activity a ON a.id = f.activity_id`, activityID, newcomerID)
	return one(rows, err, "withdraw feedback", feedbackFields)
}

// FeedbackGetMany returns the feedback with the given ids; unknown ids are absent.
func (s *Store) FeedbackGetMany(ctx context.Context, ids []int64) ([]partnernet.ActivityFeedback, error) {
	return getMany(ctx, s.db, "feedback", "SELECT "+feedbackColumns+" FROM "+feedbackFrom+" WHERE f.id = ANY($1)", ids, feedbackFields)
}

// FeedbackListByActivities returns the feedback on each of the activities, by activity, the best
// rated first (never in the order given, which would tell who gave it).
func (s *Store) FeedbackListByActivities(ctx context.Context, activityIDs []int64) ([]partnernet.ActivityFeedback, error) {
	return getMany(ctx, s.db, "feedback", "SELECT "+feedbackColumns+" FROM "+feedbackFrom+
		" WHERE f.activity_id = ANY($1) ORDER BY f.activity_id, f.rating DESC, f.published_comment NULLS LAST, f.id", activityIDs, feedbackFields)
}

// FeedbackListByNewcomers returns the feedback each of the newcomers gave, newest first.
func (s *Store) FeedbackListByNewcomers(ctx context.Context, newcomerIDs []int64) ([]partnernet.ActivityFeedback, error) {
	return getMany(ctx, s.db, "feedback", "SELECT "+feedbackColumns+" FROM "+feedbackFrom+
		" WHERE f.newcomer_id = ANY($1) ORDER BY f.newcomer_id, f.created_at DESC, f.id DESC", newcomerIDs, feedbackFields)
}

// FeedbackPendingList returns one page of the comments waiting for moderation, oldest first
// (order OrderCreatedAt).
func (s *Store) FeedbackPendingList(ctx context.Context, o Order, p Page) (Slice[partnernet.ActivityFeedback], error) {
	return listPage(ctx, s.db, pendingQuery(), o, p, feedbackFields)
}

// FeedbackPendingCount counts the comments waiting for moderation.
func (s *Store) FeedbackPendingCount(ctx context.Context) (int, error) {
	return countRows(ctx, s.db, pendingQuery())
}

// pendingQuery lists the comments waiting for moderation.
func pendingQuery() *listQuery {
	q := &listQuery{
		from: feedbackFrom, columns: feedbackColumns, idExpr: "f.id",
		sorts: map[string]sortColumn{OrderCreatedAt: {"f.created_at", "timestamptz"}},
	}
	q.filter("f.moderation = 'PENDING'")
	return q
}

// FeedbackModerate records a moderator's decision on a pending comment: APPROVED with the text
// organisers will read (published), or REJECTED with a reason. A comment no longer pending
// (decided meanwhile, changed, withdrawn) is partnernet.ErrConflict; no such feedback
// partnernet.ErrNotFound.
func (s *Store) FeedbackModerate(ctx context.Context, id int64, decision partnernet.FeedbackModeration, published *string,
	rejection *partnernet.FeedbackRejection, actor string) (partnernet.ActivityFeedback, error) {
	rows, err := s.db.Query(ctx, `
WITH f AS (
  UPDATE activity_feedback SET moderation = $2, published_comment = $3, rejection = $4, moderated_by = $5,
    moderated_at = now()
  WHERE id = $1 AND moderation = 'PENDING' RETURNING *)
SELECT `+feedbackColumns+` FROM f JOIN activity a ON a.id = f.activity_id`, id, decision, published, rejection, actor)
	f, err := one(rows, err, "moderate feedback", feedbackFields)
	if partnernet.ErrorCode(err) == partnernet.CodeNotFound {
		if got, gerr := s.FeedbackGetMany(ctx, []int64{id}); gerr == nil && len(got) == 1 {
			return f, partnernet.Errorf(partnernet.CodeConflict, "the comment is no longer waiting for moderation")
		}
	}
	return f, err
}
