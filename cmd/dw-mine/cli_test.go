package main

import (
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
)

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }

func TestBadLinesAndUsage(t *testing.T) {
	clitest.CheckBadLines(t, run, `{"id":"f","kind":"fn","text":"fn validate_x() {}","source":{"path":"src/lib.rs"},"rust":{"name":"validate_x","module":"k"}}`)
	for _, args := range [][]string{
		{"--patterns", "gossip"}, {"--negatives=-1"}, {"--negatives=101"}, {"--depth=0"}, {"--depth=65"}, {"--steps=0"}, {"--steps=1001"},
	} {
		if code, _, _ := clitest.Run(t, run, "", args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d; want 2", args, code)
		}
	}
}
