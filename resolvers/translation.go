package resolvers

import (
	"context"
	"slices"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
	"github.com/partnerskap-skane/partnernet/store"
)

// translatableActivity resolves the activity a translation mutation names, for whoever may edit
// it, and refuses one that can no longer change.
func (r *Resolver) translatableActivity(ctx context.Context, gid string) (*partnernet.Activity, error) {
	a, err := r.editableActivity(ctx, "input.activityId", gid)
	if err != nil {
		return nil, err
	}
	if err := r.Authz.AuthorizeActivity(ctx, authz.ActivityEdit, authz.Write, a.OrganiserID, a.CoOrganiserIDs); err != nil {
		return nil, err
	}
	if a.Status == partnernet.ActivityCancelled || a.Status == partnernet.ActivityFinished {
		return nil, partnernet.Errorf(partnernet.CodeConflict, "a %s activity cannot be changed", a.Status)
	}
	return a, nil
}

// setActivityTranslation writes an activity's texts in one language: Swedish and English into
// the activity's own fields, any other language into its translations; audited.
func (r *Resolver) setActivityTranslation(ctx context.Context, in model.SetActivityTranslationInput) (*partnernet.Activity, error) {
	a, err := r.translatableActivity(ctx, in.ActivityID)
	if err != nil {
		return nil, err
	}
	t := partnernet.ActivityTranslation{
		ActivityID: a.ID, Language: in.Language, Title: in.Title, Description: orEmpty(in.Description),
		Accessibility: orEmpty(in.AccessibilityNote), CostNote: orEmpty(in.CostNote),
		ApplicationProcess: orEmpty(in.ApplicationProcess), InterpretationServices: orEmpty(in.InterpretationServices),
	}
	if err := t.Validate("input"); err != nil {
		return nil, err
	}
	return audited(ctx, r.Store,
		func(tx *store.Store) (partnernet.Activity, error) {
			current, err := tx.ActivityLock(ctx, a.ID)
			if err != nil {
				return current, err
			}
			if current.Status == partnernet.ActivityCancelled || current.Status == partnernet.ActivityFinished {
				return current, partnernet.Errorf(partnernet.CodeConflict, "a %s activity cannot be changed", current.Status)
			}
			if t.Language == partnernet.Swedish || t.Language == partnernet.English {
				_, err = tx.ActivityTextsSetOwn(ctx, t)
			} else {
				_, err = tx.ActivityTranslationSet(ctx, t)
			}
			if err != nil {
				return current, err
			}
			return tx.ActivityLock(ctx, a.ID)
		},
		func(updated partnernet.Activity) partnernet.AuditEvent {
			return authz.Event(ctx, partnernet.AuditSetTranslation, 0,
				"activity "+relay.ToGlobalID(typeActivity, updated.ID)+" in "+string(t.Language))
		})
}

// removeActivityTranslation removes an activity's texts in a language other than Swedish and
// English; audited.
func (r *Resolver) removeActivityTranslation(ctx context.Context, in model.RemoveActivityTranslationInput) (*partnernet.Activity, error) {
	a, err := r.translatableActivity(ctx, in.ActivityID)
	if err != nil {
		return nil, err
	}
	if in.Language == partnernet.Swedish || in.Language == partnernet.English {
		return nil, partnernet.InputError("input.language",
			"the Swedish and English texts are the activity's own: change them with setActivityTranslation or updateActivity")
	}
	return audited(ctx, r.Store,
		func(tx *store.Store) (partnernet.Activity, error) {
			if _, err := tx.ActivityLock(ctx, a.ID); err != nil {
				return partnernet.Activity{}, err
			}
			if _, err := tx.ActivityTranslationRemove(ctx, a.ID, in.Language); err != nil {
				if partnernet.ErrorCode(err) == partnernet.CodeNotFound {
					return partnernet.Activity{}, partnernet.InputError("input.language", "the activity has no texts in %s", in.Language)
				}
				return partnernet.Activity{}, err
			}
			return tx.ActivityLock(ctx, a.ID)
		},
		func(updated partnernet.Activity) partnernet.AuditEvent {
			return authz.Event(ctx, partnernet.AuditRemoveTranslation, 0,
				"activity "+relay.ToGlobalID(typeActivity, updated.ID)+" in "+string(in.Language))
		})
}

