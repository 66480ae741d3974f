package show

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	mg "github.com/erkkah/margaid"
	"github.com/janpfeifer/gonb/gonbui"
)

// Series is one line of a plot.
type Series struct {
	Name string
	X, Y []float64
}

// Plot describes a line plot; LogY draws the Y axis on a log scale (for
// losses that fall by orders of magnitude).
type Plot struct {
	Title, XLabel, YLabel string
	LogX, LogY            bool
	Width, Height         int // pixels; 0 means 640x320
}

// Lines displays a line plot of the series, drawn as SVG by the Margaid
// library (the one GoMLX's own training plots use).
func Lines(p Plot, series ...Series) {
	svg, err := LinesSVG(p, series...)
	if err != nil {
		fmt.Println("show.Lines:", err)
		return
	}
	gonbui.DisplaySVG(svg)
}

// LinesSVG builds the SVG of Lines. Series with mismatched X and Y lengths,
// or with no finite point, are an error.
func LinesSVG(p Plot, series ...Series) (string, error) {
	if p.Width == 0 {
		p.Width, p.Height = 640, 320
	}
	var all []*mg.Series
	allPoints := mg.NewSeries()
	for _, s := range series {
		if len(s.X) != len(s.Y) {
			return "", fmt.Errorf("series %q has %d x values and %d y values", s.Name, len(s.X), len(s.Y))
		}
		ms := mg.NewSeries(mg.Titled(s.Name))
		for i := range s.X {
			if isFinite(s.X[i]) && isFinite(s.Y[i]) && (!p.LogY || s.Y[i] > 0) && (!p.LogX || s.X[i] > 0) {
				ms.Add(mg.MakeValue(s.X[i], s.Y[i]))
				allPoints.Add(mg.MakeValue(s.X[i], s.Y[i]))
			}
		}
		all = append(all, ms)
	}
	if allPoints.Size() == 0 {
		return "", fmt.Errorf("nothing to plot: no finite points")
	}
	proj := func(log bool) mg.Projection {
		if log {
			return mg.Log
		}
		return mg.Lin
	}
	opts := []mg.Option{
		mg.WithAutorange(mg.XAxis, all...), mg.WithProjection(mg.XAxis, proj(p.LogX)),
		mg.WithProjection(mg.YAxis, proj(p.LogY)),
		mg.WithInset(inset(len(series))), mg.WithPadding(3), mg.WithColorScheme(90), mg.WithBackgroundColor("#f8f8f8"),
	}
	// Margaid's autorange clips the extremes of log axes: give the Y axis a margin.
	lo, hi := allPoints.MinY(), allPoints.MaxY()
	switch {
	case p.LogY:
		lo, hi = lo/1.3, hi*1.3
	case lo == hi: // a flat line
		lo, hi = lo-1, hi+1
	default:
		pad := (hi - lo) * 0.05
		lo, hi = lo-pad, hi+pad
	}
	opts = append(opts, mg.WithRange(mg.YAxis, lo, hi))
	d := mg.New(p.Width, p.Height, opts...)
	for _, s := range all {
		d.Line(s, mg.UsingAxes(mg.XAxis, mg.YAxis), mg.UsingStrokeWidth(2))
	}
	// Margaid draws axis titles over the tick labels, so the axes are named
	// in the title instead: "training loss (y: loss, log scale; x: step)".
	xTicks, xSeries := d.ValueTicker('g', 3, 10), allPoints
	if xs := uniqueX(series); p.LogX && len(xs) <= 12 {
		// Margaid's log ticks crowd each other: label the data's own X values.
		xSeries = mg.NewSeries()
		for _, x := range xs {
			xSeries.Add(mg.MakeValue(x, allPoints.MinY()))
		}
		xTicks = d.LabeledTicker(func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) })
	} else if p.LogX {
		// Too many values to label each: label the powers of ten (and 2, 5 on short ranges).
		if ticks, label := logTicks(allPoints.MinX(), allPoints.MaxX()); len(ticks) > 1 {
			xSeries = mg.NewSeries()
			for _, x := range ticks {
				xSeries.Add(mg.MakeValue(x, lo))
			}
			xTicks = d.LabeledTicker(label)
		}
	} else {
		// Margaid's linear ticks print "-0" and "1.2e+03": put labels on round values instead.
		if ticks, label := niceTicks(allPoints.MinX(), allPoints.MaxX(), 6); len(ticks) > 1 {
			xSeries = mg.NewSeries()
			for _, x := range ticks {
				xSeries.Add(mg.MakeValue(x, lo))
			}
			xTicks = d.LabeledTicker(label)
		}
	}
	yTicks, ySeries := d.ValueTicker('g', 3, 10), allPoints
	ticks, label := niceTicks(lo, hi, 4)
	if p.LogY {
		ticks, label = logTicks(lo, hi)
	}
	if len(ticks) > 1 {
		ySeries = mg.NewSeries()
		for _, y := range ticks {
			ySeries.Add(mg.MakeValue(allPoints.MinX(), y))
		}
		yTicks = d.LabeledTicker(label)
	}
	d.Axis(xSeries, mg.XAxis, xTicks, false, "")
	d.Axis(ySeries, mg.YAxis, yTicks, true, "")
	d.Frame()
	if title := plotTitle(p); title != "" {
		d.Title(title)
	}
	if len(series) > 1 {
		d.Legend(mg.BottomLeft)
	}
	var buf bytes.Buffer
	if err := d.Render(&buf); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func plotTitle(p Plot) string {
	var axes []string
	if p.YLabel != "" {
		y := "y: " + p.YLabel
		if p.LogY {
			y += ", log scale"
		}
		axes = append(axes, y)
	}
	if p.XLabel != "" {
		axes = append(axes, "x: "+p.XLabel)
	}
	if len(axes) == 0 {
		return p.Title
	}
	return strings.TrimSpace(p.Title + " (" + strings.Join(axes, "; ") + ")")
}

