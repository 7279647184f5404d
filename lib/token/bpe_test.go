package token

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// refEncode is BPE as its definition reads, with no care for speed: while
// some adjacent pair of parts can merge, merge the pair of lowest rank,
// leftmost on ties, recomputing every pair's rank each time. A tiktoken
// encoding ranks a pair by its concatenation's rank (tiktoken's
// _byte_pair_merge), not through the pair table pairsFromRanks derives; a
// tokenizer.json ranks it by its place in the merges list.
func refEncode(m *bpe, tiktoken bool, piece string) []uint32 {
	if len(piece) == 0 {
		return nil
	}
	if m.ignoreMerges {
		if id, ok := m.vocab[piece]; ok {
			return []uint32{id}
		}
	}
	rank := func(a, b string) uint32 {
		if tiktoken {
			if id, ok := m.vocab[a+b]; ok {
				return id
			}
			return noRank
		}
		if p, ok := m.pairs[pairKey(m.vocab[a], m.vocab[b])]; ok {
			return p.rank
		}
		return noRank
	}
	// parts[i] is where the i-th part starts; it ends where the next starts.
	parts := make([]int, 0, len(piece)+1)
	for i := range len(piece) + 1 {
		parts = append(parts, i)
	}
	for {
		best, at := uint32(noRank), -1
		for i := 0; i+2 < len(parts); i++ {
			if r := rank(piece[parts[i]:parts[i+1]], piece[parts[i+1]:parts[i+2]]); r < best {
				best, at = r, i
			}
		}
		if at < 0 {
			break
		}
		parts = slices.Delete(parts, at+1, at+2)
	}
	ids := make([]uint32, len(parts)-1)
	for i := range ids {
		id, ok := m.vocab[piece[parts[i]:parts[i+1]]]
		if !ok {
			panic(fmt.Sprintf("part %q is not a token", piece[parts[i]:parts[i+1]]))
		}
		ids[i] = id
	}
	return ids
}

// isTiktoken tells the built-in encodings from tokenizer.json files.
func isTiktoken(tok *Tokenizer) bool {
	_, ok := encodings[tok.Name()]
	return ok
}

// checkBPE compares encode and both of its merge loops, whatever the
// piece's length, with refEncode.
func checkBPE(t *testing.T, name string, tok *Tokenizer, piece string) {
	t.Helper()
	m := tok.model
	want := refEncode(m, isTiktoken(tok), piece)
	show := piece
	if len(show) > 40 {
		show = fmt.Sprintf("%.40q... (%d bytes)", piece, len(piece))
	} else {
		show = fmt.Sprintf("%q", piece)
	}
	if got := m.encode(piece, nil); !slices.Equal(got, want) {
		t.Errorf("%s: encode(%s) = %v; want %v", name, show, got, want)
	}
	if len(piece) < 2 || m.ignoreMerges && len(want) == 1 {
		return // encode answers these before merging
	}
	if got := m.encodeScan(piece, nil); !slices.Equal(got, want) {
		t.Errorf("%s: encodeScan(%s) = %v; want %v", name, show, got, want)
	}
	if got := m.encodeHeap(piece, nil); !slices.Equal(got, want) {
		t.Errorf("%s: encodeHeap(%s) = %v; want %v", name, show, got, want)
	}
}

// adversarialPieces are pieces that merge a lot, or in long chains, at
// lengths on both sides of maxScanPiece.
func adversarialPieces() []string {
	units := []string{"a", "ab", "aab", "abc", " ", "  a", "\t", "\n", "\r\n", "0", "12", "=", "-", "/*", "漢", "漢字", "é", "🦀", "\xff", "\xe6\xbc",
		"_", "fn ", "self.", "::<", "x", "ZZ", "Ab", "я", "ـ"}
	var out []string
	for _, u := range units {
		for _, n := range []int{2, 3, 5, 31, 32, 33, 63, 64, 65, 127, 128, 129, 130, 257, 600} {
			out = append(out, strings.Repeat(u, n)[:n]) // n bytes, maybe cutting a character
		}
	}
	// A long run with something else at either end or in the middle.
	for _, s := range []string{"a", " ", "漢"} {
		run := strings.Repeat(s, 300)
		out = append(out, "b"+run, run+"b", run[:len(run)/2]+"b"+run[len(run)/2:], " "+run+"\n")
	}
	return out
}

// randomPieces are pieces from small alphabets (many merges, many ties),
// any bytes, any runes, and concatenations of a vocabulary's tokens.
func randomPieces(rng *rand.Rand, m *bpe, count int) []string {
	alphabets := []string{"ab", "a ", "ab c", "aaab", "\t\n ", "0123456789", "abcdefghijklmnopqrstuvwxyz", "漢字", "漢 a"}
	var tokens []string
	for tok := range m.vocab {
		tokens = append(tokens, tok)
	}
	slices.Sort(tokens) // deterministic, whatever the map's order
	var out []string
	for range count {
		n := 2 + rng.IntN(300)
		if rng.IntN(10) == 0 {
			n = 300 + rng.IntN(1200)
		}
		var b strings.Builder
		switch kind := rng.IntN(4); kind {
		case 0:
			alpha := []rune(alphabets[rng.IntN(len(alphabets))])
			for b.Len() < n {
				b.WriteRune(alpha[rng.IntN(len(alpha))])
			}
		case 1:
			for b.Len() < n {
				b.WriteByte(byte(rng.IntN(256)))
			}
		case 2:
			for b.Len() < n {
				b.WriteRune(rune(rng.IntN(0x3000)))
			}
		case 3:
			for b.Len() < n {
				b.WriteString(tokens[rng.IntN(len(tokens))])
			}
		}
		out = append(out, b.String())
	}
	return out
}

// TestBPEMatchesReference: the merge loops give the ids of the rule as
// written, on adversarial and random pieces, for every tokenizer.
func TestBPEMatchesReference(t *testing.T) {
	for name, tok := range tokenizers(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(9, 1))
			pieces := append(adversarialPieces(), randomPieces(rng, tok.model, 300)...)
			for _, p := range pieces {
				checkBPE(t, name, tok, p)
			}
		})
	}
}

// TestBPEMergesList: with a tokenizer.json, a pair's rank is its place in
// the merges list, not its token's id, and a token may come from several
// pairs of different ranks; the merge loops still match the reference.
func TestBPEMergesList(t *testing.T) {
	tok, err := ReadHF("merges", tinyTokenizerJSON(t, func(d map[string]any) {
		m := d["model"].(map[string]any)
		vocab := m["vocab"].(map[string]int)
		for i, tok := range []string{"aa", "aaa", "aaaa", "ab", "abc", "bc", "aabc", "ca"} {
			vocab[tok] = 256 + i
		}
		m["merges"] = []string{"b c", "a a", "a bc", "aa aa", "a b", "aa a", "ab c", "aa bc", "c a"}
	}))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 3))
	pieces := adversarialPieces()
	for range 500 {
		b := make([]byte, 2+rng.IntN(200))
		for i := range b {
			b[i] = "aabc"[rng.IntN(4)]
		}
		pieces = append(pieces, string(b))
	}
	for _, p := range pieces {
		checkBPE(t, "merges", tok, p)
	}
}

// decode concatenates the bytes of ids.
func decode(m *bpe, ids []int) string {
	text := map[uint32]string{}
	for tok, id := range m.vocab {
		text[id] = tok
	}
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(text[uint32(id)])
	}
	return b.String()
}

