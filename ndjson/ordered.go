package ndjson

import (
	"iter"
	"runtime"
)

// Ordered applies fn to every item of src on workers goroutines and hands
// each result to sink in the order of src, so a parallel filter writes the
// same bytes whatever the number of workers. At most a few items per worker
// are in flight, which bounds memory. Ordered stops at the first error
// returned by sink and returns it. workers < 1 means one per CPU.
func Ordered[I, O any](workers int, src iter.Seq[I], fn func(I) O, sink func(O) error) error {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers == 1 {
		for it := range src {
			if err := sink(fn(it)); err != nil {
				return err
			}
		}
		return nil
	}
	type job struct {
		in  I
		out chan O
	}
	jobs := make(chan job)
	queue := make(chan chan O, 8*workers)
	done := make(chan struct{})

	go func() { // producer: one result slot per item, queued in input order
		defer close(jobs)
		defer close(queue)
		for it := range src {
			out := make(chan O, 1)
			select {
			case queue <- out:
			case <-done:
				return
			}
			select {
			case jobs <- job{it, out}:
			case <-done:
				return
			}
		}
	}()
	for range workers {
		go func() {
			for j := range jobs {
				j.out <- fn(j.in) // buffered: never blocks
			}
		}()
	}
	for out := range queue {
		if err := sink(<-out); err != nil {
			// Stop without waiting for the producer, which may be blocked
			// reading more input (a pipe that stays open): it ends on its own.
			close(done)
			return err
		}
	}
	return nil
}
