package corpus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// CrawlConfig holds the crawler's settings; a zero field takes the default
// shown by DefaultCrawl.
type CrawlConfig struct {
	UserAgent string        // sent with every request and matched against robots.txt groups
	Workers   int           // requests in flight at most
	Delay     time.Duration // minimum time between the starts of two requests: politeness
	Timeout   time.Duration // a request (headers and body) taking longer is abandoned
	MaxPages  int           // page requests at most (robots.txt not counted)
	MaxBytes  int64         // larger pages are skipped
	Log       io.Writer     // if set, one line per request
}

// DefaultCrawl returns the defaults: 4 workers, one request every 10 ms at
// most, a 1 s timeout, 100 pages, 4 MiB per page. A site on the internet
// deserves a longer delay (a second or more); this one is on 127.0.0.1.
func DefaultCrawl() CrawlConfig {
	return CrawlConfig{UserAgent: "BaeumBot/0.1 (+https://github.com/baeum-go/baeum)", Workers: 4,
		Delay: 10 * time.Millisecond, Timeout: time.Second, MaxPages: 100, MaxBytes: 4 << 20}
}

func (c CrawlConfig) withDefaults() CrawlConfig {
	d := DefaultCrawl()
	c.UserAgent = orDefault(c.UserAgent, d.UserAgent)
	c.Workers = orDefault(c.Workers, d.Workers)
	c.Delay = orDefault(c.Delay, d.Delay)
	c.Timeout = orDefault(c.Timeout, d.Timeout)
	c.MaxPages = orDefault(c.MaxPages, d.MaxPages)
	c.MaxBytes = orDefault(c.MaxBytes, d.MaxBytes)
	return c
}

// orDefault returns def when v is zero (or negative): unset settings take the default.
func orDefault[T int | int64 | time.Duration | string](v, def T) T {
	var zero T
	if v <= zero {
		return def
	}
	return v
}

// Page is a page fetched successfully (HTTP 200, HTML, UTF-8).
type Page struct {
	URL         string
	Status      int
	ContentType string
	Bytes       int
	Body        []byte
	Links       int // <a href> links on the page
	Took        time.Duration
}

// Skip is a URL the crawler tried and gave up on, with the reason.
type Skip struct {
	URL    string
	Status int // 0 when no HTTP answer came
	Reason string
}

// CrawlResult is everything a crawl did. Lists are sorted by URL, so two
// crawls of the same site print the same result whatever the scheduling.
type CrawlResult struct {
	Seed         string
	UserAgent    string
	Robots       *Robots // the rules obeyed
	RobotsStatus string  // how robots.txt was obtained
	Pages        []Page
	Skipped      []Skip
	Disallowed   []string // URLs robots.txt forbids: never requested
	Unvisited    []string // URLs still queued when MaxPages was reached
	OffSite      int      // distinct links to other sites, not followed
	NotHTTP      int      // distinct mailto:, javascript: and malformed links
	Requests     int      // HTTP requests made, robots.txt included
	Elapsed      time.Duration
}

// Summary is a short report for the notebook.
func (r *CrawlResult) Summary() string {
	bytes := 0
	for _, p := range r.Pages {
		bytes += p.Bytes
	}
	var b strings.Builder
	fmt.Fprintf(&b, "crawled %s in %v: %d requests, %d pages fetched (%d bytes), %d skipped, %d disallowed by robots.txt, %d unvisited (page limit), %d off-site and %d non-http links not followed\n",
		r.Seed, r.Elapsed.Round(time.Millisecond), r.Requests, len(r.Pages), bytes, len(r.Skipped),
		len(r.Disallowed), len(r.Unvisited), r.OffSite, r.NotHTTP)
	fmt.Fprintf(&b, "robots.txt: %s\n", r.RobotsStatus)
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "skipped %s: %s\n", s.URL, s.Reason)
	}
	for _, d := range r.Disallowed {
		fmt.Fprintf(&b, "disallowed %s\n", d)
	}
	return strings.TrimRight(b.String(), "\n")
}

// outcome is what a worker reports about one URL.
type outcome struct {
	url   string
	page  *Page
	skip  *Skip
	links []string // hrefs to consider (a redirect's Location is one)
	sent  bool     // whether a request went out (not when canceled before)
}

