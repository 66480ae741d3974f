package corpus

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ExtractLinks returns the href of every <a> element of an HTML page, in
// document order, exactly as written (resolve them with NormalizeURL).
// A <base href> is not honoured: the Debian FAQ has none.
func ExtractLinks(page []byte) []string {
	var links []string
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken: // io.EOF, or a reader error: the page ends here
			return links
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "a" {
				continue
			}
			for hasAttr {
				var key, val []byte
				key, val, hasAttr = z.TagAttr()
				if string(key) == "href" && len(bytes.TrimSpace(val)) > 0 {
					links = append(links, string(val))
				}
			}
		}
	}
}

// skippedTags are elements whose content is never text of the document:
// code, styling, forms, and the HTML5 elements for navigation and page chrome.
var skippedTags = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Iframe: true, atom.Object: true, atom.Svg: true,
	atom.Canvas: true, atom.Nav: true, atom.Header: true, atom.Footer: true,
	atom.Aside: true, atom.Form: true, atom.Button: true, atom.Select: true,
	atom.Textarea: true, atom.Img: true,
}

// skippedClasses are class names that mark navigation in the pages this
// lesson crawls. The Debian FAQ is DocBook output: every chapter opens with
// <div class="navheader"> (Prev/Next arrows), lists its sections in
// <div class="toc">, and ends with <div class="navfooter">. Those blocks
// repeat on every page and would become near-duplicate text.
var skippedClasses = []string{"navheader", "navfooter", "toc", "breadcrumb", "menu", "navbar", "skip-link"}

// breaks says how many newlines an element puts around its content:
// 2 for a paragraph-like block (a blank line), 1 for a line-like block.
var breaks = map[atom.Atom]int{
	atom.P: 2, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2, atom.H5: 2, atom.H6: 2,
	atom.Pre: 2, atom.Blockquote: 2, atom.Table: 2, atom.Ul: 2, atom.Ol: 2, atom.Dl: 2,
	atom.Figure: 2, atom.Hr: 2, atom.Address: 2,
	atom.Div: 1, atom.Section: 1, atom.Article: 1, atom.Main: 1, atom.Li: 1,
	atom.Dt: 1, atom.Dd: 1, atom.Tr: 1, atom.Br: 1, atom.Caption: 1, atom.Figcaption: 1,
}

// HTMLToText turns an HTML page into plain text with a real HTML parser
// (golang.org/x/net/html, which follows the WHATWG parsing algorithm, so
// broken markup is repaired the way a browser repairs it, and entities such
// as &lt; become characters). It drops <head>, scripts, styles, forms and
// navigation (see skippedTags and skippedClasses), keeps paragraph breaks as
// blank lines, starts list items with "- ", keeps the line breaks of <pre>,
// and collapses every other run of white space into one space:
//
//	<p>Hello   <b>world</b></p><ul><li>one</li></ul>  ->  "Hello world\n\n- one"
//
// Any input is accepted; nothing in it can make HTMLToText fail.
func HTMLToText(page []byte) string {
	root, err := html.Parse(bytes.NewReader(page))
	if err != nil { // only a failing reader can cause this, not bad markup
		return ""
	}
	var w textWriter
	w.walk(root)
	return w.b.String()
}

// textWriter accumulates text, delaying newlines and spaces until the next
// visible character so that empty blocks leave no blank lines behind.
type textWriter struct {
	b       strings.Builder
	newline int  // newlines owed before the next character (0, 1 or 2)
	space   bool // a space is owed before the next character
	bullet  bool // "- " is owed before the next character
	pre     int  // depth of <pre> elements: line breaks are kept there
}

// walk writes the text under n depth first: text nodes as they come,
// line breaks around block elements, nothing from skipped elements.
func (w *textWriter) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
		if skip(n) {
			return
		}
	case html.DocumentNode:
	default: // comments, doctype
		return
	}
	brk := breaks[n.DataAtom]
	w.lineBreak(brk)
	switch n.DataAtom {
	case atom.Li:
		w.bullet = true
	case atom.Pre:
		w.pre++
	case atom.Td, atom.Th:
		w.space = true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
	if n.DataAtom == atom.Pre {
		w.pre--
	}
	w.lineBreak(brk)
}

// skip reports whether an element and everything inside it is left out.
func skip(n *html.Node) bool {
	if skippedTags[n.DataAtom] {
		return true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "role":
			if a.Val == "navigation" {
				return true
			}
		case "class":
			for _, c := range strings.Fields(a.Val) {
				for _, s := range skippedClasses {
					if strings.EqualFold(c, s) {
						return true
					}
				}
			}
		}
	}
	return false
}

func (w *textWriter) lineBreak(n int) {
	w.newline = max(w.newline, n)
}

func (w *textWriter) text(s string) {
	for _, r := range s {
		switch {
		case r == '\n' && w.pre > 0: // inside <pre> a newline is kept, up to one blank line
			w.newline = min(w.newline+1, 2)
		case unicode.IsSpace(r): // includes U+00A0 (&nbsp;) and U+3000
			w.space = true
		default:
			w.flush()
			w.b.WriteRune(r)
		}
	}
}

// flush writes what is owed before a visible character.
func (w *textWriter) flush() {
	if w.b.Len() > 0 {
		switch {
		case w.newline > 0:
			w.b.WriteString("\n\n"[:w.newline])
		case w.space:
			w.b.WriteByte(' ')
		}
	}
	if w.bullet {
		w.b.WriteString("- ")
	}
	w.newline, w.space, w.bullet = 0, false, false
}

// Document is the clean text of one crawled page.
type Document struct {
	URL, Text string
}

// PageDocuments turns fetched pages into text: HTMLToText, then CleanText.
func PageDocuments(pages []Page) []Document {
	docs := make([]Document, len(pages))
	for i, p := range pages {
		docs[i] = Document{URL: p.URL, Text: CleanText(HTMLToText(p.Body))}
	}
	return docs
}

// Texts returns the texts of docs, in order.
func Texts(docs []Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.Text
	}
	return out
}

// Paragraphs splits a text from HTMLToText at blank lines.
func Paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// markupRE matches an HTML tag or entity of the kinds the FAQ's sources use.
// Literal text such as "<foo>" or "<name as on cd label>" in the FAQ (written
// &lt;foo&gt; in the HTML) is text, not markup, and does not match.
var markupRE = regexp.MustCompile(`</?(a|p|div|span|table|tr|td|th|pre|h[1-6]|dl|dt|dd|li|ul|ol|img|br|hr|code|em|strong|b|i|tt|html|body|head|title|meta|link|style|script)\b[^>]*>|&(nbsp|amp|lt|gt|quot|#\d+|#x[0-9a-f]+);`)

// MarkupLeft returns the first HTML tag or entity left in text, or "" if
// there is none: the check that HTMLToText did its job.
//
//	MarkupLeft("a <b>bold</b> word") == "<b>"
//	MarkupLeft("apt-get install <foo>") == ""
func MarkupLeft(text string) string {
	return markupRE.FindString(text)
}
