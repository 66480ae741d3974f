package corpus

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCrawlFAQ crawls the lesson's site with every fault switched on: each
// page that robots.txt allows must be requested exactly once, the pages it
// disallows never, and each fault must be skipped with its reason.
func TestCrawlFAQ(t *testing.T) {
	needData(t)
	site, err := ServeSite(SiteConfig{Faults: true})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	cfg := DefaultCrawl()
	cfg.Timeout = 300 * time.Millisecond
	res, err := Crawl(context.Background(), site.URL, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res.Summary())

	hits := site.Hits()
	want := map[string]int{"/": 1, "/robots.txt": 1}
	for _, p := range site.Pages() {
		want[p] = 1
	}
	want["/en/faqinfo.en.html"], want["/ko/faqinfo.ko.html"] = 0, 0
	for _, f := range []string{FaultMissing, FaultError, FaultSlow, FaultMoved, FaultEUCKR} {
		want[f] = 1
	}
	for p, n := range want {
		if hits[p] != n {
			t.Errorf("%s requested %d times, want %d", p, hits[p], n)
		}
	}
	for p, n := range hits {
		if _, ok := want[p]; !ok {
			t.Errorf("unexpected request for %s (%d times)", p, n)
		}
	}
	if len(res.Pages) != 33 { // 34 FAQ pages - 2 disallowed + the home page
		t.Errorf("%d pages fetched, want 33", len(res.Pages))
	}
	reasons := map[string]string{
		FaultMissing: "HTTP 404", FaultError: "HTTP 500", FaultSlow: "timed out after 300ms",
		FaultMoved: "redirect to /en/index.en.html", FaultEUCKR: "charset=euc-kr",
	}
	if len(res.Skipped) != len(reasons) {
		t.Errorf("%d skipped, want %d: %v", len(res.Skipped), len(reasons), res.Skipped)
	}
	for _, s := range res.Skipped {
		path := strings.TrimPrefix(s.URL, site.URL)
		if !strings.Contains(s.Reason, reasons[path]) {
			t.Errorf("skipped %s because %q, want a reason with %q", path, s.Reason, reasons[path])
		}
	}
	wantDis := []string{site.URL + "/en/faqinfo.en.html", site.URL + "/ko/faqinfo.ko.html", site.URL + "/private/notes.html"}
	if !slices.Equal(res.Disallowed, wantDis) {
		t.Errorf("disallowed %v, want %v", res.Disallowed, wantDis)
	}
	if err := site.CheckCrawl(res); err != nil {
		t.Error(err)
	}
	// From pages to a corpus: the filters drop the home page (a list of
	// links), and near-duplicate detection finds the three chapters that
	// the Korean translation left mostly in English.
	docs := PageDocuments(res.Pages)
	texts, rep := ApplyFilters(Texts(docs), PageFilters().Filters())
	if rep.Out != 32 || rep.Steps[0].Removed != 1 || docs[rep.Kept[0]].URL != site.URL+"/en/basic-defs.en.html" {
		t.Errorf("page filters kept %d of 33 pages, want all but the home page:\n%v", rep.Out, rep)
	}
	var pairs []string
	for _, p := range Dedup(texts, DefaultDedup()).Pairs {
		pairs = append(pairs, strings.TrimPrefix(docs[rep.Kept[p.A]].URL, site.URL)+" ~ "+strings.TrimPrefix(docs[rep.Kept[p.B]].URL, site.URL))
	}
	wantPairs := []string{"/en/compatibility.en.html ~ /ko/compatibility.ko.html",
		"/en/pkg-basics.en.html ~ /ko/pkg-basics.ko.html", "/en/pkgtools.en.html ~ /ko/pkgtools.ko.html"}
	if !slices.Equal(pairs, wantPairs) {
		t.Errorf("near-duplicate pages %q, want %q", pairs, wantPairs)
	}
	// A second crawl requests every page a second time: the check must say so.
	if _, err := Crawl(context.Background(), site.URL, cfg); err != nil {
		t.Fatal(err)
	}
	if err := site.CheckCrawl(res); err == nil || !strings.Contains(err.Error(), "/en/kernel.en.html requested 2 times") {
		t.Errorf("CheckCrawl after two crawls: %v", err)
	}
	if res.Requests != 39 || res.OffSite == 0 || res.NotHTTP == 0 || len(res.Unvisited) != 0 {
		t.Errorf("requests %d (want 39), off-site %d, non-http %d, unvisited %d", res.Requests, res.OffSite, res.NotHTTP, len(res.Unvisited))
	}
}

