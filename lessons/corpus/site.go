package corpus

import (
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/baeum-go/baeum/mlx"
	"golang.org/x/text/encoding/korean"
)

// DefaultRobots is the robots.txt the lesson's site serves: the FAQ's
// "about this document" chapter (faqinfo) is closed to every crawler, in both
// languages, through one wildcard rule; a second group shuts out a crawler
// named ExampleBot entirely, which does not concern ours.
const DefaultRobots = `# robots.txt of Baeum's loopback copy of the Debian FAQ
User-agent: *
Disallow: /*/faqinfo.
Disallow: /private/

User-agent: ExampleBot
Disallow: /
`

// SiteConfig describes the local web site.
type SiteConfig struct {
	Langs  []string // FAQ languages to serve, "en" and/or "ko" (default both)
	Robots string   // body of /robots.txt (default DefaultRobots; "-" for none, a 404)
	// Pages, if set, replaces the Debian FAQ with your own pages, by path
	// ("/a.html": "<p>...</p>"), for experiments. Unless it has "/", the
	// home page links to each of them.
	Pages map[string]string
	// Faults adds to the home page links that go wrong in the ways real
	// sites do: a missing page (404), a server error (500), a page slower
	// than any sensible timeout, a page moved elsewhere (301), and an old
	// Korean page encoded in EUC-KR instead of UTF-8.
	Faults    bool
	SlowDelay time.Duration // how long the slow page takes (default 10s)
}

// Site is a web site served over HTTP on 127.0.0.1 (on a port the system
// chooses): by default the Debian FAQ, with a home page at "/", the pages
// under /en/ and /ko/, and a robots.txt. It counts the requests of every path, so a test can check
// that a crawler fetched each page exactly once.
type Site struct {
	URL    string // e.g. "http://127.0.0.1:40123"
	server *http.Server
	pages  map[string][]byte // path -> body
	robots string
	cfg    SiteConfig

	mu   sync.Mutex
	hits map[string]int
}

// Fault pages, linked from the home page when SiteConfig.Faults is set.
const (
	FaultMissing = "/fault/missing.html" // 404
	FaultError   = "/fault/error.html"   // 500
	FaultSlow    = "/fault/slow.html"    // answers after SlowDelay
	FaultMoved   = "/fault/moved.html"   // 301 to the first language's index (or to "/")
	FaultEUCKR   = "/fault/euc-kr.html"  // a Korean page in EUC-KR
)

// ServeSite starts the site; the Debian FAQ pages come through the
// project's data loader (mlx.ReadDataFile). Close it when done.
func ServeSite(cfg SiteConfig) (*Site, error) {
	if len(cfg.Langs) == 0 {
		cfg.Langs = []string{"en", "ko"}
	}
	if cfg.Robots == "" {
		cfg.Robots = DefaultRobots
	}
	if cfg.SlowDelay == 0 {
		cfg.SlowDelay = 10 * time.Second
	}
	s := &Site{pages: map[string][]byte{}, hits: map[string]int{}, cfg: cfg, robots: cfg.Robots}
	if cfg.Pages != nil {
		for p, body := range cfg.Pages {
			s.pages[p] = []byte(body)
		}
	} else if err := s.loadFAQ(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("corpus: cannot open a port on 127.0.0.1 for the FAQ site: %w", err)
	}
	s.URL = "http://" + ln.Addr().String()
	s.server = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 10 * time.Second}
	go s.server.Serve(ln) // returns http.ErrServerClosed when Close is called
	return s, nil
}

// loadFAQ reads the FAQ pages of the configured languages.
func (s *Site) loadFAQ() error {
	for _, rel := range mlx.DataFiles() {
		lang, file, ok := strings.Cut(strings.TrimPrefix(rel, "debian-faq/"), "/")
		if !strings.HasPrefix(rel, "debian-faq/") || !ok || !slices.Contains(s.cfg.Langs, lang) {
			continue
		}
		b, err := mlx.ReadDataFile(rel)
		if err != nil {
			return fmt.Errorf("corpus: the FAQ site needs %s: %w", rel, err)
		}
		s.pages["/"+lang+"/"+file] = b
	}
	if len(s.pages) == 0 {
		return fmt.Errorf("corpus: no Debian FAQ pages for languages %v (use \"en\" and/or \"ko\")", s.cfg.Langs)
	}
	return nil
}

