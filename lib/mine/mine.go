package mine

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/dwkit/dwkit/lib/callgraph"
	"github.com/dwkit/dwkit/lib/rust"
)

// Item is what mining reads of a dw-rustparse item record (and
// dw-callgraph's graph, when present).
type Item struct {
	ID, Kind, Name, Path, Module, Crate, File string
	Text, Docs, Returns, Visibility           string
	Async                                     bool
	Derives, Attrs                            []string
	Trait, SelfType                           string // impls; for methods, their impl's
	StartLine, EndLine                        int
	Calls, CalledBy                           int
	Macros                                    []string

	Signature, FnKind      string
	HasBody                bool
	ParentKind, ParentPath string // the impl or trait holding a method (rust.Parent)

	// Cited is the code a wiki chunk cites (dw-link's snippets), for chunk
	// records.
	Cited []Cited

	// Graph is dw-callgraph's "graph" field (nil without it): the resolved
	// and unresolved calls the reasoning traces follow.
	Graph *callgraph.FnGraph
}

// Sample is one mined sample.
type Sample struct {
	Pattern  string // serde, diesel, macro, validation, async, error, conversion, impls, routing, important, instruction
	Category string
	Items    []*Item // what it is made of; the first is its source
	Text     string
	Question string // instruction and reasoning samples
	Answer   string

	// Contrastive samples: the anchor (query), the positive's code and the
	// negatives, each with how it was chosen (Items are the positive, then
	// the negatives' items).
	Relation  string
	Query     string
	Positive  string
	Negatives []Negative
	Cited     *Cited // wiki→code: the snippet that is the positive

	// Reasoning samples: the facts each step states, to check them.
	Steps []Step
}

func hasSuffix(list []string, names ...string) bool {
	for _, x := range list {
		for _, n := range names {
			if x == n || strings.HasSuffix(x, "::"+n) {
				return true
			}
		}
	}
	return false
}

func one(pattern, category string, it *Item) Sample {
	return Sample{Pattern: pattern, Category: category, Items: []*Item{it}, Text: it.Text}
}

// Serde: types deriving Serialize or Deserialize, with or without serde
// attributes.
func Serde(items []*Item) []Sample {
	var out []Sample
	for _, it := range items {
		if (it.Kind != "struct" && it.Kind != "enum") || !hasSuffix(it.Derives, "Serialize", "Deserialize") {
			continue
		}
		if hasSuffix(it.Attrs, "serde") || strings.Contains(it.Text, "#[serde(") {
			out = append(out, one("serde", "derive+attributes", it))
		} else {
			out = append(out, one("serde", "derive", it))
		}
	}
	return out
}

// Diesel: table! schemas whole, and enums mapped to database types.
func Diesel(items []*Item) []Sample {
	var out []Sample
	for _, it := range items {
		switch {
		case it.Kind == "macro_call" && (it.Name == "table" || strings.HasSuffix(it.Name, "::table")):
			out = append(out, one("diesel", "schema", it))
		case it.Kind == "enum" && (hasSuffix(it.Derives, "DbEnum", "AsExpression", "FromSqlRow") || hasSuffix(it.Attrs, "diesel", "ExistingTypePath", "DieselTypePath")):
			out = append(out, one("diesel", "enum", it))
		}
	}
	return out
}

var macroUseRE = regexp.MustCompile(`\b([a-z_][a-z0-9_]*)!\s*[\(\[{]`)

// Macros: the top most used macros, each with its definition when the
// workspace has one and up to examples functions that use it.
func Macros(items []*Item, top, examples int) []Sample {
	count := map[string]int{}
	users := map[string][]*Item{}
	defs := map[string]*Item{}
	for _, it := range items {
		switch it.Kind {
		case "macro":
			defs[it.Name] = it
		case "macro_call": // an item-position call is its own example
			count[it.Name]++
			if len(users[it.Name]) < examples {
				users[it.Name] = append(users[it.Name], it)
			}
		case "fn":
			used := it.Macros
			if used == nil { // no call graph: read the text
				seen := map[string]bool{}
				for _, m := range macroUseRE.FindAllStringSubmatch(it.Text, -1) {
					if !seen[m[1]] {
						seen[m[1]] = true
						used = append(used, m[1])
					}
				}
			}
			for _, m := range used {
				count[m]++
				if len(users[m]) < examples {
					users[m] = append(users[m], it)
				}
			}
		}
	}
	names := make([]string, 0, len(count))
	for n := range count {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if count[names[i]] != count[names[j]] {
			return count[names[i]] > count[names[j]]
		}
		return names[i] < names[j]
	})
	var out []Sample
	for _, n := range names[:min(top, len(names))] {
		var its []*Item
		if d := defs[n]; d != nil {
			its = append(its, d)
		}
		its = append(its, users[n]...)
		if len(its) == 0 {
			continue
		}
		out = append(out, Sample{Pattern: "macro", Category: fmt.Sprintf("%s (%d uses)", n, count[n]), Items: its, Text: joinTexts(its)})
	}
	return out
}

