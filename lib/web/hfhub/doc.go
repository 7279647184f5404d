// Package hfhub publishes files to a Hugging Face Hub repository over the
// Hub's HTTP API, the way the official clients do: create the repo, read
// a branch's head, preupload (which files go through LFS and which the Hub
// has already), the git-LFS batch API with basic and multipart transfers,
// and one NDJSON commit on top of a known parent commit.
//
// Faults: requests are retried with backoff on broken transfers, 408, 429
// and 5xx (lib/web), honouring Retry-After and the RateLimit headers. The
// commit itself is never retried blindly: after a lost answer the branch
// head is read first, and when it moved the files are compared with the
// Hub's, so a commit is never made twice; a 412 (the parent is stale)
// re-reads the head and commits once more. Files the Hub already has with
// the same content (the same oid) are skipped, so an interrupted upload
// resumes where it stopped.
//
// The token is sent only to the endpoint, never to LFS storage, and never
// appears in an error or a log line.
package hfhub
