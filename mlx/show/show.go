// Package show is the one place lessons display things in a notebook: tables,
// image grids, line plots, heatmaps and highlighted token spans.
//
// Every function builds plain HTML or SVG (returned by the *HTML/*SVG
// variants, so tests can inspect it) and hands it to GoNB's gonbui display
// API. Outside a notebook, under `go test` or a plain `go run`, gonbui's
// display calls do nothing, so lesson code that displays runs anywhere.
//
//	show.Table([]string{"step", "loss"}, [][]string{{"1", "2.30"}, {"100", "0.41"}})
package show

import (
	"fmt"
	"html"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
)

// InNotebook reports whether the program runs under the GoNB kernel.
func InNotebook() bool { return gonbui.IsNotebook }

// HTML displays raw HTML. It waits until GoNB has the output: a cell whose
// program ends right after a display could otherwise lose it.
func HTML(s string) {
	gonbui.DisplayHTML(s)
	gonbui.Sync()
}

// Markdown displays Markdown text.
func Markdown(s string) { gonbui.DisplayMarkdown(s) }

// Table displays a table with a header row.
func Table(header []string, rows [][]string) { HTML(TableHTML(header, rows)) }

// TableHTML builds the HTML of Table.
func TableHTML(header []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString(`<table style="border-collapse:collapse;font-family:monospace">`)
	b.WriteString("<tr>")
	for _, h := range header {
		fmt.Fprintf(&b, `<th style="border-bottom:1px solid #888;padding:2px 8px;text-align:left">%s</th>`, html.EscapeString(h))
	}
	b.WriteString("</tr>")
	for _, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(&b, `<td style="padding:2px 8px">%s</td>`, html.EscapeString(c))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
	return b.String()
}

// Live is a display area that a long-running cell rewrites in place (live
// progress). Outside a notebook it prints nothing.
type Live struct{ id string }

// NewLive reserves a display area.
func NewLive() *Live {
	if !gonbui.IsNotebook {
		return &Live{}
	}
	return &Live{id: gonbui.UniqueID()}
}

// Update replaces the area's content.
func (l *Live) Update(htmlContent string) {
	if l.id != "" {
		gonbui.UpdateHTML(l.id, htmlContent)
	}
}

// Clear empties the area (a transient area leaves no output behind).
func (l *Live) Clear() { l.Update("") }
