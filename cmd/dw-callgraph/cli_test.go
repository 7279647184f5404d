package main

import (
	"testing"

	"github.com/dwkit/dwkit/lib/cli/clitest"
)

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }

func TestBadLines(t *testing.T) {
	clitest.CheckBadLines(t, run, `{"id":"f","kind":"file","text":"fn a() {}","source":{"path":"src/lib.rs"},"rust":{"module":"k","crate":"k"}}`)
}
