package token

import "math"

// bpe is a byte-level BPE model: every byte is a token, and adjacent tokens
// merge by pair rank, lowest first, leftmost on ties — the rule of both
// tiktoken (rank of the concatenation) and Hugging Face's BPE (order in the
// merges list), expressed as one table of pairs.
type bpe struct {
	byteID [256]uint32          // the token of each single byte
	pairs  map[uint64]pairMerge // (left, right) → rank and merged token
	vocab  map[string]uint32    // token bytes → id, for whole-piece look-ups
	// ignoreMerges takes a piece that is itself a token as that token
	// (Hugging Face's ignore_merges, as in Llama-3).
	ignoreMerges bool
}

type pairMerge struct {
	rank uint32
	id   uint32
}

func pairKey(a, b uint32) uint64 { return uint64(a)<<32 | uint64(b) }

const noRank = math.MaxUint32

// maxScanPiece is the longest piece merged by scanning all pairs for the
// lowest rank (quadratic, but the fastest way for the short pieces of
// ordinary text, and within encodeScan's stack buffers); longer pieces
// merge through a heap, in O(n log n). Both take the same time at about
// 64 bytes on cl100k_base.
const maxScanPiece = 64

// encode appends the tokens of one pre-tokenized piece to out.
func (m *bpe) encode(piece string, out []uint32) []uint32 {
	if len(piece) == 1 {
		return append(out, m.byteID[piece[0]])
	}
	if m.ignoreMerges {
		if id, ok := m.vocab[piece]; ok {
			return append(out, id)
		}
	}
	if len(piece) > maxScanPiece {
		return m.encodeHeap(piece, out)
	}
	return m.encodeScan(piece, out)
}

// encodeScan merges by scanning the pairs' ranks for the lowest each time:
// O(n²) in the length of the piece, for short pieces only.
func (m *bpe) encodeScan(piece string, out []uint32) []uint32 {
	// syms holds the current tokens, ranks[i] the rank of merging syms[i]
	// with syms[i+1]. Each merge updates only its two neighbours' ranks.
	var symBuf, rankBuf [64]uint32
	var idBuf [64]uint32
	syms, ranks, ids := symBuf[:0], rankBuf[:0], idBuf[:0]
	for i := 0; i < len(piece); i++ {
		syms = append(syms, m.byteID[piece[i]])
	}
	for i := 0; i+1 < len(syms); i++ {
		r, id := m.rank(syms[i], syms[i+1])
		ranks = append(ranks, r)
		ids = append(ids, id)
	}
	for len(syms) > 1 {
		best, at := uint32(noRank), -1
		for i, r := range ranks {
			if r < best {
				best, at = r, i
			}
		}
		if at < 0 {
			break
		}
		syms[at] = ids[at]
		syms = append(syms[:at+1], syms[at+2:]...)
		ranks = append(ranks[:at], ranks[at+1:]...)
		ids = append(ids[:at], ids[at+1:]...)
		if at > 0 {
			ranks[at-1], ids[at-1] = m.rank(syms[at-1], syms[at])
		}
		if at < len(ranks) {
			ranks[at], ids[at] = m.rank(syms[at], syms[at+1])
		}
	}
	return append(out, syms...)
}

// symbol is one token of a piece being merged, in a doubly linked list
// indexed by the byte offset where the token starts.
type symbol struct {
	tok        uint32
	rank, id   uint32 // merging with the next symbol: its rank (noRank: none) and token
	prev, next int32  // offsets of the neighbours; -1 and len(piece) at the ends
}

// encodeHeap merges with a min-heap of candidate pairs keyed by rank, then
// offset: the same merges in the same order as encodeScan, in O(n log n).
// Merging changes only the pairs on either side of the new token; their
// new ranks are pushed, and outdated entries are skipped when they surface:
// an entry is current when its symbol still has that rank (one that
// matches by chance names a current pair of that rank at that offset,
// which is as right to merge). A piece holds at most 2 GiB (int32
// offsets), beyond any record the tools read.
func (m *bpe) encodeHeap(piece string, out []uint32) []uint32 {
	if len(piece) > math.MaxInt32 {
		panic("token: a pre-tokenized piece of 2 GiB or more")
	}
	n := int32(len(piece))
	syms := make([]symbol, n)
	h := make(pairHeap, 0, n)
	for i := range n {
		syms[i] = symbol{tok: m.byteID[piece[i]], rank: noRank, prev: i - 1, next: i + 1}
	}
	pair := func(i int32) {
		s := &syms[i]
		s.rank, s.id = noRank, 0
		if s.next < n {
			s.rank, s.id = m.rank(s.tok, syms[s.next].tok)
			if s.rank != noRank {
				h.push(uint64(s.rank)<<32 | uint64(i))
			}
		}
	}
	for i := range n - 1 {
		s := &syms[i]
		if s.rank, s.id = m.rank(s.tok, syms[i+1].tok); s.rank != noRank {
			h = append(h, uint64(s.rank)<<32|uint64(i))
		}
	}
	h.init()
	for len(h) > 0 {
		top := h.pop()
		i := int32(uint32(top))
		s := &syms[i]
		if s.rank != uint32(top>>32) {
			continue // outdated: the symbol merged, or was merged into another
		}
		dead := &syms[s.next]
		s.tok, s.next = s.id, dead.next
		dead.rank = noRank
		if s.next < n {
			syms[s.next].prev = i
		}
		pair(i)
		if s.prev >= 0 {
			pair(s.prev)
		}
	}
	for i := int32(0); i < n; i = syms[i].next {
		out = append(out, syms[i].tok)
	}
	return out
}

// pairHeap is a binary min-heap of rank<<32 | offset: lowest rank first,
// leftmost on ties.
type pairHeap []uint64

func (h pairHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *pairHeap) push(x uint64) {
	*h = append(*h, x)
	q := *h
	i := len(q) - 1
	for i > 0 {
		p := (i - 1) / 2
		if q[p] <= x {
			break
		}
		q[i] = q[p]
		i = p
	}
	q[i] = x
}

func (h *pairHeap) pop() uint64 {
	q := *h
	top := q[0]
	last := len(q) - 1
	q[0] = q[last]
	*h = q[:last]
	if last > 0 {
		(*h).down(0)
	}
	return top
}

func (h pairHeap) down(i int) {
	x := h[i]
	for {
		c := 2*i + 1
		if c >= len(h) {
			break
		}
		if c+1 < len(h) && h[c+1] < h[c] {
			c++
		}
		if x <= h[c] {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = x
}

func (m *bpe) rank(a, b uint32) (uint32, uint32) {
	if p, ok := m.pairs[pairKey(a, b)]; ok {
		return p.rank, p.id
	}
	return noRank, 0
}

// pairsFromRanks derives the pair table from tiktoken's mergeable ranks:
// tokens a and b merge, at the rank of a+b, when a+b is itself a token.
func pairsFromRanks(vocab map[string]uint32) map[uint64]pairMerge {
	pairs := make(map[uint64]pairMerge, len(vocab)*2)
	for tok, id := range vocab {
		for k := 1; k < len(tok); k++ {
			a, okA := vocab[tok[:k]]
			b, okB := vocab[tok[k:]]
			if okA && okB {
				pairs[pairKey(a, b)] = pairMerge{rank: id, id: id}
			}
		}
	}
	return pairs
}