func joinTexts(its []*Item) string {
	parts := make([]string, len(its))
	for i, it := range its {
		parts[i] = it.Text
	}
	return strings.Join(parts, "\n\n")
}

var validateRE = regexp.MustCompile(`^(validate|check|verify|ensure)(_|$)|_(validate|validation)(_|$)|^is_valid`)

// Validation: functions that validate, check or verify.
func Validation(items []*Item) []Sample {
	var out []Sample
	for _, it := range items {
		if it.Kind == "fn" && validateRE.MatchString(it.Name) {
			out = append(out, one("validation", "fn", it))
		}
	}
	return out
}

var (
	dbWriteRE   = regexp.MustCompile(`(?i)^(insert|update|delete|upsert|create|save|store)`)
	dbReadRE    = regexp.MustCompile(`(?i)^(find|select|query|fetch|get|load|list)`)
	dbRE        = regexp.MustCompile(`(?i)\b(db|database|pg|postgres|diesel|sqlx|conn|pool|storage)\b`)
	connectorRE = regexp.MustCompile(`(?i)connector|http|request|reqwest|\.send\(|client`)
	cacheRE     = regexp.MustCompile(`(?i)redis|cache`)
)

// AsyncByPurpose: async functions sorted into database-read,
// database-write, connector-call, cache and other.
func AsyncByPurpose(items []*Item) []Sample {
	var out []Sample
	for _, it := range items {
		if it.Kind != "fn" || !it.Async {
			continue
		}
		cat := "other"
		switch db := dbRE.MatchString(it.Text); {
		case cacheRE.MatchString(it.Name) || !db && cacheRE.MatchString(it.Text):
			cat = "cache"
		case db && dbWriteRE.MatchString(it.Name):
			cat = "database-write"
		case db:
			cat = "database-read"
		case connectorRE.MatchString(it.Name) || connectorRE.MatchString(it.Module) || connectorRE.MatchString(it.Text):
			cat = "connector-call"
		case dbReadRE.MatchString(it.Name) && strings.Contains(it.Text, ".await"):
			cat = "other"
		}
		out = append(out, one("async", cat, it))
	}
	return out
}

// Errors: functions returning Result, and error types.
func Errors(items []*Item) []Sample {
	var out []Sample
	for _, it := range items {
		switch {
		case it.Kind == "fn" && strings.Contains(it.Returns, "Result"):
			out = append(out, one("error", "result-fn", it))
		case (it.Kind == "enum" || it.Kind == "struct") && (strings.HasSuffix(it.Name, "Error") || hasSuffix(it.Derives, "Error", "Fail")):
			out = append(out, one("error", "error-type", it))
		}
	}
	return out
}

// Conversions: impls of From, Into, TryFrom and TryInto, generic forms
// included, each with an instruction sample whose answer is the impl.
func Conversions(items []*Item) []Sample {
	var out []Sample
	for _, it := range items {
		if it.Kind != "impl" {
			continue
		}
		switch base := rust.BaseName(it.Trait); base {
		case "From", "Into", "TryFrom", "TryInto":
			out = append(out, one("conversion", base, it), Sample{Pattern: "instruction", Category: "implement-" + base, Items: []*Item{it},
				Question: fmt.Sprintf("Implement `%s for %s` in the `%s` module.", it.Trait, it.SelfType, it.Module), Answer: it.Text})
		}
	}
	return out
}

