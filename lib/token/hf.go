package token

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dwkit/dwkit/lib/repo"
)

// hfFile is the part of a Hugging Face tokenizer.json that byte-level BPE
// tokenizers use.
type hfFile struct {
	AddedTokens []struct {
		ID      uint32 `json:"id"`
		Content string `json:"content"`
	} `json:"added_tokens"`
	Normalizer   *hfPart `json:"normalizer"`
	PreTokenizer *hfPart `json:"pre_tokenizer"`
	Model        struct {
		Type                    string            `json:"type"`
		Vocab                   map[string]uint32 `json:"vocab"`
		Merges                  json.RawMessage   `json:"merges"`
		IgnoreMerges            bool              `json:"ignore_merges"`
		ByteFallback            bool              `json:"byte_fallback"`
		ContinuingSubwordPrefix string            `json:"continuing_subword_prefix"`
		EndOfWordSuffix         string            `json:"end_of_word_suffix"`
	} `json:"model"`
}

// hfPart is a normalizer or pre-tokenizer, possibly a Sequence of them.
type hfPart struct {
	Type           string    `json:"type"`
	Normalizers    []*hfPart `json:"normalizers"`
	Pretokenizers  []*hfPart `json:"pretokenizers"`
	Pattern        struct{ Regex, String string }
	Behavior       string `json:"behavior"`
	Invert         bool   `json:"invert"`
	AddPrefixSpace bool   `json:"add_prefix_space"`
	UseRegex       bool   `json:"use_regex"`
}

// ReadHF builds a tokenizer from a tokenizer.json file's contents.
func ReadHF(name string, data []byte) (*Tokenizer, error) {
	var f hfFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	fail := func(format string, args ...any) (*Tokenizer, error) {
		return nil, fmt.Errorf("%s: "+format, append([]any{name}, args...)...)
	}
	if f.Model.Type != "BPE" || f.Model.ByteFallback || f.Model.ContinuingSubwordPrefix != "" || f.Model.EndOfWordSuffix != "" {
		return fail("model %q is not a byte-level BPE (only those are supported)", f.Model.Type)
	}
	t := &Tokenizer{name: name}
	switch {
	case f.Normalizer == nil:
	case f.Normalizer.Type == "NFC":
		t.nfc = true
	default:
		return fail("normalizer %q is not supported (only NFC or none)", f.Normalizer.Type)
	}
	pattern, err := hfPattern(f.PreTokenizer)
	if err != nil {
		return fail("%v", err)
	}
	if t.split, err = newSplitter(pattern); err != nil {
		return fail("%v", err)
	}

	// Vocabulary: byte-level strings back to raw bytes.
	decode := byteLevelDecoder()
	m := &bpe{vocab: make(map[string]uint32, len(f.Model.Vocab)), ignoreMerges: f.Model.IgnoreMerges}
	for tok, id := range f.Model.Vocab {
		raw, ok := decode(tok)
		if !ok {
			return fail("vocabulary token %q is not byte-level", tok)
		}
		m.vocab[raw] = id
	}
	for b := range 256 {
		id, ok := m.vocab[string([]byte{byte(b)})]
		if !ok {
			return fail("byte %#x has no token", b)
		}
		m.byteID[b] = id
	}
	// Merges: "a b" strings or [a, b] pairs; the rank is the position.
	var asStrings []string
	var asPairs [][2]string
	if err := json.Unmarshal(f.Model.Merges, &asStrings); err != nil {
		if err := json.Unmarshal(f.Model.Merges, &asPairs); err != nil {
			return fail("merges are neither strings nor pairs")
		}
	} else {
		for _, s := range asStrings {
			a, b, ok := strings.Cut(s, " ")
			if !ok {
				return fail("merge %q is not two tokens", s)
			}
			asPairs = append(asPairs, [2]string{a, b})
		}
	}
	m.pairs = make(map[uint64]pairMerge, len(asPairs))
	for rank, p := range asPairs {
		a, okA := f.Model.Vocab[p[0]]
		b, okB := f.Model.Vocab[p[1]]
		id, okM := f.Model.Vocab[p[0]+p[1]]
		if !okA || !okB || !okM {
			return fail("merge %q %q uses tokens outside the vocabulary", p[0], p[1])
		}
		if _, dup := m.pairs[pairKey(a, b)]; !dup {
			m.pairs[pairKey(a, b)] = pairMerge{rank: uint32(rank), id: id}
		}
	}
	t.model = m
	added := map[string]uint32{}
	for _, a := range f.AddedTokens {
		added[a.Content] = a.ID
	}
	t.setSpecials(added)
	t.index()
	return t, nil
}

