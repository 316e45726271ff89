package partnernet

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// LanguageTag is a BCP 47 language tag in the canonical form golang.org/x/text prints it: "sv",
// "ar", "fa-AF" (Dari; "prs" is read as it), "sv-SE". Parse one with [ParseLanguageTag].
type LanguageTag string

// The languages the network's public texts and labels are offered in (see [OfferedLanguages]).
const (
	Swedish   LanguageTag = "sv"
	English   LanguageTag = "en"
	Arabic    LanguageTag = "ar"
	Dari      LanguageTag = "fa-AF"
	Persian   LanguageTag = "fa"
	Somali    LanguageTag = "so"
	Tigrinya  LanguageTag = "ti"
	Ukrainian LanguageTag = "uk"
)

// OfferedLanguages are the languages the network offers its public texts and labels in, in the
// order of a language picker: Swedish and English first, then the languages most newcomers read.
// Every enum label exists in each of them (labels.go); texts written in other languages are
// served too, by the same fallback chain.
var OfferedLanguages = []LanguageTag{Swedish, English, Arabic, Dari, Persian, Somali, Tigrinya, Ukrainian}

// MaxLanguageTagLen bounds a language tag, in bytes (RFC 5646 tags in use are far shorter).
const MaxLanguageTagLen = 35

// MaxAcceptLanguageLen bounds the part of an Accept-Language header read, in bytes;
// MaxAcceptLanguages the languages taken from it.
const (
	MaxAcceptLanguageLen = 500
	MaxAcceptLanguages   = 10
)

// ParseLanguageTag reads a BCP 47 tag and returns its canonical form: "prs" (Dari) becomes
// "fa-AF", case is normalised ("FA-af" is "fa-AF"). Malformed, unknown, private-use and
// undetermined tags are BAD_USER_INPUT naming field.
func ParseLanguageTag(field, s string) (LanguageTag, error) {
	t, err := parseTag(s)
	if err != nil {
		return "", InputError(field, "%s", err.Error())
	}
	return t, nil
}

// parseTag is [ParseLanguageTag] without the field: the reason a tag is refused.
func parseTag(s string) (LanguageTag, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > MaxLanguageTagLen {
		return "", fmt.Errorf("give a BCP 47 language tag of 2 to %d characters, such as ar, fa-AF or sv", MaxLanguageTagLen)
	}
	tag, err := language.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%s is not a BCP 47 language tag; give one such as ar, fa-AF or sv", strconv.Quote(s))
	}
	base, conf := tag.Base()
	if conf == language.No || base.String() == "und" || tag.String() == "und" || strings.HasPrefix(tag.String(), "und-") {
		return "", fmt.Errorf("%s names no language; give one such as ar, fa-AF or sv", strconv.Quote(s))
	}
	if base.String() == "prs" {
		// Dari is Persian as written in Afghanistan: one tag for both spellings.
		return Dari, nil
	}
	return LanguageTag(tag.String()), nil
}

// UnmarshalGQL reads a LanguageTag input, refusing what [ParseLanguageTag] refuses.
func (t *LanguageTag) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return Errorf(CodeBadUserInput, "expected a language tag as a string, such as ar or fa-AF")
	}
	tag, err := parseTag(s)
	if err != nil {
		return Errorf(CodeBadUserInput, "%s", err.Error())
	}
	*t = tag
	return nil
}

// MarshalGQL writes a LanguageTag as a string.
func (t LanguageTag) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(t))) }

// tag returns t as x/text reads it.
func (t LanguageTag) tag() language.Tag { return language.Make(string(t)) }

// Base returns t's language without region or script: "sv" for "sv-SE", "fa" for "fa-AF".
func (t LanguageTag) Base() LanguageTag {
	b, _ := t.tag().Base()
	return LanguageTag(b.String())
}

