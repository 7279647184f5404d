package mix

import (
	"cmp"
	"slices"
)

// Deduper finds exact and near duplicates among texts added in order and
// decides, for each, whether it is kept or stands for an earlier kept one.
// Its state is proportional to the number of texts: 16 bytes each for
// exact keys; for near duplicates also 2 bytes per permutation and 8 per
// band (about 0.7 KB at BigCode's settings), plus the buckets of the texts
// kept.
type Deduper struct {
	Exact, Near bool
	Threshold   float64
	Bands, Rows int
	Perms       int
	// MaxCandidates bounds the kept texts compared with one text (those
	// sharing a band with it), so that a bucket of many dissimilar texts
	// cannot make the work quadratic.
	MaxCandidates int

	keys     [][16]byte
	sigs     []uint16 // Perms per text
	bands    []uint64 // Bands per text
	priority []float64
	byMax    bool
}

// Entry is what the Deduper needs of one text.
type Entry struct {
	Key      [16]byte // ExactKey of the normalised text
	Sig      []uint16 // Compact signature (near only)
	Bands    []uint64 // Bands of the full signature (near only)
	Priority float64  // the higher is kept, with KeepMax
}

// KeepMax makes the kept text of a group the one of highest priority (the
// first of them on a tie) instead of the first.
func (d *Deduper) KeepMax() { d.byMax = true }

// Add records the next text.
func (d *Deduper) Add(e Entry) {
	d.keys = append(d.keys, e.Key)
	if d.Near {
		d.sigs = append(d.sigs, e.Sig[:d.Perms]...)
		d.bands = append(d.bands, e.Bands[:d.Bands]...)
	}
	if d.byMax {
		d.priority = append(d.priority, e.Priority)
	}
}

// Len is the number of texts added.
func (d *Deduper) Len() int { return len(d.keys) }

// groupBands finds, band by band, the texts that share it: a sort of the
// band keys, not a hash table, so that the texts alone in every band (most
// of them) cost nothing more. It returns each text's group per band (-1
// alone) and an empty kept list (-1) per group, and lets the band keys go.
func (d *Deduper) groupBands() (groups, heads []int32) {
	n := len(d.keys)
	groups = make([]int32, n*d.Bands)
	type kv struct {
		key  uint64
		text int32
	}
	byKey := make([]kv, n)
	next := int32(0)
	for j := range d.Bands {
		for i := range n {
			byKey[i] = kv{d.bands[i*d.Bands+j], int32(i)}
		}
		slices.SortFunc(byKey, func(a, b kv) int { return cmp.Compare(a.key, b.key) })
		for s := 0; s < n; {
			e := s + 1
			for e < n && byKey[e].key == byKey[s].key {
				e++
			}
			g := int32(-1)
			if e-s > 1 {
				g = next
				next++
			}
			for _, x := range byKey[s:e] {
				groups[int(x.text)*d.Bands+j] = g
			}
			s = e
		}
	}
	d.bands = nil
	heads = make([]int32, next)
	for i := range heads {
		heads[i] = -1
	}
	return groups, heads
}

// Bytes estimates the memory the Deduper holds, and about as much again
// is taken by Resolve.
func (d *Deduper) Bytes() int64 {
	return int64(len(d.keys))*16 + int64(len(d.sigs))*2 + int64(len(d.bands))*8 + int64(len(d.priority))*8
}

// Verdict is the fate of one text.
type Verdict struct {
	Kept       int32   // the text it stands for; itself when kept
	Similarity float32 // estimated Jaccard similarity to Kept (1 for exact)
	Near       bool    // removed as a near, not an exact, duplicate
	StandsFor  int32   // for a kept text, how many it stands for, itself included
}

// Resolve decides every text's fate, once. Texts are taken in order (of
// priority with KeepMax, then of addition): a text whose normalised text
// equals an earlier one's is its exact duplicate and stands for the same
// kept text (so near dedup removes the same exact duplicates as exact
// dedup); else, with Near, a text sharing an LSH band with kept texts is a
// near duplicate of the most similar of them whose estimated similarity
// reaches the threshold; else it is kept. A removed text always points at a
// kept one, at least the threshold from it, so groups never chain.
func (d *Deduper) Resolve() []Verdict {
	n := len(d.keys)
	out := make([]Verdict, n)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	if d.byMax {
		slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(d.priority[b], d.priority[a]) })
	}
	type twin struct {
		kept int32
		sim  float32
	}
	exact := make(map[[16]byte]twin) // every text seen: kept, or the kept one it stands for
	type link struct{ text, next int32 }
	var groups []int32 // per text and band: its group of texts sharing the band, -1 alone
	var heads []int32  // per group: the first link of its kept texts, -1 none
	var links []link
	var stamp []int32
	if d.Near {
		groups, heads = d.groupBands()
		stamp = make([]int32, n)
		for i := range stamp {
			stamp[i] = -1
		}
	}
	for _, i := range order {
		if t, ok := exact[d.keys[i]]; ok {
			out[i] = Verdict{Kept: t.kept, Similarity: t.sim}
			out[t.kept].StandsFor++
			continue
		}
		if d.Near {
			best, bestSim, checked := int32(-1), 0.0, 0
			limit := d.MaxCandidates
			if limit <= 0 {
				limit = n
			}
			sig := d.sigs[int(i)*d.Perms : int(i+1)*d.Perms]
			mine := groups[int(i)*d.Bands : int(i+1)*d.Bands]
			for _, g := range mine {
				if g < 0 {
					continue
				}
				for h := heads[g]; h >= 0 && checked < limit; h = links[h].next {
					k := links[h].text
					if stamp[k] == i {
						continue
					}
					stamp[k] = i
					checked++
					if s := Similarity(sig, d.sigs[int(k)*d.Perms:int(k+1)*d.Perms]); s >= d.Threshold && (s > bestSim || s == bestSim && k < best) {
						best, bestSim = k, s
					}
				}
			}
			if best >= 0 {
				out[i] = Verdict{Kept: best, Similarity: float32(bestSim), Near: true}
				out[best].StandsFor++
				exact[d.keys[i]] = twin{best, float32(bestSim)} // its copies are its kept one's too
				continue
			}
			for _, g := range mine {
				if g >= 0 {
					links = append(links, link{i, heads[g]})
					heads[g] = int32(len(links) - 1)
				}
			}
		}
		exact[d.keys[i]] = twin{i, 1}
		out[i] = Verdict{Kept: i, Similarity: 1, StandsFor: out[i].StandsFor + 1}
	}
	return out
}
