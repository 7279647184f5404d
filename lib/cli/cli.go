package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/alecthomas/kong"
	"github.com/dwkit/dwkit/ndjson"
)

// Exit codes shared by all commands.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// version is set with -ldflags "-X github.com/dwkit/dwkit/lib/cli.version=v1.2.3";
// otherwise it comes from the build info.
var version = ""

// Version returns the version string shown by --version.
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 && (v == "" || v == "(devel)") {
				v = "devel-" + s.Value[:12]
			}
		}
		if v != "" {
			return v
		}
	}
	return "devel"
}

// Stdio is a command's standard streams.
type Stdio struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// MaxWorkers is the most --workers accepted: far more than any machine has
// cores, far fewer than would exhaust memory on goroutines and queues.
const MaxWorkers = 1024

// Common holds the flags every command has. Embed it in the command's flag
// struct.
type Common struct {
	Output   string           `short:"o" default:"-" placeholder:"FILE" help:"Write records to FILE; .gz and .zst compress by name (default: stdout)."`
	Workers  int              `default:"0" help:"Parallel workers; 0 means one per CPU. The output does not depend on it."`
	FailFast bool             `help:"Stop at the first bad input instead of reporting it and going on."`
	Verbose  bool             `short:"v" help:"Report more detail on stderr (e.g. every skipped file)."`
	Version  kong.VersionFlag `help:"Print the version and exit."`
}

func (c *Common) common() *Common { return c }

// Command is a command's flag struct; Run does the work.
type Command interface {
	Run(env *Env) error
	common() *Common
}

// Lists is what a command that offers a choice of names implements: the
// lists, joined by ", ", become ${name} in its flags' help and enum tags,
// so a list is written once, where its names are defined.
type Lists interface {
	Lists() map[string][]string
}

// Env is what a running command gets from the harness.
type Env struct {
	Name string
	Stdio
	*Common
	Report *Reporter
	inputs []input // files read so far, which OpenOutput must not write over
}

// Progress returns a progress line for this command: live on a terminal,
// silent otherwise.
func (e *Env) Progress() *Progress { return newProgress(e.Name, e.Err) }

// Doc extracts the manual from a command's doc.go source: the text of its
// leading /* ... */ package comment.
func Doc(src string) string {
	start := strings.Index(src, "/*")
	end := strings.Index(src, "*/")
	if start < 0 || end < start {
		return ""
	}
	return strings.TrimSpace(src[start+2 : end])
}

// exitSignal carries kong's exit request (after --help or --version) out of
// the parser without exiting the process.
type exitSignal struct{ code int }

// Main parses args into cmd, runs it and returns the exit code. doc is the
// command's manual (see Doc) and becomes its --help text.
func Main(name, doc string, args []string, stdio Stdio, cmd Command) (code int) {
	defer cleanUpOnSignal(&onSignal)()
	report := &Reporter{name: name, w: stdio.Err}
	vars := kong.Vars{"version": name + " " + Version()}
	if l, ok := cmd.(Lists); ok {
		for k, list := range l.Lists() {
			vars[k] = strings.Join(list, ", ")
			vars[k+"_enum"] = strings.Join(list, ",")
		}
	}
	parser, err := kong.New(cmd,
		kong.Name(name),
		kong.Description(doc),
		kong.Writers(stdio.Out, stdio.Err),
		vars,
		kong.Exit(func(c int) { panic(exitSignal{c}) }),
		kong.ConfigureHelp(kong.HelpOptions{NoExpandSubcommands: true}),
	)
	if err != nil { // a bug in the command's flag struct
		fmt.Fprintf(stdio.Err, "%s: %v\n", name, err)
		return ExitFailure
	}
	defer func() {
		if r := recover(); r != nil {
			sig, ok := r.(exitSignal)
			if !ok {
				panic(r)
			}
			code = sig.code
		}
	}()
	if _, err := parser.Parse(args); err != nil {
		fmt.Fprintf(stdio.Err, "%s: %v\n%s: run '%s --help' for usage\n", name, err, name, name)
		return ExitUsage
	}
	c := cmd.common()
	if c.Workers < 0 || c.Workers > MaxWorkers {
		fmt.Fprintf(stdio.Err, "%s: --workers %d: want 0 (one per CPU) to %d\n%s: run '%s --help' for usage\n", name, c.Workers, MaxWorkers, name, name)
		return ExitUsage
	}
	report.failFast = c.FailFast
	env := &Env{Name: name, Stdio: stdio, Common: c, Report: report}
	err = cmd.Run(env)
	var usage *UsageError
	switch {
	case errors.As(err, &usage):
		fmt.Fprintf(stdio.Err, "%s: %s\n%s: run '%s --help' for usage\n", name, printable(usage.Err.Error()), name, name)
		return ExitUsage
	case errors.Is(err, ErrFailFast):
		fmt.Fprintf(stdio.Err, "%s: stopped at the first error (--fail-fast)\n", name)
		return ExitFailure
	case err != nil: // the error may quote a server or the input: no control bytes reach the terminal
		fmt.Fprintf(stdio.Err, "%s: %s\n", name, printable(err.Error()))
		return ExitFailure
	case report.Errors() > 0:
		fmt.Fprintf(stdio.Err, "%s: %d error(s) reported above\n", name, report.Errors())
		return ExitFailure
	}
	return ExitOK
}