// readingLanguage is what a reader of t reads: its base language, except that Dari (fa-AF) is a
// language of its own beside Persian (fa).
func (t LanguageTag) readingLanguage() LanguageTag {
	if b := t.Base(); b == Persian {
		if r, conf := t.tag().Region(); conf != language.No && r.String() == "AF" {
			return Dari
		}
		return Persian
	}
	return t.Base()
}

// SameLanguage reports whether a reader of t reads u as their own language: the same base
// language, Dari and Persian counted apart ("sv-SE" and "sv" are; "fa-AF" and "fa" are not).
func (t LanguageTag) SameLanguage(u LanguageTag) bool {
	return t.readingLanguage() == u.readingLanguage()
}

// rtlScripts are the scripts written right to left (ISO 15924): Arabic, Hebrew, Thaana, Syriac,
// N'Ko, Adlam, Hanifi Rohingya, Mandaic, Samaritan.
var rtlScripts = []string{"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"}

// Direction returns the direction t is written in: RTL when its script (given, or the likely
// script of its language per CLDR) is one of the right-to-left scripts — Arabic, Persian and
// Dari, Pashto, Sorani, Urdu, Hebrew, Yiddish, Dhivehi… — else LTR. Kurmanji (kmr, Latin script)
// is LTR; Sorani (ckb, Arabic script) RTL.
func (t LanguageTag) Direction() TextDirection {
	script, _ := t.tag().Script()
	if slices.Contains(rtlScripts, script.String()) {
		return DirectionRTL
	}
	return DirectionLTR
}

// endonyms name the offered languages in themselves, where CLDR's name is not the one readers
// use (Dari is دری in CLDR too; kept here so the picker does not depend on it).
var endonyms = map[LanguageTag]string{
	Swedish: "svenska", English: "English", Arabic: "العربية", Dari: "دری", Persian: "فارسی",
	Somali: "Soomaali", Tigrinya: "ትግርኛ", Ukrainian: "українська", "ckb": "کوردی (سۆرانی)",
	"kmr": "Kurmancî", "ps": "پښتو",
}

// Name returns t's name in its own language (its endonym): "العربية" for ar; the tag itself when
// CLDR does not name it.
func (t LanguageTag) Name() string {
	if n, ok := endonyms[t]; ok {
		return n
	}
	if n := display.Self.Name(t.tag()); n != "" {
		return n
	}
	return string(t)
}

// TextDirection is the direction a text is written in.
type TextDirection string

// The directions of texts.
const (
	DirectionLTR TextDirection = "LTR"
	DirectionRTL TextDirection = "RTL"
)

// Values lists every TextDirection.
func (TextDirection) Values() []string { return []string{string(DirectionLTR), string(DirectionRTL)} }

// UnmarshalGQL reads a TextDirection.
func (d *TextDirection) UnmarshalGQL(v any) error { return unmarshalEnum(d, v) }

// MarshalGQL writes a TextDirection.
func (d TextDirection) MarshalGQL(w io.Writer) { marshalEnum(d, w) }

// LocalizedText is a text in the language it was chosen in for a reader, with its direction, and
// whether it is a fallback: not in the reader's language.
type LocalizedText struct {
	Text      string
	Language  LanguageTag
	Direction TextDirection
	Fallback  bool
}

// TextLanguage is a language a text is offered in, named in itself.
type TextLanguage struct {
	Tag       LanguageTag
	Name      string
	Direction TextDirection
}

// TextLanguageOf describes t for a language picker.
func TextLanguageOf(t LanguageTag) TextLanguage {
	return TextLanguage{Tag: t, Name: t.Name(), Direction: t.Direction()}
}

// Reader is the language preference of whoever reads a response: the languages asked for, most
// wanted first (an argument, else the Accept-Language header), and Swedish when none was.
type Reader []LanguageTag

// Wants returns the language the reader asked for first: Swedish when they asked for none.
func (r Reader) Wants() LanguageTag {
	if len(r) == 0 {
		return Swedish
	}
	return r[0]
}

