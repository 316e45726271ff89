package authz

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"

	"github.com/partnerskap-skane/partnernet"
)

// MembershipSource holds the memberships: who holds which role in which organisation. The
// store implements it over PostgreSQL.
type MembershipSource interface {
	// MembershipListAll returns every membership.
	MembershipListAll(ctx context.Context) ([]partnernet.Membership, error)
}

// adapter is the Casbin adapter of partnernet: the embedded policy, which is code, plus the
// memberships of a MembershipSource as grouping lines "g, subject, role, org:<id>". It only
// loads: memberships change through GraphQL mutations in the store, whose notifications make
// every replica reload.
type adapter struct {
	ctx context.Context
	src MembershipSource
}

var _ persist.Adapter = (*adapter)(nil)

func newAdapter(ctx context.Context, src MembershipSource) *adapter {
	return &adapter{ctx: context.WithoutCancel(ctx), src: src}
}

// LoadPolicy implements persist.Adapter.
func (a *adapter) LoadPolicy(m model.Model) error {
	for line := range strings.Lines(policyText) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := persist.LoadPolicyLine(line, m); err != nil {
			return fmt.Errorf("load policy line %q: %w", line, err)
		}
	}
	if a.src == nil {
		return nil
	}
	memberships, err := a.src.MembershipListAll(a.ctx)
	if err != nil {
		return fmt.Errorf("load memberships: %w", err)
	}
	for _, ms := range memberships {
		if err := persist.LoadPolicyArray([]string{"g", ms.Subject, ms.Role, Domain(ms.OrganisationID)}, m); err != nil {
			return fmt.Errorf("load membership %d: %w", ms.ID, err)
		}
	}
	return nil
}

// errReadOnly refuses writes through the adapter: the policy is code, memberships are written
// by the store.
var errReadOnly = errors.New("the authorisation policy is read-only: memberships change through the store")

// SavePolicy implements persist.Adapter.
func (a *adapter) SavePolicy(model.Model) error { return errReadOnly }

// AddPolicy implements persist.Adapter.
func (a *adapter) AddPolicy(string, string, []string) error { return errReadOnly }

// RemovePolicy implements persist.Adapter.
func (a *adapter) RemovePolicy(string, string, []string) error { return errReadOnly }

// RemoveFilteredPolicy implements persist.Adapter.
func (a *adapter) RemoveFilteredPolicy(string, string, int, ...string) error { return errReadOnly }
