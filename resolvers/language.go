package resolvers

import (
	"context"
	"slices"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
)

// readsSwedish reports whether the reader asked for no language or for Swedish (sv) first: then
// an activity's own columns are its texts, and nothing more is loaded.
func readsSwedish(r partnernet.Reader) bool { return r.Wants() == partnernet.Swedish }

// activityTexts returns an activity's texts by language, loaded in a batch per request.
func activityTexts(ctx context.Context, a *partnernet.Activity) (map[partnernet.LanguageTag]partnernet.ActivityTranslation, error) {
	rows, err := loaders.For(ctx).ActivityTexts.Load(ctx, a.ID)()
	if err != nil {
		return nil, err
	}
	out := make(map[partnernet.LanguageTag]partnernet.ActivityTranslation, len(rows)+1)
	for _, t := range rows {
		out[t.Language] = t
	}
	if _, ok := out[partnernet.Swedish]; !ok {
		// The activity's own columns are its Swedish texts (kept in activity_text by a trigger;
		// here too for a row read before the trigger ran, within the same transaction).
		out[partnernet.Swedish] = partnernet.ActivityTranslation{ActivityID: a.ID, Language: partnernet.Swedish,
			Title: a.Title, Description: a.Description, Accessibility: a.Accessibility, CostNote: a.CostNote,
			ApplicationProcess: a.ApplicationProcess, InterpretationServices: a.InterpretationServices}
	}
	return out, nil
}

// activityField picks one field of an activity's texts for the reader.
func activityField(r partnernet.Reader, texts map[partnernet.LanguageTag]partnernet.ActivityTranslation,
	field func(partnernet.ActivityTranslation) string,
) *partnernet.LocalizedText {
	by := make(map[partnernet.LanguageTag]string, len(texts))
	for l, t := range texts {
		by[l] = field(t)
	}
	return r.Localize(by)
}

// activityText is an activity's texts in the reader's language, each along the fallback chain.
func activityText(ctx context.Context, r partnernet.Reader, a *partnernet.Activity) (*model.ActivityText, error) {
	texts, err := activityTexts(ctx, a)
	if err != nil {
		return nil, err
	}
	title := activityField(r, texts, func(t partnernet.ActivityTranslation) string { return t.Title })
	if title == nil {
		title = &partnernet.LocalizedText{Text: a.Title, Language: partnernet.Swedish, Direction: partnernet.DirectionLTR}
	}
	return &model.ActivityText{
		Title:                  title,
		Description:            activityField(r, texts, func(t partnernet.ActivityTranslation) string { return t.Description }),
		AccessibilityNote:      activityField(r, texts, func(t partnernet.ActivityTranslation) string { return t.Accessibility }),
		CostNote:               activityField(r, texts, func(t partnernet.ActivityTranslation) string { return t.CostNote }),
		ApplicationProcess:     activityField(r, texts, func(t partnernet.ActivityTranslation) string { return t.ApplicationProcess }),
		InterpretationServices: activityField(r, texts, func(t partnernet.ActivityTranslation) string { return t.InterpretationServices }),
	}, nil
}

// textLanguages lists languages for a picker: Swedish first, then English, then by tag.
func textLanguages(tags []partnernet.LanguageTag) []*partnernet.TextLanguage {
	slices.SortFunc(tags, func(a, b partnernet.LanguageTag) int {
		rank := func(t partnernet.LanguageTag) int {
			switch t {
			case partnernet.Swedish:
				return 0
			case partnernet.English:
				return 1
			}
			return 2
		}
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		if a < b {
			return -1
		}
		if a > b {
			return 1
		}
		return 0
	})
	tags = slices.Compact(tags)
	out := make([]*partnernet.TextLanguage, len(tags))
	for i, t := range tags {
		l := partnernet.TextLanguageOf(t)
		out[i] = &l
	}
	return out
}

// publicTexts returns the texts of a programme, organisation, desk or course by field and
// language: its own columns (given in own, by field and language) overlaid by its translations.
func publicTexts(ctx context.Context, owner partnernet.PublicTextOwner, id int64,
	own map[partnernet.PublicTextField]map[partnernet.LanguageTag]string,
) (map[partnernet.PublicTextField]map[partnernet.LanguageTag]string, error) {
	rows, err := loaders.For(ctx).PublicTexts[owner].Load(ctx, id)()
	if err != nil {
		return nil, err
	}
	out := make(map[partnernet.PublicTextField]map[partnernet.LanguageTag]string, len(own))
	for f, by := range own {
		out[f] = make(map[partnernet.LanguageTag]string, len(by))
		for l, s := range by {
			out[f][l] = s
		}
	}
	for _, t := range rows {
		if out[t.Field] == nil {
			out[t.Field] = map[partnernet.LanguageTag]string{}
		}
		out[t.Field][t.Language] = t.Text
	}
	return out, nil
}

