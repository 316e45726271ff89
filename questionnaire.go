package partnernet

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// QuestionnaireVersion is the version of the well-being questionnaire newcomers answer now: its
// questions, scales and texts. A response records the version it answered.
const QuestionnaireVersion = "2026.1"

// QuestionnaireLanguages are the languages the questionnaire is given in; every text of the
// version exists in each (migrations/00012).
var QuestionnaireLanguages = []string{"sv", "en", "ar"}

// QuestionnaireInstrument is a part of the questionnaire with its own scale and score.
type QuestionnaireInstrument string

// The instruments of the questionnaire.
const (
	// InstrumentSelfRatedHealth is self-rated general health, one question on a five-point scale
	// (the WHO / Eurostat minimum European health module's wording).
	InstrumentSelfRatedHealth QuestionnaireInstrument = "SELF_RATED_HEALTH"
	// InstrumentWho5 is the WHO-5 Well-Being Index: five statements about the last two weeks,
	// each 0 to 5; the score is their sum times 4 (0 to 100).
	InstrumentWho5 QuestionnaireInstrument = "WHO5"
	// InstrumentParticipation is the sense of participation and influence ("delaktighet och
	// inflytande"): three statements, agreement on a five-point scale; the score is their mean.
	InstrumentParticipation QuestionnaireInstrument = "PARTICIPATION"
)

