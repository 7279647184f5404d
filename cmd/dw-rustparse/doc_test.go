package main

import (
	"testing"

	"github.com/dwkit/dwkit/lib/cli/clitest"
)

// TestHelpIsTheManual: --help shows doc.go's text, word for word (kong
// reflows paragraphs, so whitespace is compared loosely).
func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }
