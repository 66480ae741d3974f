package show

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Bars displays a horizontal bar chart: one bar per label, its length
// proportional to its value, the value written beside it with unit.
func Bars(title, unit string, labels []string, values []float64) {
	HTML(BarsSVG(title, unit, labels, values))
}

// BarsSVG builds the SVG of Bars. Negative, NaN and infinite values are
// drawn as empty bars.
func BarsSVG(title, unit string, labels []string, values []float64) string {
	const labelW, barW, rowH, top = 220, 320, 26, 30
	most := 0.0
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			most = math.Max(most, v)
		}
	}
	h := top + rowH*len(labels) + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="13">`, labelW+barW+130, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#f8f8f8"/><text x="8" y="19" font-weight="bold">%s</text>`, html.EscapeString(title))
	for i, l := range labels {
		v := math.NaN()
		if i < len(values) {
			v = values[i]
		}
		y := top + i*rowH
		w := 0.0
		if most > 0 && v > 0 && !math.IsInf(v, 0) {
			w = barW * v / most
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-8, y+16, html.EscapeString(l))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="#4a7ebb"/>`, labelW, y+3, w, rowH-8)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d">%s %s</text>`, float64(labelW)+w+6, y+16, strings.TrimSpace(fmt.Sprintf("%.4g", v)), html.EscapeString(unit))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
