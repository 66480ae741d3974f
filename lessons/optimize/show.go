package optimize

import (
	"fmt"
	"math"

	"github.com/baeum-go/baeum/mlx/show"
)

// ShowLosses overlays the loss curves of runs.
func ShowLosses(title string, runs ...*Run) {
	var series []show.Series
	for _, r := range runs {
		series = append(series, show.Series{Name: r.Name, X: r.Steps, Y: r.Loss})
	}
	show.Lines(show.Plot{Title: title, XLabel: "step", YLabel: "batch loss"}, series...)
}

// ShowRuns is a table of runs: speed, final losses, skipped updates.
func ShowRuns(runs ...*Run) {
	var rows [][]string
	for _, r := range runs {
		rows = append(rows, []string{r.Name, fmt.Sprintf("%.1f", r.StepsPerSec), fmt.Sprintf("%.3f", r.TrainLoss),
			fmt.Sprintf("%.3f", r.ValLoss), fmt.Sprintf("%+.3f", r.ValLoss-r.TrainLoss), fmt.Sprint(r.Skipped)})
	}
	show.Table([]string{"run", "steps/s", "train loss", "validation loss", "gap", "skipped updates"}, rows)
}

// ShowMagnitudes draws the histogram of log₂|g| for the logits' and the
// weights' gradients, times scale, with fp16's limits as vertical lines:
// left of 2⁻²⁴ a number becomes 0, left of 2⁻¹⁴ it loses precision.
func ShowMagnitudes(m *Magnitudes, scale float64) {
	hist := func(name string, xs []float64) show.Series {
		const lo, hi = -40, 0
		counts := make([]float64, hi-lo+1)
		for _, x := range xs {
			if x *= scale; x > 0 {
				b := int(math.Floor(math.Log2(x)))
				counts[min(max(b, lo), hi)-lo]++
			}
		}
		s := show.Series{Name: name}
		for i, c := range counts {
			s.X, s.Y = append(s.X, float64(lo+i)), append(s.Y, c/float64(len(xs)))
		}
		return s
	}
	line := func(name string, x float64) show.Series {
		return show.Series{Name: name, X: []float64{x, x}, Y: []float64{0, 0.3}}
	}
	title := "gradients"
	switch {
	case scale < 1:
		title = fmt.Sprintf("gradients × 1/%g", 1/scale)
	case scale > 1:
		title = fmt.Sprintf("gradients × %g", scale)
	}
	show.Lines(show.Plot{Title: title, XLabel: "log2 |gradient|", YLabel: "fraction of entries"},
		hist("logits' gradients", m.Logits), hist("weights' gradients", m.Weights),
		line("fp16: 0 below 2^-24", -24), line("fp16: subnormal below 2^-14", -14))
}

// ShowStepCosts draws XLA's temporary memory and the speed of each
// measured step, as bars (memory only where the backend reports it).
func ShowStepCosts(costs ...*StepCost) {
	var labels []string
	var mem, speed []float64
	for _, c := range costs {
		labels = append(labels, c.Name)
		speed = append(speed, c.StepsPerSec)
		if c.Memory != nil {
			mem = append(mem, float64(c.Memory.Temporary)/(1<<20))
		}
	}
	if len(mem) == len(costs) {
		show.Bars("XLA's temporary memory for one forward + backward pass", "MiB", labels, mem)
	} else {
		fmt.Println("this backend does not report compiled memory (XLA's backends do): speed only")
	}
	show.Bars("speed", "passes/s", labels, speed)
}

// ShowRangeTest draws the loss against the learning rate (log scale).
func ShowRangeTest(r *Run) {
	show.Lines(show.Plot{Title: "learning-rate range test", XLabel: "learning rate", YLabel: "batch loss", LogX: true},
		show.Series{Name: r.Name, X: r.LR, Y: r.Loss})
}

// ShowSchedule draws s's learning rate at every step up to steps.
func ShowSchedule(name string, s Scheduler, steps int) {
	var x, y []float64
	for i := range steps + 1 {
		x, y = append(x, float64(i)), append(y, s.At(i))
	}
	show.Lines(show.Plot{Title: "learning-rate schedule", XLabel: "step", YLabel: "learning rate"}, show.Series{Name: name, X: x, Y: y})
}

// ShowBatchSweep draws the validation loss against the batch size, one line
// per rule.
func ShowBatchSweep(points []BatchPoint) {
	by := map[string]*show.Series{}
	var order []string
	for _, p := range points {
		s, ok := by[p.Rule]
		if !ok {
			s = &show.Series{Name: p.Rule + " learning rate"}
			by[p.Rule], order = s, append(order, p.Rule)
		}
		s.X, s.Y = append(s.X, float64(p.Batch)), append(s.Y, p.ValLoss)
	}
	var series []show.Series
	for _, r := range order {
		series = append(series, *by[r])
	}
	show.Lines(show.Plot{Title: "the same data in batches of each size", XLabel: "batch size", YLabel: "validation loss", LogX: true}, series...)
	var rows [][]string
	for i, p := range points {
		if i > 0 && p.Batch == points[i-1].Batch && p.LR == points[i-1].LR {
			continue // the same run, listed under both rules
		}
		rows = append(rows, []string{fmt.Sprint(p.Batch), fmt.Sprint(p.Steps), p.Rule, fmt.Sprintf("%.2g", p.LR), fmt.Sprintf("%.3f", p.ValLoss), fmt.Sprintf("%.1f", p.Seconds)})
	}
	show.Table([]string{"batch", "steps", "rule", "peak lr", "validation loss", "seconds"}, rows)
}
