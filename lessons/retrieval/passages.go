package retrieval

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/baeum-go/baeum/lessons/corpus"
	"github.com/baeum-go/baeum/mlx"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Passage is one unit of retrieval: a numbered section of the Debian FAQ
// (lesson 01's pages), or a part of one when the section is long.
type Passage struct {
	// ID names the section by its page and its anchor in the HTML, e.g.
	// "basic-defs#whatisdebian" for 1.2, or the page alone ("choosing") for
	// the text a chapter has before its first section. The English and the
	// Korean FAQ are built from the same DocBook source, so a section has the
	// same ID in both. The parts of a long section share its ID.
	ID     string
	Number string // the FAQ's number, e.g. "1.2" ("" for a chapter's opening text)
	Title  string // the heading without its number, e.g. "What is Debian GNU/Linux?"
	Text   string // the section's own text (its subsections are passages of their own)
	Lang   string // "en" or "ko"
	Part   int    // 0, or 1, 2, ... for the parts of a section split by SplitWords
}

// Document is what a retriever indexes: the title, a blank line, the text.
// The FAQ's titles are questions, so they carry much of the meaning; every
// part of a split section repeats its title.
func (p Passage) Document() string { return p.Title + "\n\n" + p.Text }

// Documents returns the Document of every passage, in order: what NewIndex
// (or an encoder) takes.
func Documents(ps []Passage) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Document()
	}
	return out
}

// FAQPages are the chapters of the Debian FAQ in its order (chapter 1 to 16),
// by file name: debian-faq/<lang>/<page>.<lang>.html. The index page, which
// holds the table of contents and the copyright notice, is left out.
var FAQPages = []string{
	"basic-defs", "getting-debian", "choosing", "compatibility", "software",
	"ftparchives", "pkg-basics", "pkgtools", "uptodate", "kernel",
	"customizing", "support", "contributing", "redistributing", "nextrelease",
	"faqinfo",
}

// SplitWords is the longest a passage may be, in words (runs of non-space
// characters), before its section is cut into parts. Most FAQ sections are
// far shorter; the few longer ones (1.2 "What is Debian", 4.1 on
// architectures, 8.1.2 on APT, ...) would otherwise be one diluted vector
// for a dense retriever, and most encoders truncate their input at a few
// hundred tokens anyway. A Korean word (eojeol) holds more than an English
// one, so the Korean FAQ has fewer split sections (6 against 14); the
// section IDs are the same in both.
const SplitWords = 400

// Passages returns the Debian FAQ in lang ("en" or "ko") as passages, in the
// FAQ's order. The pages come through the project's data loader, so a
// missing or corrupt file is lesson 01's error, naming the file and how to
// get it.
//
// How sections are found: the FAQ is DocBook's HTML, where every numbered
// section is a <div class="section"> whose first child, <div
// class="titlepage">, holds an <h2>, <h3> or <h4 class="title"> that starts
// with <a id="anchor"></a> and the number ("1.2. What is ..."). A section's
// text is everything else in its div except the sections nested in it.
// Sections with no text of their own (a heading over subsections only) are
// left out. What a chapter holds outside its sections (its opening
// paragraphs, and the footnotes DocBook gathers at its end) is one more
// passage, named after the page. The text is lesson 01's corpus.HTMLToText,
// then CleanText. The FAQ gives 158 sections in each language: 165 English
// passages and 161 Korean ones once long sections are split.
func Passages(lang string) ([]Passage, error) {
	if lang != "en" && lang != "ko" {
		return nil, fmt.Errorf("retrieval: no FAQ in language %q (use \"en\" or \"ko\")", lang)
	}
	var out []Passage
	for _, page := range FAQPages {
		rel := "debian-faq/" + lang + "/" + page + "." + lang + ".html"
		b, err := mlx.ReadDataFile(rel)
		if err != nil {
			return nil, fmt.Errorf("retrieval: the FAQ passages need %s: %w", rel, err)
		}
		ps, err := pagePassages(b, page, lang)
		if err != nil {
			return nil, fmt.Errorf("retrieval: %s: %w", rel, err)
		}
		out = append(out, ps...)
	}
	return out, nil
}