// translationOwner resolves the programme, organisation, desk or course a translation mutation
// names (no such thing and not yours alike: notVisible), asks authz whether the caller may edit
// its texts, and returns its kind, id and the fields it has.
func (r *Resolver) translationOwner(ctx context.Context, gid string) (partnernet.PublicTextOwner, int64, []partnernet.PublicTextField, error) {
	typename, id, err := relay.FromGlobalID(gid)
	if err != nil {
		return "", 0, nil, partnernet.InputError("input.id", "%q is not a valid ID", gid)
	}
	var (
		owner  partnernet.PublicTextOwner
		fields []partnernet.PublicTextField
		decide func(relay.Node) error
	)
	switch typename {
	case typeProgramme:
		owner, fields = partnernet.TextOfProgramme, []partnernet.PublicTextField{partnernet.TextName, partnernet.TextDescription}
		decide = func(relay.Node) error { return r.Authz.Authorize(ctx, authz.Organisation, authz.Write, 0) }
	case typeOrganisation:
		owner, fields = partnernet.TextOfOrganisation, []partnernet.PublicTextField{partnernet.TextName, partnernet.TextDescription}
		decide = func(n relay.Node) error {
			return r.Authz.Authorize(ctx, authz.OrganisationProfile, authz.Write, n.(*partnernet.Organisation).ID)
		}
	case typeAdviceDesk:
		owner, fields = partnernet.TextOfAdviceDesk, []partnernet.PublicTextField{partnernet.TextName, partnernet.TextPlace}
		decide = func(n relay.Node) error {
			return r.Authz.Authorize(ctx, authz.AdviceDesk, authz.Write, n.(*partnernet.AdviceDesk).OrganisationID)
		}
	case typeCourse:
		owner, fields = partnernet.TextOfCourse, []partnernet.PublicTextField{partnernet.TextTitle}
		decide = func(n relay.Node) error {
			return r.Authz.Authorize(ctx, authz.Course, authz.Write, n.(*partnernet.Course).OrganisationID)
		}
	default:
		return "", 0, nil, partnernet.InputError("input.id", "give a programme, organisation, advice desk or course")
	}
	n, err := r.node(ctx, typename, id)()
	if err != nil {
		return "", 0, nil, err
	}
	if n == nil {
		return "", 0, nil, notVisible(ctx, "input.id", "programme, organisation, advice desk or course", "")
	}
	if err := decide(n); err != nil {
		return "", 0, nil, err
	}
	return owner, id, fields, nil
}

