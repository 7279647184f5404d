package main

import (
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
)

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }

func TestBadLinesAndUsage(t *testing.T) {
	clitest.CheckBadLines(t, run, `{"id":"f","kind":"fn","text":"fn validate_x() {}","source":{"path":"src/lib.rs"},"rust":{"name":"validate_x","module":"k"}}`)
	if code, _, _ := clitest.Run(t, run, "", "--patterns", "gossip"); code != cli.ExitUsage {
		t.Errorf("unknown pattern: exit %d; want 2", code)
	}
}