// Chain returns the languages to try, in order, for a text the reader reads — the fallback
// chain: each language asked for (as asked, then its base language), then Swedish, then
// English. [Pick] also takes, after each language asked for and its base, any other form of the
// same base (fa-IR for fa), and, when a text is in none of them, the first language it has in
// tag order.
//
// Dari readers read Persian script and, in practice, standard Persian: a Dari reader (fa-AF) is
// given a Persian text (fa) before a Swedish one, and is told it is a fallback.
func (r Reader) Chain() []LanguageTag {
	chain := make([]LanguageTag, 0, 2*len(r)+2)
	add := func(t LanguageTag) {
		if !slices.Contains(chain, t) {
			chain = append(chain, t)
		}
	}
	for _, t := range r {
		add(t)
		add(t.Base())
	}
	add(Swedish)
	add(English)
	return chain
}

// Pick chooses which of the languages a text is written in the reader gets, following
// [Reader.Chain], and whether that is a fallback (not the reader's own language). It returns
// false when the text is written in no language.
func (r Reader) Pick(have []LanguageTag) (LanguageTag, bool, bool) {
	if len(have) == 0 {
		return "", false, false
	}
	want := r.Wants()
	found := func(t LanguageTag) (LanguageTag, bool, bool) { return t, !want.SameLanguage(t), true }
	sorted := sortedTags(have)
	for _, w := range r {
		if slices.Contains(have, w) {
			return found(w)
		}
		if b := w.Base(); slices.Contains(have, b) {
			return found(b)
		}
		for _, h := range sorted {
			if h.Base() == w.Base() {
				return found(h)
			}
		}
	}
	for _, t := range []LanguageTag{Swedish, English} {
		if slices.Contains(have, t) {
			return found(t)
		}
	}
	return found(sorted[0])
}

// sortedTags returns a sorted copy of tags.
func sortedTags(tags []LanguageTag) []LanguageTag {
	s := slices.Clone(tags)
	slices.Sort(s)
	return s
}

// Localize picks the text a reader gets from the texts by language (empty texts are absent),
// with its language, direction and whether it is a fallback; nil when there is none.
func (r Reader) Localize(texts map[LanguageTag]string) *LocalizedText {
	have := make([]LanguageTag, 0, len(texts))
	for t, s := range texts {
		if s != "" {
			have = append(have, t)
		}
	}
	t, fallback, ok := r.Pick(have)
	if !ok {
		return nil
	}
	return &LocalizedText{Text: texts[t], Language: t, Direction: t.Direction(), Fallback: fallback}
}

// ParseAcceptLanguage reads the languages an Accept-Language header asks for, most wanted first
// (q-values honoured, ties in header order), ignoring malformed entries, q=0 and "*": at most
// [MaxAcceptLanguages] of the first [MaxAcceptLanguageLen] bytes.
func ParseAcceptLanguage(header string) Reader {
	if len(header) > MaxAcceptLanguageLen {
		header = header[:MaxAcceptLanguageLen]
	}
	type weighted struct {
		tag LanguageTag
		q   float64
	}
	var ws []weighted
	for i, part := range strings.Split(header, ",") {
		if i >= 2*MaxAcceptLanguages {
			break
		}
		tagText, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			parsed, err := strconv.ParseFloat(v, 64)
			if err != nil || parsed < 0 || parsed > 1 {
				continue
			}
			q = parsed
		}
		if q == 0 || strings.TrimSpace(tagText) == "*" {
			continue
		}
		t, err := parseTag(tagText)
		if err != nil || slices.ContainsFunc(ws, func(w weighted) bool { return w.tag == t }) {
			continue
		}
		ws = append(ws, weighted{t, q})
	}
	slices.SortStableFunc(ws, func(a, b weighted) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	out := make(Reader, 0, min(len(ws), MaxAcceptLanguages))
	for _, w := range ws[:min(len(ws), MaxAcceptLanguages)] {
		out = append(out, w.tag)
	}
	return out
}

