package resolvers

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet/graph"
)

// TestEveryActivityFieldSaysWhatItReads keeps the lookahead fast as the schema grows: every
// field of Activity is listed with the parts of the row it needs (a field left out is still
// correct, since it reads every part, but it makes every list that selects it read whole rows).
func TestEveryActivityFieldSaysWhatItReads(t *testing.T) {
	t.Parallel()
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &Resolver{}}).Schema()
	activity := schema.Types["Activity"]
	require.NotNil(t, activity)
	for _, f := range activity.Fields {
		_, listed := activityFieldParts[f.Name]
		require.True(t, listed, "Activity.%s is not in activityFieldParts", f.Name)
	}
}
