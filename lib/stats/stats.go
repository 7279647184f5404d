package stats

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Bucket is a half-open token range [From, To) with a name.
type Bucket struct {
	Name     string
	From, To int
}

// ParseBuckets reads "1k-4k,4k-10k,10k-16k" (k = 1,000; an open end as "16k-").
func ParseBuckets(spec string) ([]Bucket, error) {
	var out []Bucket
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lo, hi, ok := strings.Cut(part, "-")
		from, err1 := parseCount(lo)
		to, err2 := math.MaxInt, error(nil)
		if hi != "" {
			to, err2 = parseCount(hi)
		}
		if !ok || err1 != nil || err2 != nil || to <= from {
			return nil, fmt.Errorf("bucket %q: want FROM-TO, e.g. 1k-4k", part)
		}
		out = append(out, Bucket{part, from, to})
	}
	return out, nil
}

func parseCount(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	mult := 1.0
	if strings.HasSuffix(s, "k") {
		mult, s = 1e3, strings.TrimSuffix(s, "k")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("invalid count %q", s)
	}
	return int(f * mult), nil
}

// Collector accumulates records one at a time.
type Collector struct {
	Fields  []string // fields to count values of
	Bin     int      // histogram bin width in tokens
	Buckets []Bucket

	records int
	kinds   map[string]int
	by      map[string]map[string]int
	tokens  []int
}

// NewCollector returns a Collector counting the given fields' values.
func NewCollector(fields []string, bin int, buckets []Bucket) *Collector {
	c := &Collector{Fields: fields, Bin: bin, Buckets: buckets, kinds: map[string]int{}, by: map[string]map[string]int{}}
	for _, f := range fields {
		c.by[f] = map[string]int{}
	}
	return c
}

// Add counts one record: its kind, the values of the chosen fields (in
// Fields' order), and its tokens.
func (c *Collector) Add(kind string, values []string, tokens int) {
	c.records++
	c.kinds[kind]++
	for i, f := range c.Fields {
		c.by[f][values[i]]++
	}
	c.tokens = append(c.tokens, tokens)
}

// Summary is what a Collector found; its JSON form is dw-stats's output.
type Summary struct {
	Records     int                       `json:"records"`
	Kinds       map[string]int            `json:"kinds"`
	By          map[string]map[string]int `json:"by,omitempty"`
	Tokens      TokenStats                `json:"tokens"`
	Histogram   []Bin                     `json:"histogram"`
	BucketShare []Share                   `json:"buckets,omitempty"`
}

// TokenStats describes the distribution of tokens per record.
type TokenStats struct {
	Total       int            `json:"total"`
	Min         int            `json:"min"`
	Max         int            `json:"max"`
	Mean        float64        `json:"mean"`
	Percentiles map[string]int `json:"percentiles"`
}

// Bin is one histogram bar: records with From <= tokens < To.
type Bin struct {
	From  int `json:"from"`
	To    int `json:"to"`
	Count int `json:"count"`
}

// Share is a bucket's share of records and of tokens, in percent.
type Share struct {
	Bucket  string  `json:"bucket"`
	Records int     `json:"records"`
	Share   float64 `json:"share"`
	Tokens  float64 `json:"token_share"`
}

// Percentiles reported, by nearest rank.
var Percentiles = []int{25, 50, 75, 90, 95, 99}

// Summary computes the summary of everything added so far.
func (c *Collector) Summary() Summary {
	s := Summary{Records: c.records, Kinds: c.kinds, By: c.by, Tokens: TokenStats{Percentiles: map[string]int{}}}
	if len(c.Fields) == 0 {
		s.By = nil
	}
	sorted := append([]int(nil), c.tokens...)
	sort.Ints(sorted)
	for _, n := range sorted {
		s.Tokens.Total += n
	}
	if len(sorted) > 0 {
		s.Tokens.Min, s.Tokens.Max = sorted[0], sorted[len(sorted)-1]
		s.Tokens.Mean = math.Round(float64(s.Tokens.Total)/float64(len(sorted))*100) / 100
		for _, p := range Percentiles {
			rank := int(math.Ceil(float64(p) / 100 * float64(len(sorted))))
			s.Tokens.Percentiles[fmt.Sprintf("p%d", p)] = sorted[max(rank, 1)-1]
		}
		bin := max(c.Bin, 1)
		for _, n := range sorted {
			from := n / bin * bin
			if len(s.Histogram) == 0 || s.Histogram[len(s.Histogram)-1].From != from {
				s.Histogram = append(s.Histogram, Bin{From: from, To: from + bin})
			}
			s.Histogram[len(s.Histogram)-1].Count++
		}
	}
	if len(c.Buckets) > 0 {
		other := Share{Bucket: "other"}
		shares := make([]Share, len(c.Buckets))
		for i, b := range c.Buckets {
			shares[i].Bucket = b.Name
		}
		tokensIn := make([]int, len(c.Buckets)+1)
		for _, n := range sorted {
			i := len(c.Buckets)
			for j, b := range c.Buckets {
				if n >= b.From && n < b.To {
					i = j
					break
				}
			}
			tokensIn[i] += n
			if i == len(c.Buckets) {
				other.Records++
			} else {
				shares[i].Records++
			}
		}
		shares = append(shares, other)
		for i := range shares {
			shares[i].Share = pct(shares[i].Records, len(sorted))
			shares[i].Tokens = pct(tokensIn[i], s.Tokens.Total)
		}
		s.BucketShare = shares
	}
	return s
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(float64(a)/float64(b)*10000) / 100
}
