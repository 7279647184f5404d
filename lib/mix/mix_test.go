package mix

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		in       string
		comments bool
		want     string
	}{
		{"  fn  a()\n\t{ }  \n", false, "fn a() { }"},
		{"a // note\nb", false, "a // note b"},
		{"a // note\nb", true, "a b"},
		{"a /* x /* nested */ y */ b", true, "a b"},
		{`let s = "// not a comment"; // gone`, true, `let s = "// not a comment";`},
		{`let s = "esc \" // still"; x`, true, `let s = "esc \" // still"; x`},
		{`r#"raw // "quoted" "#; // c`, true, `r#"raw // "quoted" "#;`},
		{`let c = '"'; // c` + "\nx", true, `let c = '"'; x`},
		{`fn f<'a>(x: &'a str) {} // c`, true, `fn f<'a>(x: &'a str) {}`},
		{`'\n' // c`, true, `'\n'`},
		{"/* unclosed", true, ""},
		{"x\u00a0\u2003y", false, "x y"},
	}
	for _, c := range cases {
		if got := Normalize(c.in, c.comments); got != c.want {
			t.Errorf("Normalize(%q, %v) = %q; want %q", c.in, c.comments, got, c.want)
		}
	}
}

func words(s string) []string {
	var out []string
	Words(s, func(a, b int) { out = append(out, s[a:b]) })
	return out
}

