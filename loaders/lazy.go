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
// A Load of a key whose value is not settled yet (not primed, and no batch has answered it)
// will wait for a batch, so it first tells the lists being marshalled around it
// (siblings.Waiting): their elements not yet begun start now, and their keys join the same
// batch. That holds for a key another element asked for already, whose batch has not run: its
// siblings' other keys still join that batch. A settled key is answered at once, and its list's
// elements go on one after another.
type Loader[K comparable, V any] struct {
	once   sync.Once
	wait   time.Duration
	batch  func() dataloader.BatchFunc[K, V]
	loader *dataloader.Loader[K, V]

	mu      sync.Mutex
	settled map[K]struct{} // keys primed or answered by a batch
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
		batch := l.batch()
		l.loader = dataloader.NewBatchedLoader(func(ctx context.Context, keys []K) []*dataloader.Result[V] {
			results := batch(ctx, keys)
			l.settle(keys...)
			return results
		}, dataloader.WithWait[K, V](l.wait))
		l.batch = nil
	})
	return l.loader
}

// settle records that keys' values are known.
func (l *Loader[K, V]) settle(keys ...K) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.settled == nil {
		l.settled = make(map[K]struct{}, len(keys))
	}
	for _, k := range keys {
		l.settled[k] = struct{}{}
	}
}

// waits reports whether a Load of any of keys would wait for a batch.
func (l *Loader[K, V]) waits(keys ...K) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if _, ok := l.settled[k]; !ok {
			return true
		}
	}
	return false
}

// Load loads key and returns a thunk that waits for its value (dataloader.Loader.Load).
func (l *Loader[K, V]) Load(ctx context.Context, key K) dataloader.Thunk[V] {
	dl := l.get()
	if l.waits(key) {
		siblings.Waiting(ctx)
	}
	return dl.Load(ctx, key)
}

// LoadMany loads keys and returns a thunk that waits for their values
// (dataloader.Loader.LoadMany).
func (l *Loader[K, V]) LoadMany(ctx context.Context, keys []K) dataloader.ThunkMany[V] {
	dl := l.get()
	if l.waits(keys...) {
		siblings.Waiting(ctx)
	}
	return dl.LoadMany(ctx, keys)
}

// Prime puts value into the cache under key unless it holds one (dataloader.Loader.Prime).
func (l *Loader[K, V]) Prime(ctx context.Context, key K, value V) *Loader[K, V] {
	l.get().Prime(ctx, key, value)
	l.settle(key)
	return l
}

// Clear drops key from the cache (dataloader.Loader.Clear); its next Load waits for a batch.
func (l *Loader[K, V]) Clear(ctx context.Context, key K) *Loader[K, V] {
	l.get().Clear(ctx, key)
	l.mu.Lock()
	delete(l.settled, key)
	l.mu.Unlock()
	return l
}