// testSite is a small site written in the test: path -> HTML body. Pages
// sleep for delay; the site records arrival times and peak concurrency.
type testSite struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	arrivals []time.Time
	active   int
	peak     int
}

// snapshot returns the counters under the lock (the race detector cannot
// see that a crawl's requests ended before Crawl returned: that ordering
// travels over TCP).
func (s *testSite) snapshot() (hits map[string]int, arrivals []time.Time, peak int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hits = map[string]int{}
	for k, v := range s.hits {
		hits[k] = v
	}
	return hits, slices.Clone(s.arrivals), s.peak
}

func newTestSite(t *testing.T, robots string, delay time.Duration, pages map[string]string) *testSite {
	s := &testSite{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.RequestURI()]++
		s.arrivals = append(s.arrivals, time.Now())
		s.active++
		s.peak = max(s.peak, s.active)
		s.mu.Unlock()
		defer func() { s.mu.Lock(); s.active--; s.mu.Unlock() }()
		if r.URL.Path == "/robots.txt" {
			switch robots {
			case "404":
				http.NotFound(w, r)
			case "503":
				http.Error(w, "down", http.StatusServiceUnavailable)
			default:
				fmt.Fprint(w, robots)
			}
			return
		}
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		body, ok := pages[r.URL.RequestURI()]
		switch {
		case !ok:
			http.NotFound(w, r)
		case strings.HasPrefix(body, "redirect:"):
			http.Redirect(w, r, strings.TrimPrefix(body, "redirect:"), http.StatusFound)
		case strings.HasPrefix(body, "text:"):
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, body)
		default:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, body)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// chain makes n pages /p0 ... /p(n-1), all linked from "/".
func chain(n int) map[string]string {
	pages := map[string]string{}
	var home strings.Builder
	for i := range n {
		fmt.Fprintf(&home, `<a href="/p%d">%d</a>`, i, i)
		pages[fmt.Sprintf("/p%d", i)] = fmt.Sprintf("<p>page %d</p><a href=\"/\">home</a>", i)
	}
	pages["/"] = home.String()
	return pages
}

