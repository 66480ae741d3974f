package efficient

import (
	"github.com/baeum-go/baeum/lessons/optimize"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
)

// LongContext is the lesson's long-context run: lesson 11's small GPT
// (2 layers, 64 wide) reading 512 characters of Shakespeare at a time,
// batch 4, 150 steps (60 with mlx.Quick()), with full causal attention, or
// with sliding-window attention of window characters when window > 0.
func LongContext(window int) optimize.Config {
	cfg := optimize.DefaultConfig()
	cfg.Model.MaxLen, cfg.Batch, cfg.Steps = 512, 4, 150
	if mlx.Quick() {
		cfg.Steps = 60
	}
	cfg.Schedule = transformer.Schedule{LearningRate: 3e-3, MinLR: 3e-4, Warmup: cfg.Steps / 10, Steps: cfg.Steps}
	if window > 0 {
		cfg.Attend = WindowAttend(window, 0)
	}
	return cfg
}
