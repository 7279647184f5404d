package mix

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Split is a named share of the records.
type Split struct {
	Name  string
	Share float64
}

// Splits assigns records to splits by a hash of their group key.
type Splits []Split

// ValidSplitName tells whether name is a split name the Hugging Face Hub
// takes: words of letters, digits and _, joined by dots (train, test.v2),
// at most 64 bytes.
func ValidSplitName(name string) bool {
	if len(name) > 64 {
		return false
	}
	for word := range strings.SplitSeq(name, ".") {
		if word == "" || strings.ContainsFunc(word, func(c rune) bool {
			return !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
		}) {
			return false
		}
	}
	return true
}

// ParseSplits reads "train:0.98,validation:0.02": names (ValidSplitName,
// each once) with shares above 0 that sum to 1 (within 1e-9).
func ParseSplits(spec string) (Splits, error) {
	var out Splits
	sum := 0.0
	for part := range strings.SplitSeq(spec, ",") {
		name, share, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, fmt.Errorf("%q: want NAME:SHARE, e.g. train:0.98", part)
		}
		if !ValidSplitName(name) {
			return nil, fmt.Errorf("%q: a split name is letters, digits and _ (dots between words)", name)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(share), 64)
		if err != nil || !(f > 0 && f <= 1) {
			return nil, fmt.Errorf("%s:%s: want a share above 0 and at most 1", name, share)
		}
		for _, s := range out {
			if s.Name == name {
				return nil, fmt.Errorf("split %q named twice", name)
			}
		}
		out = append(out, Split{name, f})
		sum += f
	}
	if math.Abs(sum-1) > 1e-9 {
		return nil, fmt.Errorf("the shares sum to %g, not 1", sum)
	}
	return out, nil
}

// Assign returns the index of the split of a group key: the key's SHA-256,
// read as a number in [0, 1), falls in one split's share. It depends on the
// key alone — not on the seed, the order or the other records — so every
// record of a group lands in the same split, and a record stays in its
// split when the data grows.
func (s Splits) Assign(key string) int {
	h := sha256.Sum256([]byte(key))
	u := float64(binary.BigEndian.Uint64(h[:8])>>11) / (1 << 53)
	acc := 0.0
	for i, sp := range s {
		acc += sp.Share
		if u < acc {
			return i
		}
	}
	return len(s) - 1
}
