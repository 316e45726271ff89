package resolvers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// The moderation queue's page: by default and at most.
const (
	defaultModerationItems = 20
	maxModerationItems     = 100
)

// questionnaireOf shapes the questionnaire in language from its texts, which must hold every key
// of the version.
func questionnaireOf(language string, texts []partnernet.QuestionnaireText) (*model.Questionnaire, error) {
	byKey := map[string]partnernet.QuestionnaireText{}
	for _, t := range texts {
		byKey[t.Key] = t
	}
	text := func(key string) (partnernet.QuestionnaireText, error) {
		t, ok := byKey[key]
		if !ok {
			return t, fmt.Errorf("questionnaire %s has no text %s in %s", partnernet.QuestionnaireVersion, key, language)
		}
		return t, nil
	}
	out := &model.Questionnaire{Version: partnernet.QuestionnaireVersion, Language: language,
		Languages: slices.Clone(partnernet.QuestionnaireLanguages)}
	for _, in := range partnernet.Instruments {
		name := string(in.Name)
		s := &model.QuestionnaireSection{Instrument: in.Name}
		for key, dst := range map[string]*string{name + ".title": &s.Title, name + ".instructions": &s.Instructions, name + ".attribution": &s.Attribution} {
			t, err := text(key)
			if err != nil {
				return nil, err
			}
			*dst = t.Text
		}
		for _, item := range in.Items {
			t, err := text(string(item))
			if err != nil {
				return nil, err
			}
			s.Questions = append(s.Questions, &model.QuestionnaireQuestion{Item: item, Text: t.Text, Source: t.Source})
		}
		for _, v := range in.Scale {
			t, err := text(name + ".option." + strconv.Itoa(v))
			if err != nil {
				return nil, err
			}
			s.Options = append(s.Options, &model.QuestionnaireOption{Value: v, Label: t.Text})
		}
		out.Sections = append(out.Sections, s)
	}
	return out, nil
}

// signedInNewcomer decides whether the caller may act on obj as a newcomer for themself, and
// returns their record: refused (UNAUTHENTICATED, FORBIDDEN) for anyone else.
func (r *Resolver) signedInNewcomer(ctx context.Context, obj authz.Object, act authz.Action) (*partnernet.Newcomer, error) {
	p := authz.PrincipalFrom(ctx)
	if err := r.Authz.AuthorizeSelf(ctx, obj, act, 0, p.NewcomerID); err != nil {
		return nil, err
	}
	return loaders.For(ctx).Newcomer(ctx, p.NewcomerID)()
}

// answered is what an answer to the questionnaire made: ids only, so that an idempotency key
// keeps no answer of the newcomer's.
type answered struct {
	ResponseID, ConsentID int64
	NewConsent            bool
}

