package loaders

import (
	"context"
	"sync"

	"github.com/graph-gophers/dataloader/v7"
)

// Loader is a dataloader made on its first use. A request carries some seventy loaders and
// asks a few of them: a page of activities, its organisers and municipalities. Making each
// dataloader (its cache, its options, its batch function) for every request was a tenth of the
// allocations of a small request (docs/benchmark.md); a Loader costs its own struct until asked.
type Loader[K comparable, V any] struct {
	once   sync.Once
	build  func() *dataloader.Loader[K, V]
	loader *dataloader.Loader[K, V]
}

// lazy returns a Loader that calls build on its first use.
func lazy[K comparable, V any](build func() *dataloader.Loader[K, V]) *Loader[K, V] {
	return &Loader[K, V]{build: build}
}

// get returns the dataloader, making it on the first call.
func (l *Loader[K, V]) get() *dataloader.Loader[K, V] {
	l.once.Do(func() {
		l.loader = l.build()
		l.build = nil
	})
	return l.loader
}

// Load loads key and returns a thunk that waits for its value (dataloader.Loader.Load).
func (l *Loader[K, V]) Load(ctx context.Context, key K) dataloader.Thunk[V] {
	return l.get().Load(ctx, key)
}

// LoadMany loads keys and returns a thunk that waits for their values
// (dataloader.Loader.LoadMany).
func (l *Loader[K, V]) LoadMany(ctx context.Context, keys []K) dataloader.ThunkMany[V] {
	return l.get().LoadMany(ctx, keys)
}

// Prime puts value into the cache under key unless it holds one (dataloader.Loader.Prime).
func (l *Loader[K, V]) Prime(ctx context.Context, key K, value V) *Loader[K, V] {
	l.get().Prime(ctx, key, value)
	return l
}

// Clear drops key from the cache (dataloader.Loader.Clear).
func (l *Loader[K, V]) Clear(ctx context.Context, key K) *Loader[K, V] {
	l.get().Clear(ctx, key)
	return l
}