// publicText picks one field of a thing's texts for the reader. swedish is the thing's own text
// of the field in Swedish ("" when it has none: a programme's own texts are English), the
// answer when it has no text in any language; own(thing) returns all its own texts, called
// only when the reader reads another language or swedish is empty (a Swedish reader's list of
// organisations builds no map per row).
func publicText[T any](ctx context.Context, owner partnernet.PublicTextOwner, id int64, field partnernet.PublicTextField,
	own func(*T) map[partnernet.PublicTextField]map[partnernet.LanguageTag]string, thing *T, swedish string,
) (string, error) {
	r := partnernet.ReaderFrom(ctx)
	if readsSwedish(r) && swedish != "" {
		return swedish, nil
	}
	texts, err := publicTexts(ctx, owner, id, own(thing))
	if err != nil {
		return "", err
	}
	if t := r.Localize(texts[field]); t != nil {
		return t.Text, nil
	}
	return swedish, nil
}

// publicTextsFor is the PublicTexts of a thing for the reader.
func publicTextsFor(ctx context.Context, r partnernet.Reader, owner partnernet.PublicTextOwner, id int64,
	own map[partnernet.PublicTextField]map[partnernet.LanguageTag]string,
) (*model.PublicTexts, error) {
	texts, err := publicTexts(ctx, owner, id, own)
	if err != nil {
		return nil, err
	}
	return &model.PublicTexts{
		Name: r.Localize(texts[partnernet.TextName]), Description: r.Localize(texts[partnernet.TextDescription]),
		Place: r.Localize(texts[partnernet.TextPlace]), Title: r.Localize(texts[partnernet.TextTitle]),
	}, nil
}

// publicTranslations lists the languages a thing's texts are written in.
func publicTranslations(ctx context.Context, owner partnernet.PublicTextOwner, id int64,
	own map[partnernet.PublicTextField]map[partnernet.LanguageTag]string,
) ([]*partnernet.TextLanguage, error) {
	texts, err := publicTexts(ctx, owner, id, own)
	if err != nil {
		return nil, err
	}
	var tags []partnernet.LanguageTag
	for _, by := range texts {
		for l, s := range by {
			if s != "" {
				tags = append(tags, l)
			}
		}
	}
	return textLanguages(tags), nil
}

// The own texts of programmes, organisations, desks and courses, by field and language: a
// programme's name is in English (name) and Swedish (name_sv), its description in English; an
// organisation's, desk's and course's texts are written in Swedish.
func programmeOwn(p *partnernet.Programme) map[partnernet.PublicTextField]map[partnernet.LanguageTag]string {
	return map[partnernet.PublicTextField]map[partnernet.LanguageTag]string{
		partnernet.TextName:        {partnernet.English: p.Name, partnernet.Swedish: p.NameSv},
		partnernet.TextDescription: {partnernet.English: p.Description},
	}
}

func organisationOwn(o *partnernet.Organisation) map[partnernet.PublicTextField]map[partnernet.LanguageTag]string {
	return map[partnernet.PublicTextField]map[partnernet.LanguageTag]string{
		partnernet.TextName:        {partnernet.Swedish: o.Name},
		partnernet.TextDescription: {partnernet.Swedish: o.Description},
	}
}

func deskOwn(d *partnernet.AdviceDesk) map[partnernet.PublicTextField]map[partnernet.LanguageTag]string {
	return map[partnernet.PublicTextField]map[partnernet.LanguageTag]string{
		partnernet.TextName:  {partnernet.Swedish: d.Name},
		partnernet.TextPlace: {partnernet.Swedish: d.Place},
	}
}

func courseOwn(c *partnernet.Course) map[partnernet.PublicTextField]map[partnernet.LanguageTag]string {
	return map[partnernet.PublicTextField]map[partnernet.LanguageTag]string{
		partnernet.TextTitle: {partnernet.Swedish: c.Title},
	}
}

// labels are the labels of an enum's values for the reader, in the order of its Values.
func labels(r partnernet.Reader, enum string, values []string) []*model.Label {
	out := make([]*model.Label, len(values))
	for i, v := range values {
		t := r.Label(enum, v)
		out[i] = &model.Label{Value: v, Text: &t}
	}
	return out
}
