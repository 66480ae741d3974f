package gan

import (
	"iter"
	"testing"
	"time"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
)

// BenchmarkRound times where a round of Train goes, at DefaultConfig's
// batch: the discriminator's step, the generator's step, and the judge's
// work (drawing JudgeBatch digits and classifying them with a lesson-03
// network), which Train does once every JudgeEvery rounds:
//
//	BAEUM_DATA=/path/to/shared/data go test -run '^$' -bench Round -benchtime 200x ./lessons/gan
//
// Each part is compiled before the clock starts. The judge's weights are
// random: the time does not depend on them.
func BenchmarkRound(b *testing.B) {
	real, err := cnn.LoadData("mnist", "train", 1024)
	if err != nil {
		b.Skip("MNIST not available:", err)
	}
	backend, err := mlx.Backend()
	if err != nil {
		b.Skip("no backend:", err)
	}
	cfg := DefaultConfig()
	gan := New(backend, 1)
	dTrainer, gTrainer := gan.trainers(cfg)
	ds, err := real.Dataset(backend, cfg.BatchSize, cfg.Seed)
	if err != nil {
		b.Fatal(err)
	}
	next, stop := iterBatches(ds)
	defer stop()
	noise := tensors.FromShape(shapeOf(cfg.BatchSize, 1))
	clf := cnn.NewClassifier(backend, 1)
	selection := FixedNoise(JudgeBatch, SelectionSeed)
	parts := []struct {
		name string
		run  func() error
	}{
		{"discriminator step", func() error {
			m, err := dTrainer.TrainStep(next())
			if err == nil {
				_ = m[0].Value()
			}
			return err
		}},
		{"generator step", func() error {
			m, err := gTrainer.TrainStep(train.Batch{Inputs: []*tensors.Tensor{noise}})
			if err == nil {
				_ = m[0].Value()
			}
			return err
		}},
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

// iterBatches pulls batches from a GoMLX dataset one at a time.
func iterBatches(ds train.Dataset) (next func() train.Batch, stop func()) {
	pull, stop := iter.Pull2(ds.Iter())
	return func() train.Batch {
		batch, err, ok := pull()
		if !ok || err != nil {
			panic(err)
		}
		return batch
	}, stop
}
