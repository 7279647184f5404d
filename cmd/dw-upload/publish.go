package main

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/hfdata"
	"github.com/dwkit/dwkit/lib/web/hfhub"
	"github.com/dwkit/dwkit/ndjson"
)

// publisher uploads a dataset folder to the Hub.
type publisher struct {
	c   *command
	env *cli.Env
	hub *hfhub.Client
}

// newPublisher checks the endpoint and the token, and creates the
// repository (and the branch) before any record is read, so that a
// refusal comes first, not after the dataset is made.
func newPublisher(c *command, env *cli.Env) (*publisher, error) {
	if err := hfhub.CheckEndpoint(c.Endpoint); err != nil {
		return nil, cli.Usagef("--endpoint: %v", err)
	}
	if err := hfhub.CheckBranch(c.Branch); err != nil {
		return nil, cli.Usagef("--branch: %v", err)
	}
	token, err := hfhub.Token(os.Getenv)
	if err != nil {
		return nil, cli.Usagef("%v", err)
	}
	p := &publisher{c: c, env: env}
	p.hub = hfhub.NewClient(c.Endpoint, token, hfhub.Options{UserAgent: "dw-upload/" + cli.Version(),
		Retries: c.Retries, Backoff: time.Second, MaxWait: 5 * time.Minute,
		Log: func(format string, args ...any) { env.Report.Infof(format, args...) }})
	ctx := context.Background()
	repo := hfhub.Repo{ID: c.Repo}
	created, err := p.hub.CreateRepo(ctx, repo, c.Private)
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", c.Repo, err)
	}
	if created {
		env.Report.Infof("created the dataset repository %s", c.Repo)
	}
	if c.Branch != "main" && !c.PR {
		if err := p.hub.CreateBranch(ctx, repo, c.Branch); err != nil {
			return nil, fmt.Errorf("creating branch %s: %w", c.Branch, err)
		}
	}
	return p, nil
}

// publish commits the files and writes the output record.
func (p *publisher) publish(files []*hfhub.File, sum *hfdata.Summary, w *ndjson.Writer) error {
	var rows int64
	for _, s := range sum.Splits {
		rows += s.Rows
	}
	msg := p.c.Message
	if msg == "" {
		msg = fmt.Sprintf("Upload %d rows with dw-upload", rows)
		if rows == 0 { // --from: the rows are in the card only
			msg = "Upload the dataset with dw-upload"
		}
	}
	stale, err := p.stale(files)
	if err != nil {
		return err
	}
	progress := p.env.Progress()
	start := time.Now()
	p.hub.Progress = func(sent, total int64) {
		rate := float64(sent) / max(time.Since(start).Seconds(), 1e-3) / 1e6
		progress.Update("%d files: %.1f of %.1f MB sent, %.1f MB/s", len(files), float64(sent)/1e6, float64(total)/1e6, rate)
	}
	res, err := p.hub.Commit(context.Background(), &hfhub.Commit{
		Repo: hfhub.Repo{ID: p.c.Repo}, Branch: p.c.Branch, PullRequest: p.c.PR, Message: msg,
		Description: "Made by dw-upload (dwkit) " + cli.Version() + ".", Files: files, Delete: stale,
	})
	progress.Done()
	if err != nil {
		return fmt.Errorf("uploading %s: %w", p.c.Repo, err)
	}
	switch {
	case res.NothingToDo:
		p.env.Report.Infof("%s already holds these %d files: nothing to commit", p.c.Repo, len(files))
	case res.PullRequestURL != "":
		p.env.Report.Infof("sent %d files (%d unchanged, %d removed) in %.1fs; pull request %s", len(res.Uploaded), len(res.Unchanged), len(res.Deleted), time.Since(start).Seconds(), res.PullRequestURL)
	default:
		p.env.Report.Infof("sent %d files (%d unchanged, %d removed) in %.1fs; commit %s", len(res.Uploaded), len(res.Unchanged), len(res.Deleted), time.Since(start).Seconds(), res.Commit)
	}
	sum.Uploaded, sum.Commit, sum.CommitURL, sum.PullRequest = true, res.Commit, res.URL, res.PullRequestURL
	sum.Sent, sum.Unchanged, sum.Deleted = len(res.Uploaded), len(res.Unchanged), len(res.Deleted)
	return w.Write(sum)
}

// shardName is a Parquet shard as hfdata.Writer names it.
var shardName = regexp.MustCompile(`^data/[\w.]+-[0-9]{5}-of-[0-9]{5}\.parquet$`)

// stale are the data files of an earlier upload on the branch that this
// one does not have (fewer or other shards): the commit removes them, so
// the repository holds this dataset only.
func (p *publisher) stale(files []*hfhub.File) ([]string, error) {
	have, err := p.hub.ListFiles(context.Background(), hfhub.Repo{ID: p.c.Repo}, p.c.Branch, "data")
	if err != nil {
		return nil, err
	}
	ours := map[string]bool{}
	for _, f := range files {
		ours[f.Path] = true
	}
	var out []string
	for _, path := range have {
		if !ours[path] && shardName.MatchString(path) { // only shards as dw-upload names them
			out = append(out, path)
		}
	}
	if len(out) > 0 {
		p.env.Report.Infof("removing %d data file(s) of an earlier upload that this one does not have", len(out))
	}
	return out, nil
}
