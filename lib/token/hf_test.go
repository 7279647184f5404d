package token

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tinyTokenizerJSON is a byte-level BPE over all 256 bytes plus "ab" and
// "abc", with GPT-2's pre-tokenizer, as a tokenizer.json.
func tinyTokenizerJSON(t *testing.T, edit func(map[string]any)) []byte {
	t.Helper()
	vocab := map[string]int{}
	n := 0
	for b := range 256 { // GPT-2's byte-to-character table, in byte order
		r := rune(b)
		if !(b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF) {
			r = rune(256 + n)
			n++
		}
		vocab[string(r)] = b
	}
	vocab["ab"], vocab["abc"] = 256, 257
	doc := map[string]any{
		"added_tokens":  []map[string]any{{"id": 258, "content": "<|end|>", "special": true}},
		"normalizer":    nil,
		"pre_tokenizer": map[string]any{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
		"model":         map[string]any{"type": "BPE", "vocab": vocab, "merges": []string{"a b", "ab c"}, "ignore_merges": false},
	}
	if edit != nil {
		edit(doc)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestReadHF(t *testing.T) {
	tok, err := ReadHF("tiny", tinyTokenizerJSON(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text     string
		specials bool
		want     []int
	}{
		{"abc", false, []int{257}},
		{"ab abc", false, []int{256, ' ', 257}}, // " abc" is one piece: ' ' stays alone
		{"cab", false, []int{'c', 256}},
		{"a<|end|>", false, []int{'a', '<', '|', 'e', 'n', 'd', '|', '>'}},
		{"a<|end|>", true, []int{'a', 258}},
	}
	for _, tt := range tests {
		if got := tok.Encode(tt.text, tt.specials); !slices.Equal(got, tt.want) {
			t.Errorf("Encode(%q, %v) = %v; want %v", tt.text, tt.specials, got, tt.want)
		}
	}
	// Merges may also come as pairs.
	pairs, err := ReadHF("pairs", tinyTokenizerJSON(t, func(d map[string]any) {
		d["model"].(map[string]any)["merges"] = [][]string{{"a", "b"}, {"ab", "c"}}
	}))
	if err != nil || !slices.Equal(pairs.Encode("abc", false), []int{257}) {
		t.Errorf("merges as pairs: %v", err)
	}
	// An empty added token is no token at all (it used to stop Encode).
	empty, err := ReadHF("empty", tinyTokenizerJSON(t, func(d map[string]any) {
		d["added_tokens"] = append(d["added_tokens"].([]map[string]any), map[string]any{"id": 259, "content": ""})
	}))
	if err != nil || !slices.Equal(empty.Encode("a<|end|>", true), []int{'a', 258}) {
		t.Errorf("an empty added token: %v", err)
	}
	for name, edit := range map[string]func(map[string]any){
		"normalizer \"Lowercase\" is not supported": func(d map[string]any) { d["normalizer"] = map[string]any{"type": "Lowercase"} },
		"not a byte-level BPE":                      func(d map[string]any) { d["model"].(map[string]any)["type"] = "WordPiece" },
		"pre-tokenizer Whitespace":                  func(d map[string]any) { d["pre_tokenizer"] = map[string]any{"type": "Whitespace"} },
		"outside the vocabulary":                    func(d map[string]any) { d["model"].(map[string]any)["merges"] = []string{"x yz"} },
	} {
		if _, err := ReadHF("bad", tinyTokenizerJSON(t, edit)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("want an error about %s, got %v", name, err)
		}
	}
}

// TestHFCache: hf:OWNER/NAME is found in the Hugging Face cache layout,
// preferring the snapshot refs/main names.
func TestHFCache(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HF_HUB_CACHE", "")
	t.Setenv("HF_HOME", home)
	if _, err := Open("hf:Kwaipilot/KAT-Dev"); err == nil || !strings.Contains(err.Error(), "huggingface-cli download Kwaipilot/KAT-Dev tokenizer.json") {
		t.Fatalf("missing tokenizer: %v", err)
	}
	model := filepath.Join(home, "hub", "models--Kwaipilot--KAT-Dev")
	for _, snap := range []string{"aaaa", "bbbb"} {
		dir := filepath.Join(model, "snapshots", snap)
		os.MkdirAll(dir, 0o755)
		data := tinyTokenizerJSON(t, nil)
		if snap == "bbbb" { // lexically last, but not refs/main: must not be used
			data = []byte("not json")
		}
		os.WriteFile(filepath.Join(dir, "tokenizer.json"), data, 0o644)
	}
	os.MkdirAll(filepath.Join(model, "refs"), 0o755)
	os.WriteFile(filepath.Join(model, "refs", "main"), []byte("aaaa\n"), 0o644)
	tok, err := Open("hf:Kwaipilot/KAT-Dev")
	if err != nil || !strings.HasSuffix(tok.Name(), filepath.Join("snapshots", "aaaa", "tokenizer.json")) {
		t.Fatalf("Open = %v, %v", tok, err)
	}
	if _, err := Open("nonsense"); err == nil || !strings.Contains(err.Error(), "cl100k_base") {
		t.Errorf("unknown name: %v", err)
	}
}
