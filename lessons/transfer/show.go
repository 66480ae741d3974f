package transfer

import (
	"fmt"

	"github.com/baeum-go/baeum/mlx/show"
)

// Parameter counts of the two halves (weights + biases), for the table.
const (
	BaseParams = (3*3*1*32 + 32) + (3*3*32*64 + 64) + (3*3*64*64 + 64) // 55,744: lesson 03's convolutions
	HeadParams = (576*256 + 256) + (256*10 + 10)                       // 150,282: Dense(256) and Dense(10)
)

// ShowCurves draws test accuracy (in %) against epochs for the runs.
func ShowCurves(cfg Config, curves ...*Curve) {
	var series []show.Series
	for _, c := range curves {
		s := show.Series{Name: c.Name}
		for i := range c.Steps {
			s.X = append(s.X, c.Steps[i]/float64(cfg.StepsPerEpoch()))
			s.Y = append(s.Y, 100*c.Accuracy[i])
		}
		series = append(series, s)
	}
	show.Lines(show.Plot{Title: fmt.Sprintf("%s test accuracy %%", cfg.Target), XLabel: "epoch", YLabel: "%"}, series...)
}

// ShowTable compares the three runs: what was trained, and the test
// accuracy after the short budget and at the end.
func ShowTable(cfg Config, scratch, frozen, fineTuned *Curve) {
	pct := func(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) }
	show.Table([]string{"run", "trainable parameters", fmt.Sprintf("after %d epoch(s)", cfg.CompareEpoch), "at the end"},
		[][]string{
			{fmt.Sprintf("from scratch (%d epochs)", cfg.Epochs), fmt.Sprint(BaseParams + HeadParams),
				pct(scratch.AtEpoch(cfg, cfg.CompareEpoch)), pct(scratch.Final())},
			{fmt.Sprintf("frozen base + new head (%d epochs)", cfg.Epochs), fmt.Sprint(HeadParams),
				pct(frozen.AtEpoch(cfg, cfg.CompareEpoch)), pct(frozen.Final())},
			{fmt.Sprintf("then fine-tuned, lr %g (%d more epochs)", cfg.FineTuneLR, cfg.FineTuneEpochs),
				fmt.Sprint(BaseParams + HeadParams), "", pct(fineTuned.Final())},
		})
}
