package main

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/fim"
	"github.com/dwkit/dwkit/lib/rust"
	"github.com/dwkit/dwkit/lib/token"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	FIMRate    float64 `default:"0.5" help:"Share of records made into FIM samples; the rest pass as plain text."`
	SPMRate    float64 `default:"0.5" help:"Share of FIM samples laid out SPM; the rest PSM."`
	Span       string  `default:"char" enum:"char,line,ast" help:"The middle: random characters, whole lines, or a whole syntax node (Rust)."`
	Preset     string  `default:"qwen" enum:"starcoder,santacoder,qwen,codellama,deepseek" help:"Sentinel tokens of the target model family."`
	Tokenizer  string  `placeholder:"NAME" help:"Check that the sentinels are single special tokens of this tokenizer."`
	OnSentinel string  `default:"skip" enum:"skip,escape" help:"Source text holding a sentinel string: skip the record, or escape the string."`
	Seed       uint64  `default:"0" help:"Seed of the random choices (with each record's id)."`
}

type fimField struct {
	Mode    string `json:"mode"`
	Span    string `json:"span,omitempty"`
	Node    string `json:"node,omitempty"`
	Prefix  [2]int `json:"prefix"`
	Middle  [2]int `json:"middle"`
	Suffix  [2]int `json:"suffix"`
	Preset  string `json:"preset"`
	Source  string `json:"source,omitempty"`
	Escaped int    `json:"escaped,omitempty"`
}

func (c *command) Run(env *cli.Env) error {
	if !(c.FIMRate >= 0 && c.FIMRate <= 1 && c.SPMRate >= 0 && c.SPMRate <= 1) { // also refuses NaN
		return cli.Usagef("--fim-rate and --spm-rate are shares between 0 and 1")
	}
	s := fim.Presets[c.Preset]
	if c.Tokenizer != "" {
		tok, err := token.Open(c.Tokenizer)
		if err != nil {
			return cli.Usagef("--tokenizer: %v", err)
		}
		for _, st := range s.All() {
			if special, plain := len(tok.Encode(st, true)), len(tok.Encode(st, false)); special != 1 || plain == 1 {
				env.Report.Warnf("sentinel %s is not one special token of %s (%d tokens as special, %d as text): the model will not see it as a sentinel", st, tok.Name(), special, plain)
			}
		}
	}
	var counts [5]atomic.Int64 // psm, spm, plain, skipped, escaped
	err := cli.Filter(env, &c.Input, func(rec *ndjson.Record) ([]*ndjson.Record, error) {
		text, err := rec.Text()
		if err != nil {
			return nil, err
		}
		id, err := rec.ID()
		if err != nil {
			return nil, err
		}
		key := id
		if key == "" {
			key = text
		}
		r := rand.New(rand.NewPCG(c.Seed, seedOf(key)))
		f := fimField{Mode: "plain", Preset: c.Preset, Source: id, Prefix: [2]int{0, len(text)}, Middle: [2]int{len(text), len(text)}, Suffix: [2]int{len(text), len(text)}}
		sample := text
		if r.Float64() < c.FIMRate {
			src := text
			if fim.Contains(text, s) {
				if c.OnSentinel == "skip" {
					counts[3].Add(1)
					env.Report.Warnf("%s: skipped: its text holds a %s sentinel", orText(id), c.Preset)
					return nil, nil
				}
				esc, n, ok := fim.Escape(text, s)
				if !ok {
					counts[3].Add(1)
					env.Report.Warnf("%s: skipped: its text holds an escaped sentinel already", orText(id))
					return nil, nil
				}
				src, f.Escaped = esc, n
				counts[4].Add(1)
			}
			sp, span, node := c.split(src, r)
			spm := r.Float64() < c.SPMRate
			f.Mode, f.Span, f.Node = "psm", span, node
			if spm {
				f.Mode = "spm"
			}
			f.Prefix, f.Middle, f.Suffix = [2]int{0, sp.Start}, [2]int{sp.Start, sp.End}, [2]int{sp.End, len(src)}
			sample = fim.Format(src, sp, spm, s)
		}
		counts[map[string]int{"psm": 0, "spm": 1, "plain": 2}[f.Mode]].Add(1)
		out := &ndjson.Record{Fields: append([]ndjson.Field(nil), rec.Fields...)}
		return []*ndjson.Record{out}, errors.Join(
			out.SetValue("id", ndjson.NewID("fim-", key, fmt.Sprint(c.Seed), sample)),
			out.SetValue("text", sample),
			out.SetValue("fim", f),
		)
	})
	if err != nil {
		return err
	}
	env.Report.Infof("%d PSM, %d SPM, %d plain; %d skipped, %d escaped for holding sentinels",
		counts[0].Load(), counts[1].Load(), counts[2].Load(), counts[3].Load(), counts[4].Load())
	return nil
}

// split chooses the middle; ast falls back to line for text without nodes.
func (c *command) split(text string, r *rand.Rand) (fim.Split, string, string) {
	if c.Span == "ast" {
		if spans, err := rust.NodeSpans([]byte(text), rust.FIMNodes, 0); err == nil && len(spans) > 0 {
			sp, node := fim.NodeSplit(spans, r)
			return sp, "ast", node
		}
		return fim.LineSplit(text, r), "line", ""
	}
	if c.Span == "line" {
		return fim.LineSplit(text, r), "line", ""
	}
	return fim.CharSplit(text, r), "char", ""
}

// seedOf turns a record's id (or text) into a seed.
func seedOf(key string) uint64 {
	h := sha256.Sum256([]byte(key))
	return binary.LittleEndian.Uint64(h[:8])
}

func orText(id string) string {
	if id == "" {
		return "a record without id"
	}
	return strings.TrimSpace(id)
}
