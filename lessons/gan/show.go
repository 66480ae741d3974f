package gan

import (
	"fmt"
	"strings"

	"github.com/baeum-go/baeum/mlx/show"
)

// ShowLosses draws both losses against the step.
func ShowLosses(h *History) {
	show.Lines(show.Plot{Title: "GAN losses", XLabel: "step", YLabel: "binary cross-entropy"},
		show.Series{Name: "discriminator", X: h.Steps, Y: h.DLoss},
		show.Series{Name: "generator", X: h.Steps, Y: h.GLoss})
}

// ShowProgress draws the recorded grids, one row per step: the same 16
// noise vectors, turned into digits as training goes on.
func ShowProgress(h *History) {
	for i, grid := range h.Grids {
		show.HTML(fmt.Sprintf("<div style=\"font-family:monospace\">step %d</div>", h.GridSteps[i]))
		show.ImageGrid(greys(grid, ""), GridSize, 2)
	}
}

// ShowSamples draws images (pixels in [0, 1]) captioned with the judge's
// label and confidence.
func ShowSamples(images []float32, v *Verdict, n int) {
	gs := greys(images, "")
	for i := range gs {
		gs[i].Caption = fmt.Sprintf("%d %.0f%%", v.Pred[i], 100*v.Confidence[i])
	}
	show.ImageGrid(gs[:min(n, len(gs))], 16, 2)
}

// ShowHistogram draws the predicted classes of the confidently labelled
// images as a bar table: a tall bar on one or two digits is mode collapse.
func ShowHistogram(v *Verdict) {
	var rows [][]string
	for c, n := range v.Histogram {
		rows = append(rows, []string{fmt.Sprint(c), fmt.Sprint(n), strings.Repeat("█", (n*40+v.N-1)/v.N)})
	}
	show.Table([]string{"digit", fmt.Sprintf("confident (of %d)", v.N), ""}, rows)
}

// ShowImages draws generated images (pixels in [0, 1]), 16 to a row.
func ShowImages(images []float32) { show.ImageGrid(greys(images, ""), 16, 2) }

// ShowJudgeCurve draws the judge's confident fraction along training and
// says which step's generator was kept.
func ShowJudgeCurve(h *History) {
	if len(h.JudgeSteps) == 0 {
		return
	}
	x, y := make([]float64, len(h.JudgeSteps)), make([]float64, len(h.JudgeSteps))
	for i, s := range h.JudgeSteps {
		x[i], y[i] = float64(s), 100*h.JudgeConfident[i]
	}
	what := "% confident >= 0.9"
	if h.Conditional {
		what = "% drawn as asked"
	}
	show.Lines(show.Plot{Title: fmt.Sprintf("judge: %s (kept: step %d)", what, h.BestStep),
		XLabel: "step", YLabel: "%"}, show.Series{Name: "confident", X: x, Y: y})
}