// setTranslation writes a programme's, organisation's, desk's or course's texts in one language;
// audited.
func (r *Resolver) setTranslation(ctx context.Context, in model.SetTranslationInput) (relay.Node, error) {
	owner, id, fields, err := r.translationOwner(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	given := map[partnernet.PublicTextField]*string{
		partnernet.TextName: in.Name, partnernet.TextDescription: in.Description,
		partnernet.TextPlace: in.Place, partnernet.TextTitle: in.Title,
	}
	names := map[partnernet.PublicTextField]string{
		partnernet.TextName: "name", partnernet.TextDescription: "description", partnernet.TextPlace: "place", partnernet.TextTitle: "title",
	}
	texts := make(map[partnernet.PublicTextField]string, len(fields))
	for f, v := range given {
		if v == nil {
			continue
		}
		if !slices.Contains(fields, f) {
			return nil, partnernet.InputError("input."+names[f], "a %s has no %s", owner, names[f])
		}
		limit := partnernet.MaxTitleLen
		if f == partnernet.TextDescription {
			limit = partnernet.MaxDescriptionLen
		}
		if texts[f], err = partnernet.Text("input."+names[f], *v, limit, false); err != nil {
			return nil, err
		}
	}
	if len(texts) == 0 {
		return nil, partnernet.InputError("input", "give at least one text")
	}
	if _, err := audited(ctx, r.Store,
		func(tx *store.Store) (int64, error) { return id, tx.PublicTextSet(ctx, owner, id, in.Language, texts) },
		func(int64) partnernet.AuditEvent {
			return authz.Event(ctx, partnernet.AuditSetTranslation, 0, in.ID+" in "+string(in.Language))
		}); err != nil {
		return nil, err
	}
	loaders.For(ctx).PublicTexts[owner].Clear(ctx, id)
	return r.node(ctx, mustType(in.ID), id)()
}

// removeTranslation removes a programme's, organisation's, desk's or course's texts in one
// language; audited.
func (r *Resolver) removeTranslation(ctx context.Context, in model.RemoveTranslationInput) (relay.Node, error) {
	owner, id, _, err := r.translationOwner(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if _, err := audited(ctx, r.Store,
		func(tx *store.Store) (int64, error) {
			err := tx.PublicTextRemove(ctx, owner, id, in.Language)
			if partnernet.ErrorCode(err) == partnernet.CodeNotFound {
				return id, partnernet.InputError("input.language", "there are no texts in %s", in.Language)
			}
			return id, err
		},
		func(int64) partnernet.AuditEvent {
			return authz.Event(ctx, partnernet.AuditRemoveTranslation, 0, in.ID+" in "+string(in.Language))
		}); err != nil {
		return nil, err
	}
	loaders.For(ctx).PublicTexts[owner].Clear(ctx, id)
	return r.node(ctx, mustType(in.ID), id)()
}

// mustType is the type name of a global ID already decoded once.
func mustType(gid string) string {
	typename, _, _ := relay.FromGlobalID(gid)
	return typename
}

// auditKind is what kind of sentence an audit entry reads as in a newcomer's access log.
func auditKind(e *partnernet.AuditEvent) string {
	self := slices.Contains(e.Roles, string(authz.RoleNewcomer))
	switch {
	case e.Decision == partnernet.AuditDenied:
		return "denied"
	case e.Action == partnernet.AuditExport:
		return "exported"
	case self && e.Action == partnernet.AuditRead:
		return "selfRead"
	case self:
		return "selfChanged"
	case e.Action == partnernet.AuditRead:
		return "read"
	case e.Action == partnernet.AuditRecordConsent || e.Action == partnernet.AuditRenewConsent:
		return "consentGiven"
	case e.Action == partnernet.AuditWithdrawConsent || e.Action == partnernet.AuditExpireConsent:
		return "consentEnded"
	case e.Action == partnernet.AuditErase:
		return "erased"
	}
	return "wrote"
}

// auditSummary is an audit entry as a sentence in the reader's language: the organisation by
// name, the data and purpose by their labels.
func (r *Resolver) auditSummary(ctx context.Context, rd partnernet.Reader, e *partnernet.AuditEvent) (*partnernet.LocalizedText, error) {
	kind := auditKind(e)
	// The sentence's language decides; its parts follow it.
	lang := rd.Sentence(kind).Language
	in := partnernet.ReaderIn(lang)
	org := in.Sentence("someone").Text
	if e.OrganisationID != nil {
		o, err := nullIfMissing(loaders.For(ctx).Organisation.Load(ctx, *e.OrganisationID)())
		if err != nil {
			return nil, err
		}
		if o != nil {
			name, err := publicText(partnernet.WithReader(ctx, in), partnernet.TextOfOrganisation, o.ID, partnernet.TextName,
				organisationOwn, o, o.Name)
			if err != nil {
				return nil, err
			}
			org = name
		}
	}
	data := make([]string, 0, len(e.Categories))
	for _, c := range e.Categories {
		data = append(data, in.Label("DataCategory", c).Text)
	}
	if len(data) == 0 {
		data = []string{in.Sentence("noData").Text}
	}
	s := rd.Sentence(kind, "org", org, "data", data)
	if e.Purpose != nil && kind != "exported" && kind != "erased" {
		s.Text += " " + in.Sentence("purpose", "purpose", in.Label("Purpose", *e.Purpose).Text).Text
	}
	return &s, nil
}

// consentReceipt is a consent record as its receipt in the reader's language.
func (r *Resolver) consentReceipt(ctx context.Context, rd partnernet.Reader, c *partnernet.ConsentRecord) (*model.ConsentReceipt, error) {
	lang := rd.Sentence("receipt").Language
	in := partnernet.ReaderIn(lang)
	rctx := partnernet.WithReader(ctx, in)
	name := func(id int64) (string, error) {
		o, err := loaders.For(ctx).Organisation.Load(ctx, id)()
		if err != nil {
			return "", err
		}
		return publicText(rctx, partnernet.TextOfOrganisation, o.ID, partnernet.TextName, organisationOwn, o, o.Name)
	}
	controller, err := name(c.ControllerID)
	if err != nil {
		return nil, err
	}
	recipients := make([]string, 0, len(c.RecipientIDs))
	for _, id := range c.RecipientIDs {
		n, err := name(id)
		if err != nil {
			return nil, err
		}
		recipients = append(recipients, n)
	}
	purposes := make([]string, len(c.Purposes))
	for i, p := range c.Purposes {
		purposes[i] = in.Label("Purpose", string(p)).Text
	}
	data := make([]string, len(c.DataCategories))
	for i, d := range c.DataCategories {
		data[i] = in.Label("DataCategory", string(d)).Text
	}
	state := c.StateAt(time.Now())
	summary := rd.Sentence("receipt", "controller", controller, "data", data, "recipients", recipients, "purposes", purposes)
	const day = "2006-01-02"
	from := c.ValidFrom.In(partnernet.Stockholm).Format(day)
	validity := in.Sentence("validFrom", "from", from)
	if c.ValidUntil != nil {
		validity = in.Sentence("validFromUntil", "from", from, "until", c.ValidUntil.In(partnernet.Stockholm).Format(day))
	}
	stateLabel := in.Label("ConsentState", string(state))
	summary.Text += " " + validity.Text + " " + in.Sentence("state", "state", stateLabel.Text).Text
	if state == partnernet.ConsentActive || state == partnernet.ConsentPending {
		summary.Text += " " + in.Sentence("withdraw").Text
	}
	strs := func(vs any) []string {
		switch v := vs.(type) {
		case []partnernet.Purpose:
			out := make([]string, len(v))
			for i, p := range v {
				out[i] = string(p)
			}
			return out
		case []partnernet.DataCategory:
			out := make([]string, len(v))
			for i, d := range v {
				out[i] = string(d)
			}
			return out
		}
		return nil
	}
	return &model.ConsentReceipt{
		Summary:        &summary,
		Purposes:       labels(rd, "Purpose", strs(c.Purposes)),
		DataCategories: labels(rd, "DataCategory", strs(c.DataCategories)),
		State:          &model.Label{Value: string(state), Text: &stateLabel},
	}, nil
}