// TestLongPiece: texts that are one piece of hundreds of thousands of
// bytes (issue 9: 200,000 'a' took 48 s) encode to the reference's ids on
// a size the reference can afford, and at full size to tokens that spell
// the text, start as the smaller one's do, and repeat one token in the
// middle as a run of one character must. Speed is BenchmarkWorstCase's.
func TestLongPiece(t *testing.T) {
	cases := []struct {
		unit string
		n    int
	}{{"a", 200_000}, {"漢", 100_000}, {" ", 200_000}}
	for name, tok := range tokenizers(t) {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/%dx%q", name, c.n, c.unit), func(t *testing.T) {
				text := strings.Repeat(c.unit, c.n)
				if pieces := splitAll(tok.split, text); len(pieces) != 1 {
					t.Fatalf("the pre-tokenizer cuts the text in %d pieces; want one", len(pieces))
				}
				small := strings.Repeat(c.unit, 2000/len(c.unit))
				want := refEncode(tok.model, isTiktoken(tok), small)
				if got := tok.model.encode(small, nil); !slices.Equal(got, want) {
					t.Fatalf("%d bytes: %s", len(small), firstDiff(toInts(got), toInts(want)))
				}

				got := tok.Encode(text, false)
				if c := tok.Count(text, false); c != len(got) {
					t.Errorf("Count = %d; Encode gives %d ids", c, len(got))
				}
				if s := decode(tok.model, got); s != text {
					t.Fatalf("the %d ids spell %d bytes, not the text", len(got), len(s))
				}
				// The first tokens do not depend on how far the run goes.
				ends, _ := tok.NewEncoder().TokenEnds(text, false)
				k := 0
				for ends[k] < len(small)/2 {
					k++
				}
				if !slices.Equal(toInts(want[:k]), got[:k]) {
					t.Errorf("first %d tokens: %s", k, firstDiff(got[:k], toInts(want[:k])))
				}
				// Away from its ends the run merges the same way everywhere:
				// the middle half's ids repeat with a short period (one token
				// of many a's, or the 2+1 bytes of each 漢).
				mid := got[len(got)/4 : 3*len(got)/4]
				if p := period(mid); p < 0 || p > 4 {
					t.Errorf("the middle half's %d tokens do not repeat with a period under 5: %v...", len(mid), mid[:min(len(mid), 8)])
				}
				t.Logf("%d bytes: %d tokens", len(text), len(got))
			})
		}
	}
}

// period is the least p under 9 such that ids[i] == ids[i+p] throughout,
// or -1.
func period(ids []int) int {
	for p := 1; p <= 8 && p <= len(ids)/2; p++ {
		if slices.Equal(ids[p:], ids[:len(ids)-p]) {
			return p
		}
	}
	return -1
}

func toInts(ids []uint32) []int {
	out := make([]int, len(ids))
	for i, id := range ids {
		out[i] = int(id)
	}
	return out
}

// refTokenize encodes text as Encoder.encode does, from simple parts:
// added tokens found one by one from the left (the longest at the leftmost
// position), NFC when the tokenizer asks for it, the pre-tokenizer's
// pieces (its scanners are checked against regexp2 on their own), and
// refEncode.
func refTokenize(tok *Tokenizer, text string, specials bool) []int {
	var out []int
	plain := func(s string) {
		if tok.nfc {
			s = norm.NFC.String(s)
		}
		tok.split.split(s, func(piece string) {
			out = append(out, toInts(refEncode(tok.model, isTiktoken(tok), piece))...)
		})
	}
	for specials {
		best, at := special{}, -1
		for _, sp := range tok.added { // longest first
			if i := strings.Index(text, sp.text); i >= 0 && (at < 0 || i < at) {
				best, at = sp, i
			}
		}
		if at < 0 {
			break
		}
		plain(text[:at])
		out = append(out, int(best.id))
		text = text[at+len(best.text):]
	}
	plain(text)
	return out
}

// FuzzBPE compares encode and both merge loops with refEncode on any
// piece, repeated up to 16 times so that long runs come up.
func FuzzBPE(f *testing.F) {
	for _, s := range []string{"aaaa", "漢漢", "    ", "\t\n", "ab", "fn main() {}", "\xff\xfe", "x = 1;"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(40))
	}
	toks := tokenizers(f)
	f.Fuzz(func(t *testing.T, piece string, repeat uint8) {
		piece = strings.Repeat(piece, 1+int(repeat%16))
		if len(piece) > 512 {
			piece = piece[:512]
		}
		if piece == "" {
			return
		}
		for name, tok := range toks {
			checkBPE(t, name, tok, piece)
			if got, want := tok.Encode(piece, true), refTokenize(tok, piece, true); !slices.Equal(got, want) {
				t.Fatalf("%s: Encode(%q): %s", name, piece, firstDiff(got, want))
			}
		}
	})
}
