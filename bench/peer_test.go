package bench

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSameRows(t *testing.T) {
	t.Parallel()
	ours := `{"data":{"activities":{"totalCount":2,"edges":[
		{"node":{"id":"QWN0aXZpdHk6MQ","title":"Språkcafé","organiser":{"name":"ABF Skåne"},"municipality":null}},
		{"node":{"id":"QWN0aXZpdHk6Mg","title":"Fotboll","organiser":{"name":"RF-SISU Skåne"},"municipality":{"name":"Lund"}}}]}}}`
	tests := []struct {
		name    string
		peer    string
		wantErr bool
	}{
		{name: "the same rows in another shape", peer: `{"data":{"allActivities":{"totalCount":2,"nodes":[
			{"rowId":"1","title":"Språkcafé","organiser":{"name":"ABF Skåne"},"municipality":null},
			{"rowId":"2","title":"Fotboll","organiser":{"name":"RF-SISU Skåne"},"municipality":{"name":"Lund"}}]}}}`},
		{name: "another order", wantErr: true, peer: `{"data":{"allActivities":{"nodes":[
			{"title":"Fotboll","organiser":{"name":"RF-SISU Skåne"},"municipality":{"name":"Lund"}},
			{"title":"Språkcafé","organiser":{"name":"ABF Skåne"},"municipality":null}]}}}`},
		{name: "a row less", wantErr: true, peer: `{"data":{"allActivities":{"nodes":[
			{"title":"Språkcafé","organiser":{"name":"ABF Skåne"},"municipality":null}]}}}`},
		{name: "not an answer", wantErr: true, peer: `<html>`},
	}
	for _, tt := range tests {
		err := sameRows([]byte(ours), []byte(tt.peer))
		if tt.wantErr {
			require.Error(t, err, tt.name)
			continue
		}
		require.NoError(t, err, tt.name)
	}
	require.Error(t, sameRows([]byte(`{"data":{"activities":{"edges":[]}}}`), []byte(`{"data":{}}`)), "no rows at all is no check")
}
