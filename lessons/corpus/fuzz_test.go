package corpus

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzHTMLToText: any bytes are accepted, and the text never starts or ends
// with white space nor holds more than one blank line in a row.
func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{"", "<p>a</p>", "<pre>\n\n</pre>x", "<li><p>", "<div class=navheader>", "<<<>>>", "&#0;&amp", "<table><td>a<td>b", "\xff\xfe<p>x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		text := HTMLToText(page)
		if strings.TrimSpace(text) != text && utf8.ValidString(text) {
			t.Errorf("text %q has white space at an end", text)
		}
		if strings.Contains(text, "\n\n\n") {
			t.Errorf("text %q has more than one blank line in a row", text)
		}
		ExtractLinks(page)
	})
}

// FuzzParseRobots: any file and path give an answer, /robots.txt is always
// allowed, and Allowed agrees with Test.
func FuzzParseRobots(f *testing.F) {
	f.Add("User-agent: *\nDisallow: /private/\nAllow: /private/open", "/private/x")
	f.Add(DefaultRobots, "/en/faqinfo.en.html")
	f.Add("User-agent: *\nDisallow: /*a*a*a*a*b$", "/aaaaaaaaaaaaaaaaaaaaaaaa")
	f.Fuzz(func(t *testing.T, text, path string) {
		r := ParseRobots(text)
		v := r.Test("BaeumBot", path)
		if v.Allowed != r.Allowed("BaeumBot", path) {
			t.Errorf("Test and Allowed disagree on %q", path)
		}
		if !r.Allowed("BaeumBot", "/robots.txt") {
			t.Error("/robots.txt must always be allowed")
		}
		_ = r.String()
	})
}

// FuzzNormalizeURL: a normalized URL is a fixed point.
func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"a.html#x", "../b/./c", "HTTP://X.ORG:80//a", "?q=1", "/%7e/", "//h:443/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, href string) {
		u, err := NormalizeURL("http://127.0.0.1:8080/en/index.en.html", href)
		if err != nil {
			return
		}
		again, err := NormalizeURL(u, "")
		if err != nil || again != u {
			t.Errorf("NormalizeURL(%q) = %q, but normalizing that gives %q, %v", href, u, again, err)
		}
	})
}

// FuzzCleanText: cleaning twice changes nothing.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", " a  b ", "\u1112\u200B\u1161", "a\r\n\r\nb", "\x00\u00A0\u3000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := CleanText(s)
		if twice := CleanText(once); twice != once {
			t.Errorf("CleanText(%q) = %q, and again %q", s, once, twice)
		}
	})
}
