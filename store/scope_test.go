package store

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
)

// TestScopePredicate pins the one translation of an organisation scope into SQL that every
// scoped list (activities, advice visits, SHK courses, newcomers) shares. The organisations are
// written in (orgsLiteral); the values of also are parameters.
func TestScopePredicate(t *testing.T) {
	t.Parallel()
	ids := []int64{3, 5}
	tests := []struct {
		name   string
		scope  partnernet.OrgScope
		also   string
		values []any
		where  []string
		args   []any
	}{
		{"every organisation: no condition", partnernet.OrgScope{All: true}, "", nil, nil, nil},
		{"every organisation, also ignored", partnernet.OrgScope{All: true}, "x.shared = %s", []any{true}, nil, nil},
		{"some organisations", partnernet.OrgScope{IDs: ids}, "", nil,
			[]string{"x.org_id IN (3, 5)"}, nil},
		{"some organisations or also", partnernet.OrgScope{IDs: ids}, "x.shared = %s AND x.kind = %s", []any{true, "K"},
			[]string{"(x.org_id IN (3, 5) OR x.shared = $1 AND x.kind = $2)"}, []any{true, "K"}},
		{"one organisation: equality, which an index's order serves", partnernet.OrgScope{IDs: ids[:1]}, "", nil,
			[]string{"x.org_id = 3"}, nil},
		{"one organisation or also", partnernet.OrgScope{IDs: ids[:1]}, "x.shared = %s", []any{true},
			[]string{"(x.org_id = 3 OR x.shared = $1)"}, []any{true}},
		{"no organisation: nothing", partnernet.OrgScope{}, "", nil, []string{"false"}, nil},
		{"no organisation: also alone", partnernet.OrgScope{}, "x.shared = %s", []any{true},
			[]string{"x.shared = $1"}, []any{true}},
		{"empty id list is no organisation", partnernet.OrgScope{IDs: []int64{}}, "", nil, []string{"false"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := &listQuery{}
			q.scope(tt.scope, "x.org_id", tt.also, tt.values...)
			require.Equal(t, tt.where, q.where)
			require.Equal(t, tt.args, q.args)
		})
	}
}
