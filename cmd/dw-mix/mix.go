package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/mix"
	"github.com/dwkit/dwkit/lib/window"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	Sources       []string `arg:"" optional:"" name:"FILE[:WEIGHT]" help:"Sources and their weights (default: stdin, weight 1)."`
	Seed          uint64   `default:"0" help:"Seed of the shuffle."`
	By            string   `default:"records" enum:"records,tokens" help:"Weigh sources by records or by tokens.count."`
	Until         string   `default:"first" enum:"first,all" help:"Stop when the first source runs out, or when all have."`
	Shuffle       bool     `default:"true" negatable:"" help:"Shuffle each source (--no-shuffle: keep their order)."`
	Memory        cli.Size `default:"1GiB" placeholder:"SIZE" help:"Memory bound of the shuffle: records held, run buffers, the runtime's soft limit (default ${default})."`
	TempDir       string   `placeholder:"DIR" help:"Folder for the shuffle's runs (default: $TMPDIR)."`
	Dedup         string   `default:"none" enum:"none,exact,near" help:"Remove duplicates: none, exact (normalised text) or near (also MinHash LSH)."`
	StripComments bool     `help:"Ignore Rust comments when comparing texts."`
	Shingle       int      `default:"5" help:"Word tokens per MinHash shingle."`
	Perms         int      `default:"256" help:"MinHash permutations."`
	Threshold     float64  `default:"0.7" help:"Jaccard similarity of near duplicates."`
	KeepMax       string   `placeholder:"FIELD" help:"Keep the duplicate of highest FIELD (a number) instead of the first."`
	DedupReport   string   `placeholder:"FILE" help:"Write the removed records, their kept twin and similarity to FILE."`
	Decontaminate []string `sep:"none" placeholder:"EVAL.jsonl" help:"Drop records sharing an n-gram with this file's evaluation texts (repeatable)."`
	Ngram         int      `default:"13" help:"Word tokens in a decontamination n-gram."`
	Split         string   `placeholder:"SPLITS" help:"Assign splits, e.g. train:0.98,validation:0.02."`
	SplitBy       string   `default:"source.repo,source.path" placeholder:"FIELDS" help:"Fields whose values are a record's split group (default ${default})."`
	OutDir        string   `placeholder:"DIR" help:"Write each split to DIR/NAME.jsonl instead of -o."`
	OutSuffix     string   `default:".jsonl" placeholder:"SUFFIX" help:"Suffix of the split files in --out-dir: .jsonl (the default), .jsonl.gz or .jsonl.zst."`
	Candidates    int      `default:"1000" hidden:"" help:"Most kept records compared with one record in near dedup."`
}

// config is the command's flags, checked.
type config struct {
	sources  []mix.Source
	splits   mix.Splits
	splitBy  []string
	hasher   *mix.MinHasher
	bands    int
	rows     int
	contam   *mix.Contamination
	evalIDs  []string
	byTokens bool
}

