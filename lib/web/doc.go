// Package web is dwkit's network client: a polite HTTP client (a
// descriptive User-Agent, one request at a time, a cap on answer sizes,
// retries with backoff and jitter on 429, 5xx and broken transfers,
// Retry-After honoured, bot challenges and robots.txt respected) and a
// Model Context Protocol client over it. It knows no site's formats: those
// are parsed by the domain packages (lib/deepwiki). Every function takes its
// http.Client and base URL from the caller, so tests point it at loopback.
package web
