package scalars_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/scalars"
)

func TestUnmarshalTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      any
		want    time.Time
		wantErr bool
	}{
		{in: "2026-12-01T18:00:00+01:00", want: time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)},
		{in: "2026-12-01T17:00:00.5Z", want: time.Date(2026, 12, 1, 17, 0, 0, 5e8, time.UTC)},
		{in: "0001-01-01T00:00:00Z", want: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{in: "10000-01-01T00:00:00Z", wantErr: true},
		{in: "2027-13-45T00:00:00Z", wantErr: true},
		{in: "2027-02-29T00:00:00Z", wantErr: true},
		{in: "2026-12-01", wantErr: true},
		{in: "2026", wantErr: true},
		{in: "yesterday", wantErr: true},
		{in: "01/09/2026", wantErr: true},
		{in: "", wantErr: true},
		{in: "2026-12-01T18:00:00", wantErr: true},
		{in: json.Number("1700000000"), wantErr: true},
		{in: nil, wantErr: true},
	}
	for _, tt := range tests {
		got, err := scalars.UnmarshalTime(tt.in)
		if tt.wantErr {
			require.Error(t, err, "%v", tt.in)
			require.Equal(t, partnernet.CodeBadUserInput, partnernet.ErrorCode(err))
			continue
		}
		require.NoError(t, err)
		require.True(t, tt.want.Equal(got), "%v: got %v", tt.in, got)
	}
}

func TestUnmarshalString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      any
		wantErr bool
	}{
		{in: "Språkcafé"},
		{in: "مقهى اللغة"},
		{in: ""},
		{in: "tab\tand\nnewline"},
		{in: "nul\x00byte", wantErr: true},
		{in: "bad \xff utf-8", wantErr: true},
		{in: json.Number("12"), wantErr: true},
		{in: true, wantErr: true},
		{in: nil, wantErr: true},
	}
	for _, tt := range tests {
		got, err := scalars.UnmarshalString(tt.in)
		if tt.wantErr {
			require.Error(t, err, "%q", tt.in)
			require.Equal(t, partnernet.CodeBadUserInput, partnernet.ErrorCode(err))
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tt.in, got)
	}
}
