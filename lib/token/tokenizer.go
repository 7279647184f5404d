package token

import (
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/unicode/norm"
)

// Tokenizer encodes text into a model's token ids. It is immutable and safe
// for concurrent use; each Encoder made from it keeps its own cache.
type Tokenizer struct {
	name  string
	split splitter
	model *bpe
	nfc   bool      // normalize to NFC first (tokenizer.json "NFC")
	added []special // added and special tokens, longest first
	lens  []uint32  // byte length of each token id
	pool  sync.Pool // of *Encoder, for the convenience methods
}

// index records each token's byte length, for TokenEnds.
func (t *Tokenizer) index() {
	maxID := uint32(0)
	for _, id := range t.model.vocab {
		maxID = max(maxID, id)
	}
	for _, sp := range t.added {
		maxID = max(maxID, sp.id)
	}
	t.lens = make([]uint32, maxID+1)
	for tok, id := range t.model.vocab {
		t.lens[id] = uint32(len(tok))
	}
	for _, sp := range t.added {
		t.lens[sp.id] = uint32(len(sp.text))
	}
}

// special is an added token: text that maps to one id when specials are
// recognized.
type special struct {
	text string
	id   uint32
}

// Name is the tokenizer's name: the encoding (cl100k_base) or the file it
// was read from.
func (t *Tokenizer) Name() string { return t.name }

func (t *Tokenizer) setSpecials(m map[string]uint32) {
	t.added = t.added[:0]
	for text, id := range m {
		if text != "" { // matches nowhere, and would never move the search on
			t.added = append(t.added, special{text, id})
		}
	}
	sort.Slice(t.added, func(i, j int) bool {
		a, b := t.added[i].text, t.added[j].text
		return len(a) > len(b) || len(a) == len(b) && a < b
	})
}

// Encoder encodes with a cache of the pieces it has seen. It is not safe
// for concurrent use: give each goroutine its own (Tokenizer.NewEncoder).
type Encoder struct {
	t     *Tokenizer
	cache map[string][]uint32
	buf   []uint32
	next  []int // where each added token occurs next, for encode
}

// maxCache bounds an Encoder's cache; past it the cache starts over.
const maxCache = 1 << 18

// maxCachedPiece is the longest piece worth caching.
const maxCachedPiece = 64

// NewEncoder returns an Encoder with an empty cache.
func (t *Tokenizer) NewEncoder() *Encoder {
	return &Encoder{t: t, cache: make(map[string][]uint32, 1<<12)}
}

// Encode returns the token ids of text. With specials, added and special
// tokens written in the text (e.g. <|endoftext|>) become their ids;
// without, they are plain text like any other.
func (e *Encoder) Encode(text string, specials bool) []int {
	ids := e.encode(text, specials, e.buf[:0])
	e.buf = ids
	out := make([]int, len(ids))
	for i, id := range ids {
		out[i] = int(id)
	}
	return out
}

// TokenEnds returns the byte offset in text after each of its tokens. It
// reports false when the tokenizer's normalizer would change text, so that
// tokens do not map onto its bytes. An offset may fall inside a UTF-8
// sequence when a token holds part of a character.
func (e *Encoder) TokenEnds(text string, specials bool) ([]int, bool) {
	if e.t.nfc && !norm.NFC.IsNormalString(text) {
		return nil, false
	}
	ids := e.encode(text, specials, e.buf[:0])
	e.buf = ids
	ends := make([]int, len(ids))
	off := 0
	for i, id := range ids {
		off += int(e.t.lens[id])
		ends[i] = off
	}
	return ends, true
}

// Count returns the number of tokens of text.
func (e *Encoder) Count(text string, specials bool) int {
	ids := e.encode(text, specials, e.buf[:0])
	e.buf = ids
	return len(ids)
}

func (e *Encoder) encode(text string, specials bool, out []uint32) []uint32 {
	if !specials || len(e.t.added) == 0 {
		return e.ordinary(text, out)
	}
	// next[k] is where added token k occurs first from pos on (-1: nowhere),
	// found again only once pos has passed it: each token's search runs
	// over the text once, however many added tokens the text holds.
	next := e.next[:0]
	for range e.t.added {
		next = append(next, unknown)
	}
	e.next = next
	pos := 0
	for {
		best, bestAt := -1, len(text)
		for k, sp := range e.t.added {
			if next[k] == unknown || next[k] >= 0 && next[k] < pos {
				next[k] = -1
				if i := strings.Index(text[pos:], sp.text); i >= 0 {
					next[k] = pos + i
				}
			}
			// The leftmost, the longest at that position (added is
			// longest first).
			if next[k] >= 0 && next[k] < bestAt {
				best, bestAt = k, next[k]
			}
		}
		if best < 0 {
			return e.ordinary(text[pos:], out)
		}
		out = e.ordinary(text[pos:bestAt], out)
		out = append(out, e.t.added[best].id)
		pos = bestAt + len(e.t.added[best].text)
	}
}

// unknown marks an added token not yet searched for.
const unknown = -2

// ordinary encodes text in which nothing is special.
func (e *Encoder) ordinary(text string, out []uint32) []uint32 {
	if e.t.nfc && !norm.NFC.IsNormalString(text) {
		text = norm.NFC.String(text)
	}
	e.t.split.split(text, func(piece string) {
		if len(piece) > maxCachedPiece {
			out = e.t.model.encode(piece, out)
			return
		}
		if ids, ok := e.cache[piece]; ok {
			out = append(out, ids...)
			return
		}
		n := len(out)
		out = e.t.model.encode(piece, out)
		if len(e.cache) >= maxCache {
			clear(e.cache)
		}
		e.cache[strings.Clone(piece)] = append([]uint32(nil), out[n:]...)
	})
	return out
}

// Encode encodes text with an Encoder from an internal pool.
func (t *Tokenizer) Encode(text string, specials bool) []int {
	e := t.encoder()
	defer t.pool.Put(e)
	return e.Encode(text, specials)
}

// Count counts the tokens of text with an Encoder from an internal pool.
func (t *Tokenizer) Count(text string, specials bool) int {
	e := t.encoder()
	defer t.pool.Put(e)
	return e.Count(text, specials)
}

func (t *Tokenizer) encoder() *Encoder {
	if e, ok := t.pool.Get().(*Encoder); ok {
		return e
	}
	return t.NewEncoder()
}
