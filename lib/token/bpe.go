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
