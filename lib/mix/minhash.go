package mix

import (
	"math"
	"slices"
)

// BigCode's near-deduplication settings, the defaults.
const (
	DefaultShingle   = 5   // word tokens per shingle
	DefaultPerms     = 256 // MinHash permutations
	DefaultThreshold = 0.7 // Jaccard similarity of near duplicates
)

// MinHasher makes MinHash signatures of texts: the shingles are the
// n-grams of word tokens (Words), each hashed to 32 bits, and permutation i
// maps a shingle hash x to (a_i·x + b_i) >> 32 over 64 bits, a_i odd and
// b_i drawn from a fixed seed (Dietzfelbinger's multiply-add-shift, a
// universal family, cheaper than datasketch's (a·x + b) mod 2^61−1 and as
// good for minima). A signature holds, per permutation, the least value over
// the shingles.
type MinHasher struct {
	Shingle int
	a, b    []uint64
}

// NewMinHasher returns a MinHasher of perms permutations over shingles of
// n word tokens; seed fixes the permutations.
func NewMinHasher(n, perms int, seed uint64) *MinHasher {
	m := &MinHasher{Shingle: n, a: make([]uint64, perms), b: make([]uint64, perms)}
	s := seed
	next := func() uint64 { s += 0x9e3779b97f4a7c15; return mix64(s) }
	for i := range perms {
		m.a[i] = next() | 1
		m.b[i] = next()
	}
	return m
}

// Perms is the number of permutations.
func (m *MinHasher) Perms() int { return len(m.a) }

// Signature writes the signature of the word hashes w (WordHashes) into sig
// (len Perms). A text of fewer words than a shingle is one shingle of all
// of them; a text of no words has every value at its maximum.
func (m *MinHasher) Signature(w []uint64, sig []uint32) {
	for i := range sig {
		sig[i] = math.MaxUint32
	}
	if len(w) == 0 {
		return
	}
	n := min(m.Shingle, len(w))
	a, b := m.a, m.b[:len(m.a)]
	sig = sig[:len(a)]
	// Each distinct shingle once (a fifth of code's shingles repeat within a
	// text), then four at a time: each permutation's a, b and minimum are
	// loaded once for four values.
	xs := make([]uint64, 0, len(w)-n+1)
	for s := 0; s+n <= len(w); s++ {
		xs = append(xs, gramHash(w[s:s+n])>>32)
	}
	slices.Sort(xs)
	xs = slices.Compact(xs)
	var x [4]uint64
	k := 0
	for _, h := range xs {
		x[k] = h
		if k++; k == 4 {
			permute4(a, b, sig, x[0], x[1], x[2], x[3])
			k = 0
		}
	}
	for j := k; j > 0 && j < 4; j++ {
		x[j] = x[0] // a repeat changes no minimum
	}
	if k > 0 {
		permute4(a, b, sig, x[0], x[1], x[2], x[3])
	}
}

// permute4 lowers each sig[i] to the least of permutation i's values of
// x0 … x3.
func permute4(a, b []uint64, sig []uint32, x0, x1, x2, x3 uint64) {
	b = b[:len(a)]
	sig = sig[:len(a)]
	for i, ai := range a {
		bi := b[i]
		v := uint32((ai*x0 + bi) >> 32)
		v = min(v, uint32((ai*x1+bi)>>32))
		v = min(v, uint32((ai*x2+bi)>>32))
		v = min(v, uint32((ai*x3+bi)>>32))
		sig[i] = min(sig[i], v)
	}
}

// Bands returns the LSH band keys of a signature: band j hashes values
// j·rows … (j+1)·rows−1 with j, so equal keys mean an equal band.
func Bands(sig []uint32, bands, rows int, dst []uint64) []uint64 {
	dst = dst[:0]
	for j := range bands {
		h := uint64(fnvOffset) ^ uint64(j)
		for _, v := range sig[j*rows : (j+1)*rows] {
			h = mix64(h ^ uint64(v))
		}
		dst = append(dst, h)
	}
	return dst
}

// Similarity estimates the Jaccard similarity of two texts from their
// stored signatures: the share of equal values.
func Similarity(a, b []uint16) float64 {
	eq := 0
	for i := range a {
		if a[i] == b[i] {
			eq++
		}
	}
	return float64(eq) / float64(len(a))
}

// Compact keeps 16 bits of each value of a signature for Similarity: two
// different values look equal once in 65,536, which moves an estimate by
// far less than its own error (about 0.03 at 256 permutations).
func Compact(sig []uint32, dst []uint16) []uint16 {
	dst = dst[:0]
	for _, v := range sig {
		dst = append(dst, uint16(v))
	}
	return dst
}

// OptimalBands chooses the LSH bands b and rows r (b·r ≤ perms) for a
// Jaccard threshold as BigCode's minhash_deduplication.py does: the pair
// that minimises the mean of the false-positive area (the chance
// 1−(1−s^r)^b that a pair of similarity s below the threshold shares a
// band, integrated over s from 0 to the threshold) and the false-negative
// area (the chance that a pair above it shares none, integrated from the
// threshold to 1). For 256 permutations and 0.7: b = 25, r = 10.
func OptimalBands(threshold float64, perms int) (bands, rows int, fp, fn float64) {
	best := math.Inf(1)
	for b := 1; b <= perms; b++ {
		for r := 1; r <= perms/b; r++ {
			p := func(s float64) float64 { return 1 - math.Pow(1-math.Pow(s, float64(r)), float64(b)) }
			f := simpson(p, 0, threshold)
			n := simpson(func(s float64) float64 { return 1 - p(s) }, threshold, 1)
			if e := 0.5*f + 0.5*n; e < best {
				best, bands, rows, fp, fn = e, b, r, f, n
			}
		}
	}
	return bands, rows, fp, fn
}

// simpson integrates f over [a, b] by Simpson's rule on 200 intervals.
func simpson(f func(float64) float64, a, b float64) float64 {
	const n = 200
	h := (b - a) / n
	s := f(a) + f(b)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		s += w * f(a+float64(i)*h)
	}
	return s * h / 3
}
