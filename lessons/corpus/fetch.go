package corpus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// pacer spaces the starts of requests at least delay apart, across all
// workers: each caller reserves the next free slot, then sleeps until it.
type pacer struct {
	mu    sync.Mutex
	next  time.Time
	delay time.Duration
}

func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	now := time.Now()
	slot := p.next
	if slot.Before(now) {
		slot = now
	}
	p.next = slot.Add(p.delay)
	p.mu.Unlock()
	t := time.NewTimer(time.Until(slot))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fetch requests one URL and classifies the answer.
func (c *crawler) fetch(ctx context.Context, u string) outcome {
	fail := func(status int, reason string) outcome {
		return outcome{url: u, skip: &Skip{URL: u, Status: status, Reason: reason}, sent: true}
	}
	if err := c.pace.wait(ctx); err != nil {
		o := fail(0, "crawl canceled before the request")
		o.sent = false
		return o
	}
	body, resp, took, err := c.get(ctx, c.client, u)
	if err != nil {
		return fail(0, c.why(err))
	}
	st := resp.StatusCode
	if loc := resp.Header.Get("Location"); st >= 300 && st < 400 && loc != "" {
		o := fail(st, fmt.Sprintf("HTTP %s: redirect to %s (the target is handled as a new link)", resp.Status, loc))
		o.links = []string{loc}
		return o
	}
	if st != http.StatusOK {
		return fail(st, "HTTP "+resp.Status)
	}
	if int64(len(body)) > c.cfg.MaxBytes {
		return fail(st, fmt.Sprintf("larger than MaxBytes (%d bytes)", c.cfg.MaxBytes))
	}
	ct := resp.Header.Get("Content-Type")
	media, params, _ := mime.ParseMediaType(ct)
	if media != "text/html" && media != "application/xhtml+xml" {
		return fail(st, fmt.Sprintf("not HTML (Content-Type %q)", ct))
	}
	if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "utf8" {
		return fail(st, fmt.Sprintf("not UTF-8: the server says charset=%s; decode it first (golang.org/x/text/encoding) or leave it out", cs))
	}
	if !utf8.Valid(body) {
		return fail(st, "not valid UTF-8 although no other charset is declared; the text would be garbage")
	}
	links := ExtractLinks(body)
	return outcome{url: u, links: links, sent: true, page: &Page{URL: u, Status: st, ContentType: ct,
		Bytes: len(body), Body: body, Links: len(links), Took: took}}
}

// get does one GET with the per-request timeout, reading at most
// MaxBytes+1 bytes of the body.
func (c *crawler) get(ctx context.Context, client *http.Client, u string) ([]byte, *http.Response, time.Duration, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, 0, err
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBytes+1))
	if err != nil {
		return nil, nil, 0, err
	}
	return body, resp, time.Since(start), nil
}

// why turns a request error into a reason a learner can read.
func (c *crawler) why(err error) string {
	var ue *url.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "crawl canceled during the request"
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ue) && ue.Timeout()):
		return fmt.Sprintf("timed out after %v (CrawlConfig.Timeout)", c.cfg.Timeout)
	default:
		return "request failed: " + err.Error()
	}
}

// readRobots fetches /robots.txt of the seed's site. As RFC 9309 asks: a
// 4xx answer means there are no rules (everything is allowed); a 5xx answer
// or no answer means the site may be in trouble and nothing is crawled.
func (c *crawler) readRobots(ctx context.Context) {
	u := c.origin + "/robots.txt"
	c.res.Robots = ParseRobots("")
	if err := c.pace.wait(ctx); err != nil {
		c.res.RobotsStatus = "not read: crawl canceled"
		return
	}
	body, resp, _, err := c.get(ctx, c.robots, u)
	c.res.Requests++
	switch {
	case err != nil:
		c.res.Robots = ParseRobots("User-agent: *\nDisallow: /")
		c.res.RobotsStatus = fmt.Sprintf("%s unreachable (%s): crawling nothing", u, c.why(err))
	case resp.StatusCode == http.StatusOK:
		c.res.Robots = ParseRobots(string(body))
		c.res.RobotsStatus = fmt.Sprintf("%s: HTTP 200, groups: %d", u, len(c.res.Robots.groups))
	case resp.StatusCode >= 400 && resp.StatusCode < 500:
		c.res.RobotsStatus = fmt.Sprintf("%s: HTTP %s, so everything is allowed", u, resp.Status)
	default:
		c.res.Robots = ParseRobots("User-agent: *\nDisallow: /")
		c.res.RobotsStatus = fmt.Sprintf("%s: HTTP %s, so nothing is crawled until the site recovers", u, resp.Status)
	}
	c.logf("robots.txt: %s", c.res.RobotsStatus)
}
