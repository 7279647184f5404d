package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/hfdata"
	"github.com/dwkit/dwkit/lib/redact"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	Fields     []string `default:"text" placeholder:"PATH" help:"The string fields to clean, dotted paths into objects (default text); repeatable or comma-separated."`
	Entropy    float64  `default:"4.3" placeholder:"BITS" help:"Shannon entropy (bits per character) from which a string literal without spaces is a secret; 0 turns the rule off."`
	MinLiteral int      `default:"24" placeholder:"N" help:"The shortest string literal the entropy rule looks at (default 24 characters)."`
	PII        bool     `name:"pii" help:"Replace e-mail and IP addresses too."`
	Check      bool     `help:"Write no records: list the records that would change (no values) and exit 1 if there is any."`
	Report     string   `placeholder:"FILE" help:"Write the counts per rule as JSON to FILE."`
}

// stale are the fields that describe a record's text by byte offsets or
// counts, which a replacement makes wrong.
var stale = []string{"fim", "window", "tokens", "source.start_byte", "source.end_byte"}

// result is one record cleaned.
type result struct {
	rec      *ndjson.Record
	id       string
	rules    map[string]int // findings per rule
	matched  []bool         // per --fields path: a string was there
	unplaced int            // findings gitleaks made in decoded text
}

func (c *command) Run(env *cli.Env) error {
	var fields []string
	for _, f := range c.Fields {
		for _, p := range strings.Split(f, ",") {
			if p = strings.TrimSpace(p); p == "" || strings.HasPrefix(p, ".") || strings.HasSuffix(p, ".") || strings.Contains(p, "..") {
				return cli.Usagef("--fields %q: want dotted field paths like text or rust.docs", f)
			}
			fields = append(fields, p)
		}
	}
	if len(fields) == 0 {
		return cli.Usagef("--fields: name at least one field")
	}
	if c.Entropy < 0 || c.Entropy > 8 {
		return cli.Usagef("--entropy %g: want 0 (off) to 8 bits per character", c.Entropy)
	}
	if err := cli.AtLeast(1, "min-literal", c.MinLiteral); err != nil {
		return cli.Usagef("%v", err)
	}
	if c.Check && c.Output != "-" {
		return cli.Usagef("--check writes no records: no -o with it")
	}
	r, err := redact.New(redact.Options{Entropy: c.Entropy, MinLiteral: c.MinLiteral, PII: c.PII})
	if err != nil {
		return err
	}
	rc, name, err := c.Input.Open(env)
	if err != nil {
		return err
	}
	defer rc.Close()
	if c.Report != "" {
		if err := env.CheckSideOutput("report", c.Report); err != nil {
			return err
		}
	}
	total := redact.Report{Findings: map[string]int{}, InRecs: map[string]int{}, Fields: fields}
	clean := func(rec *ndjson.Record) (result, error) {
		res := result{rec: rec, rules: map[string]int{}}
		res.id, _ = rec.ID()
		p := redact.NewReplacer()
		res.matched = make([]bool, len(fields))
		for i, path := range fields {
			var err error
			res.matched[i], err = cleanField(rec, path, func(text string) string {
				fs := r.Find(text)
				for _, f := range fs {
					res.rules[f.Rule]++
					if f.Start < 0 {
						res.unplaced++
					}
				}
				if len(fs) == 0 {
					return text
				}
				return p.Apply(text, fs)
			})
			if err != nil {
				return result{}, err
			}
		}
		if len(res.rules) > 0 && !c.Check {
			var mark redact.Mark
			if rec.Get("redacted") != nil { // redacted before: the counts add up
				if err := rec.Decode("redacted", &mark); err != nil {
					return result{}, err
				}
			}
			var st []string
			for _, s := range stale {
				if rec.Lookup(s) != nil {
					st = append(st, s)
				}
			}
			mark.Add(res.rules, st)
			if err := rec.SetValue("redacted", mark); err != nil {
				return result{}, err
			}
		}
		return res, nil
	}
	var w *ndjson.Writer
	finish := func(err error) error { return err }
	if !c.Check {
		if w, finish, err = env.OpenOutput(); err != nil {
			return err
		}
	}
	matched := make([]int, len(fields))
	err = cli.ReadEach(env, rc, name, int(c.MaxLine), clean, func(res result, line int) error {
		total.Records++
		total.Unplaced += res.unplaced
		for i, m := range res.matched {
			if m {
				matched[i]++
			}
		}
		if len(res.rules) > 0 {
			total.Changed++
			for rule, n := range res.rules {
				total.Findings[rule] += n
				total.InRecs[rule]++
			}
			if c.Check {
				env.Report.Warnf("%s:%d (id %q): %s", name, line, res.id, describe(res.rules))
			}
		}
		if w != nil {
			return w.Write(res.rec)
		}
		return nil
	})
	if err == nil && c.Report != "" {
		err = writeReport(c.Report, &total)
	}
	if err = finish(err); err != nil {
		return err
	}
	for i, n := range matched {
		if n == 0 && total.Records > 0 {
			env.Report.Warnf("--fields %s: no record has a string there: nothing of it was looked at", fields[i])
		}
	}
	env.Report.Infof("%d records, %d changed: %s", total.Records, total.Changed, describe(total.Findings))
	if c.Check && total.Changed > 0 {
		return fmt.Errorf("%d of %d records hold secrets", total.Changed, total.Records)
	}
	return nil
}

// describe lists findings per rule, sorted: "private-key 2, jwt 1".
func describe(m map[string]int) string {
	if len(m) == 0 {
		return "no findings"
	}
	var parts []string
	for _, rule := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", rule, m[rule]))
	}
	return strings.Join(parts, ", ")
}

func writeReport(name string, c *redact.Report) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(name, append(data, '\n'), 0o666)
}

// cleanField applies fn to the strings at path: a dotted path into
// objects, arrays passed through at any step (messages.content cleans the
// content of every message; text, a list of strings, each of them).
// matched tells whether a string was there.
func cleanField(rec *ndjson.Record, path string, fn func(string) string) (matched bool, err error) {
	keys := strings.Split(path, ".")
	raw := rec.Get(keys[0])
	if raw == nil {
		return false, nil
	}
	var s string
	if len(keys) == 1 && json.Unmarshal(raw, &s) == nil { // the common case, kept byte for byte
		if out := fn(s); out != s {
			return true, rec.SetValue(keys[0], out)
		}
		return true, nil
	}
	v, err := hfdata.Decode(raw)
	if err != nil {
		return false, fmt.Errorf("field %q: %w", keys[0], err)
	}
	v, matched, changed := walk(v, keys[1:], fn)
	if changed {
		rec.Set(keys[0], hfdata.AppendJSON(nil, v))
	}
	return matched, nil
}

// walk applies fn to the strings at keys under v, through arrays.
func walk(v any, keys []string, fn func(string) string) (out any, matched, changed bool) {
	switch x := v.(type) {
	case string:
		if len(keys) > 0 {
			return v, false, false
		}
		s := fn(x)
		return s, true, s != x
	case []any:
		for i, e := range x {
			var m, c bool
			x[i], m, c = walk(e, keys, fn)
			matched, changed = matched || m, changed || c
		}
		return x, matched, changed
	case hfdata.Object:
		if len(keys) == 0 {
			return v, false, false
		}
		for i, mem := range x {
			if mem.Key == keys[0] {
				var m, c bool
				x[i].Value, m, c = walk(mem.Value, keys[1:], fn)
				matched, changed = matched || m, changed || c
			}
		}
		return x, matched, changed
	}
	return v, false, false
}
