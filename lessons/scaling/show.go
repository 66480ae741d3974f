package scaling

import (
	"cmp"
	"fmt"
	"html"
	"math"
	"slices"
	"strings"

	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/compute"
)

// Communication is how many numbers each device sends per training step
// of m under a strategy over d devices, with ring collectives (each moves
// (d−1)/d of its data per device; an all-reduce is a reduce-scatter plus
// an all-gather): data parallel all-reduces the gradients (2P), ZeRO-1
// reduce-scatters them and all-gathers the updated weights (2P, the same),
// FSDP also gathers the weights again for the backward pass (3P), and
// tensor parallel all-reduces the partial outputs of the cut layer
// (2·batch·out). Counted from the textbook algorithms, not measured.
func Communication(s Strategy, m *MLP, batch, d int) float64 {
	share := float64(d-1) / float64(d)
	p := float64(m.Params())
	switch s {
	case Data, ZeRO1:
		return 2 * share * p
	case FSDP:
		return 3 * share * p
	case Tensor:
		return 2 * share * float64(batch*m.Out)
	}
	return 0
}

// TimelineSVG draws a pipeline's ops: a row per stage (device), forward
// passes in blue and backward passes in orange, each labelled with its
// micro-batch; the white space is the bubble.
func TimelineSVG(p *Pipeline) string {
	const width, row, left = 660.0, 30.0, 70.0
	scale := (width - left - 10) / float64(p.Makespan)
	h := float64(p.Stages)*row + 50
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="11">`, width, h)
	fmt.Fprintf(&b, `<text x="%.0f" y="14" font-size="13">%s, %d stages, %d micro-batches: bubble %.1f%% measured, %.1f%% by (p−1)/(m+p−1)</text>`,
		left, html.EscapeString(string(p.Schedule)), p.Stages, p.Micro, 100*p.Bubble, 100*p.Formula)
	for s := range p.Stages {
		y := 24 + float64(s)*row
		fmt.Fprintf(&b, `<text x="4" y="%.0f">device %d</text><rect x="%.0f" y="%.0f" width="%.0f" height="%.0f" fill="#f4f4f4"/>`, y+18, s, left, y, width-left-10, row-4)
	}
	for _, op := range p.Ops {
		x := left + float64(op.Start)*scale
		w := math.Max(1, float64(op.End-op.Start)*scale)
		y := 24 + float64(op.Stage)*row
		color, label := "#5b8ff9", fmt.Sprint(op.Micro)
		if op.Backward {
			color = "#f6903d"
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.0f" width="%.1f" height="%.0f" fill="%s" stroke="white"/>`, x, y, w, row-4, color)
		if w > 10 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" fill="white" text-anchor="middle">%s</text>`, x+w/2, y+17, label)
		}
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f">0</text><text x="%.0f" y="%.0f" text-anchor="end">%.0f ms</text>`,
		left, h-8, width-10, h-8, float64(p.Makespan.Microseconds())/1000)
	b.WriteString(`</svg>`)
	return b.String()
}

// ShowTimeline displays TimelineSVG.
func ShowTimeline(p *Pipeline) { show.HTML(TimelineSVG(p)) }

// ShowRoofline draws the roofline of this machine (measured peak GFLOP/s
// and bandwidth GB/s) beside the published chips: attainable GFLOP/s
// against arithmetic intensity (FLOP per byte), both axes logarithmic.
func ShowRoofline(name string, gflops, gbs float64) {
	var xs []float64
	for e := -1.0; e <= 3.0001; e += 0.125 {
		xs = append(xs, math.Pow(10, e))
	}
	line := func(label string, peak, bw float64) show.Series {
		s := show.Series{Name: label}
		for _, x := range xs {
			s.X, s.Y = append(s.X, x), append(s.Y, Attainable(peak, bw, x))
		}
		return s
	}
	series := []show.Series{line(name+" (measured)", gflops, gbs)}
	for _, c := range Chips {
		series = append(series, line(c.Name, 1000*c.PeakTFLOPS, c.BandwidthGB))
	}
	show.Lines(show.Plot{Title: "roofline", XLabel: "FLOP per byte", YLabel: "attainable GFLOP/s",
		LogX: true, LogY: true, Width: 640, Height: 480}, series...)
}

// MaxLossDiff is the largest relative difference between two runs' losses,
// step by step.
func MaxLossDiff(a, b *Run) float64 { return MaxRelDiff(a.Losses, b.Losses) }

// MaxRelDiff is the largest |a[i] − b[i]| / |b[i]|.
func MaxRelDiff(a, b []float64) float64 {
	d := 0.0
	for i := range min(len(a), len(b)) {
		d = math.Max(d, math.Abs(a[i]-b[i])/math.Abs(b[i]))
	}
	return d
}

// DeviceMiB is one device's memory for a run's step, from XLA's
// statistics: its inputs (weights, optimizer state, batch) and temporaries
// (NaN where the backend reports none).
func (r *Run) DeviceMiB() float64 {
	if r.Memory == nil {
		return math.NaN()
	}
	return float64(r.Memory.Inputs+r.Memory.Temporary) / (1 << 20)
}

// ShowRuns tables runs of the same model (the first is the reference):
// devices, losses, the largest difference from the reference, time per
// step, one device's memory, and the numbers each device sends per step.
func ShowRuns(runs []*Run, batch int) {
	var rows [][]string
	for _, r := range runs {
		rows = append(rows, []string{string(r.Strategy), fmt.Sprint(r.Devices),
			fmt.Sprintf("%.4f → %.4f", r.Losses[0], r.Losses[len(r.Losses)-1]),
			fmt.Sprintf("%.1e", MaxLossDiff(r, runs[0])),
			fmt.Sprintf("%.2f", 1000*r.StepSeconds),
			r.memoryText(),
			fmt.Sprintf("%.0f", Communication(r.Strategy, r.Model, batch, r.Devices))})
	}
	show.Table([]string{"strategy", "devices", "loss, first → last step", "max relative difference from one device", "ms per step", "MiB per device (XLA): inputs + temporaries", "numbers sent per device per step"}, rows)
}

// ShowMemory draws one device's memory per strategy as bars.
func ShowMemory(runs []*Run) {
	var labels []string
	var values []float64
	for _, r := range runs {
		labels, values = append(labels, r.Strategy.Short()), append(values, r.DeviceMiB())
	}
	show.Bars("memory of one device for one training step (XLA's statistics: inputs + temporaries)", "MiB", labels, values)
}

// MedianPipeline runs RunPipeline `runs` times and returns the run with the
// median bubble (a 2-core machine's timings are noisy).
func MedianPipeline(backend compute.Backend, s Schedule, stages, micro, batch, width, runs int) (*Pipeline, error) {
	var ps []*Pipeline
	for range runs {
		p, err := RunPipeline(backend, s, stages, micro, batch, width)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b *Pipeline) int { return cmp.Compare(a.Bubble, b.Bubble) })
	return ps[len(ps)/2], nil
}

// Short is the strategy's name in a few characters, for charts.
func (s Strategy) Short() string {
	switch s {
	case ZeRO1:
		return "ZeRO-1"
	case FSDP:
		return "FSDP (ZeRO-3)"
	}
	return string(s)
}

func (r *Run) memoryText() string {
	if r.Memory == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f + %.2f", float64(r.Memory.Inputs)/(1<<20), float64(r.Memory.Temporary)/(1<<20))
}
