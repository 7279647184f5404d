package stats

import (
	"bytes"
	"encoding/json"
	"image/png"
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	buckets, err := ParseBuckets("0-10,10-100,100-")
	if err != nil {
		t.Fatal(err)
	}
	c := NewCollector([]string{"crate"}, 10, buckets)
	for i, n := range []int{5, 15, 25, 35, 105, 7, 9, 12, 50, 1000} {
		kind := "fn"
		if i%3 == 0 {
			kind = "file"
		}
		c.Add(kind, []string{[]string{"a", "b"}[i%2]}, n)
	}
	got, _ := json.Marshal(c.Summary())
	want := `{"records":10,"kinds":{"file":4,"fn":6},"by":{"crate":{"a":5,"b":5}},` +
		`"tokens":{"total":1263,"min":5,"max":1000,"mean":126.3,"percentiles":{"p25":9,"p50":15,"p75":50,"p90":105,"p95":1000,"p99":1000}},` +
		`"histogram":[{"from":0,"to":10,"count":3},{"from":10,"to":20,"count":2},{"from":20,"to":30,"count":1},{"from":30,"to":40,"count":1},{"from":50,"to":60,"count":1},{"from":100,"to":110,"count":1},{"from":1000,"to":1010,"count":1}],` +
		`"buckets":[{"bucket":"0-10","records":3,"share":30,"token_share":1.66},{"bucket":"10-100","records":5,"share":50,"token_share":10.85},{"bucket":"100-","records":2,"share":20,"token_share":87.49},{"bucket":"other","records":0,"share":0,"token_share":0}]}`
	if string(got) != want {
		t.Errorf("summary\n %s\nwant\n %s", got, want)
	}
	var table bytes.Buffer
	WriteTable(&table, c.Summary())
	squashed := strings.Join(strings.Fields(table.String()), " ")
	for _, line := range []string{"records 10", "tokens 1263 total, min 5, max 1000, mean 126.30", "p50 15", "10-100 5 50.00 % 10.85 %"} {
		if !strings.Contains(squashed, line) {
			t.Errorf("table lacks %q:\n%s", line, table.String())
		}
	}
	var svg, pngBuf bytes.Buffer
	if err := WriteSVG(&svg, c.Summary(), "a <title>"); err != nil || strings.Count(svg.String(), "<rect x=") != 7 || !strings.Contains(svg.String(), "a &lt;title&gt;") {
		t.Errorf("SVG: %v, %d bars", err, strings.Count(svg.String(), "<rect x="))
	}
	if err := WritePNG(&pngBuf, c.Summary(), "t"); err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(&pngBuf); err != nil || img.Bounds().Dx() != plotW {
		t.Errorf("PNG: %v", err)
	}
}

func TestParseBuckets(t *testing.T) {
	b, err := ParseBuckets("1k-4k, 4k-10k,10k-16k")
	if err != nil || len(b) != 3 || b[1].From != 4000 || b[2].To != 16000 {
		t.Errorf("ParseBuckets = %+v, %v", b, err)
	}
	for _, bad := range []string{"4k-1k", "x-2", "12"} {
		if _, err := ParseBuckets(bad); err == nil {
			t.Errorf("ParseBuckets(%q) succeeded", bad)
		}
	}
}
