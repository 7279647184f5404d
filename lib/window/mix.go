package window

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dwkit/dwkit/lib/stats"
)

// Mix steers window sizes so that the output's records fall into size
// buckets in the requested shares: each new window aims at the bucket
// furthest below its share that the text left can still fill. It keeps
// state across records, so it must see them in order (one goroutine).
type Mix struct {
	Buckets []stats.Bucket
	Shares  []float64 // of records, summing to 1
	counts  []int     // records written per bucket; the last counts the rest
	total   int
}

// ParseMix reads "1k-4k:25,4k-10k:50,10k-16k:25" (shares in percent).
func ParseMix(spec string) (*Mix, error) {
	m := &Mix{}
	var names []string
	sum := 0.0
	for _, part := range strings.Split(spec, ",") {
		rng, share, ok := strings.Cut(strings.TrimSpace(part), ":")
		f, err := strconv.ParseFloat(share, 64)
		if !ok || err != nil || !(f > 0 && f <= 100) { // NaN and Inf fail too
			return nil, fmt.Errorf("mix part %q: want FROM-TO:PERCENT, a percent above 0 and at most 100, e.g. 4k-10k:50", part)
		}
		names = append(names, rng)
		m.Shares = append(m.Shares, f)
		sum += f
	}
	buckets, err := stats.ParseBuckets(strings.Join(names, ","))
	if err != nil {
		return nil, err
	}
	for i := 1; i < len(buckets); i++ {
		if buckets[i].From < buckets[i-1].To {
			return nil, fmt.Errorf("mix buckets %s and %s overlap or are out of order", buckets[i-1].Name, buckets[i].Name)
		}
	}
	for i := range m.Shares {
		m.Shares[i] /= sum
	}
	m.Buckets = buckets
	m.counts = make([]int, len(buckets)+1)
	return m, nil
}

// bucket returns the index of the bucket holding n tokens, or len(Buckets).
func (m *Mix) bucket(n int) int {
	for i, b := range m.Buckets {
		if n >= b.From && n < b.To {
			return i
		}
	}
	return len(m.Buckets)
}

// Observe counts a record written with n tokens.
func (m *Mix) Observe(n int) {
	m.counts[m.bucket(n)]++
	m.total++
}

// Goal is the size a record or a pack should reach: the lower edge of the
// bucket furthest below its share among those a window of maxTokens fits.
func (m *Mix) Goal(maxTokens int) int { return m.neediest(maxTokens).From }

// neediest is the bucket furthest below its share that a window of at
// most limit tokens can reach.
func (m *Mix) neediest(limit int) stats.Bucket {
	best, bestGap := m.Buckets[0], -2.0
	for i, b := range m.Buckets {
		if b.From > limit {
			continue
		}
		if gap := m.Shares[i] - float64(m.counts[i])/float64(max(m.total, 1)); gap > bestGap {
			best, bestGap = b, gap
		}
	}
	return best
}

// Target returns the size to aim the next window at, given the tokens left
// in the text and the most a window may hold.
func (m *Mix) Target(remaining, maxTokens int) int {
	if remaining < m.Buckets[0].From {
		return min(remaining, maxTokens)
	}
	b := m.neediest(min(remaining, maxTokens))
	hi := min(b.To-1, maxTokens, remaining)
	if remaining <= hi {
		return remaining // the rest fits the bucket: keep it whole
	}
	target := (b.From + hi) / 2 // the middle of what the bucket allows
	if rest := remaining - target; rest > 0 && rest < m.Buckets[0].From {
		// Do not leave a tail too small for any bucket: take it along, or
		// leave the smallest bucket's worth.
		if remaining <= maxTokens {
			return remaining
		}
		target = remaining - m.Buckets[0].From
	}
	return target
}

// Report describes the achieved shares beside the requested ones.
func (m *Mix) Report() string {
	var parts []string
	for i, b := range m.Buckets {
		parts = append(parts, fmt.Sprintf("%s %.1f %% (asked %.1f)", b.Name, 100*float64(m.counts[i])/float64(max(m.total, 1)), 100*m.Shares[i]))
	}
	parts = append(parts, fmt.Sprintf("other %.1f %%", 100*float64(m.counts[len(m.Buckets)])/float64(max(m.total, 1))))
	return "mix: " + strings.Join(parts, ", ")
}
