package main

import (
	_ "embed"
	"os"
	"runtime/debug"

	"github.com/dwkit/dwkit/lib/cli"
)

//go:embed doc.go
var doc string

func main() {
	tuneGC()
	os.Exit(run(os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}

func run(args []string, stdio cli.Stdio) int {
	return cli.Main("dw-rustparse", cli.Doc(doc), args, stdio, &command{})
}

// tuneGC trades a little memory for speed: the records of each file are
// garbage as soon as they are written, so the default GOGC=100 collects far
// too often. A soft limit keeps the peak under 200 MB. GOGC and GOMEMLIMIT
// in the environment still win. It is the process's setting, so main, not
// run (which tests call), makes it.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(160 << 20)
	}
}