// Crawl fetches the site of seed breadth-first, following <a href> links on
// the same scheme, host and port only. It reads robots.txt first and never
// requests a URL it disallows; it requests each normalized URL at most once
// (see NormalizeURL); at most cfg.Workers requests are in flight, their
// starts at least cfg.Delay apart; it stops after cfg.MaxPages page
// requests. A page that fails (HTTP error, timeout, not HTML, not UTF-8) is
// listed in Skipped with the reason and the crawl goes on.
//
// The error is non-nil only for an unusable seed or when ctx ends; the
// result then holds what was done so far.
func Crawl(ctx context.Context, seed string, cfg CrawlConfig) (*CrawlResult, error) {
	start := time.Now()
	cfg = cfg.withDefaults()
	seedURL, err := NormalizeURL(seed, "")
	if err != nil {
		return nil, fmt.Errorf("corpus: cannot crawl from %q: %w; give a full address such as http://127.0.0.1:8080/", seed, err)
	}
	u, _ := url.Parse(seedURL)
	c := &crawler{cfg: cfg, origin: u.Scheme + "://" + u.Host, pace: &pacer{delay: cfg.Delay},
		res: &CrawlResult{Seed: seedURL, UserAgent: cfg.UserAgent}}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = cfg.Workers
	c.client = &http.Client{Transport: transport,
		// Redirects come back as links, so the target is queued (and
		// checked against robots.txt and the seen set) like any other.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	c.robots = &http.Client{Transport: transport, CheckRedirect: func(_ *http.Request, via []*http.Request) error {
		if len(via) > 5 {
			return errors.New("more than 5 redirects")
		}
		return nil
	}}
	defer transport.CloseIdleConnections()

	c.readRobots(ctx)
	err = c.run(ctx, seedURL)
	r := c.res
	slices.SortFunc(r.Pages, func(a, b Page) int { return strings.Compare(a.URL, b.URL) })
	slices.SortFunc(r.Skipped, func(a, b Skip) int { return strings.Compare(a.URL, b.URL) })
	slices.Sort(r.Disallowed)
	slices.Sort(r.Unvisited)
	r.Elapsed = time.Since(start)
	if err != nil {
		return r, fmt.Errorf("corpus: crawl of %s stopped early: %w", seedURL, err)
	}
	return r, nil
}

type crawler struct {
	cfg    CrawlConfig
	origin string       // scheme://host:port of the seed
	client *http.Client // pages: redirects are not followed
	robots *http.Client // robots.txt: redirects are followed (RFC 9309 allows 5)
	pace   *pacer
	res    *CrawlResult
}

// run is the coordinator: it alone touches the queue, the seen set and the
// result, so none of them needs a lock; workers only fetch.
func (c *crawler) run(ctx context.Context, seed string) error {
	jobs := make(chan string)
	results := make(chan outcome)
	var wg sync.WaitGroup
	for range c.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range jobs {
				results <- c.fetch(ctx, u)
			}
		}()
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()

	seen := map[string]bool{seed: true}
	var queue []string
	if c.res.Robots.Allowed(c.cfg.UserAgent, robotsPath(seed)) {
		queue = append(queue, seed)
	} else {
		c.res.Disallowed = append(c.res.Disallowed, seed)
	}
	started, inFlight := 0, 0
	ctxDone := ctx.Done()
	for {
		var send chan string // nil (never ready) unless there is work to hand out
		var next string
		if len(queue) > 0 && started < c.cfg.MaxPages && ctx.Err() == nil {
			send, next = jobs, queue[0]
		}
		if send == nil && inFlight == 0 {
			break
		}
		select {
		case send <- next:
			queue = queue[1:]
			started++
			inFlight++
		case out := <-results:
			inFlight--
			c.record(out)
			for _, href := range out.links {
				queue = c.consider(out.url, href, seen, queue)
			}
		case <-ctxDone:
			// Nothing more is handed out (see send above); requests in
			// flight end with ctx and still report through results.
			ctxDone = nil
		}
	}
	c.res.Unvisited = queue
	return ctx.Err()
}

// consider decides what to do with one link found on page from.
func (c *crawler) consider(from, href string, seen map[string]bool, queue []string) []string {
	u, err := NormalizeURL(from, href)
	if err != nil {
		u = "invalid:" + href
	}
	if seen[u] {
		return queue
	}
	seen[u] = true
	switch {
	case err != nil:
		c.res.NotHTTP++
	case !strings.HasPrefix(u, c.origin+"/"):
		c.res.OffSite++
	case !c.res.Robots.Allowed(c.cfg.UserAgent, robotsPath(u)):
		c.res.Disallowed = append(c.res.Disallowed, u)
		c.logf("robots.txt disallows %s", u)
	default:
		queue = append(queue, u)
	}
	return queue
}

func (c *crawler) record(out outcome) {
	if out.sent {
		c.res.Requests++
	}
	if out.page != nil {
		c.res.Pages = append(c.res.Pages, *out.page)
		c.logf("%d %s (%d bytes, %d links, %v)", out.page.Status, out.url, out.page.Bytes, out.page.Links, out.page.Took.Round(time.Millisecond))
		return
	}
	c.res.Skipped = append(c.res.Skipped, *out.skip)
	c.logf("skip %s: %s", out.url, out.skip.Reason)
}

func (c *crawler) logf(format string, args ...any) {
	if c.cfg.Log != nil {
		fmt.Fprintf(c.cfg.Log, format+"\n", args...)
	}
}

// robotsPath is the path and query of an absolute URL, what robots.txt
// rules are matched against.
func robotsPath(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "/"
	}
	return requestPath(p)
}
