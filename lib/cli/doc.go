// Package cli is the harness every dw-* command runs in: kong flag parsing
// with help taken from the command's doc.go, the common flags, --version,
// exit codes (0 ok, 1 failure, 2 usage), the "dw-x: " stderr prefix, the
// report-and-go-on policy for bad input with --fail-fast, and a progress
// line shown only when stderr is a terminal.
//
// It is the only package below the mains that touches the process's
// standard streams (through Stdio) and nothing here calls os.Exit.
package cli
