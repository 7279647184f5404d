package token

import (
	"fmt"
	"sort"

	loader "github.com/pkoukk/tiktoken-go-loader"
)

// encodingDef describes a tiktoken encoding: its rank file, pattern and
// special tokens (as tiktoken defines them).
type encodingDef struct {
	ranks    string
	pattern  string
	specials map[string]uint32
}

var encodings = map[string]encodingDef{
	"cl100k_base": {"cl100k_base.tiktoken", patCL100KPossessive, map[string]uint32{
		"<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259,
		"<|fim_suffix|>": 100260, "<|endofprompt|>": 100276}},
	"o200k_base": {"o200k_base.tiktoken", patO200K, map[string]uint32{
		"<|endoftext|>": 199999, "<|endofprompt|>": 200018}},
	"p50k_base": {"p50k_base.tiktoken", patGPT2, map[string]uint32{"<|endoftext|>": 50256}},
	"p50k_edit": {"p50k_base.tiktoken", patGPT2, map[string]uint32{
		"<|endoftext|>": 50256, "<|fim_prefix|>": 50281, "<|fim_middle|>": 50282, "<|fim_suffix|>": 50283}},
	"r50k_base": {"r50k_base.tiktoken", patGPT2, map[string]uint32{"<|endoftext|>": 50256}},
}

// Encodings lists the built-in tiktoken encodings.
func Encodings() []string {
	names := make([]string, 0, len(encodings))
	for n := range encodings {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// tiktokenEncoding builds a built-in encoding from its embedded rank file.
func tiktokenEncoding(name string) (*Tokenizer, error) {
	def, ok := encodings[name]
	if !ok {
		return nil, fmt.Errorf("unknown encoding %q", name)
	}
	ranks, err := loader.NewOfflineLoader().LoadTiktokenBpe(def.ranks)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	split, err := newSplitter(def.pattern)
	if err != nil {
		return nil, err
	}
	m := &bpe{vocab: make(map[string]uint32, len(ranks)), ignoreMerges: true}
	for tok, r := range ranks {
		m.vocab[tok] = uint32(r)
	}
	for b := range 256 {
		id, ok := m.vocab[string([]byte{byte(b)})]
		if !ok {
			return nil, fmt.Errorf("%s: byte %#x is not a token", name, b)
		}
		m.byteID[b] = id
	}
	m.pairs = pairsFromRanks(m.vocab)
	t := &Tokenizer{name: name, split: split, model: m}
	t.setSpecials(def.specials)
	t.index()
	return t, nil
}
