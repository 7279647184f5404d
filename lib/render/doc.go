// Package render turns records into final training text with Go
// text/template: named presets reproduce the original recipes' formats,
// and users bring their own templates. A field a template names but the
// record lacks is an error, never an empty string; optional fields are
// read with get. Each rendered text says where its source code is (CodeIn:
// the byte ranges of code, never a header or documentation), so that
// fill-in-the-middle hides only code. SplitCode takes a doc's fenced code
// out of its markdown, for the original CPT form of doc-code.
package render