func TestCrawlPageLimit(t *testing.T) {
	s := newTestSite(t, "404", 0, chain(10))
	res, err := Crawl(context.Background(), s.URL, CrawlConfig{MaxPages: 4, Delay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pages) != 4 || res.Requests != 5 || len(res.Unvisited) != 7 {
		t.Errorf("pages %d, requests %d, unvisited %d; want 4, 5 (robots.txt + 4), 7", len(res.Pages), res.Requests, len(res.Unvisited))
	}
}

func TestCrawlWorkersAndDelay(t *testing.T) {
	s := newTestSite(t, "404", 60*time.Millisecond, chain(12))
	res, err := Crawl(context.Background(), s.URL, CrawlConfig{Workers: 3, Delay: time.Millisecond})
	if err != nil || len(res.Pages) != 13 {
		t.Fatalf("pages %d, err %v; want 13", len(res.Pages), err)
	}
	if _, _, peak := s.snapshot(); peak > 3 || peak < 2 {
		t.Errorf("peak concurrency %d, want 2 or 3 with 3 workers", peak)
	}

	const delay = 40 * time.Millisecond
	s = newTestSite(t, "404", 0, chain(5))
	if _, err := Crawl(context.Background(), s.URL, CrawlConfig{Workers: 4, Delay: delay}); err != nil {
		t.Fatal(err)
	}
	_, a, _ := s.snapshot() // robots.txt, "/", and 5 pages
	if len(a) != 7 {
		t.Fatalf("%d requests, want 7", len(a))
	}
	// Requests start at least Delay apart; allow 20 ms for scheduling jitter.
	if span := a[len(a)-1].Sub(a[0]); span < 6*delay-20*time.Millisecond {
		t.Errorf("7 requests took %v, want at least %v", span, 6*delay)
	}
	for i := 1; i < len(a); i++ {
		if gap := a[i].Sub(a[i-1]); gap < delay/2 {
			t.Errorf("requests %d and %d only %v apart (Delay %v)", i-1, i, gap, delay)
		}
	}
}

func TestCrawlRobots(t *testing.T) {
	pages := chain(3)
	tests := []struct {
		robots       string
		pages        int
		disallowed   []string
		statusPrefix string
	}{
		{"404", 4, nil, "everything is allowed"},
		{"503", 0, []string{"/"}, "nothing is crawled"},
		{"User-agent: *\nDisallow: /p1", 3, []string{"/p1"}, "groups: 1"},
		{"User-agent: baeumbot\nDisallow: /\n\nUser-agent: *\nAllow: /", 0, []string{"/"}, "groups: 2"},
	}
	for _, tt := range tests {
		s := newTestSite(t, tt.robots, 0, pages)
		res, err := Crawl(context.Background(), s.URL, CrawlConfig{Delay: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		var dis []string
		for _, d := range res.Disallowed {
			dis = append(dis, strings.TrimPrefix(d, s.URL))
		}
		if len(res.Pages) != tt.pages || !slices.Equal(dis, tt.disallowed) || !strings.Contains(res.RobotsStatus, tt.statusPrefix) {
			t.Errorf("robots %q: %d pages, disallowed %v, status %q; want %d, %v, %q",
				tt.robots, len(res.Pages), dis, res.RobotsStatus, tt.pages, tt.disallowed, tt.statusPrefix)
		}
		hits, _, _ := s.snapshot()
		for p, n := range hits {
			if p != "/robots.txt" && slices.Contains(tt.disallowed, p) && n > 0 {
				t.Errorf("robots %q: disallowed %s was requested", tt.robots, p)
			}
		}
	}
}

func TestCrawlFailures(t *testing.T) {
	pages := map[string]string{
		"/": `<a href="/a">a</a><a href="/A#x">same?</a><a href="./a">a again</a><a href="/moved">m</a><a href="/gone">g</a>` +
			`<a href="/latin1">l</a><a href="/plain">p</a><a href="/big">b</a><a href="/again">r</a>` +
			`<a href="mailto:x@y.org">mail</a><a href="https://example.org/">away</a><a href="javascript:void(0)">js</a>`,
		"/a":      "<p>a</p>",
		"/A":      "<p>capital A is another path</p>",
		"/moved":  "redirect:/new",
		"/new":    "<p>new</p>",
		"/again":  "redirect:/a", // already fetched: must not be fetched twice
		"/latin1": "<p>caf\xe9</p>",
		"/plain":  "text: not html",
		"/big":    "<p>" + strings.Repeat("x", 5000) + "</p>",
	}
	s := newTestSite(t, "404", 0, pages)
	res, err := Crawl(context.Background(), s.URL, CrawlConfig{Delay: time.Millisecond, MaxBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range res.Pages {
		got = append(got, strings.TrimPrefix(p.URL, s.URL))
	}
	if want := []string{"/", "/A", "/a", "/new"}; !slices.Equal(got, want) {
		t.Errorf("pages %v, want %v", got, want)
	}
	reasons := map[string]string{"/moved": "redirect to /new", "/again": "redirect to /a", "/gone": "HTTP 404",
		"/latin1": "not valid UTF-8", "/plain": "not HTML", "/big": "larger than MaxBytes"}
	for _, sk := range res.Skipped {
		p := strings.TrimPrefix(sk.URL, s.URL)
		if !strings.Contains(sk.Reason, reasons[p]) {
			t.Errorf("%s skipped because %q, want %q", p, sk.Reason, reasons[p])
		}
		delete(reasons, p)
	}
	if len(reasons) != 0 {
		t.Errorf("not skipped: %v", reasons)
	}
	hits, _, _ := s.snapshot()
	for p, n := range hits {
		if n != 1 {
			t.Errorf("%s requested %d times", p, n)
		}
	}
	if res.OffSite != 1 || res.NotHTTP != 2 {
		t.Errorf("off-site %d, non-http %d; want 1 and 2", res.OffSite, res.NotHTTP)
	}
}

func TestCrawlTimeoutAndCancel(t *testing.T) {
	s := newTestSite(t, "404", 5*time.Second, chain(3))
	start := time.Now()
	res, err := Crawl(context.Background(), s.URL, CrawlConfig{Timeout: 100 * time.Millisecond, Delay: time.Millisecond})
	if err != nil || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "timed out after 100ms") {
		t.Errorf("err %v, skipped %v; want the home page timed out", err, res.Skipped)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	res, err = Crawl(ctx, s.URL, CrawlConfig{Timeout: 10 * time.Second, Delay: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "stopped early") || res == nil {
		t.Errorf("canceled crawl: err %v, result %v; want an error and the partial result", err, res)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("timeout and cancel took %v; they must not wait for the slow pages", d)
	}
}

func TestCrawlBadSeed(t *testing.T) {
	for _, seed := range []string{"mailto:x@y.org", "not a url at all", "::"} {
		if _, err := Crawl(context.Background(), seed, CrawlConfig{}); err == nil {
			t.Errorf("Crawl(%q) gave no error", seed)
		}
	}
}
