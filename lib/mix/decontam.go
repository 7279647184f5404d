package mix

import "slices"

// DefaultNgram is the n-gram length of decontamination, in word tokens.
const DefaultNgram = 13

// Contamination is the set of word n-grams of evaluation texts. An
// evaluation text shorter than n words adds itself whole, so that it is
// found inside a training text too.
type Contamination struct {
	N       int
	grams   map[uint64]int32 // n-gram hash → evaluation text
	lengths []int            // n, and the lengths of shorter evaluation texts
}

// NewContamination returns an empty set of n-grams.
func NewContamination(n int) *Contamination {
	return &Contamination{N: n, grams: map[uint64]int32{}, lengths: []int{n}}
}

// Add adds the n-grams of evaluation text number eval.
func (c *Contamination) Add(text string, eval int32) {
	w := WordHashes(text, nil)
	if len(w) == 0 {
		return
	}
	n := min(c.N, len(w))
	if !slices.Contains(c.lengths, n) {
		c.lengths = append(c.lengths, n)
		slices.Sort(c.lengths)
	}
	for s := 0; s+n <= len(w); s++ {
		if _, ok := c.grams[gramHash(w[s:s+n])]; !ok {
			c.grams[gramHash(w[s:s+n])] = eval
		}
	}
}

// Len is the number of distinct n-grams.
func (c *Contamination) Len() int { return len(c.grams) }

// Find returns the first n-gram of text found among the evaluation texts:
// its byte range in text and the evaluation text it comes from; ok is false
// when there is none.
func (c *Contamination) Find(text string) (start, end int, eval int32, ok bool) {
	if len(c.grams) == 0 {
		return 0, 0, 0, false
	}
	var spans [][2]int
	var w []uint64
	Words(text, func(s, e int) {
		w = append(w, fnv1a(text[s:e]))
		spans = append(spans, [2]int{s, e})
	})
	for s := range w {
		for _, n := range c.lengths {
			if s+n > len(w) {
				break
			}
			if e, hit := c.grams[gramHash(w[s:s+n])]; hit {
				return spans[s][0], spans[s+n-1][1], e, true
			}
		}
	}
	return 0, 0, 0, false
}