func (c *command) check(env *cli.Env) (*config, error) {
	cfg := &config{byTokens: c.By == "tokens"}
	args := c.Sources
	switch {
	case len(args) == 0:
		args = []string{c.Input.Input} // -i, stdin by default: a filter like the others
	case c.Input.Input != "-" && c.Input.Input != "":
		return nil, cli.Usagef("-i %s and sources as arguments: give one or the other", c.Input.Input)
	}
	stdin := false
	weights := make([]float64, 0, len(args))
	for _, a := range args {
		s, err := mix.ParseSource(a, mix.FileExists)
		if err != nil {
			return nil, cli.Usagef("%v", err)
		}
		if s.Name == "-" {
			if stdin {
				return nil, cli.Usagef("stdin (-) is given twice: it can be read once")
			}
			stdin = true
		}
		cfg.sources = append(cfg.sources, s)
		weights = append(weights, s.Weight)
	}
	if _, err := mix.NewSchedule(weights); err != nil {
		return nil, cli.Usagef("%v", err)
	}
	if c.MaxLine < 1 {
		return nil, cli.Usagef("--max-line %d: want at least one byte", c.MaxLine)
	}
	if c.Memory < 16<<20 {
		return nil, cli.Usagef("--memory %s: want at least 16MiB", c.Memory)
	}
	if c.Dedup == "near" {
		if c.Shingle < 1 || c.Shingle > 1000 || c.Perms < 1 || c.Perms > 4096 || !(c.Threshold > 0 && c.Threshold <= 1) {
			return nil, cli.Usagef("--shingle (1 to 1000), --perms (1 to 4096) and --threshold (above 0, at most 1) are out of range")
		}
		cfg.hasher = mix.NewMinHasher(c.Shingle, c.Perms, 0x6477_6d69_78) // "dwmix": fixed, so signatures agree across runs
		if c.Perms == mix.DefaultPerms && c.Threshold == mix.DefaultThreshold {
			cfg.bands, cfg.rows = 25, 10 // what OptimalBands gives, without the 30 ms
		} else {
			cfg.bands, cfg.rows, _, _ = mix.OptimalBands(c.Threshold, c.Perms)
		}
	}
	if c.KeepMax != "" && c.Dedup == "none" {
		return nil, cli.Usagef("--keep-max needs --dedup exact or near")
	}
	if c.StripComments && c.Dedup == "none" {
		return nil, cli.Usagef("--strip-comments needs --dedup exact or near")
	}
	if c.Ngram < 1 || c.Ngram > 1000 {
		return nil, cli.Usagef("--ngram %d: want 1 to 1000", c.Ngram)
	}
	if c.Split != "" {
		sp, err := mix.ParseSplits(c.Split)
		if err != nil {
			return nil, cli.Usagef("--split: %v", err)
		}
		cfg.splits = sp
		for f := range strings.SplitSeq(c.SplitBy, ",") {
			f = strings.TrimSpace(f)
			if f == "" || strings.HasPrefix(f, ".") || strings.HasSuffix(f, ".") || strings.Contains(f, "..") {
				return nil, cli.Usagef("--split-by %q: want dotted field paths, comma separated (e.g. source.repo,source.path)", c.SplitBy)
			}
			cfg.splitBy = append(cfg.splitBy, f)
		}
	}
	if c.OutDir != "" {
		if c.Split == "" {
			return nil, cli.Usagef("--out-dir needs --split")
		}
		if c.Output != "-" && c.Output != "" {
			return nil, cli.Usagef("-o and --out-dir: give one")
		}
		if !strings.HasPrefix(c.OutSuffix, ".") || strings.ContainsRune(c.OutSuffix, '/') {
			return nil, cli.Usagef("--out-suffix %q: want a suffix such as .jsonl or .jsonl.zst", c.OutSuffix)
		}
	}
	// Every file read is known before any is written.
	for _, s := range cfg.sources {
		if s.Name != "-" {
			env.NoteInputFile(s.Name)
		}
	}
	for _, e := range c.Decontaminate {
		env.NoteInputFile(e)
	}
	if c.DedupReport != "" {
		if err := env.CheckSideOutput("dedup-report", c.DedupReport); err != nil {
			return nil, err
		}
	}
	var outs []string
	if c.OutDir != "" {
		for _, sp := range cfg.splits {
			outs = append(outs, filepath.Join(c.OutDir, sp.Name+c.OutSuffix))
		}
	} else if err := env.CheckNotInput(c.Output); err != nil {
		return nil, err
	}
	for _, o := range outs {
		if err := env.CheckNotInput(o); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// analysed is what the workers find in a record.
type analysed struct {
	raw      []byte // the record to write, without "mix"
	id       string
	tokens   int
	split    uint8
	priority float64
	key      [16]byte
	sig      []uint16
	bands    []uint64
	// decontamination
	contaminated bool
	eval         int32
	ngram        string
}

func (c *command) analyse(cfg *config) func(*ndjson.Record) (analysed, error) {
	return func(rec *ndjson.Record) (analysed, error) {
		var a analysed
		text, err := rec.Text()
		if err != nil {
			return a, err
		}
		if a.id, err = rec.ID(); err != nil {
			return a, err
		}
		if cfg.byTokens {
			var t window.TokensField
			if err := rec.Decode("tokens", &t); err != nil {
				return a, fmt.Errorf("%w (--by tokens)", err)
			}
			if t.Count < 0 {
				return a, fmt.Errorf(`field "tokens": count %d`, t.Count)
			}
			a.tokens = t.Count
		}
		if c.KeepMax != "" {
			raw := rec.Lookup(c.KeepMax)
			if raw == nil || json.Unmarshal(raw, &a.priority) != nil || math.IsNaN(a.priority) {
				return a, fmt.Errorf("field %q (--keep-max): want a number", c.KeepMax)
			}
		}
		if cfg.contam != nil {
			if s, e, ev, ok := cfg.contam.Find(text); ok {
				a.contaminated, a.eval, a.ngram = true, ev, text[s:e]
				return a, nil
			}
		}
		if c.Dedup != "none" {
			norm := mix.Normalize(text, c.StripComments)
			a.key = mix.ExactKey(norm)
			if cfg.hasher != nil {
				sig := make([]uint32, cfg.hasher.Perms())
				cfg.hasher.Signature(mix.WordHashes(norm, nil), sig)
				a.sig = mix.Compact(sig, nil)
				a.bands = mix.Bands(sig, cfg.bands, cfg.rows, nil)
			}
		}
		if cfg.splits != nil {
			var key []string
			found := false
			for _, f := range cfg.splitBy {
				v := rec.LookupText(f)
				found = found || rec.Lookup(f) != nil
				key = append(key, v)
			}
			if !found {
				return a, fmt.Errorf("no field %s to split by (--split-by)", strings.Join(cfg.splitBy, " or "))
			}
			a.split = uint8(cfg.splits.Assign(strings.Join(key, "\x00")))
			if err := rec.SetValue("split", cfg.splits[a.split].Name); err != nil {
				return a, err
			}
		}
		rec.Delete("mix")
		a.raw, err = rec.MarshalJSON()
		return a, err
	}
}

// meta is what is kept in memory of a record for the report.
type meta struct {
	id     string
	source uint16
	line   int32
}

// entry header: index (8 bytes), tokens (8), split (1), then the record.
const headerSize = 17

func (c *command) Run(env *cli.Env) (err error) {
	start := time.Now()
	cfg, err := c.check(env)
	if err != nil {
		return err
	}
	// The runtime's soft limit: --memory for the records held, raised as the
	// dedup state grows (else the collector would run without end).
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(c.Memory) / 10 * 9))
	for _, e := range c.Decontaminate {
		if err := c.loadEval(env, cfg, e); err != nil {
			return err
		}
	}
	spill, err := mix.NewSpill(c.TempDir)
	if err != nil {
		return fmt.Errorf("--temp-dir: %w", err)
	}
	defer spill.Close()
	env.OnInterrupt(func() { os.RemoveAll(spill.Dir) })

	dd := &mix.Deduper{Exact: c.Dedup != "none", Near: c.Dedup == "near", Threshold: c.Threshold,
		Bands: cfg.bands, Rows: cfg.rows, Perms: c.Perms, MaxCandidates: c.Candidates}
	if c.KeepMax != "" {
		dd.KeepMax()
	}
	report := c.DedupReport != ""
	var metas []meta
	var contaminated []mix.ReportLine
	sorters := make([]*mix.Sorter, len(cfg.sources))
	read := make([]int, len(cfg.sources))
	budget := int64(c.Memory) / 4
	var index uint64
	buf := make([]byte, 0, 1<<10)
	for s, src := range cfg.sources {
		sorters[s] = spill.Sorter(budget)
		seed := mixSeed(c.Seed, s)
		rc, err := env.OpenInput(src.Name)
		if err != nil {
			return err
		}
		name := src.Name
		if name == "-" {
			name = "stdin"
		}
		var ordinal uint64
		err = cli.ReadEach(env, rc, name, int(c.MaxLine), c.analyse(cfg), func(a analysed, line int) error {
			read[s]++
			if a.contaminated {
				if report {
					contaminated = append(contaminated, mix.ReportLine{ID: a.id, Source: src.Name, Line: line, Reason: "contamination",
						Eval: cfg.evalIDs[a.eval], Ngram: a.ngram})
				} else {
					contaminated = append(contaminated, mix.ReportLine{})
				}
				return nil
			}
			if dd.Exact {
				dd.Add(mix.Entry{Key: a.key, Sig: a.sig, Bands: a.bands, Priority: a.priority})
			}
			if report {
				metas = append(metas, meta{a.id, uint16(s), int32(line)})
			}
			buf = binary.LittleEndian.AppendUint64(buf[:0], index)
			buf = binary.LittleEndian.AppendUint64(buf, uint64(a.tokens))
			buf = append(buf, a.split)
			buf = append(buf, a.raw...)
			key := ordinal
			if c.Shuffle {
				key = mixKey(seed, ordinal)
			}
			index++
			ordinal++
			if index%4096 == 0 {
				debug.SetMemoryLimit(int64(c.Memory)/10*9 + 2*dd.Bytes() + int64(len(metas))*64)
			}
			return sorters[s].Add(key, buf)
		})
		rc.Close()
		if err != nil {
			return err
		}
		if err := sorters[s].Seal(); err != nil {
			return err
		}
	}
	if index > math.MaxInt32 {
		return fmt.Errorf("%d records: dw-mix takes at most %d", index, math.MaxInt32)
	}
	var verdicts []mix.Verdict
	if c.Verbose {
		env.Report.Infof("read %d records in %.1f s; %d runs, %d MB spilled", index, time.Since(start).Seconds(), runs(sorters), spilled(sorters)>>20)
	}
	if dd.Exact {
		t := time.Now()
		verdicts = dd.Resolve()
		if c.Verbose {
			env.Report.Infof("dedup resolved in %.1f s", time.Since(t).Seconds())
		}
	}
	if report {
		if err := c.writeReport(cfg, metas, verdicts, contaminated); err != nil {
			return err
		}
	}
	return c.write(env, cfg, spill, sorters, verdicts, read, len(contaminated))
}