// ImplsByTrait: for each trait with at least least impls, up to most of them.
func ImplsByTrait(items []*Item, least, most int) []Sample {
	by := map[string][]*Item{}
	for _, it := range items {
		if it.Kind == "impl" && it.Trait != "" {
			by[rust.BaseName(it.Trait)] = append(by[rust.BaseName(it.Trait)], it)
		}
	}
	names := make([]string, 0, len(by))
	for n := range by {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []Sample
	for _, n := range names {
		its := by[n]
		if len(its) < least {
			continue
		}
		its = its[:min(len(its), most)]
		out = append(out, Sample{Pattern: "impls", Category: n, Items: its, Text: joinTexts(its)})
	}
	return out
}

var routingRE = regexp.MustCompile(`(?i)connector`)

// Routing: connector implementations — impls of connector traits or for
// connector types, and impls in connector modules.
func Routing(items []*Item) []Sample {
	var out []Sample
	for _, it := range items {
		if it.Kind == "impl" && (routingRE.MatchString(it.Trait) || routingRE.MatchString(it.SelfType) || routingRE.MatchString(it.Module)) {
			out = append(out, one("routing", rust.BaseName(it.Trait), it))
		}
	}
	return out
}

// contextLines widens an item's lines (1-based, inclusive) by up to context
// lines on each side, but only to the edges of whole items of its file: a
// line cut in the middle of a neighbour would begin the sample with a
// stray "}", and it stays inside the item that holds it (its impl).
func contextLines(it *Item, file []*Item, context int) (lo, hi int) {
	encloses := func(j *Item) bool { return j.StartLine <= it.StartLine && j.EndLine >= it.EndLine }
	inside := func(line int, start bool) bool { // does line fall inside another item?
		for _, j := range file {
			if j == it || encloses(j) {
				continue
			}
			if start && j.StartLine < line && line <= j.EndLine || !start && j.StartLine <= line && line < j.EndLine {
				return true
			}
		}
		return false
	}
	// The context stays inside the innermost item holding it (its impl):
	// taking that item's closing brace would be a stray one too.
	first, last := math.MinInt, math.MaxInt
	for _, j := range file {
		if j != it && encloses(j) && j.StartLine >= first && j.EndLine <= last {
			first, last = j.StartLine+1, j.EndLine-1
		}
	}
	lo, hi = it.StartLine, it.EndLine
	for _, j := range file {
		if j == it || encloses(j) || j.StartLine < first || j.EndLine > last {
			continue
		}
		if s := j.StartLine; s < lo && s >= it.StartLine-context && !inside(s, true) {
			lo = s
		}
		if e := j.EndLine; e > hi && e-it.EndLine <= context && !inside(e, false) {
			hi = e
		}
	}
	return lo, hi
}

// Important ranks functions by calls, callers, visibility and being a
// method, and returns the top ones with up to context lines of their file
// around them, cut at the edges of whole items.
func Important(items []*Item, files map[string]string, top, context int) []Sample {
	var fns []*Item
	for _, it := range items {
		if it.Kind == "fn" {
			fns = append(fns, it)
		}
	}
	score := func(it *Item) int {
		s := it.Calls + it.CalledBy
		if strings.HasPrefix(it.Visibility, "pub") {
			s += 2
		}
		if it.SelfType != "" {
			s++
		}
		return s
	}
	sort.SliceStable(fns, func(i, j int) bool {
		if si, sj := score(fns[i]), score(fns[j]); si != sj {
			return si > sj
		}
		return fns[i].Path < fns[j].Path
	})
	byFile := map[string][]*Item{}
	for _, it := range items {
		byFile[it.File] = append(byFile[it.File], it)
	}
	var out []Sample
	for _, it := range fns[:min(top, len(fns))] {
		text := it.Text
		if src, ok := files[it.File]; ok && context > 0 {
			lines := strings.SplitAfter(src, "\n")
			lo, hi := contextLines(it, byFile[it.File], context)
			text = strings.Join(lines[lo-1:min(hi, len(lines))], "")
		}
		out = append(out, Sample{Pattern: "important", Category: fmt.Sprintf("score %d", score(it)), Items: []*Item{it}, Text: text})
	}
	return out
}

// Documented: instruction samples from documented functions — the docs as
// the task, the function (without the doc comment) as the answer.
func Documented(items []*Item) []Sample {
	var out []Sample
	for _, it := range items {
		docs := strings.TrimSpace(it.Docs)
		if it.Kind != "fn" || len(strings.Fields(docs)) < 4 {
			continue
		}
		lines := strings.Split(it.Text, "\n")
		k := 0
		for k < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[k]), "///") {
			k++
		}
		q := fmt.Sprintf("Write the Rust function `%s` (in `%s`):\n\n%s", it.Name, it.Module, docs)
		out = append(out, Sample{Pattern: "instruction", Category: "documented-fn", Items: []*Item{it}, Question: q, Answer: strings.Join(lines[k:], "\n")})
	}
	return out
}