// uniqueX lists the distinct finite X values of the series, sorted.
func uniqueX(series []Series) []float64 {
	seen := map[float64]bool{}
	var xs []float64
	for _, s := range series {
		for _, x := range s.X {
			if isFinite(x) && !seen[x] {
				seen[x] = true
				xs = append(xs, x)
			}
		}
	}
	sort.Float64s(xs)
	return xs
}

// niceTicks returns the round values in [lo, hi], about n of them, a step
// of 1, 2 or 5 times a power of ten apart (0, 0.5, 1, 1.5 or 0, 500, 1000),
// and a labeler that prints them with as many decimals as the step needs.
func niceTicks(lo, hi float64, n int) ([]float64, func(float64) string) {
	if !(hi > lo) || !isFinite(lo) || !isFinite(hi) {
		return nil, nil
	}
	span := hi - lo
	mag := math.Pow(10, math.Floor(math.Log10(span/float64(n))))
	step := mag
	for _, m := range []float64{2, 5, 10} { // the step whose tick count is nearest n
		if math.Abs(span/(m*mag)-float64(n)) < math.Abs(span/step-float64(n)) {
			step = m * mag
		}
	}
	var ticks []float64
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
		ticks = append(ticks, k*step)
	}
	decimals := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	format := byte('f')
	if max(math.Abs(lo), math.Abs(hi)) >= 1e6 {
		format = 'g'
	}
	return ticks, func(v float64) string {
		if format == 'g' {
			return strconv.FormatFloat(v, 'g', 3, 64)
		}
		scale := math.Pow(10, float64(decimals))
		v = math.Round(v*scale) / scale
		if v == 0 {
			v = 0 // no "-0"
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
}

// logTicks returns the powers of ten in [lo, hi] (0 < lo < hi), with 2 and 5
// times them too when the range spans less than two decades, and a labeler
// that prints them plainly (0.01, 0.2, 5, 100).
func logTicks(lo, hi float64) ([]float64, func(float64) string) {
	if !(lo > 0 && hi > lo) || !isFinite(hi) {
		return nil, nil
	}
	mults := []float64{1}
	if math.Log10(hi/lo) < 2 {
		mults = []float64{1, 2, 5}
	}
	var ticks []float64
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range mults {
			// Parsed from its decimal text ("2e-1"): exactly the float nearest 0.2.
			v, _ := strconv.ParseFloat(strconv.FormatFloat(m, 'g', -1, 64)+"e"+strconv.Itoa(int(e)), 64)
			if v >= lo && v <= hi {
				ticks = append(ticks, v)
			}
		}
	}
	return ticks, func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
}

// inset is the margin around the plot: Margaid draws the legend, one row
// per series, in the bottom margin, and has one margin for all sides, so
// more than three series need a wider one.
func inset(series int) float64 { return 80 + 17*float64(max(0, series-3)) }
