package loaders

import (
	"context"
	"sync"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/partnerskap-skane/partnernet/siblings"
)

// Loader is a dataloader made on its first use. A request carries some seventy loaders and
// asks a few of them: a page of activities, its organisers and municipalities. Making each
// dataloader (its cache, its options, its batch function) for every request was a tenth of the
// allocations of a small request (docs/benchmark.md); a Loader costs its own struct until asked.
//
// A Load of a key the loader has not seen will wait for a batch, so it first tells the lists
// being marshalled around it (siblings.Waiting): their elements not yet begun start now, and
// their keys join the same batch. A key a parent level primed is answered at once, and its
// list's elements go on one after another.
type Loader[K comparable, V any] struct {
	once   sync.Once
	wait   time.Duration
	batch  func() dataloader.BatchFunc[K, V]
	cache  dataloader.Cache[K, V]
	loader *dataloader.Loader[K, V]
}

// lazy returns a Loader that collects keys for wait and, on its first use, makes its dataloader
// with the batch function batch returns.
func lazy[K comparable, V any](wait time.Duration, batch func() dataloader.BatchFunc[K, V]) *Loader[K, V] {
	return &Loader[K, V]{wait: wait, batch: batch}
}

// get returns the dataloader, making it on the first call. Its cache lasts the request (each
// request has its own loaders), failures included.
func (l *Loader[K, V]) get() *dataloader.Loader[K, V] {
	l.once.Do(func() {
		l.cache = dataloader.NewCache[K, V]()
		l.loader = dataloader.NewBatchedLoader(l.batch(),
			dataloader.WithWait[K, V](l.wait), dataloader.WithCache(l.cache))
		l.batch = nil
	})
	return l.loader
}

// Load loads key and returns a thunk that waits for its value (dataloader.Loader.Load).
func (l *Loader[K, V]) Load(ctx context.Context, key K) dataloader.Thunk[V] {
	dl := l.get()
	if _, seen := l.cache.Get(ctx, key); !seen {
		siblings.Waiting(ctx)
	}
	return dl.Load(ctx, key)
}

// LoadMany loads keys and returns a thunk that waits for their values
// (dataloader.Loader.LoadMany).
func (l *Loader[K, V]) LoadMany(ctx context.Context, keys []K) dataloader.ThunkMany[V] {
	dl := l.get()
	for _, k := range keys {
		if _, seen := l.cache.Get(ctx, k); !seen {
			siblings.Waiting(ctx)
			break
		}
	}
	return dl.LoadMany(ctx, keys)
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
