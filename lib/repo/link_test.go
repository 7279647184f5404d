package repo

import (
	"fmt"
	"strings"
	"testing"
)

func TestMerge(t *testing.T) {
	spans := func() []span {
		return []span{{start: 10, end: 12}, {start: 1, end: 2}, {start: 13, end: 13}, {start: 4, end: 5}}
	}
	show := func(ss []span) string {
		var b []string
		for _, s := range ss {
			b = append(b, fmt.Sprintf("%d-%d", s.start, s.end))
		}
		return strings.Join(b, " ")
	}
	if got := show(merge(spans(), 0, 20)); got != "1-2 4-5 10-13" { // 12 and 13 touch
		t.Errorf("no context: %s", got)
	}
	if got := show(merge(spans(), 1, 20)); got != "1-6 9-14" {
		t.Errorf("context 1: %s", got)
	}
	if got := show(merge(append(spans(), span{}), 0, 5)); got != "1-5" { // a whole-file citation in a 5-line file
		t.Errorf("whole file: %s", got)
	}
}
