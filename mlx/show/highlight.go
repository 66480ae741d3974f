package show

import (
	"fmt"
	"go/scanner"
	"go/token"
	"html"
	"strings"
)

// Colours of the highlighted Go source (close to GitHub's light theme).
var codeColours = map[string]string{
	"keyword": "color:#cf222e;font-weight:bold",
	"type":    "color:#8250df",
	"string":  "color:#0a3069",
	"number":  "color:#0550ae",
	"comment": "color:#6e7781;font-style:italic",
	"decl":    "color:#953800;font-weight:bold",
}

// Predeclared types and functions, shown like types.
var predeclared = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`any bool byte comparable complex64 complex128 error float32 float64
		int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr
		append cap clear close complex copy delete imag len make max min new panic print println real recover
		true false iota nil`) {
		predeclared[n] = true
	}
}

// declHTML renders one declaration: a caption with its file and line (a
// link that JupyterLab opens beside the notebook), then the highlighted code.
func declHTML(d Decl) string {
	var b strings.Builder
	b.WriteString(`<div class="baeum-code" style="margin:6px 0">`)
	fmt.Fprintf(&b, `<div style="font:12px monospace;color:#57606a">%s:%d</div>`, html.EscapeString(d.File), d.Line)
	b.WriteString(`<pre style="background:#f6f8fa;color:#1f2328;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:2px 0;font-size:12.5px;line-height:1.45;tab-size:4;overflow-x:auto">`)
	b.WriteString(HighlightGo(d.Source))
	b.WriteString("</pre></div>")
	return b.String()
}

// HighlightGo returns Go source as HTML with keywords, types and builtins,
// strings, numbers and comments coloured with inline styles, using Go's own
// scanner (so it never disagrees with the compiler about what is a string or
// a comment). Spacing is kept exactly.
func HighlightGo(src string) string {
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(token.Position, string) {}, scanner.ScanComments)
	var b strings.Builder
	last := 0 // offset of the first byte not yet written
	prev := token.ILLEGAL
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue // inserted by the scanner, not in the text
		}
		start := file.Offset(pos)
		text := lit
		if text == "" {
			text = tok.String()
		}
		end := min(start+len(text), len(src))
		if start < last {
			continue
		}
		b.WriteString(html.EscapeString(src[last:start]))
		class := ""
		switch {
		case tok == token.COMMENT:
			class = "comment"
		case tok == token.STRING || tok == token.CHAR:
			class = "string"
		case tok == token.INT || tok == token.FLOAT || tok == token.IMAG:
			class = "number"
		case tok.IsKeyword():
			class = "keyword"
		case tok == token.IDENT && predeclared[lit]:
			class = "type"
		case tok == token.IDENT && (prev == token.FUNC || prev == token.TYPE || prev == token.RPAREN && isMethodName(src, end)):
			class = "decl"
		}
		if class != "" {
			fmt.Fprintf(&b, `<span style="%s">%s</span>`, codeColours[class], html.EscapeString(src[start:end]))
		} else {
			b.WriteString(html.EscapeString(src[start:end]))
		}
		last = end
		if tok != token.COMMENT {
			prev = tok
		}
	}
	b.WriteString(html.EscapeString(src[last:]))
	return b.String()
}

// isMethodName tells whether the identifier ending at end is the name of a
// method declaration, "func (r *T) Name(": followed by "(" or "[" and on a
// line that starts with "func (".
func isMethodName(src string, end int) bool {
	if end >= len(src) || (src[end] != '(' && src[end] != '[') {
		return false
	}
	lineStart := strings.LastIndexByte(src[:end], '\n') + 1
	return strings.HasPrefix(src[lineStart:end], "func (")
}