// Values lists every QuestionnaireInstrument.
func (QuestionnaireInstrument) Values() []string {
	return []string{"SELF_RATED_HEALTH", "WHO5", "PARTICIPATION"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (i *QuestionnaireInstrument) UnmarshalGQL(v any) error { return unmarshalEnum(i, v) }

// MarshalGQL implements graphql.Marshaler.
func (i QuestionnaireInstrument) MarshalGQL(w io.Writer) { marshalEnum(i, w) }

// QuestionnaireItem is one question of the questionnaire.
type QuestionnaireItem string

// The questions.
const (
	ItemSelfRatedHealth        QuestionnaireItem = "SELF_RATED_HEALTH"
	ItemWho5Cheerful           QuestionnaireItem = "WHO5_CHEERFUL"
	ItemWho5Calm               QuestionnaireItem = "WHO5_CALM"
	ItemWho5Active             QuestionnaireItem = "WHO5_ACTIVE"
	ItemWho5Rested             QuestionnaireItem = "WHO5_RESTED"
	ItemWho5Interested         QuestionnaireItem = "WHO5_INTERESTED"
	ItemParticipationBelonging QuestionnaireItem = "PARTICIPATION_BELONGING"
	ItemParticipationInfluence QuestionnaireItem = "PARTICIPATION_INFLUENCE"
	ItemParticipationHeard     QuestionnaireItem = "PARTICIPATION_HEARD"
)

// Values lists every QuestionnaireItem, in the order the questionnaire asks them.
func (QuestionnaireItem) Values() []string {
	return []string{
		"SELF_RATED_HEALTH",
		"WHO5_CHEERFUL", "WHO5_CALM", "WHO5_ACTIVE", "WHO5_RESTED", "WHO5_INTERESTED",
		"PARTICIPATION_BELONGING", "PARTICIPATION_INFLUENCE", "PARTICIPATION_HEARD",
	}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (i *QuestionnaireItem) UnmarshalGQL(v any) error { return unmarshalEnum(i, v) }

// MarshalGQL implements graphql.Marshaler.
func (i QuestionnaireItem) MarshalGQL(w io.Writer) { marshalEnum(i, w) }

// Instrument is the structure of one part of the questionnaire: its questions in order and its
// scale, the values an answer takes, the best first as the form shows them.
type Instrument struct {
	Name  QuestionnaireInstrument
	Items []QuestionnaireItem
	// Scale lists the answer values from best to worst (as the form lists its options): 5 "very
	// good" to 1 "very bad"; 5 "all of the time" to 0 "at no time"; 5 "strongly agree" to 1
	// "strongly disagree". Higher is better on every scale.
	Scale []int
}

// Instruments are the parts of the questionnaire, in the order it asks them.
var Instruments = []Instrument{
	{Name: InstrumentSelfRatedHealth, Items: []QuestionnaireItem{ItemSelfRatedHealth}, Scale: []int{5, 4, 3, 2, 1}},
	{Name: InstrumentWho5, Items: []QuestionnaireItem{ItemWho5Cheerful, ItemWho5Calm, ItemWho5Active, ItemWho5Rested, ItemWho5Interested},
		Scale: []int{5, 4, 3, 2, 1, 0}},
	{Name: InstrumentParticipation, Items: []QuestionnaireItem{ItemParticipationBelonging, ItemParticipationInfluence, ItemParticipationHeard},
		Scale: []int{5, 4, 3, 2, 1}},
}

// InstrumentOf returns the instrument item belongs to.
func InstrumentOf(item QuestionnaireItem) (Instrument, bool) {
	for _, in := range Instruments {
		if slices.Contains(in.Items, item) {
			return in, true
		}
	}
	return Instrument{}, false
}

// QuestionnaireResponse is one answer to the questionnaire by a newcomer (category WELLBEING), or
// their decline of it. Answering is voluntary, question by question: Answers holds the questions
// answered. Whether it counts in statistics is the newcomer's consent's to say, never the
// response's.
type QuestionnaireResponse struct {
	ID         int64
	NewcomerID int64
	Version    string
	// Language is the language the newcomer answered in (an ISO 639 code).
	Language string
	// Declined says the newcomer declined the questionnaire: no answers, and none of their
	// responses counts in statistics until they answer again.
	Declined  bool
	Answers   []QuestionnaireAnswer
	CreatedAt time.Time
}

// QuestionnaireAnswer is the value a newcomer chose for one question.
type QuestionnaireAnswer struct {
	Item  QuestionnaireItem
	Value int
}

// answer returns the value given to item, if any.
func (r *QuestionnaireResponse) answer(item QuestionnaireItem) (int, bool) {
	for _, a := range r.Answers {
		if a.Item == item {
			return a.Value, true
		}
	}
	return 0, false
}

// Who5 returns the WHO-5 score, 0 to 100 (the five answers summed, times 4), or nil unless all
// five statements are answered (the index's own rule).
func (r *QuestionnaireResponse) Who5() *int {
	in, _ := instrument(InstrumentWho5)
	sum := 0
	for _, item := range in.Items {
		v, ok := r.answer(item)
		if !ok {
			return nil
		}
		sum += v
	}
	score := sum * 4
	return &score
}

// SelfRatedHealth returns the answer to the self-rated health question, 1 (very bad) to 5 (very
// good), or nil.
func (r *QuestionnaireResponse) SelfRatedHealth() *int {
	v, ok := r.answer(ItemSelfRatedHealth)
	if !ok {
		return nil
	}
	return &v
}

// Participation returns the mean of the participation and influence answers given, 1 to 5, or
// nil when none is.
func (r *QuestionnaireResponse) Participation() *float64 {
	in, _ := instrument(InstrumentParticipation)
	sum, n := 0, 0
	for _, item := range in.Items {
		if v, ok := r.answer(item); ok {
			sum, n = sum+v, n+1
		}
	}
	if n == 0 {
		return nil
	}
	mean := float64(sum) / float64(n)
	return &mean
}

// instrument returns the instrument called name.
func instrument(name QuestionnaireInstrument) (Instrument, bool) {
	i := slices.IndexFunc(Instruments, func(in Instrument) bool { return in.Name == name })
	if i < 0 {
		return Instrument{}, false
	}
	return Instruments[i], true
}

// Validate checks a response at path prefix ("input"): a language the questionnaire is given
// in; a decline answers nothing; otherwise at least one question, each once, each within its
// instrument's scale.
func (r *QuestionnaireResponse) Validate(prefix string) error {
	if !slices.Contains(QuestionnaireLanguages, r.Language) {
		return InputError(prefix+".language", "the questionnaire is given in %v", QuestionnaireLanguages)
	}
	if r.Declined {
		if len(r.Answers) > 0 {
			return InputError(prefix+".answers", "a decline answers nothing")
		}
		return nil
	}
	if len(r.Answers) == 0 || len(r.Answers) > len(QuestionnaireItem("").Values()) {
		return InputError(prefix+".answers", "answer 1 to %d questions, or decline the questionnaire", len(QuestionnaireItem("").Values()))
	}
	seen := map[QuestionnaireItem]bool{}
	for i, a := range r.Answers {
		field := fmt.Sprintf("%s.answers.%d", prefix, i)
		in, ok := InstrumentOf(a.Item)
		if !ok {
			return InputError(field+".item", "unknown question")
		}
		if seen[a.Item] {
			return InputError(field+".item", "a question is answered once")
		}
		seen[a.Item] = true
		if !slices.Contains(in.Scale, a.Value) {
			return InputError(field+".value", "an answer to %s is one of %v", a.Item, in.Scale)
		}
	}
	return nil
}

// QuestionnaireText is a text of the questionnaire in one language: a question's wording, an
// instrument's title, instructions, attribution or the label of a value of its scale. Key names
// it: the item (WHO5_CALM), or the instrument and what (WHO5.title, WHO5.instructions,
// WHO5.attribution, WHO5.option.3). Source says where the wording comes from.
type QuestionnaireText struct {
	Version, Key, Language, Text, Source string
}

// QuestionnaireTextKeys lists the keys of every text the questionnaire needs in each language.
func QuestionnaireTextKeys() []string {
	var keys []string
	for _, in := range Instruments {
		name := string(in.Name)
		keys = append(keys, name+".title", name+".instructions", name+".attribution")
		for _, v := range in.Scale {
			keys = append(keys, fmt.Sprintf("%s.option.%d", name, v))
		}
		for _, item := range in.Items {
			keys = append(keys, string(item))
		}
	}
	return keys
}
