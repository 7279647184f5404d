package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
	"github.com/dwkit/dwkit/lib/window"
)

func runTool(t *testing.T, stdin string, args ...string) (int, string, string) {
	return clitest.Run(t, run, stdin, args...)
}

// outRec reads an output record through the tool's own field types; a
// window record and a pack record share "window".
type outRec struct {
	ID     string             `json:"id"`
	Text   string             `json:"text"`
	Extra  any                `json:"extra"`
	Tokens window.TokensField `json:"tokens"`
	Window struct {
		window.WindowField
		window.PackField
	} `json:"window"`
}

func decode(t *testing.T, out string) []outRec {
	var recs []outRec
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var r outRec
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("bad line %q: %v", line, err)
		}
		recs = append(recs, r)
	}
	return recs
}

// sources are this repository's Go files as records, with a field the tool
// does not own.
func sources(t *testing.T) (string, map[string]string) {
	files, _ := filepath.Glob("../../lib/*/*.go")
	sort.Strings(files)
	var in strings.Builder
	texts := map[string]string{}
	for i, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("src-%d", i)
		texts[id] = string(src)
		line, _ := json.Marshal(map[string]any{"id": id, "text": string(src), "extra": map[string]any{"path": f, "n": i}})
		in.Write(line)
		in.WriteByte('\n')
	}
	return in.String(), texts
}

func TestWindowsRejoinAndRespectMax(t *testing.T) {
	in, texts := sources(t)
	code, out, errs := runTool(t, in, "--max", "300", "--overlap", "30")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rejoined := map[string]string{}
	windows := 0
	for _, r := range decode(t, out) {
		if r.Tokens.Count > 300 || r.Tokens.Count <= 0 || r.Tokens.Tokenizer != "cl100k_base" {
			t.Errorf("%s: tokens %+v", r.ID, r.Tokens)
		}
		if r.Extra == nil {
			t.Errorf("%s: the field the tool does not own was lost", r.ID)
		}
		if r.Window.Source == "" { // a record within --max passes whole
			rejoined[r.ID] += r.Text
			continue
		}
		windows++
		if r.Window.Index > 0 && r.Window.OverlapTokens < 30 {
			t.Errorf("%s: overlap %d tokens; want 30", r.ID, r.Window.OverlapTokens)
		}
		src := texts[r.Window.Source]
		if got := src[r.Window.ByteStart:r.Window.ByteEnd]; got != r.Text {
			t.Errorf("%s: text is not source bytes %d-%d", r.ID, r.Window.ByteStart, r.Window.ByteEnd)
		}
		rejoined[r.Window.Source] += r.Text[r.Window.OverlapBytes:]
	}
	for id, text := range texts {
		if rejoined[id] != text {
			t.Errorf("%s: windows without their overlaps do not give back the text", id)
		}
	}
	if windows < 50 {
		t.Errorf("only %d windows: the test cuts too little", windows)
	}
	// The same bytes whatever the number of workers.
	for _, w := range []string{"1", "5"} {
		if _, again, _ := runTool(t, in, "--max", "300", "--overlap", "30", "--workers", w); again != out {
			t.Errorf("--workers %s changes the output", w)
		}
	}
}

func TestPacking(t *testing.T) {
	var in strings.Builder
	for i := range 12 {
		group := "a"
		if i >= 8 {
			group = "b"
		}
		fmt.Fprintf(&in, `{"id":"r%d","text":"word word word word word","meta":{"crate":"%s"}}`+"\n", i, group)
	}
	in.WriteString(`{"id":"long","text":"` + strings.Repeat("word ", 50) + `","meta":{"crate":"b"}}` + "\n")
	// Each record is 5 tokens ("long" is 51, its last space one of them): packs of 3 reach --min 12 in group a (r0-r2,
	// r3-r5), r6-r7 cannot; group b: r8-r10 pack, r11 stays short.
	code, out, errs := runTool(t, in.String(), "--min", "12", "--max", "100", "--group-by", "meta.crate", "--join", " ")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got []string
	for _, r := range decode(t, out) {
		got = append(got, fmt.Sprintf("%s/%d/%v", r.ID[:min(3, len(r.ID))], r.Tokens.Count, r.Window.Packed))
	}
	want := []string{"tp-/15/[r0 r1 r2]", "tp-/15/[r3 r4 r5]", "tp-/10/[r6 r7]", "tp-/15/[r8 r9 r10]", "r11/5/[]", "lon/51/[]"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("records:\n %s\nwant:\n %s", strings.Join(got, " "), strings.Join(want, " "))
	}
	if !strings.Contains(errs, "13 records in, 6 out") || !strings.Contains(errs, "4 packs of 11 records, 2 under --min kept") {
		t.Errorf("summary: %s", errs)
	}
	_, out, errs = runTool(t, in.String(), "--min", "12", "--max", "100", "--group-by", "meta.crate", "--join", " ", "--drop-short")
	if n := len(decode(t, out)); n != 4 || !strings.Contains(errs, "2 under --min dropped") {
		t.Errorf("--drop-short: %d records, summary %s", n, errs)
	}
}

