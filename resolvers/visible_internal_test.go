package resolvers

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
)

// TestNotVisible checks the one answer about an object a caller may not use: "no such" at the
// field, and a request to sign in for anonymous callers only where the action is named.
func TestNotVisible(t *testing.T) {
	t.Parallel()
	anonymous := context.Background()
	signedIn := authz.WithPrincipal(context.Background(), authz.Principal{Subject: "anna", OrganisationID: 1})
	tests := []struct {
		name   string
		ctx    context.Context
		signIn string
		want   error
	}{
		{"signed in", signedIn, "change support plans", partnernet.InputError("input.planId", "no such support plan")},
		{"anonymous, asked to sign in", anonymous, "change support plans", partnernet.Errorf(partnernet.CodeUnauthenticated, "sign in to change support plans")},
		{"anonymous, no action named", anonymous, "", partnernet.InputError("input.planId", "no such support plan")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, notVisible(tt.ctx, "input.planId", "support plan", tt.signIn))
		})
	}
}
