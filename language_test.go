package partnernet_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	gqlast "github.com/vektah/gqlparser/v2/ast"
	gqlparser "github.com/vektah/gqlparser/v2/parser"

	"github.com/partnerskap-skane/partnernet"
)

func TestParseLanguageTag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		dir      partnernet.TextDirection
	}{
		{"sv", "sv", partnernet.DirectionLTR},
		{"SV-se", "sv-SE", partnernet.DirectionLTR},
		{"ar", "ar", partnernet.DirectionRTL},
		{"prs", "fa-AF", partnernet.DirectionRTL},
		{"fa-af", "fa-AF", partnernet.DirectionRTL},
		{"fa", "fa", partnernet.DirectionRTL},
		{"ps", "ps", partnernet.DirectionRTL},
		{"ckb", "ckb", partnernet.DirectionRTL},
		{"ur", "ur", partnernet.DirectionRTL},
		{"he", "he", partnernet.DirectionRTL},
		{"yi", "yi", partnernet.DirectionRTL},
		{"kmr", "kmr", partnernet.DirectionLTR},
		{"ti", "ti", partnernet.DirectionLTR},
		{"so", "so", partnernet.DirectionLTR},
		{"uk", "uk", partnernet.DirectionLTR},
		{"en", "en", partnernet.DirectionLTR},
		{"ku-Arab", "ku-Arab", partnernet.DirectionRTL},
	}
	for _, tt := range tests {
		got, err := partnernet.ParseLanguageTag("language", tt.in)
		require.NoError(t, err, tt.in)
		require.Equal(t, partnernet.LanguageTag(tt.want), got, tt.in)
		require.Equal(t, tt.dir, got.Direction(), tt.in)
	}
	for _, bad := range []string{"", " ", "und", "x-klingon", "12", "not a tag", "zz-ZZ-1", strings.Repeat("a", 36), "e"} {
		_, err := partnernet.ParseLanguageTag("input.language", bad)
		require.Error(t, err, "%q", bad)
		require.Equal(t, partnernet.CodeBadUserInput, partnernet.ErrorCode(err), "%q", bad)
	}
}

func TestFallbackChain(t *testing.T) {
	t.Parallel()
	have := func(tags ...partnernet.LanguageTag) []partnernet.LanguageTag { return tags }
	tests := []struct {
		name     string
		reader   partnernet.Reader
		have     []partnernet.LanguageTag
		want     partnernet.LanguageTag
		fallback bool
	}{
		{"no language: Swedish", nil, have("en", "sv", "ar"), "sv", false},
		{"the language asked for", partnernet.Reader{"ar"}, have("sv", "ar"), "ar", false},
		{"Tigrinya without Tigrinya: Swedish", partnernet.Reader{"ti"}, have("sv", "en", "ar"), "sv", true},
		{"Tigrinya without Swedish: English", partnernet.Reader{"ti"}, have("en", "ar"), "en", true},
		{"neither: the first by tag", partnernet.Reader{"ti"}, have("uk", "ar"), "ar", true},
		{"a region: its base, not a fallback", partnernet.Reader{"ar-SA"}, have("sv", "ar"), "ar", false},
		{"Dari without Dari: Persian, a fallback", partnernet.Reader{"fa-AF"}, have("sv", "fa"), "fa", true},
		{"Dari with Dari", partnernet.Reader{"fa-AF"}, have("fa", "fa-AF", "sv"), "fa-AF", false},
		{"Persian without Persian: Dari, a fallback", partnernet.Reader{"fa"}, have("sv", "fa-AF"), "fa-AF", true},
		{"the second language asked for", partnernet.Reader{"ti", "ar"}, have("sv", "ar"), "ar", true},
		{"another form of the base", partnernet.Reader{"sv"}, have("en", "sv-FI"), "sv-FI", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, fallback, ok := tt.reader.Pick(tt.have)
			require.True(t, ok)
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.fallback, fallback)
		})
	}
	_, _, ok := partnernet.Reader{"sv"}.Pick(nil)
	require.False(t, ok, "no text in any language")
}

func TestParseAcceptLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header string
		want   partnernet.Reader
	}{
		{"", partnernet.Reader{}},
		{"ar", partnernet.Reader{"ar"}},
		{"sv;q=0.5, ar, en;q=0.8", partnernet.Reader{"ar", "en", "sv"}},
		{"prs, fa;q=0.9", partnernet.Reader{"fa-AF", "fa"}},
		{"*, ti;q=0, so;q=0.1", partnernet.Reader{"so"}},
		{"ti;q=abc, uk;q=2, xx-?, ar", partnernet.Reader{"ar"}},
		{"ar, ar;q=0.5, AR", partnernet.Reader{"ar"}},
		{strings.Repeat("sv,", 400) + "ar", partnernet.Reader{"sv"}},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, partnernet.ParseAcceptLanguage(tt.header), tt.header)
	}
	many := strings.Repeat("en-US,", 5) + "ar,fa,ti,so,uk,sv,en,de,fr,es,it,pl"
	require.Len(t, partnernet.ParseAcceptLanguage(many), partnernet.MaxAcceptLanguages)
}

// TestVocabularyIsComplete fails when an enum value newcomers read has no label in one of the
// offered languages — as when someone adds a value to an enum without its labels — and when the
// schema's Vocabulary lists an enum the labels do not cover, or the other way round.
func TestVocabularyIsComplete(t *testing.T) {
	t.Parallel()
	for _, e := range partnernet.LabelEnums {
		labels := partnernet.Labels[e.Name]
		require.NotNil(t, labels, "labels of %s", e.Name)
		require.ElementsMatch(t, e.Enum.Values(), keys(labels), "every value of %s has labels, and only its values", e.Name)
		for _, v := range e.Enum.Values() {
			for _, l := range partnernet.OfferedLanguages {
				text := labels[v][l]
				require.NotEmpty(t, strings.TrimSpace(text), "%s.%s has no label in %s", e.Name, v, l)
				require.True(t, utf8.ValidString(text))
				if l.Direction() == partnernet.DirectionRTL {
					require.NotEqual(t, labels[v][partnernet.English], text, "%s.%s in %s is not English", e.Name, v, l)
				}
			}
		}
	}
	// The schema's Vocabulary has one field per labelled enum.
	b, err := os.ReadFile(filepath.Join("schema", "language.graphqls"))
	require.NoError(t, err)
	doc, err := gqlparser.ParseSchemas(&gqlast.Source{Name: "language.graphqls", Input: string(b)})
	require.NoError(t, err)
	var fields []string
	for _, def := range doc.Definitions {
		if def.Name == "Vocabulary" {
			for _, f := range def.Fields {
				if f.Name != "language" {
					fields = append(fields, f.Name)
				}
			}
		}
	}
	var want []string
	for _, e := range partnernet.LabelEnums {
		want = append(want, e.Field)
	}
	require.ElementsMatch(t, want, fields)
}

func TestSentencesInEveryLanguage(t *testing.T) {
	t.Parallel()
	for _, l := range partnernet.OfferedLanguages {
		r := partnernet.ReaderIn(l)
		s := r.Sentence("read", "org", "Malmö stad", "data", []string{"A", "B"})
		require.Equal(t, l, s.Language)
		require.False(t, s.Fallback)
		require.Contains(t, s.Text, "Malmö stad")
		require.NotContains(t, s.Text, "{")
		require.Equal(t, l.Direction(), s.Direction)
	}
	require.Equal(t, "Malmö stad read your data: Contact details, Languages.",
		partnernet.ReaderIn("en").Sentence("read", "org", "Malmö stad", "data", []string{
			partnernet.ReaderIn("en").Label("DataCategory", "CONTACT").Text, partnernet.ReaderIn("en").Label("DataCategory", "LANGUAGES").Text,
		}).Text)
	require.Equal(t, "اطّلعت الجهة «مالمو» على بياناتك: أ، ب.",
		partnernet.ReaderIn("ar").Sentence("read", "org", "مالمو", "data", []string{"أ", "ب"}).Text)
}

func TestReaderInContext(t *testing.T) {
	t.Parallel()
	ctx := partnernet.WithReader(context.Background(), partnernet.Reader{"ar"})
	require.Equal(t, partnernet.Reader{"ar"}, partnernet.ReaderFrom(ctx))
	ti := partnernet.LanguageTag("ti")
	require.Equal(t, partnernet.Reader{"ti"}, partnernet.ReaderFor(ctx, &ti), "an argument wins over the header")
	require.Equal(t, partnernet.Swedish, partnernet.ReaderFrom(context.Background()).Wants())
}

// keys are a map's keys.
func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
