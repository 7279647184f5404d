package main

import (
	_ "embed"
	"os"

	"github.com/dwkit/dwkit/lib/cli"
)

//go:embed doc.go
var doc string

func main() {
	os.Exit(run(os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}

func run(args []string, stdio cli.Stdio) int {
	return cli.Main("dw-redact", cli.Doc(doc), args, stdio, &command{})
}
