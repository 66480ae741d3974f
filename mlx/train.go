package mlx

import (
	"fmt"
	"html"
	"math"
	"time"

	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
)

// History is what a training run leaves behind: the loss at the recorded
// steps, the speed, and how long it took.
type History struct {
	Steps       []float64 // global step of each point
	Loss        []float64 // batch loss at that step
	AvgLoss     []float64 // GoMLX's moving-average loss at that step
	Extra       map[string][]float64
	Duration    time.Duration
	StepsPerSec float64
}

// LastLoss is the batch loss at the last recorded step (NaN if none).
func (h *History) LastLoss() float64 {
	if len(h.Loss) == 0 {
		return math.NaN()
	}
	return h.Loss[len(h.Loss)-1]
}

// FirstLoss is the batch loss at the first recorded step (NaN if none).
func (h *History) FirstLoss() float64 {
	if len(h.Loss) == 0 {
		return math.NaN()
	}
	return h.Loss[0]
}

// Fit runs GoMLX's training loop for steps steps over ds, records the loss at
// about points evenly spaced steps, shows live progress (step, steps/s, loss,
// time left) in the notebook, and at the end prints a one-line summary and
// draws the loss curve. Extra train metrics passed to train.NewTrainer are
// recorded under their short names.
func Fit(loop *train.Loop, ds train.Dataset, steps, points int) (*History, error) {
	if steps <= 0 {
		return nil, fmt.Errorf("mlx.Fit: steps must be positive, got %d", steps)
	}
	points = max(1, min(points, steps))
	every := max(1, steps/points)
	h := &History{Extra: map[string][]float64{}}
	live := show.NewLive()
	start := time.Now()
	lastShown := time.Time{}
	first := loop.LoopStep
	loop.OnStep("mlx.Fit", 50, func(loop *train.Loop, metrics []*tensors.Tensor) error {
		done := loop.LoopStep - first + 1
		if done == 1 || done%every == 0 || done == steps {
			h.record(loop, metrics)
		}
		if now := time.Now(); now.Sub(lastShown) > 500*time.Millisecond || done == steps {
			lastShown = now
			live.Update(progressHTML(done, steps, time.Since(start), scalar(metrics[1])))
		}
		return nil
	})
	_, err := loop.RunSteps(ds, steps)
	h.Duration = time.Since(start)
	h.StepsPerSec = float64(len(loop.TrainStepDurations)) / h.Duration.Seconds()
	if err != nil {
		return h, fmt.Errorf("mlx.Fit: training stopped at step %d: %w", loop.LoopStep, err)
	}
	live.Clear()
	fmt.Printf("trained %d steps in %.1fs (%.1f steps/s); loss %.4g -> %.4g\n",
		steps, h.Duration.Seconds(), h.StepsPerSec, h.FirstLoss(), h.LastLoss())
	series := []show.Series{{Name: "batch loss", X: h.Steps, Y: h.Loss}}
	if steps >= 1000 {
		// GoMLX's moving average (decay 0.01) smooths noisy mini-batch losses,
		// but lags far behind in short runs.
		series = append(series, show.Series{Name: "moving average", X: h.Steps, Y: h.AvgLoss})
	}
	show.Lines(show.Plot{Title: "training loss", XLabel: "step", YLabel: "loss", LogY: h.FirstLoss() > 10*h.LastLoss()}, series...)
	return h, nil
}

func (h *History) record(loop *train.Loop, metrics []*tensors.Tensor) {
	h.Steps = append(h.Steps, float64(loop.LoopStep))
	h.Loss = append(h.Loss, scalar(metrics[0]))
	h.AvgLoss = append(h.AvgLoss, scalar(metrics[1]))
	for i, m := range loop.Trainer.TrainMetrics() {
		if i >= 2 && i < len(metrics) {
			h.Extra[m.ShortName()] = append(h.Extra[m.ShortName()], scalar(metrics[i]))
		}
	}
}

// scalar reads a scalar metric tensor of any float dtype as float64.
func scalar(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	default:
		return math.NaN()
	}
}

func progressHTML(done, total int, elapsed time.Duration, loss float64) string {
	rate := float64(done) / elapsed.Seconds()
	left := time.Duration(float64(total-done) / rate * float64(time.Second))
	pct := 100 * done / total
	return fmt.Sprintf(`<div style="font-family:monospace"><progress value="%d" max="%d"></progress> `+
		`step %d/%d (%d%%) | %.1f steps/s | loss %.4g | %s left</div>`,
		done, total, done, total, pct, rate, loss, html.EscapeString(left.Round(time.Second).String()))
}
