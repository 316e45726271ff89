package hsds

import (
	"net/http"
	"slices"
	"strings"

	"github.com/partnerskap-skane/partnernet"
)

// Lang is a language the API gives its texts in, as an ISO 639-1 code.
type Lang string

// The languages of the API's texts.
const (
	Swedish Lang = "sv"
	English Lang = "en"
)

// Langs are the languages the API gives texts in, the default first. An activity's texts exist in
// Swedish and English (title, titleEn); when activities carry translations into more languages,
// each is added here and to the [Text] its mapping builds, and nothing else changes.
var Langs = []Lang{Swedish, English}

// Text is one text in each of the languages it is written in.
type Text map[Lang]string

// In returns the text in l, falling back to the default language (Swedish) where it is not
// written in l.
func (t Text) In(l Lang) string {
	if s := t[l]; s != "" {
		return s
	}
	return t[Langs[0]]
}

// bilingual is a text in Swedish and English.
func bilingual(sv, en string) Text { return Text{Swedish: sv, English: en} }

// negotiate returns the language of the texts of a response: the query parameter lang when given
// (one of [Langs], else BAD_USER_INPUT naming lang), else the first language the Accept-Language
// header asks for (read by partnernet.ParseAcceptLanguage, as the GraphQL API reads it) whose
// base language is one of [Langs], else Swedish.
func negotiate(r *http.Request) (Lang, error) {
	if vs, ok := r.URL.Query()["lang"]; ok {
		if len(vs) == 1 && slices.Contains(Langs, Lang(vs[0])) {
			return Lang(vs[0]), nil
		}
		return "", partnernet.InputError("lang", "give one language of %s", langList())
	}
	for _, t := range partnernet.ParseAcceptLanguage(r.Header.Get("Accept-Language")) {
		if l := Lang(t.Base()); slices.Contains(Langs, l) {
			return l, nil
		}
	}
	return Langs[0], nil
}

// langList names the languages of [Langs]: "sv, en".
func langList() string {
	names := make([]string, len(Langs))
	for i, l := range Langs {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

// languageNames names the languages activities are held in, by ISO 639 code; a code not here is
// named by itself.
var languageNames = map[string]Text{
	"sv": bilingual("svenska", "Swedish"), "en": bilingual("engelska", "English"),
	"ar": bilingual("arabiska", "Arabic"), "prs": bilingual("dari", "Dari"),
	"fa": bilingual("persiska", "Persian"), "ti": bilingual("tigrinja", "Tigrinya"),
	"so": bilingual("somaliska", "Somali"), "uk": bilingual("ukrainska", "Ukrainian"),
	"ku": bilingual("kurdiska", "Kurdish"), "ckb": bilingual("sorani", "Sorani"),
	"kmr": bilingual("kurmanji", "Kurmanji"), "ps": bilingual("pashto", "Pashto"),
	"am": bilingual("amhariska", "Amharic"), "ru": bilingual("ryska", "Russian"),
	"tr": bilingual("turkiska", "Turkish"), "bs": bilingual("bosniska", "Bosnian"),
	"sr": bilingual("serbiska", "Serbian"), "hr": bilingual("kroatiska", "Croatian"),
	"pl": bilingual("polska", "Polish"), "ro": bilingual("rumänska", "Romanian"),
	"fr": bilingual("franska", "French"), "de": bilingual("tyska", "German"),
	"es": bilingual("spanska", "Spanish"), "fi": bilingual("finska", "Finnish"),
	"th": bilingual("thailändska", "Thai"), "vi": bilingual("vietnamesiska", "Vietnamese"),
	"zh": bilingual("kinesiska", "Chinese"), "ur": bilingual("urdu", "Urdu"),
}

// languageName names the language with an ISO 639 code in l.
func languageName(code string, l Lang) string {
	if t, ok := languageNames[code]; ok {
		return t.In(l)
	}
	return code
}
