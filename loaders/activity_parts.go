package loaders

import (
	"context"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// ActivityPartsKey names an activity and the parts of it a selection reads.
type ActivityPartsKey struct {
	// ID is the activity's.
	ID int64
	// Parts are the parts read (store.ActivityParts); zero reads all.
	Parts store.ActivityParts
}

// newActivityParts makes the loader of activities read in part: a batch reads the activities
// of each set of parts asked for in one statement (most batches ask for one set). An activity
// read in part has only its parts' fields, so it is cached under its parts, apart from the
// whole activities of the Activity loader.
func newActivityParts(wait time.Duration, st *store.Store) *Loader[ActivityPartsKey, *partnernet.Activity] {
	return lazy(wait, func() dataloader.BatchFunc[ActivityPartsKey, *partnernet.Activity] {
		batch := func(ctx context.Context, keys []ActivityPartsKey) []*dataloader.Result[*partnernet.Activity] {
			results := make([]*dataloader.Result[*partnernet.Activity], len(keys))
			idsByParts := map[store.ActivityParts][]int64{}
			for _, k := range keys {
				idsByParts[k.Parts] = append(idsByParts[k.Parts], k.ID)
			}
			found := make(map[ActivityPartsKey]*partnernet.Activity, len(keys))
			for parts, ids := range idsByParts {
				rows, err := st.ActivityGetManyParts(ctx, parts, ids)
				if err != nil {
					for i, k := range keys {
						if k.Parts == parts {
							results[i] = &dataloader.Result[*partnernet.Activity]{Error: err}
						}
					}
					continue
				}
				for i := range rows {
					found[ActivityPartsKey{ID: rows[i].ID, Parts: parts}] = &rows[i]
				}
			}
			for i, k := range keys {
				if results[i] != nil {
					continue
				}
				if a, ok := found[k]; ok {
					results[i] = &dataloader.Result[*partnernet.Activity]{Data: a}
				} else {
					results[i] = &dataloader.Result[*partnernet.Activity]{Error: partnernet.Errorf(partnernet.CodeNotFound, "no object with id %d", k.ID)}
				}
			}
			return results
		}
		return batch
	})
}
