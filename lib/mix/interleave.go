package mix

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// Source is one input stream of a mix and its weight.
type Source struct {
	Name   string // the file, "-" for stdin
	Weight float64
}

// ParseSource reads FILE[:WEIGHT]. The weight is what follows the last
// colon; an argument that names an existing file as a whole is that file
// with weight 1, so a file whose name holds a colon is read either way
// ("a:b.jsonl" when it exists, or "a:b.jsonl:1"). A weight is a finite
// number of at least 0. exists tells whether a file exists.
func ParseSource(arg string, exists func(string) bool) (Source, error) {
	if arg == "" {
		return Source{}, fmt.Errorf("an empty source")
	}
	i := strings.LastIndexByte(arg, ':')
	if i < 0 || exists(arg) {
		return Source{arg, 1}, nil
	}
	name, w := arg[:i], arg[i+1:]
	if name == "" {
		return Source{}, fmt.Errorf("%q: no file before the weight", arg)
	}
	f, err := strconv.ParseFloat(w, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return Source{}, fmt.Errorf("%q: the weight %q after the last colon is not a number of at least 0 (a file whose name has a colon: add :1)", arg, w)
	}
	return Source{name, f}, nil
}

// FileExists is ParseSource's exists for real files.
func FileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// Schedule interleaves sources by weight: Next picks the source furthest
// below its share of what was given so far (by records, or by any size such
// as tokens), the first on a tie. After n picks every source's share is
// within one item of its weight's, at every point of the stream.
type Schedule struct {
	weights []float64
	given   []float64
	live    []bool
}

// NewSchedule returns a schedule over weights, which must not all be 0. A
// source of weight 0 is never picked.
func NewSchedule(weights []float64) (*Schedule, error) {
	s := &Schedule{weights: weights, given: make([]float64, len(weights)), live: make([]bool, len(weights))}
	sum := 0.0
	for i, w := range weights {
		sum += w
		s.live[i] = w > 0
	}
	if !(sum > 0) {
		return nil, fmt.Errorf("the weights sum to 0: nothing to take")
	}
	return s, nil
}

// Next returns the source to take from next, or -1 when none is left.
func (s *Schedule) Next() int {
	best, bestV := -1, math.Inf(1)
	for i, w := range s.weights {
		if !s.live[i] {
			continue
		}
		if v := s.given[i] / w; v < bestV {
			best, bestV = i, v
		}
	}
	return best
}

// Took records that size (1 for records, its tokens for tokens) was taken
// from source i.
func (s *Schedule) Took(i int, size float64) { s.given[i] += size }

// Done removes source i, which has run out.
func (s *Schedule) Done(i int) { s.live[i] = false }
