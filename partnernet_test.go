package partnernet_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
)

func TestConsentStateAt(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	until := from.AddDate(1, 0, 0)
	tests := []struct {
		name  string
		last  partnernet.ConsentEventKind
		until *time.Time
		at    time.Time
		want  partnernet.ConsentState
	}{
		{"given, in force", partnernet.ConsentGiven, &until, from.AddDate(0, 6, 0), partnernet.ConsentActive},
		{"given, not yet valid", partnernet.ConsentGiven, &until, from.AddDate(0, 0, -1), partnernet.ConsentPending},
		{"given, past its end", partnernet.ConsentGiven, &until, until, partnernet.ConsentStateExpired},
		{"given, open-ended", partnernet.ConsentGiven, nil, from.AddDate(10, 0, 0), partnernet.ConsentActive},
		{"renewed", partnernet.ConsentRenewed, nil, from.AddDate(0, 1, 0), partnernet.ConsentActive},
		{"withdrawn wins over validity", partnernet.ConsentWithdrawn, &until, from.AddDate(0, 1, 0), partnernet.ConsentStateWithdrawn},
		{"expired event", partnernet.ConsentExpired, nil, from.AddDate(0, 1, 0), partnernet.ConsentStateExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := partnernet.ConsentRecord{ValidFrom: from, ValidUntil: tt.until, LastEvent: tt.last}
			require.Equal(t, tt.want, c.StateAt(tt.at))
		})
	}
}

func TestEnumUnmarshalRefusesUnknownValues(t *testing.T) {
	t.Parallel()
	var k partnernet.OrganisationKind
	require.NoError(t, k.UnmarshalGQL("UNIVERSITY"))
	require.Equal(t, partnernet.KindUniversity, k)
	require.Error(t, k.UnmarshalGQL("university"))
	require.Error(t, k.UnmarshalGQL(3))
	var buf bytes.Buffer
	k.MarshalGQL(&buf)
	require.Equal(t, `"UNIVERSITY"`, buf.String())
}

func TestErrorMatchesSentinelOfItsCode(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("load: %w", partnernet.Errorf(partnernet.CodeNotFound, "no organisation %q", "x"))
	require.ErrorIs(t, err, partnernet.ErrNotFound)
	require.NotErrorIs(t, err, partnernet.ErrForbidden)
	require.Equal(t, partnernet.CodeNotFound, partnernet.ErrorCode(err))
	require.Equal(t, partnernet.CodeInternal, partnernet.ErrorCode(errors.New("boom")))
	in := partnernet.InputError("filter.search", "too long")
	require.ErrorIs(t, in, partnernet.ErrBadUserInput)
	require.Equal(t, "filter.search", in.Field)
}