func TestBadInputAndUsage(t *testing.T) {
	in := `{"id":"a","text":"fine"}` + "\nnot json\n" + `{"id":"b"}` + "\n" + `{"id":"c","text":42}` + "\n"
	code, out, errs := runTool(t, in)
	if code != cli.ExitFailure || len(decode(t, out)) != 1 {
		t.Errorf("exit %d, %d records; want 1 and 1", code, len(decode(t, out)))
	}
	for _, want := range []string{"stdin:2: invalid JSON", `stdin:3: missing field "text"`, `stdin:4: field "text"`} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	for _, args := range [][]string{{"--overlap", "9k", "--max", "16k"}, {"--min", "20k"}, {"--max", "0"}, {"--max", "12q"}} {
		if code, _, _ := runTool(t, "", args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d; want 2", args, code)
		}
	}
	if code, _, errs := runTool(t, "", "--tokenizer", "nope"); code != cli.ExitUsage || !strings.Contains(errs, `unknown tokenizer "nope"`) {
		t.Errorf("unknown tokenizer: exit %d, %s", code, errs)
	}
	if code, _, errs := runTool(t, "", "--tokenizer", "hf:acme/missing"); code != cli.ExitUsage || !strings.Contains(errs, "huggingface-cli download acme/missing") {
		t.Errorf("missing hf tokenizer: exit %d, %s", code, errs)
	}
}

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }

// mixInput is a fixed corpus of 400 code-like records from 1 to 150 lines
// (about 12 to 1,800 tokens), spread by a deterministic sequence.
func mixInput() string {
	var in strings.Builder
	for i := range 400 {
		var text strings.Builder
		for j := range (i*7919)%150 + 1 {
			fmt.Fprintf(&text, "let value_%d = compute(%d, %d);\n", j, i, j*j)
		}
		line, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("r%d", i), "text": text.String()})
		in.Write(line)
		in.WriteByte('\n')
	}
	return in.String()
}

// TestMix: shares land near the asked ones, no record is over --max, and
// the output does not depend on --workers.
func TestMix(t *testing.T) {
	in := mixInput()
	args := []string{"--min", "100", "--max", "1600", "--drop-short", "--mix", "100-400:25,400-1000:50,1000-1600:25"}
	code, out, errs := runTool(t, in, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	counts := map[string]int{}
	recs := decode(t, out)
	for _, r := range recs {
		n := r.Tokens.Count
		switch {
		case n > 1600:
			t.Errorf("%s: %d tokens, over --max", r.ID, n)
		case n >= 1000:
			counts["large"]++
		case n >= 400:
			counts["medium"]++
		case n >= 100:
			counts["small"]++
		default:
			counts["other"]++
		}
	}
	share := func(k string) float64 { return 100 * float64(counts[k]) / float64(len(recs)) }
	t.Logf("%d records: small %.1f %%, medium %.1f %%, large %.1f %%, other %.1f %%", len(recs), share("small"), share("medium"), share("large"), share("other"))
	if len(recs) < 150 || share("small") < 20 || share("small") > 30 || share("medium") < 45 || share("medium") > 55 || share("large") < 20 || share("large") > 30 {
		t.Errorf("%d records, shares small %.1f, medium %.1f, large %.1f, other %.1f; want about 25/50/25", len(recs), share("small"), share("medium"), share("large"), share("other"))
	}
	if !strings.Contains(errs, "mix: 100-400 ") {
		t.Errorf("no mix report: %s", errs)
	}
	if _, again, _ := runTool(t, in, append(args, "--workers", "3")...); again != out {
		t.Errorf("--workers 3 changes the output")
	}
}

// words is a text of n distinct-enough words (one cl100k token each).
func words(prefix string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, " %s%d", prefix, i%10)
	}
	return b.String()
}

// TestUnderMinOneRule: a record under --min is packed, kept or dropped by
// the same rule whether it came as a record or as the tail of a long one;
// with --min equal to --max, packs are filled to --max (a short text's head
// completes a pack, its rest starts the next).
func TestUnderMinOneRule(t *testing.T) {
	// A long record whose tail window is short, then short records.
	in := fmt.Sprintf(`{"id":"long","text":%q}`+"\n", strings.TrimSpace(words("a", 330)))
	for i := range 6 {
		in += fmt.Sprintf(`{"id":"s%d","text":%q}`+"\n", i, strings.TrimSpace(words("b", 30)))
	}
	code, out, errs := runTool(t, in, "--min", "100", "--max", "150", "--drop-short")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var tailPacked bool
	for _, r := range decode(t, out) {
		if r.Tokens.Count < 100 || r.Tokens.Count > 150 {
			t.Errorf("%s: %d tokens, outside --min 100 --max 150 (--drop-short)", r.ID, r.Tokens.Count)
		}
		for _, id := range r.Window.Packed {
			tailPacked = tailPacked || strings.HasPrefix(id, "tw-")
		}
	}
	if !tailPacked {
		t.Errorf("the long record's short tail was not packed with the records after it:\n%s", out)
	}
	// --min equal to --max: every pack but the last is full, none is "under --min".
	in = ""
	for i := range 40 { // distinct texts: a piece lost or written twice shows
		in += fmt.Sprintf(`{"id":"r%d","text":%q}`+"\n", i, strings.TrimSpace(words(fmt.Sprintf("w%d_", i), 20)))
	}
	_, out, errs = runTool(t, in, "--min", "100", "--max", "100")
	recs := decode(t, out)
	for i, r := range recs {
		if r.Tokens.Count > 100 || i < len(recs)-1 && r.Tokens.Count < 95 {
			t.Errorf("pack %d of %d: %d tokens; want 100 or just under (a boundary can merge tokens)", i, len(recs), r.Tokens.Count)
		}
	}
	if !strings.Contains(errs, ", 1 under --min kept") {
		t.Errorf("want only the last pack under --min:\n%s", errs)
	}
	// The text is all there, once: the packs' texts, spaces aside, are the input's.
	var got, want strings.Builder
	for _, r := range recs {
		got.WriteString(strings.Join(strings.Fields(r.Text), ""))
	}
	for i := range 40 {
		want.WriteString(strings.Join(strings.Fields(words(fmt.Sprintf("w%d_", i), 20)), ""))
	}
	if got.String() != want.String() {
		t.Errorf("the packs hold %d bytes of text; want the input's %d", got.Len(), want.Len())
	}
}