func TestWords(t *testing.T) {
	cases := []struct {
		in   string
		want string
	}{
		{"fn get_error_response(&self) -> u32 {}", "fn|get_error_response|(|&|self|)|-|>|u32|{|}"},
		{"0x1F + 1.5e3 - 10u32 .. 2", "0x1F|+|1.5e3|-|10u32|.|.|2"},
		{"x.0.1", "x|.|0.1"},
		{"größe = ünïcode_1;", "größe|=|ünïcode_1|;"},
		{"", ""},
		{"a\u00a0b", "a|b"},
		{"\xff", "\xff"},
	}
	for _, c := range cases {
		if got := strings.Join(words(c.in), "|"); got != c.want {
			t.Errorf("Words(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

func TestOptimalBands(t *testing.T) {
	b, r, fp, fn := OptimalBands(DefaultThreshold, DefaultPerms)
	if b != 25 || r != 10 || math.Abs(fp-0.038) > 0.001 || math.Abs(fn-0.026) > 0.001 {
		t.Errorf("OptimalBands(0.7, 256) = %d, %d, %.4f, %.4f; want 25, 10, 0.038, 0.026 (as --help says)", b, r, fp, fn)
	}
}

// jaccard is the exact similarity of two texts' shingle sets.
func jaccard(a, b string, n int) float64 {
	set := func(s string) map[uint64]bool {
		w := WordHashes(s, nil)
		m := map[uint64]bool{}
		k := min(n, len(w))
		for i := 0; i+k <= len(w); i++ {
			m[gramHash(w[i:i+k])] = true
		}
		return m
	}
	sa, sb := set(a), set(b)
	inter := 0
	for k := range sa {
		if sb[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(sa)+len(sb)-inter)
}

func TestSignatureEstimatesJaccard(t *testing.T) {
	m := NewMinHasher(5, 256, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := []string{"let", "x", "=", "foo", "(", ")", ";", "bar", "baz", "if", "{", "}", "return", "self", ".", "map"}
	var worst float64
	for range 200 {
		var a []string
		for range 300 {
			a = append(a, vocab[rng.IntN(len(vocab))]+fmt.Sprint(rng.IntN(50)))
		}
		b := slices.Clone(a)
		for range rng.IntN(40) {
			b[rng.IntN(len(b))] = "changed"
		}
		ta, tb := strings.Join(a, " "), strings.Join(b, " ")
		sa, sb := make([]uint32, 256), make([]uint32, 256)
		m.Signature(WordHashes(ta, nil), sa)
		m.Signature(WordHashes(tb, nil), sb)
		est := Similarity(Compact(sa, nil), Compact(sb, nil))
		worst = max(worst, math.Abs(est-jaccard(ta, tb, 5)))
	}
	if worst > 0.12 { // 4 standard deviations of a 256-permutation estimate
		t.Errorf("a MinHash estimate is %.3f from the exact Jaccard similarity", worst)
	}
}

func TestParseSplits(t *testing.T) {
	good := map[string]Splits{
		"train:0.98,validation:0.02": {{"train", 0.98}, {"validation", 0.02}},
		"train:1":                    {{"train", 1}},
		"a:0.1, b_2:0.2,c:0.7":       {{"a", 0.1}, {"b_2", 0.2}, {"c", 0.7}},
	}
	for spec, want := range good {
		if got, err := ParseSplits(spec); err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseSplits(%q) = %v, %v; want %v", spec, got, err, want)
		}
	}
	for _, spec := range []string{"", "train:0.5", "train:0.5,train:0.5", "train", "tr-ain:1", "a:0,b:1", "a:-0.5,b:1.5",
		"a:NaN,b:1", "a:abc", "a:0.5,b:0.6", ":1", "a/b:1"} {
		if got, err := ParseSplits(spec); err == nil {
			t.Errorf("ParseSplits(%q) = %v; want an error", spec, got)
		}
	}
}

func TestAssignIsStableAndFair(t *testing.T) {
	s, _ := ParseSplits("train:0.9,validation:0.1")
	n, val := 100000, 0
	for i := range n {
		if s.Assign(fmt.Sprintf("src/file%d.rs", i)) == 1 {
			val++
		}
	}
	if got := float64(val) / float64(n); math.Abs(got-0.1) > 0.005 {
		t.Errorf("validation share %.4f; want 0.1 ± 0.005", got)
	}
	if a, b := s.Assign("x"), s.Assign("x"); a != b {
		t.Errorf("Assign is not stable")
	}
}

func TestParseSource(t *testing.T) {
	exists := func(name string) bool { return name == "odd:name.jsonl" }
	good := map[string]Source{
		"a.jsonl":           {"a.jsonl", 1},
		"a.jsonl:0.5":       {"a.jsonl", 0.5},
		"a.jsonl.zst:3":     {"a.jsonl.zst", 3},
		"a.jsonl:0":         {"a.jsonl", 0},
		"odd:name.jsonl":    {"odd:name.jsonl", 1},
		"odd:name.jsonl:2":  {"odd:name.jsonl", 2},
		"-:0.5":             {"-", 0.5},
		"dir:x/a.jsonl:1e1": {"dir:x/a.jsonl", 10},
	}
	for arg, want := range good {
		if got, err := ParseSource(arg, exists); err != nil || got != want {
			t.Errorf("ParseSource(%q) = %v, %v; want %v", arg, got, err, want)
		}
	}
	for _, arg := range []string{"a.jsonl:-1", "a.jsonl:abc", "a.jsonl:", ":1", "", "a.jsonl:NaN", "a.jsonl:Inf", "new:name.jsonl"} {
		if got, err := ParseSource(arg, exists); err == nil {
			t.Errorf("ParseSource(%q) = %v; want an error", arg, got)
		}
	}
}

// TestScheduleShares: the shares of a long stream land within 1 % of the
// weights, by records and by sizes.
func TestScheduleShares(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, weights := range [][]float64{{0.5, 0.5}, {0.3, 0.7}, {1, 2, 7}, {5, 0, 1}} {
		for _, bySize := range []bool{false, true} {
			s, err := NewSchedule(weights)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]float64, len(weights))
			for range 200000 {
				i := s.Next()
				size := 1.0
				if bySize {
					size = float64(1 + rng.IntN(5000)*(i+1)) // sources of different record sizes
				}
				got[i] += size
				s.Took(i, size)
			}
			var sum, wsum float64
			for i := range got {
				sum += got[i]
				wsum += weights[i]
			}
			for i := range got {
				if share, want := got[i]/sum, weights[i]/wsum; math.Abs(share-want) > 0.01*want+1e-12 {
					t.Errorf("weights %v (by size %v): source %d share %.4f; want %.4f ± 1 %%", weights, bySize, i, share, want)
				}
			}
		}
	}
	if _, err := NewSchedule([]float64{0, 0}); err == nil {
		t.Errorf("NewSchedule(0, 0): want an error")
	}
}

func TestSorterSpillsAndMerges(t *testing.T) {
	sp, err := NewSpill(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	s := sp.Sorter(4 << 10) // a run every few dozen items
	rng := rand.New(rand.NewPCG(5, 6))
	var keys []uint64
	for i := range 5000 {
		k := rng.Uint64N(1000) // ties: kept in order of addition
		keys = append(keys, k)
		if err := s.Add(k, fmt.Appendf(nil, "%020d:%d", k, i)); err != nil {
			t.Fatal(err)
		}
	}
	if s.Runs() < 50 {
		t.Fatalf("%d runs; want many", s.Runs())
	}
	m, err := s.Finish(4) // merged 4 at a time first
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var got []string
	for {
		d, ok, err := m.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		got = append(got, string(d))
	}
	want := make([]string, len(keys))
	for i, k := range keys {
		want[i] = fmt.Sprintf("%020d:%d", k, i)
	}
	slices.SortStableFunc(want, func(a, b string) int { return strings.Compare(a[:20], b[:20]) })
	if !slices.Equal(got, want) {
		t.Errorf("merged %d items not in key order (of addition on ties)", len(got))
	}
}

func TestDeduper(t *testing.T) {
	texts := []string{
		"fn a() { let x = 1; x + 1 }",
		"fn  a()  {\n let x = 1;\n x + 1\n}", // exact after normalising
		"fn b() { other(); }",
		"fn a() { let x = 1; x + 1 } // note",
	}
	for _, comments := range []bool{false, true} {
		d := &Deduper{Exact: true}
		for _, tx := range texts {
			d.Add(Entry{Key: ExactKey(Normalize(tx, comments))})
		}
		v := d.Resolve()
		want := []int32{0, 0, 2, 3}
		if comments {
			want[3] = 0
		}
		for i := range v {
			if v[i].Kept != want[i] {
				t.Errorf("comments %v: text %d kept by %d; want %d", comments, i, v[i].Kept, want[i])
			}
		}
		if v[0].StandsFor != int32(2+btoi(comments)) {
			t.Errorf("comments %v: the kept text stands for %d", comments, v[0].StandsFor)
		}
	}
	// keep the max
	d := &Deduper{Exact: true}
	d.KeepMax()
	for i, p := range []float64{1, 5, 5, 2} {
		_ = i
		d.Add(Entry{Key: ExactKey("same"), Priority: p})
	}
	if v := d.Resolve(); v[0].Kept != 1 || v[2].Kept != 1 || v[1].StandsFor != 4 {
		t.Errorf("KeepMax: %+v; want all kept by text 1 (the first of the highest)", v)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestContamination(t *testing.T) {
	c := NewContamination(13)
	c.Add("def add(a, b): return a + b  # an evaluation task with enough words here", 0)
	c.Add("short eval", 1)
	text := "xx yy def add(a, b): return a + b  # an evaluation task with enough words zz"
	if s, e, ev, ok := c.Find(text); !ok || ev != 0 || text[s:e] != "def add(a, b): return a + b  #" {
		t.Errorf("Find = %q, %d, %v", text[s:e], ev, ok)
	}
	if _, _, ev, ok := c.Find("this has a short eval inside"); !ok || ev != 1 {
		t.Errorf("a short evaluation text inside a training text is not found")
	}
	if _, _, _, ok := c.Find("def add(a, b): return a - b totally different"); ok {
		t.Errorf("found an n-gram that is not there")
	}
}

func FuzzParsers(f *testing.F) {
	for _, s := range []string{"train:0.98,validation:0.02", "a.jsonl:0.5", "x:y:z", `r#"a"# // c /* d`, "'a' '\\u{1F600}' \"", "0x1.2e3_4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ParseSplits(s)
		ParseSource(s, func(string) bool { return false })
		n := Normalize(s, true)
		if strings.Contains(n, "  ") {
			t.Errorf("Normalize(%q) = %q holds two spaces", s, n)
		}
		Words(s, func(a, b int) {
			if a >= b || b > len(s) {
				t.Fatalf("Words(%q): range [%d, %d)", s, a, b)
			}
		})
		NewContamination(3).Find(s)
	})
}

// TestNearDeduper: a near duplicate points at its kept twin, and an exact
// copy of a removed text stands for the same kept text, as exact dedup
// would count it.
func TestNearDeduper(t *testing.T) {
	base := strings.Repeat("let value = compute(alpha, beta); total += value * 2; ", 6)
	texts := []string{
		"fn a() { " + base + "}",
		"fn a() { " + base + " extra(); }",    // near
		"fn  a() { " + base + "  extra();  }", // exact copy of the near one
		"fn other() { completely different }", // kept
	}
	m := NewMinHasher(5, 256, 1)
	d := &Deduper{Exact: true, Near: true, Threshold: 0.7, Bands: 25, Rows: 10, Perms: 256}
	for _, tx := range texts {
		n := Normalize(tx, false)
		sig := make([]uint32, 256)
		m.Signature(WordHashes(n, nil), sig)
		d.Add(Entry{Key: ExactKey(n), Sig: Compact(sig, nil), Bands: Bands(sig, 25, 10, nil)})
	}
	v := d.Resolve()
	if v[1].Kept != 0 || !v[1].Near || v[2].Kept != 0 || v[2].Near || v[2].Similarity != v[1].Similarity || v[0].StandsFor != 3 || v[3].Kept != 3 {
		t.Errorf("verdicts %+v; want 1 near and 2 exact, both kept by 0 (standing for 3), 3 kept", v)
	}
}

// TestBandCurve: the chances --help gives for a pair to share a band at
// 25 bands of 10 rows.
func TestBandCurve(t *testing.T) {
	for s, want := range map[float64]float64{0.7: 0.51, 0.75: 0.77, 0.8: 0.94, 0.85: 0.996} {
		if got := 1 - math.Pow(1-math.Pow(s, 10), 25); math.Abs(got-want) > 0.006 {
			t.Errorf("P(share a band | s = %.2f) = %.3f; --help says %.3f", s, got, want)
		}
	}
}