func runs(s []*mix.Sorter) (n int) {
	for _, t := range s {
		n += t.Runs()
	}
	return n
}

func spilled(s []*mix.Sorter) (n int64) {
	for _, t := range s {
		n += t.Bytes
	}
	return n
}

// mixSeed is the shuffle seed of source s.
func mixSeed(seed uint64, s int) uint64 {
	return mixKey(seed^0x6d69785f73656564, uint64(s))
}

// mixKey is a record's place in the shuffle: splitmix64 of the source's
// seed and the record's ordinal.
func mixKey(seed, ordinal uint64) uint64 {
	x := seed + (ordinal+1)*0x9e3779b97f4a7c15
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// loadEval reads the texts of an evaluation file into the contamination set.
func (c *command) loadEval(env *cli.Env, cfg *config, name string) error {
	if cfg.contam == nil {
		cfg.contam = mix.NewContamination(c.Ngram)
	}
	rc, err := env.OpenInput(name)
	if err != nil {
		return fmt.Errorf("--decontaminate: %w", err)
	}
	defer rc.Close()
	type ev struct{ id, text string }
	return cli.ReadEach(env, rc, name, int(c.MaxLine), func(r *ndjson.Record) (ev, error) {
		text, err := r.Text()
		if err != nil {
			return ev{}, err
		}
		id, err := r.ID()
		return ev{id, text}, err
	}, func(e ev, line int) error {
		if e.id == "" {
			e.id = name + ":" + strconv.Itoa(line)
		}
		cfg.contam.Add(e.text, int32(len(cfg.evalIDs)))
		cfg.evalIDs = append(cfg.evalIDs, e.id)
		return nil
	})
}

func (c *command) writeReport(cfg *config, metas []meta, verdicts []mix.Verdict, contaminated []mix.ReportLine) error {
	f, err := ndjson.Create(c.DedupReport, nil)
	if err != nil {
		return fmt.Errorf("--dedup-report: %w", err)
	}
	w := ndjson.NewWriter(f)
	for _, l := range contaminated {
		if err = w.Write(l); err != nil {
			break
		}
	}
	for i, v := range verdicts {
		if err != nil || int(v.Kept) == i {
			continue
		}
		m, k := metas[i], metas[v.Kept]
		sim := math.Round(float64(v.Similarity)*1000) / 1000
		reason := "exact"
		if v.Near {
			reason = "near"
		}
		err = w.Write(mix.ReportLine{ID: m.id, Source: cfg.sources[m.source].Name, Line: int(m.line), Reason: reason,
			Kept: &mix.Where{ID: k.id, Source: cfg.sources[k.source].Name, Line: int(k.line)}, Similarity: &sim})
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		f.Abort()
		return fmt.Errorf("--dedup-report: %w", err)
	}
	return f.Close()
}

// outputs are the writers of the records: one, or one per split.
type outputs struct {
	ws      []*ndjson.Writer
	finish  []func(error) error
	perSplt bool
}

func (c *command) openOutputs(env *cli.Env, cfg *config) (*outputs, error) {
	o := &outputs{}
	if c.OutDir == "" {
		w, finish, err := env.OpenOutput()
		if err != nil {
			return nil, err
		}
		o.ws, o.finish = []*ndjson.Writer{w}, []func(error) error{finish}
		return o, nil
	}
	if err := os.MkdirAll(c.OutDir, 0o777); err != nil {
		return nil, fmt.Errorf("--out-dir: %w", err)
	}
	o.perSplt = true
	for _, sp := range cfg.splits {
		f, err := ndjson.Create(filepath.Join(c.OutDir, sp.Name+c.OutSuffix), nil)
		if err != nil {
			o.close(err)
			return nil, fmt.Errorf("--out-dir: %w", err)
		}
		w := ndjson.NewWriter(f)
		o.ws = append(o.ws, w)
		o.finish = append(o.finish, func(runErr error) error {
			if runErr == nil {
				runErr = w.Flush()
			}
			if runErr != nil {
				f.Abort()
				return runErr
			}
			return f.Close()
		})
	}
	return o, nil
}

// close finishes every output with the run's error and returns the first.
func (o *outputs) close(runErr error) error {
	for _, f := range o.finish {
		if err := f(runErr); err != nil && runErr == nil {
			runErr = err
		}
	}
	return runErr
}

// write merges the sources' runs and interleaves them into the outputs.
func (c *command) write(env *cli.Env, cfg *config, spill *mix.Spill, sorters []*mix.Sorter, verdicts []mix.Verdict, read []int, contaminated int) error {
	weights := make([]float64, len(cfg.sources))
	for i, s := range cfg.sources {
		weights[i] = s.Weight
	}
	sched, _ := mix.NewSchedule(weights) // checked
	// At most a quarter of --memory in run buffers, and 512 runs open (well
	// under the usual limit of 1,024 open files).
	maxRuns := max(2, min(512, int(int64(c.Memory)/4/int64(spill.BufSize)))/len(sorters))
	merges := make([]*mix.Merge, len(sorters))
	defer func() {
		for _, m := range merges {
			if m != nil {
				m.Close()
			}
		}
	}()
	for i, s := range sorters {
		m, err := s.Finish(maxRuns)
		if err != nil {
			return err
		}
		merges[i] = m
	}
	// The runs are open: their folder can go now, so that nothing is left
	// behind even when a closed pipe (dw-mix | head) ends the process.
	spill.Close()
	out, err := c.openOutputs(env, cfg)
	if err != nil {
		return err
	}
	written := make([]int, len(sorters))
	var tokens []int64
	if cfg.byTokens {
		tokens = make([]int64, len(sorters))
	}
	splitCount := make([]int, max(1, len(cfg.splits)))
	stopped := -1
	var line []byte
	for err == nil {
		s := sched.Next()
		if s < 0 {
			break
		}
		var data []byte
		var ok bool
		var index uint64
		for {
			data, ok, err = merges[s].Next()
			if err != nil || !ok {
				break
			}
			index = binary.LittleEndian.Uint64(data)
			if verdicts == nil || int(verdicts[index].Kept) == int(index) {
				break
			}
		}
		if err != nil {
			break
		}
		if !ok {
			if c.Until == "first" {
				stopped = s
				break
			}
			sched.Done(s)
			continue
		}
		tok := binary.LittleEndian.Uint64(data[8:])
		split := data[16]
		line = c.splice(line[:0], data[headerSize:], cfg.sources[s].Name, verdicts, index)
		w := out.ws[0]
		if out.perSplt {
			w = out.ws[split]
		}
		err = w.WriteRaw(line)
		written[s]++
		splitCount[split]++
		size := 1.0
		if cfg.byTokens {
			size = float64(tok)
			tokens[s] += int64(tok)
		}
		sched.Took(s, size)
	}
	if err := out.close(err); err != nil {
		return err
	}
	c.summary(env, cfg, read, written, tokens, splitCount, verdicts, contaminated, stopped)
	return nil
}

// splice appends the record with its "mix" field to dst: the record was
// written without one, so the field goes before its closing brace.
func (c *command) splice(dst, rec []byte, source string, verdicts []mix.Verdict, index uint64) []byte {
	f := mix.Field{Source: source}
	if verdicts != nil {
		f.StandsFor = int(verdicts[index].StandsFor)
	}
	raw, _ := ndjson.Marshal(f) // a string and a number
	dst = append(dst, rec[:len(rec)-1]...)
	if len(rec) > 2 {
		dst = append(dst, ',')
	}
	dst = append(dst, `"mix":`...)
	dst = append(dst, raw...)
	return append(dst, '}')
}

func (c *command) summary(env *cli.Env, cfg *config, read, written []int, tokens []int64, splitCount []int, verdicts []mix.Verdict, contaminated, stopped int) {
	total, all := 0, 0
	for i := range read {
		total += read[i]
		all += written[i]
	}
	var removed []string
	if verdicts != nil {
		exact, near := 0, 0
		for i, v := range verdicts {
			switch {
			case int(v.Kept) == i:
			case v.Near:
				near++
			default:
				exact++
			}
		}
		removed = append(removed, fmt.Sprintf("%d exact duplicates", exact))
		if c.Dedup == "near" {
			removed = append(removed, fmt.Sprintf("%d near duplicates", near))
		}
	}
	if cfg.contam != nil {
		removed = append(removed, fmt.Sprintf("%d sharing a %d-gram with %d evaluation records", contaminated, c.Ngram, len(cfg.evalIDs)))
	}
	msg := fmt.Sprintf("%d records read from %d source(s)", total, len(read))
	if len(removed) > 0 {
		msg += "; removed " + strings.Join(removed, ", ")
	}
	env.Report.Infof("%s", msg)
	var parts []string
	var tokAll int64
	for _, t := range tokens {
		tokAll += t
	}
	for i, s := range cfg.sources {
		p := fmt.Sprintf("%s %d (%.1f %%)", s.Name, written[i], pct(float64(written[i]), float64(all)))
		if tokens != nil {
			p = fmt.Sprintf("%s %d records, %d tokens (%.1f %%)", s.Name, written[i], tokens[i], pct(float64(tokens[i]), float64(tokAll)))
		}
		parts = append(parts, p)
	}
	env.Report.Infof("wrote %d records: %s", all, strings.Join(parts, ", "))
	if stopped >= 0 && len(cfg.sources) > 1 {
		env.Report.Infof("stopped when %s ran out (--until first)", cfg.sources[stopped].Name)
	}
	if cfg.splits != nil {
		var sp []string
		for i, s := range cfg.splits {
			sp = append(sp, fmt.Sprintf("%s %d (%.1f %%)", s.Name, splitCount[i], pct(float64(splitCount[i]), float64(all))))
		}
		env.Report.Infof("splits: %s", strings.Join(sp, ", "))
	}
}

func pct(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return 100 * a / b
}
