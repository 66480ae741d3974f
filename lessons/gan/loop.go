package gan

import (
	"fmt"
	"math/rand"
	"time"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/dataset"
	"github.com/gomlx/gomlx/ml/train"
)

// History is what a GAN run leaves: both losses and the grids of the same
// 16 noise vectors turned into digits along the way.
type History struct {
	Steps, DLoss, GLoss []float64
	GridSteps           []int
	Grids               [][]float32 // 16 images of 28*28 pixels in [0, 1] per grid
	JudgeSteps          []int       // steps at which the judge looked
	JudgeConfident      []float64   // fraction of its selection batch it labelled with confidence >= 0.9 (and, conditional, as the digit asked for)
	BestStep            int         // the step whose generator was kept (the last one without a judge)
	Conditional         bool        // the run trained a conditional GAN
	Duration            time.Duration
	StepsPerSec         float64 // alternating rounds (D step + G step) per second
}

// SelectionNoise seeds the noise of the judge's selection batch; the final
// evaluation uses other noise (EvalSeed), so the kept generator is not
// scored on the batch that chose it.
const (
	SelectionSeed = 1001
	EvalSeed      = 2002
	JudgeBatch    = 256
)

// GridSize is the number of digits in each progress grid.
const GridSize = 16

// Train runs cfg.Steps alternating rounds on the real images (pixels in
// [0, 1], scaled here to the generator's [-1, 1]). Progress and the live
// grid of generated digits are shown in a notebook.
//
// A GAN does not settle: the generator keeps moving, often hopping from one
// digit to another (mode collapse). With a judge (lesson 03's classifier)
// every cfg.JudgeEvery steps the generator is scored on a selection batch,
// and the best one is kept at the end, as one keeps the best epoch on
// validation data.
func (gan *GAN) Train(real *cnn.Data, cfg Config, judge *cnn.Classifier) (*History, error) {
	scaled := make([]float32, len(real.X))
	for i, v := range real.X {
		scaled[i] = 2*v - 1
	}
	inputs := []any{tensors.FromFlatDataAndDimensions(scaled, real.N, cnn.Size, cnn.Size, 1)}
	if gan.Conditional {
		inputs = append(inputs, tensors.FromFlatDataAndDimensions(real.Y, real.N)) // the digit of each image
	}
	ds, err := dataset.InMemoryFromData(gan.backend, "real digits", inputs, nil)
	if err != nil {
		return nil, fmt.Errorf("gan: %w", err)
	}
	ds.WithRand(rand.New(rand.NewSource(cfg.Seed))).Shuffle().Infinite(true).BatchSize(cfg.BatchSize, true)

	dTrainer, gTrainer := gan.trainers(cfg)
	fixed, selection := FixedNoise(GridSize, cfg.Seed), FixedNoise(JudgeBatch, SelectionSeed)
	h := &History{Conditional: gan.Conditional}
	var best map[string]*tensors.Tensor
	bestScore := -1.0
	live := show.NewLive()
	loop := train.NewLoop(dTrainer)
	every := max(1, cfg.Steps/100)
	loop.OnStep("generator step", 10, func(loop *train.Loop, dMetrics []*tensors.Tensor) error {
		// The generator's turn: a batch-shaped placeholder (the noise is
		// drawn inside the graph).
		gMetrics, err := gTrainer.TrainStep(train.Batch{Inputs: []*tensors.Tensor{tensors.FromShape(shapeOf(cfg.BatchSize, 1))}})
		if err != nil {
			return err
		}
		done := loop.LoopStep - loop.StartStep + 1
		if done == 1 || done%every == 0 {
			h.Steps = append(h.Steps, float64(done))
			h.DLoss = append(h.DLoss, scalar(dMetrics[0]))
			h.GLoss = append(h.GLoss, scalar(gMetrics[0]))
		}
		if done == 1 || done%cfg.SampleEvery == 0 || done == cfg.Steps {
			grid, err := gan.Generate(fixed, GridSize)
			if err != nil {
				return err
			}
			h.GridSteps, h.Grids = append(h.GridSteps, done), append(h.Grids, grid)
			live.Update(fmt.Sprintf("<b>step %d</b>", done) + show.ImageGridHTML(greys(grid, ""), 16, 2))
		}
		if judge != nil && (done%cfg.JudgeEvery == 0 || done == cfg.Steps) {
			images, err := gan.Generate(selection, JudgeBatch)
			if err != nil {
				return err
			}
			v, err := Judge(judge, images, JudgeBatch, 0.9)
			if err != nil {
				return err
			}
			score := v.ConfidentFraction()
			if gan.Conditional { // confident and the digit asked for
				a, err := Agree(v, RequestedDigits(JudgeBatch))
				if err != nil {
					return err
				}
				score = a.Overall
			}
			h.JudgeSteps, h.JudgeConfident = append(h.JudgeSteps, done), append(h.JudgeConfident, score)
			if score > bestScore {
				bestScore, h.BestStep = score, done
				if best, err = gan.generatorWeights(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	start := time.Now()
	if _, err := mlx.Fit(loop, ds, cfg.Steps, 100); err != nil {
		return h, err
	}
	h.Duration = time.Since(start)
	h.StepsPerSec = float64(cfg.Steps) / h.Duration.Seconds()
	if best == nil {
		h.BestStep = cfg.Steps
		return h, nil
	}
	return h, gan.setGeneratorWeights(best)
}

// generatorWeights copies the generator's variables.
func (gan *GAN) generatorWeights() (map[string]*tensors.Tensor, error) {
	w := map[string]*tensors.Tensor{}
	for v := range gan.Store.Scope("/" + GeneratorScope).IterVariables() {
		t, err := v.Value()
		if err == nil {
			t, err = t.LocalClone()
		}
		if err != nil {
			return nil, err
		}
		w[v.Path()] = t
	}
	return w, nil
}

func (gan *GAN) setGeneratorWeights(w map[string]*tensors.Tensor) error {
	for path, t := range w {
		if err := gan.Store.GetVariable(path).SetValue(t); err != nil {
			return err
		}
	}
	return nil
}