// hfPattern returns the pre-tokenizer's split pattern. Supported: a Split
// (Isolated, not inverted) followed by a ByteLevel without its own regex
// (Qwen2/3, Llama-3), or a ByteLevel with the GPT-2 regex.
func hfPattern(p *hfPart) (string, error) {
	if p == nil {
		return "", errors.New("no pre-tokenizer")
	}
	parts := []*hfPart{p}
	if p.Type == "Sequence" {
		parts = p.Pretokenizers
	}
	pattern := ""
	for _, q := range parts {
		switch {
		case q.Type == "Split" && q.Behavior == "Isolated" && !q.Invert && pattern == "":
			pattern = q.Pattern.Regex
			if pattern == "" {
				pattern = regexpQuote(q.Pattern.String)
			}
		case q.Type == "ByteLevel" && !q.AddPrefixSpace:
			if q.UseRegex {
				if pattern != "" {
					return "", errors.New("two split patterns")
				}
				pattern = patGPT2
			}
		default:
			return "", fmt.Errorf("pre-tokenizer %s (behavior %q, add_prefix_space %v) is not supported", q.Type, q.Behavior, q.AddPrefixSpace)
		}
	}
	if pattern == "" {
		return "", errors.New("the pre-tokenizer splits nothing")
	}
	return pattern, nil
}

func regexpQuote(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// byteLevelDecoder inverts GPT-2's bytes_to_unicode: printable Latin-1
// bytes stand for themselves, the others for U+0100 onwards in order.
func byteLevelDecoder() func(string) (string, bool) {
	var toByte = map[rune]byte{}
	n := 0
	for b := range 256 {
		if b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF {
			toByte[rune(b)] = byte(b)
		} else {
			toByte[rune(256+n)] = byte(b)
			n++
		}
	}
	return func(s string) (string, bool) {
		out := make([]byte, 0, len(s))
		for _, r := range s {
			b, ok := toByte[r]
			if !ok {
				return "", false
			}
			out = append(out, b)
		}
		return string(out), true
	}
}

// maxTokenizerFile is the largest tokenizer.json read (real ones are a few
// tens of MB): a larger file, a device or a FIFO is refused, not read.
const maxTokenizerFile = 512 << 20

// Open returns a tokenizer by name: a built-in tiktoken encoding
// (cl100k_base, o200k_base, ...), a tokenizer.json file (or a folder with
// one), or hf:OWNER/NAME, found in the local Hugging Face cache.
func Open(spec string) (*Tokenizer, error) {
	if _, ok := encodings[spec]; ok {
		return tiktokenEncoding(spec)
	}
	path := spec
	if repo, ok := strings.CutPrefix(spec, "hf:"); ok {
		var err error
		if path, err = hfCached(repo); err != nil {
			return nil, err
		}
	} else if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, "tokenizer.json")
	}
	data, err := repo.ReadSmall(path, maxTokenizerFile)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(spec, "/.") {
			return nil, fmt.Errorf("unknown tokenizer %q: want one of %s, a tokenizer.json path, or hf:OWNER/NAME", spec, strings.Join(Encodings(), ", "))
		}
		return nil, err
	}
	return ReadHF(path, data)
}

// hfCached finds tokenizer.json of a model in the Hugging Face hub cache:
// $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub, then
// models--OWNER--NAME/snapshots/<the commit refs/main names, or the last>.
func hfCached(repo string) (string, error) {
	cache := os.Getenv("HF_HUB_CACHE")
	if cache == "" {
		home := os.Getenv("HF_HOME")
		if home == "" {
			userHome, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			home = filepath.Join(userHome, ".cache", "huggingface")
		}
		cache = filepath.Join(home, "hub")
	}
	dir := filepath.Join(cache, "models--"+strings.ReplaceAll(repo, "/", "--"))
	var candidates []string
	if ref, err := os.ReadFile(filepath.Join(dir, "refs", "main")); err == nil {
		candidates = append(candidates, filepath.Join(dir, "snapshots", strings.TrimSpace(string(ref)), "tokenizer.json"))
	}
	snaps, _ := filepath.Glob(filepath.Join(dir, "snapshots", "*", "tokenizer.json"))
	sort.Sort(sort.Reverse(sort.StringSlice(snaps)))
	for _, c := range append(candidates, snaps...) {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	return "", fmt.Errorf("tokenizer of %s not found in the Hugging Face cache (%s); download it with\n"+
		"  huggingface-cli download %s tokenizer.json\n"+
		"or pass the path of a tokenizer.json with --tokenizer", repo, dir, repo)
}