// UsageError is an error in how the command was called (exit status 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{fmt.Errorf(format, args...)}
}

// Choices reads a comma-separated list of names from a flag: "all" stands
// for every name of valid; anything else must be one of them.
func Choices(flag, list string, valid []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, c := range strings.Split(list, ",") {
		switch c = strings.TrimSpace(c); {
		case c == "all":
			for _, v := range valid {
				out[v] = true
			}
		case slices.Contains(valid, c):
			out[c] = true
		default:
			return nil, Usagef("%s: unknown %q (want all or some of %s)", flag, c, strings.Join(valid, ", "))
		}
	}
	return out, nil
}

// AtLeast checks integer flags for a command's Validate method: each named
// value must be at least min. The first that is not is a usage error.
func AtLeast(min int, flags ...any) error {
	for i := 0; i+1 < len(flags); i += 2 {
		name, _ := flags[i].(string)
		var v int64
		switch x := flags[i+1].(type) {
		case int:
			v = int64(x)
		case Size:
			v = int64(x)
		case Tokens:
			v = int64(x)
		case time.Duration:
			v = int64(x)
		}
		if v < int64(min) {
			return fmt.Errorf("--%s %v: want at least %d", name, flags[i+1], min)
		}
	}
	return nil
}

// cleanups are what an interrupted run must remove besides -o's temporary
// file (Env.OnInterrupt).
type cleanups struct {
	mu sync.Mutex
	fs []func()
}

var onSignal cleanups

func (c *cleanups) add(f func()) {
	c.mu.Lock()
	c.fs = append(c.fs, f)
	c.mu.Unlock()
}

func (c *cleanups) run() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range c.fs {
		f()
	}
}

// OnInterrupt registers f to run when a signal ends the process, to remove
// the temporary files a command writes besides -o. f runs on another
// goroutine while the command's own may still be working: it must only
// remove files.
func (e *Env) OnInterrupt(f func()) { onSignal.add(f) }

// cleanUpOnSignal makes an interrupt, a hangup or a termination remove the
// temporary files of the outputs being written, then end the process by
// that signal, as it would have ended without the handler. A signal the
// process was started to ignore (nohup, a background job's SIGINT) stays
// ignored. It returns the function that stops it.
func cleanUpOnSignal(extra *cleanups) (stop func()) {
	var watched []os.Signal
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
		if !signal.Ignored(sig) {
			watched = append(watched, sig)
		}
	}
	clear := func() {
		extra.mu.Lock()
		extra.fs = nil // this run's
		extra.mu.Unlock()
	}
	if len(watched) == 0 { // Notify with no signal would relay every signal
		return clear
	}
	sigs := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(sigs, watched...)
	go func() {
		select {
		case sig := <-sigs:
			ndjson.AbandonTemps()
			extra.run()
			signal.Reset(sig)
			syscall.Kill(syscall.Getpid(), sig.(syscall.Signal)) // not ignored: the default action ends the process
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
		clear()
	}
}
