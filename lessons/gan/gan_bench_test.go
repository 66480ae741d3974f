package gan

import (
	"testing"
	"time"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
)

// BenchmarkRound times where a round of Train goes, for the seed's pair
// and the conditional GAN at their notebook batches: the discriminator's
// step, the generator's step, and the judge's work (drawing JudgeBatch
// digits and classifying them with a lesson-03 network), which Train does
// once every JudgeEvery rounds:
//
//	BAEUM_DATA=/path/to/shared/data go test -run '^$' -bench Round -benchtime 200x ./lessons/gan
//
// Each part is compiled before the clock starts. The judge's weights are
// random, and every step sees the same real batch: the time depends on
// neither.
func BenchmarkRound(b *testing.B) {
	real, err := cnn.LoadData("mnist", "train", 64)
	if err != nil {
		b.Skip("MNIST not available:", err)
	}
	backend, err := mlx.Backend()
	if err != nil {
		b.Skip("no backend:", err)
	}
	b.Run("seed", func(b *testing.B) { benchmarkRound(b, New(backend, 1), real, DefaultConfig()) })
	b.Run("conditional", func(b *testing.B) { benchmarkRound(b, NewConditional(backend, 1), real, ConditionalConfig()) })
}

func benchmarkRound(b *testing.B, gan *GAN, real *cnn.Data, cfg Config) {
	dTrainer, gTrainer := gan.trainers(cfg)
	n := cfg.BatchSize
	batch := train.Batch{Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(real.X[:n*cnn.Size*cnn.Size], n, cnn.Size, cnn.Size, 1)}}
	if gan.Conditional {
		batch.Inputs = append(batch.Inputs, tensors.FromFlatDataAndDimensions(real.Y[:n], n))
	}
	noise := train.Batch{Inputs: []*tensors.Tensor{tensors.FromShape(shapeOf(n, 1))}}
	clf := cnn.NewClassifier(gan.backend, 1)
	selection := FixedNoise(JudgeBatch, SelectionSeed)
	step := func(t *train.Trainer, batch train.Batch) func() error {
		return func() error {
			m, err := t.TrainStep(batch)
			if err == nil {
				_ = m[0].Value()
			}
			return err
		}
	}
	parts := []struct {
		name string
		run  func() error
	}{
		{"discriminator step", step(dTrainer, batch)},
		{"generator step", step(gTrainer, noise)},
		{"judge (generate + classify 256)", func() error {
			images, err := gan.Generate(selection, JudgeBatch)
			if err == nil {
				_, err = Judge(clf, images, JudgeBatch, 0.9)
			}
			return err
		}},
	}
	for _, p := range parts { // compile
		if err := p.run(); err != nil {
			b.Fatal(p.name, err)
		}
	}
	spent := make([]time.Duration, len(parts))
	b.ResetTimer()
	for range b.N {
		for i, p := range parts[:2] {
			start := time.Now()
			if err := p.run(); err != nil {
				b.Fatal(p.name, err)
			}
			spent[i] += time.Since(start)
		}
	}
	b.StopTimer()
	judges := max(1, b.N/cfg.JudgeEvery)
	for range judges {
		start := time.Now()
		if err := parts[2].run(); err != nil {
			b.Fatal(err)
		}
		spent[2] += time.Since(start)
	}
	round := (spent[0]+spent[1]).Seconds()/float64(b.N) + spent[2].Seconds()/float64(judges)/float64(cfg.JudgeEvery)
	b.ReportMetric(1/round, "rounds/s")
	b.ReportMetric(spent[0].Seconds()*1e3/float64(b.N), "ms/D-step")
	b.ReportMetric(spent[1].Seconds()*1e3/float64(b.N), "ms/G-step")
	b.ReportMetric(spent[2].Seconds()*1e3/float64(judges), "ms/judge")
}
