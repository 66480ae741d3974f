package show

import (
	"fmt"
	"html"
	"strings"
)

// tokenColors alternate behind consecutive tokens so their borders show.
var tokenColors = []string{"#ffe08a", "#a8e6cf", "#ffb3ba", "#bae1ff", "#d5baff"}

// Tokens displays a text cut into tokens, each on its own coloured
// background, with an optional caption (e.g. "12 tokens, 30 characters").
func Tokens(caption string, tokens []string) { HTML(TokensHTML(caption, tokens)) }

// TokensHTML builds the HTML of Tokens. Spaces are shown as "·" and newlines
// as "↵" so that tokens made of whitespace stay visible.
func TokensHTML(caption string, tokens []string) string {
	var b strings.Builder
	b.WriteString(`<div style="font-family:monospace;line-height:1.9">`)
	for i, t := range tokens {
		shown := strings.NewReplacer(" ", "·", "\n", "↵", "\t", "→").Replace(t)
		fmt.Fprintf(&b, `<span style="background:%s;padding:1px 2px;margin-right:1px;border-radius:3px" title="%d">%s</span>`,
			tokenColors[i%len(tokenColors)], i, html.EscapeString(shown))
	}
	if caption != "" {
		fmt.Fprintf(&b, `<div style="color:#555;font-size:90%%">%s</div>`, html.EscapeString(caption))
	}
	b.WriteString("</div>")
	return b.String()
}

// Span is a piece of text, highlighted or not; Highlight spans are drawn
// bold on a yellow background (e.g. the prompt of a generated text).
type Span struct {
	Text      string
	Highlight bool
}

// Spans displays a text made of plain and highlighted spans.
func Spans(spans ...Span) { HTML(SpansHTML(spans...)) }

// SpansHTML builds the HTML of Spans.
func SpansHTML(spans ...Span) string {
	var b strings.Builder
	b.WriteString(`<pre style="white-space:pre-wrap">`)
	for _, s := range spans {
		t := html.EscapeString(s.Text)
		if s.Highlight {
			fmt.Fprintf(&b, `<b style="background:#ffe08a">%s</b>`, t)
		} else {
			b.WriteString(t)
		}
	}
	b.WriteString("</pre>")
	return b.String()
}