// readerKey is the context key of the request's [Reader].
type readerKey struct{}

// WithReader returns ctx carrying the reader's language preference (from Accept-Language).
func WithReader(ctx context.Context, r Reader) context.Context {
	return context.WithValue(ctx, readerKey{}, r)
}

// ReaderFrom returns the reader's language preference ctx carries; empty (Swedish) when none.
func ReaderFrom(ctx context.Context) Reader {
	r, _ := ctx.Value(readerKey{}).(Reader)
	return r
}

// ReaderFor returns the reader of a field: the field's language argument when given, else the
// request's preference from ctx.
func ReaderFor(ctx context.Context, lang *LanguageTag) Reader {
	if lang != nil {
		return Reader{*lang}
	}
	return ReaderFrom(ctx)
}

// ActivityTranslation is an activity's public texts in one language. The Swedish texts are the
// activity's own fields (Title, Description and the notes); the English ones its TitleEn and
// DescriptionEn with notes of their own; every other language is a translation of its own.
type ActivityTranslation struct {
	ActivityID             int64
	Language               LanguageTag
	Title                  string
	Description            string
	Accessibility          string
	CostNote               string
	ApplicationProcess     string
	InterpretationServices string
	UpdatedAt              time.Time
}

// MaxTranslations bounds the languages one activity (or programme, organisation, desk, course)
// is translated into.
const MaxTranslations = 40

// Validate checks a translation's texts against the limits of the activity's own fields,
// trimming them: BAD_USER_INPUT at the field's path under prefix ("input.title").
func (t *ActivityTranslation) Validate(prefix string) error {
	field := func(name string) string { return prefix + "." + name }
	var err error
	for _, f := range []struct {
		name     string
		text     *string
		max      int
		required bool
	}{
		{"title", &t.Title, MaxTitleLen, true},
		{"description", &t.Description, MaxDescriptionLen, false},
		{"accessibility", &t.Accessibility, MaxAccessibilityLen, false},
		{"costNote", &t.CostNote, MaxCostNoteLen, false},
		{"applicationProcess", &t.ApplicationProcess, MaxApplicationProcessLen, false},
		{"interpretationServices", &t.InterpretationServices, MaxInterpretationLen, false},
	} {
		if *f.text, err = Text(field(f.name), *f.text, f.max, f.required); err != nil {
			return err
		}
	}
	return nil
}

// PublicTextOwner is the kind of thing a [PublicText] belongs to.
type PublicTextOwner string

// The owners of public texts beyond activities.
const (
	TextOfProgramme    PublicTextOwner = "PROGRAMME"
	TextOfOrganisation PublicTextOwner = "ORGANISATION"
	TextOfAdviceDesk   PublicTextOwner = "ADVICE_DESK"
	TextOfCourse       PublicTextOwner = "COURSE"
)

// PublicTextOwners are the kinds of things with public texts beyond activities.
var PublicTextOwners = []PublicTextOwner{TextOfProgramme, TextOfOrganisation, TextOfAdviceDesk, TextOfCourse}

// PublicTextField is which text of its owner a [PublicText] is.
type PublicTextField string

// The fields of public texts.
const (
	TextName        PublicTextField = "NAME"
	TextDescription PublicTextField = "DESCRIPTION"
	TextPlace       PublicTextField = "PLACE"
	TextTitle       PublicTextField = "TITLE"
)

// PublicTextFields are the fields of public texts beyond activities.
var PublicTextFields = []PublicTextField{TextName, TextDescription, TextPlace, TextTitle}

// PublicText is one public text of a programme, organisation, desk or course in one language.
type PublicText struct {
	Owner    PublicTextOwner
	OwnerID  int64
	Language LanguageTag
	Field    PublicTextField
	Text     string
}