// answerQuestionnaire stores newcomer n's response and, when they share their answers and no
// consent covers statistics of WELLBEING yet, records theirs (to the network lead, which owns the
// analytics), with the audit entries of both, in one transaction.
func (r *Resolver) answerQuestionnaire(ctx context.Context, n *partnernet.Newcomer, resp partnernet.QuestionnaireResponse, share bool, rt retry) (*model.AnswerQuestionnairePayload, error) {
	subject := authz.PrincipalFrom(ctx).Subject
	made, err := commit(ctx, r.Store, rt, func(tx *store.Store) (answered, error) {
		var out answered
		stored, err := tx.QuestionnaireResponseCreate(ctx, resp)
		if err != nil {
			return out, err
		}
		out.ResponseID = stored.ID
		active, err := tx.ConsentActiveCovering(ctx, n.ID, partnernet.PurposeStatistics, partnernet.CategoryWellbeing)
		if err != nil {
			return out, err
		}
		switch {
		case len(active) > 0:
			out.ConsentID = active[0].ID
		case share:
			lead, err := tx.OrganisationGetBySlug(ctx, authz.NetworkLeadSlug)
			if err != nil {
				return out, fmt.Errorf("the network lead, recipient of statistics: %w", err)
			}
			c, err := tx.ConsentRecordCreate(ctx, partnernet.ConsentRecord{
				NewcomerID: n.ID, ControllerID: n.ControllerID, RecipientIDs: []int64{lead.ID},
				Purposes: []partnernet.Purpose{partnernet.PurposeStatistics}, DataCategories: []partnernet.DataCategory{partnernet.CategoryWellbeing},
				LegalBasis: partnernet.BasisConsent, Method: partnernet.MethodDigital, NoticeLanguage: resp.Language,
				NoticeVersion: "questionnaire " + resp.Version, ValidFrom: time.Now(),
			}, subject)
			if err != nil {
				return out, err
			}
			out.ConsentID, out.NewConsent = c.ID, true
		}
		return out, tx.NewcomerTouch(ctx, n.ID)
	}, func(a answered) []partnernet.AuditEvent {
		events := []partnernet.AuditEvent{authz.Event(ctx, partnernet.AuditAnswerQuestionnaire, n.ID,
			"response "+relay.ToGlobalID(typeQuestionnaireResponse, a.ResponseID))}
		if a.NewConsent {
			events = append(events, authz.Event(ctx, partnernet.AuditRecordConsent, n.ID, "consent "+relay.ToGlobalID(typeConsentRecord, a.ConsentID)))
		}
		return events
	}, nil)
	if err != nil {
		return nil, err
	}
	got, err := r.Store.QuestionnaireResponseListByNewcomers(ctx, []int64{n.ID})
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(got, func(x partnernet.QuestionnaireResponse) bool { return x.ID == made.ResponseID })
	if i < 0 {
		return nil, fmt.Errorf("read questionnaire response %d again: %w", made.ResponseID, partnernet.ErrNotFound)
	}
	out := &model.AnswerQuestionnairePayload{Response: &got[i], CountedInStatistics: made.ConsentID != 0 && got[len(got)-1].ID == made.ResponseID}
	if made.ConsentID != 0 {
		if out.StatisticsConsent, err = loaders.For(ctx).ConsentRecord.Load(ctx, made.ConsentID)(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// feedbackSummary shapes the feedback on an activity for its organiser's staff: named feedback
// with who gave it, anonymous feedback only when at least threshold newcomers gave it (so that
// no one can be told from the enrolment list), comments only once approved.
func (r *Resolver) feedbackSummary(ctx context.Context, rows []partnernet.ActivityFeedback) (*model.ActivityFeedbackSummary, error) {
	threshold := r.threshold()
	out := &model.ActivityFeedbackSummary{Count: len(rows), Entries: []*model.FeedbackEntry{}}
	anonymous, sum := 0, 0
	for _, f := range rows {
		sum += f.Rating
		if f.NewcomerID == nil || !f.Named {
			anonymous++
		}
	}
	out.AnonymousWithheld = anonymous > 0 && anonymous < threshold
	if len(rows) > 0 && !out.AnonymousWithheld {
		mean := float64(sum) / float64(len(rows))
		out.AverageRating = &mean
	}
	for i := range rows {
		f := &rows[i]
		author, err := loaders.For(ctx).FeedbackAuthor(ctx, f)
		if err != nil {
			return nil, err
		}
		if author == nil && out.AnonymousWithheld {
			continue
		}
		e := &model.FeedbackEntry{Rating: f.Rating, Author: author}
		if f.Moderation != nil && *f.Moderation == partnernet.ModerationApproved {
			e.Comment = f.PublishedComment
		}
		out.Entries = append(out.Entries, e)
	}
	return out, nil
}

// moderationOf validates a moderator's decision: the state it moves the comment to, the text the
// organiser will read (approved; nil keeps the comment as written) and the reason (rejected).
func moderationOf(in model.ModerateFeedbackInput, comment *string) (partnernet.FeedbackModeration, *string, *partnernet.FeedbackRejection, error) {
	switch in.Decision {
	case model.ModerationDecisionApprove:
		if in.Rejection != nil {
			return "", nil, nil, partnernet.InputError("input.rejection", "an approval has no reason for rejection")
		}
		published, err := partnernet.OptionalText("input.publishedComment", in.PublishedComment, partnernet.MaxFeedbackComment)
		if err != nil {
			return "", nil, nil, err
		}
		if published == nil {
			published = comment
		}
		return partnernet.ModerationApproved, published, nil, nil
	default:
		if in.Rejection == nil {
			return "", nil, nil, partnernet.InputError("input.rejection", "say why the comment is rejected")
		}
		if in.PublishedComment != nil {
			return "", nil, nil, partnernet.InputError("input.publishedComment", "a rejected comment is not published")
		}
		return partnernet.ModerationRejected, nil, in.Rejection, nil
	}
}

// joinedActivity decodes the activity a newcomer's feedback names at path field: one they are not
// enrolled in is as unknown as one that does not exist.
func (r *Resolver) joinedActivity(ctx context.Context, field, gid string, newcomerID int64) (*partnernet.Activity, error) {
	id, err := relay.DecodeID(field, typeActivity, gid)
	if err != nil {
		return nil, notVisible(ctx, field, "activity you joined", "give feedback")
	}
	joined, err := r.Store.EnrolmentJoined(ctx, id, newcomerID)
	if err != nil {
		return nil, err
	}
	if !joined {
		return nil, notVisible(ctx, field, "activity you joined", "give feedback")
	}
	a, err := loaders.For(ctx).Activity.Load(ctx, id)()
	if errors.Is(err, partnernet.ErrNotFound) {
		return nil, notVisible(ctx, field, "activity you joined", "give feedback")
	}
	return a, err
}
