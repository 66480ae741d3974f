package corpus

import (
	"fmt"
	"net/netip"
	"net/url"
	"path"
	"strings"
)

// NormalizeURL resolves href (as written in a page) against the page's URL
// base and returns one canonical spelling of it, so that a crawler can tell
// that two links point at the same page:
//
//	base "http://127.0.0.1:8080/en/index.en.html"
//	href "./basic-defs.en.html#whatisfaq"  -> "http://127.0.0.1:8080/en/basic-defs.en.html"
//	href "HTTP://Example.ORG:80/a/../b/"   -> "http://example.org/b/"
//
// It lower-cases scheme and host, drops the default port and the #fragment
// (a fragment is a place inside the same page), removes "." and ".." path
// segments and doubled slashes, and keeps the query as written. Links that are
// not http or https (mailto:, javascript:, ...) are an error.
func NormalizeURL(base, href string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("corpus: base URL %q: %w", base, err)
	}
	ref, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return "", fmt.Errorf("corpus: link %q on %s is not a valid URL: %w", href, base, err)
	}
	u := b.ResolveReference(ref)
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("corpus: link %q on %s is not http or https", href, base)
	}
	host := strings.ToLower(u.Hostname())
	if !validHost(host) {
		return "", fmt.Errorf("corpus: link %q on %s has no valid host name", href, base)
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") { // an IPv6 literal keeps its brackets
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	u.ForceQuery = false // "page?" is "page"
	u.User = nil         // credentials in links are never followed
	p := u.Path
	if p == "" {
		p = "/"
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/" // "/docs/" and "/docs" may be different pages
	}
	// Path is the decoded form; clearing RawPath makes String re-encode it
	// one canonical way ("%7E" and "~" become the same link).
	u.Path, u.RawPath = clean, ""
	return u.String(), nil
}

// validHost accepts an IP address or an ASCII host name (letters, digits,
// '-', '.', '_'). International names must be in their xn-- form.
func validHost(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	if h == "" || strings.Contains(h, "..") {
		return false
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// requestPath is the part of a URL that robots.txt rules are matched
// against: the escaped path and the query.
func requestPath(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}