// pagePassages cuts one chapter into its sections.
func pagePassages(page []byte, name, lang string) ([]Passage, error) {
	root, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	chapter := findNode(root, func(n *html.Node) bool { return hasClass(n, "chapter") })
	if chapter == nil {
		return nil, fmt.Errorf("no <div class=\"chapter\">: not a page of the Debian FAQ")
	}
	var out []Passage
	// The chapter's opening text, before its first section, is a passage
	// named after the page.
	if text := ownText(chapter); text != "" {
		out = append(out, splitLong(Passage{ID: name, Title: headingTitle(chapter), Text: text, Lang: lang})...)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !isSection(c) {
				walk(c)
				continue
			}
			anchor, number, title := heading(c)
			if anchor == "" {
				walk(c)
				continue
			}
			if text := ownText(c); text != "" {
				p := Passage{ID: name + "#" + anchor, Number: number, Title: title, Text: text, Lang: lang}
				out = append(out, splitLong(p)...)
			}
			walk(c) // its subsections
		}
	}
	walk(chapter)
	if len(out) == 0 {
		return nil, fmt.Errorf("no sections found")
	}
	return out, nil
}

// ownText is the text of a chapter or section without its title page, its
// table of contents and its subsections: those nodes are rendered back to
// HTML and handed to lesson 01's HTMLToText.
func ownText(n *html.Node) string {
	var buf bytes.Buffer
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isSection(c) || hasClass(c, "titlepage") || hasClass(c, "toc") {
			continue
		}
		if err := html.Render(&buf, c); err != nil {
			return "" // html.Render fails only when its writer does; a bytes.Buffer does not
		}
	}
	return strings.TrimSpace(corpus.CleanText(corpus.HTMLToText(buf.Bytes())))
}

// heading reads a section's <a id> and its title, "1.2. What is ...?",
// split into number and title.
func heading(section *html.Node) (anchor, number, title string) {
	h := findNode(section, func(n *html.Node) bool {
		return n.DataAtom == atom.H2 || n.DataAtom == atom.H3 || n.DataAtom == atom.H4
	})
	if h == nil {
		return "", "", ""
	}
	if a := findNode(h, func(n *html.Node) bool { return n.DataAtom == atom.A && htmlAttr(n, "id") != "" }); a != nil {
		anchor = htmlAttr(a, "id")
	}
	number, title = splitNumber(headingText(h))
	return anchor, number, title
}

// headingTitle is a chapter's <h1>, e.g. "Chapter 3. Choosing a Debian
// distribution" (Korean: "3장. ...").
func headingTitle(chapter *html.Node) string {
	if h := findNode(chapter, func(n *html.Node) bool { return n.DataAtom == atom.H1 }); h != nil {
		return headingText(h)
	}
	return ""
}

func headingText(h *html.Node) string {
	var buf bytes.Buffer
	_ = html.Render(&buf, h) // cannot fail on a bytes.Buffer
	return strings.Join(strings.Fields(corpus.CleanText(corpus.HTMLToText(buf.Bytes()))), " ")
}

// splitNumber cuts the FAQ's section number off a title:
//
//	"3.1.2. Will there be ...?" -> "3.1.2", "Will there be ...?"
func splitNumber(s string) (number, title string) {
	first, rest, ok := strings.Cut(s, " ")
	if !ok || !strings.HasSuffix(first, ".") || strings.Trim(first, "0123456789.") != "" {
		return "", s
	}
	return strings.TrimSuffix(first, "."), rest
}

// splitLong cuts a passage longer than SplitWords into n = ⌈words /
// SplitWords⌉ parts at paragraph boundaries, filling each up to about
// words/n words; the last part takes what is left. A single paragraph longer
// than SplitWords is never cut.
func splitLong(p Passage) []Passage {
	words := len(strings.Fields(p.Text))
	if words <= SplitWords {
		return []Passage{p}
	}
	n := (words + SplitWords - 1) / SplitWords
	target := (words + n - 1) / n
	var parts []Passage
	var cur []string
	curWords := 0
	flush := func() {
		q := p
		q.Text, q.Part = strings.Join(cur, "\n\n"), len(parts)+1
		parts = append(parts, q)
		cur, curWords = nil, 0
	}
	for _, para := range corpus.Paragraphs(p.Text) {
		w := len(strings.Fields(para))
		if curWords > 0 && curWords+w > target && len(parts) < n-1 {
			flush()
		}
		cur, curWords = append(cur, para), curWords+w
	}
	flush()
	if len(parts) == 1 {
		parts[0].Part = 0
	}
	return parts
}

// findNode returns the first node under n (n included, depth first) for
// which match is true.
func findNode(n *html.Node, match func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && match(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if m := findNode(c, match); m != nil {
			return m
		}
	}
	return nil
}

func isSection(n *html.Node) bool { return n.DataAtom == atom.Div && hasClass(n, "section") }

func hasClass(n *html.Node, class string) bool {
	if n.Type != html.ElementNode {
		return false
	}
	for c := range strings.FieldsSeq(htmlAttr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func htmlAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
