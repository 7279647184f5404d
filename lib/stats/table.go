package stats

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// WriteTable prints a summary for people.
func WriteTable(w io.Writer, s Summary) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "records\t%d\n", s.Records)
	t := s.Tokens
	fmt.Fprintf(tw, "tokens\t%d total, min %d, max %d, mean %.2f\n", t.Total, t.Min, t.Max, t.Mean)
	var ps []string
	for _, p := range Percentiles {
		key := fmt.Sprintf("p%d", p)
		ps = append(ps, fmt.Sprintf("%s %d", key, t.Percentiles[key]))
	}
	fmt.Fprintf(tw, "percentiles\t%s\n", strings.Join(ps, ", "))
	writeCounts(tw, "kind", s.Kinds)
	fields := make([]string, 0, len(s.By))
	for f := range s.By {
		if f != "kind" { // listed above already
			fields = append(fields, f)
		}
	}
	sort.Strings(fields)
	for _, f := range fields {
		writeCounts(tw, f, s.By[f])
	}
	if len(s.BucketShare) > 0 {
		fmt.Fprintf(tw, "\nbucket\trecords\tshare\ttoken share\n")
		for _, b := range s.BucketShare {
			fmt.Fprintf(tw, "%s\t%d\t%.2f %%\t%.2f %%\n", b.Bucket, b.Records, b.Share, b.Tokens)
		}
	}
	return tw.Flush()
}

// writeCounts lists a field's values, most frequent first.
func writeCounts(w io.Writer, name string, counts map[string]int) {
	type kv struct {
		k string
		v int
	}
	var list []kv
	for k, v := range counts {
		list = append(list, kv{k, v})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].v > list[j].v || list[i].v == list[j].v && list[i].k < list[j].k })
	fmt.Fprintf(w, "\n%s\trecords\n", name)
	for _, e := range list {
		k := e.k
		if k == "" {
			k = "(none)"
		}
		fmt.Fprintf(w, "%s\t%d\n", k, e.v)
	}
}
