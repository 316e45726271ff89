// Package siblings marshals the elements of a GraphQL list, the siblings, one after another on
// the goroutine that marshals the list, and starts the elements not yet begun side by side as
// soon as one of them is about to wait: for a dataloader's batch (loaders) or for the database
// (the pool's tracer, store.ConfigurePool). Elements whose fields read what their parent level
// loaded never wait and never cost a goroutine; elements that wait still put their keys into one
// batch, because their siblings start before the first of them blocks.
//
// gqlgen starts a goroutine for every element of every list (graphql.MarshalSliceConcurrently).
// The goroutine's stack, grown from 2 KB at its first deep call, was a sixth of the server's CPU
// on fifty organisations with ten activity titles each (docs/benchmark.md, sixth pass), where no
// element ever waited: the organisations' page loads their activities with it. cmd/gqlgen points
// the generated code at Marshal instead.
package siblings

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
)

// listKey is the context key of the innermost list being marshalled.
type listKey struct{}

// list is one list being marshalled: which element runs on the list's own goroutine, and
// whether the elements after it were handed to goroutines of their own.
type list struct {
	parent  *list // the list around this one's element, nil at the top
	ctx     context.Context
	ret     graphql.Array
	element func(ctx context.Context, i int) graphql.Marshaler
	recover bool
	wg      sync.WaitGroup

	mu      sync.Mutex
	current int  // the element the list's goroutine runs
	started bool // the elements after current run on goroutines of their own
}

// Marshal marshals the length elements of a list with marshalElement, as
// graphql.MarshalSliceConcurrently does and with its arguments, so that cmd/gqlgen can put one in
// the other's place. Elements run one after another until one of them, or anything under it,
// calls Waiting; the elements after it then start at once, each on a goroutine of its own, and
// Marshal returns when all are done. A panic in an element is recovered into an error and a null
// element unless omitPanicHandler. A workerLimit above zero keeps gqlgen's bounded concurrency.
func Marshal(ctx context.Context, length int, workerLimit int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler,
) graphql.Array {
	if workerLimit > 0 {
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
	}
	ret := make(graphql.Array, length)
	if length == 0 {
		return ret
	}
	l := &list{ret: ret, element: marshalElement, recover: !omitPanicHandler}
	l.parent, _ = ctx.Value(listKey{}).(*list)
	l.ctx = context.WithValue(ctx, listKey{}, l)
	for i := range length {
		l.mu.Lock()
		if l.started {
			l.mu.Unlock()
			break
		}
		l.current = i
		l.mu.Unlock()
		l.run(i)
	}
	l.wg.Wait()
	return ret
}

// run marshals element i into its place.
func (l *list) run(i int) {
	ctx := graphql.WithFieldContext(l.ctx, &graphql.FieldContext{Index: &i})
	if l.recover {
		defer func() {
			if r := recover(); r != nil {
				graphql.AddError(ctx, graphql.Recover(ctx, r))
				l.ret[i] = graphql.Null
			}
		}()
	}
	l.ret[i] = l.element(ctx, i)
}

// startRest starts the elements after the current one, each on a goroutine of its own, unless
// they were started already. It reports whether they were.
func (l *list) startRest() (already bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.started {
		return true
	}
	l.started = true
	for i := l.current + 1; i < len(l.ret); i++ {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			l.run(i)
		}()
	}
	return false
}

// Waiting tells the lists around ctx that their caller is about to wait, for a batch or a
// statement: each list starts its elements not yet begun, so that they wait alongside and their
// keys join the same batch. It costs one context lookup where no list is being marshalled, and
// it is for callers that are about to block anyway.
func Waiting(ctx context.Context) {
	l, _ := ctx.Value(listKey{}).(*list)
	// Starting a list starts the lists around it in the same call, so the first list that was
	// started already has all its outer lists started too.
	for ; l != nil; l = l.parent {
		if l.startRest() {
			return
		}
	}
}
