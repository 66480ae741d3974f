package optimize

import (
	"fmt"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/gomlx/compute"
)

// BatchPoint is one run of BatchSweep.
type BatchPoint struct {
	Batch, Steps int
	Rule         string  // "fixed" or "linear"
	LR           float64 // peak learning rate
	ValLoss      float64
	Seconds      float64
}

// BatchSweep trains base at each batch size on the same number of
// sequences (so a batch twice as large takes half as many steps), once
// with the peak learning rate lr ("fixed") and once with
// lr·batch/base.Batch ("linear": the linear scaling rule of Goyal et al.
// 2017, "Accurate, Large Minibatch SGD"); at base.Batch the two are the
// same run. Each run warms up for a tenth of its steps and decays to a
// tenth of its peak (transformer.Schedule).
func BatchSweep(backend compute.Backend, data *pretrain.Shakespeare, base Config, lr float64, sequences int, batches []int) ([]BatchPoint, error) {
	var points []BatchPoint
	for _, b := range batches {
		if b <= 0 || sequences%b != 0 {
			return nil, fmt.Errorf("optimize.BatchSweep: batch %d does not divide the %d sequences", b, sequences)
		}
		rules := []string{"fixed", "linear"}
		if b == base.Batch {
			rules = rules[:1]
		}
		for _, rule := range rules {
			peak := lr
			if rule == "linear" {
				peak = lr * float64(b) / float64(base.Batch)
			}
			cfg := base
			cfg.Batch, cfg.Steps = b, sequences/b
			cfg.Schedule = transformer.Schedule{LearningRate: peak, MinLR: peak / 10, Warmup: cfg.Steps / 10, Steps: cfg.Steps}
			r, err := Train(backend, fmt.Sprintf("batch %d, lr %.2g", b, peak), data, cfg)
			if err != nil {
				return nil, err
			}
			p := BatchPoint{Batch: b, Steps: cfg.Steps, Rule: rule, LR: peak, ValLoss: r.ValLoss, Seconds: r.Duration.Seconds()}
			points = append(points, p)
			if b == base.Batch { // one run serves both rules
				p.Rule = "linear"
				points = append(points, p)
			}
		}
	}
	return points, nil
}
