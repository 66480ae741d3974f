package show

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Heatmap displays a matrix as a grid of coloured cells (white = smallest,
// dark blue = largest), with row and column labels and the values printed in
// the cells when Digits >= 0. Attention weights and confusion matrices use it.
type Heatmap struct {
	Title      string
	RowLabels  []string
	ColLabels  []string
	Values     [][]float64
	Digits     int  // decimals printed in each cell; -1 prints none
	CellPixels int  // cell size; 0 means 28
	RotateCols bool // write column labels vertically (long tokens)
}

// Confusion displays a confusion matrix m[true class][predicted class] as
// a heatmap with the counts in the cells: rows are the true classes,
// columns the predictions, the diagonal the right answers. cellPixels sets
// the cell size (long class names need more).
func Confusion(title string, classes []string, m [][]int, cellPixels int) {
	values := make([][]float64, len(m))
	for i, row := range m {
		for _, n := range row {
			values[i] = append(values[i], float64(n))
		}
	}
	Heatmap{Title: title, RowLabels: classes, ColLabels: classes, Values: values, Digits: 0, CellPixels: cellPixels}.Show()
}

// Show displays the heatmap.
func (h Heatmap) Show() { HTML(h.HTML()) }

// HTML builds the heatmap as an HTML table.
func (h Heatmap) HTML() string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range h.Values {
		for _, v := range row {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if h.CellPixels == 0 {
		h.CellPixels = 28
	}
	var b strings.Builder
	if h.Title != "" {
		fmt.Fprintf(&b, "<div><b>%s</b></div>", html.EscapeString(h.Title))
	}
	b.WriteString(`<table style="border-collapse:collapse;font-family:monospace;font-size:11px"><tr><td></td>`)
	for _, c := range h.ColLabels {
		style := ""
		if h.RotateCols {
			style = "writing-mode:vertical-rl"
		}
		fmt.Fprintf(&b, `<td style="%s;text-align:center">%s</td>`, style, html.EscapeString(c))
	}
	b.WriteString("</tr>")
	for i, row := range h.Values {
		label := ""
		if i < len(h.RowLabels) {
			label = h.RowLabels[i]
		}
		fmt.Fprintf(&b, `<tr><td style="text-align:right;padding-right:4px">%s</td>`, html.EscapeString(label))
		for _, v := range row {
			t := 0.0
			if hi > lo {
				t = (v - lo) / (hi - lo)
			}
			r, g, bl := int(255-t*(255-8)), int(255-t*(255-48)), int(255-t*(255-107))
			fg := "#000"
			if t > 0.55 {
				fg = "#fff"
			}
			text := ""
			if h.Digits >= 0 {
				text = fmt.Sprintf("%.*f", h.Digits, v)
			}
			fmt.Fprintf(&b, `<td style="background:rgb(%d,%d,%d);color:%s;width:%dpx;height:%dpx;text-align:center">%s</td>`,
				r, g, bl, fg, h.CellPixels, h.CellPixels, text)
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
	return b.String()
}
