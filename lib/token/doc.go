// Package token counts and encodes text exactly as a model's tokenizer does,
// offline and fast: the tiktoken encodings (cl100k_base, o200k_base,
// p50k_base, p50k_edit, r50k_base, rank files embedded through
// github.com/pkoukk/tiktoken-go-loader) and Hugging Face tokenizer.json
// byte-level BPE files (Qwen2/Qwen3/KAT-Dev, Llama-3 style), with their
// normalizer, pre-tokenizer pattern and added tokens.
//
// Pre-tokenizer patterns with look-ahead (`\s+(?!\S)`), which Go's regexp
// cannot express, are run by hand-written scanners for the known pattern
// families, checked against a backtracking regex engine (regexp2) in the
// tests; any other pattern runs on regexp2 itself.
package token