// Close stops the server, cutting any request still waiting (the slow page).
func (s *Site) Close() error {
	if err := s.server.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Pages lists the paths of the pages served (the FAQ's or SiteConfig.Pages),
// sorted; the generated home page and the fault pages are not listed.
func (s *Site) Pages() []string {
	var ps []string
	for p := range s.pages {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

// Hits returns how many requests each path received so far.
func (s *Site) Hits() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.hits))
	for k, v := range s.hits {
		out[k] = v
	}
	return out
}

func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	s.mu.Lock()
	s.hits[p]++
	s.mu.Unlock()
	switch {
	case p == "/robots.txt" && s.robots != "-":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, s.robots)
	case p == "/" && s.pages["/"] == nil:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, s.home())
	case s.pages[p] != nil:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(s.pages[p])
	case s.cfg.Faults && strings.HasPrefix(p, "/fault/"):
		s.fault(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (s *Site) fault(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case FaultError:
		http.Error(w, "the server broke down", http.StatusInternalServerError)
	case FaultSlow:
		select {
		case <-time.After(s.cfg.SlowDelay):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<html><body><p>Sorry for the wait.</p></body></html>")
		case <-r.Context().Done(): // the crawler gave up, or the site closes
		}
	case FaultMoved:
		to := "/"
		if s.cfg.Pages == nil {
			to = "/" + s.cfg.Langs[0] + "/index." + s.cfg.Langs[0] + ".html"
		}
		http.Redirect(w, r, to, http.StatusMovedPermanently)
	case FaultEUCKR:
		page := "<html><head><meta charset=\"euc-kr\"></head><body><p>옛날 한국어 웹 페이지는 EUC-KR로 인코딩되었습니다.</p></body></html>"
		b, err := korean.EUCKR.NewEncoder().Bytes([]byte(page))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=euc-kr")
		w.Write(b)
	default:
		http.NotFound(w, r)
	}
}

// home is the site's front page: links to each language's index, the same
// index under other spellings (a crawler must see they are one page), an
// off-site link, and the fault pages.
func (s *Site) home() string {
	title := "The Debian GNU/Linux FAQ"
	if s.cfg.Pages != nil {
		title = "Practice site"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s (Baeum)</title></head><body>\n", title)
	fmt.Fprintf(&b, "<nav><a href=\"/\">Home</a></nav>\n<h1>%s</h1>\n<ul>\n", title)
	link := func(href, text string) {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", html.EscapeString(href), html.EscapeString(text))
	}
	if s.cfg.Pages != nil {
		for _, p := range s.Pages() {
			link(p, path.Base(p))
		}
	} else {
		names := map[string]string{"en": "English", "ko": "한국어"}
		for _, lang := range s.cfg.Langs {
			index := "/" + lang + "/index." + lang + ".html"
			link(index, names[lang])
			// The same page spelled differently: upper-case scheme, "./", a fragment.
			link("HTTP://"+strings.TrimPrefix(s.URL, "http://")+"/"+lang+"/./index."+lang+".html#top", names[lang]+" (same page, other spelling)")
		}
	}
	link("/private/notes.html", "private notes (robots.txt keeps crawlers out)")
	link("https://www.debian.org/doc/", "Debian documentation (another site)")
	link("mailto:debian-doc@lists.debian.org", "write to the authors")
	if s.cfg.Faults {
		for _, f := range []string{FaultMissing, FaultError, FaultSlow, FaultMoved, FaultEUCKR} {
			link(f, "fault: "+path.Base(f))
		}
	}
	b.WriteString("</ul>\n</body></html>\n")
	return b.String()
}

// CheckCrawl is the lesson's check: every page of the site that robots.txt
// allows the crawler (every FAQ page and the home page are reachable by
// links from "/") was requested exactly once and fetched, every page it
// disallows was never requested, and no path was requested twice. It
// returns nil or an error listing what went wrong.
func (s *Site) CheckCrawl(res *CrawlResult) error {
	robots := ParseRobots(s.robots)
	if s.robots == "-" {
		robots = ParseRobots("")
	}
	fetched := map[string]bool{}
	for _, p := range res.Pages {
		fetched[strings.TrimPrefix(p.URL, s.URL)] = true
	}
	hits := s.Hits()
	var problems []string
	paths := s.Pages()
	if !slices.Contains(paths, "/") {
		paths = append(paths, "/")
	}
	for _, p := range paths {
		allowed := robots.Allowed(res.UserAgent, p)
		switch {
		case allowed && hits[p] != 1:
			problems = append(problems, fmt.Sprintf("%s requested %d times, want once", p, hits[p]))
		case allowed && !fetched[p]:
			problems = append(problems, p+" is not among the fetched pages")
		case !allowed && hits[p] != 0:
			problems = append(problems, fmt.Sprintf("%s is disallowed by robots.txt but was requested %d times", p, hits[p]))
		}
	}
	for p, n := range hits {
		if n > 1 && s.pages[p] == nil && p != "/" {
			problems = append(problems, fmt.Sprintf("%s requested %d times", p, n))
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("corpus: the crawl of %s broke the rules: %s", s.URL, strings.Join(problems, "; "))
	}
	return nil
}
