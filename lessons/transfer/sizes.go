package transfer

import (
	"fmt"
	"math/rand"
	"slices"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/compute"
)

// Stratified draws n images of d with the classes as even as possible:
// n/10 of each, and one more for n%10 of them (chosen at random). Each
// class's images are taken in one order drawn from seed, so the same n and
// seed always give the same images, and a smaller sample is part of a
// larger one.
func Stratified(d *cnn.Data, n int, seed int64) (*cnn.Data, error) {
	byClass := make([][]int, cnn.NumClasses)
	for _, i := range rand.New(rand.NewSource(seed)).Perm(d.N) {
		byClass[d.Y[i]] = append(byClass[d.Y[i]], i)
	}
	extra := rand.New(rand.NewSource(seed + 1)).Perm(cnn.NumClasses)[:n%cnn.NumClasses]
	var picked []int
	for class, indices := range byClass {
		want := n / cnn.NumClasses
		if slices.Contains(extra, class) {
			want++
		}
		if want > len(indices) {
			return nil, fmt.Errorf("transfer.Stratified: %d images of class %d asked, %s %s has %d", want, class, d.Name, d.Split, len(indices))
		}
		picked = append(picked, indices[:want]...)
	}
	rand.New(rand.NewSource(seed+2)).Shuffle(len(picked), func(i, j int) { picked[i], picked[j] = picked[j], picked[i] })
	return d.Subset(picked), nil
}

// SizePoint is the test accuracy of the three methods trained on the same
// Examples labelled images for the same number of epochs.
type SizePoint struct {
	Examples                  int
	Scratch, Frozen, FineTune float64
}

// SizeCurve trains the three methods on stratified samples of train of
// every size in cfg.Sizes, each for cfg.SizeEpochs epochs at Adam's 1e-3:
// from scratch; frozen base + new head; and fine-tuned, the frozen recipe
// for all but the last epoch, then the whole network for the last one at
// cfg.FineTuneLR. It measures each on test.
func SizeCurve(backend compute.Backend, base *cnn.Classifier, train, test *cnn.Data, cfg Config) ([]SizePoint, error) {
	if cfg.SizeEpochs < 2 {
		return nil, fmt.Errorf("transfer.SizeCurve: SizeEpochs is %d; fine-tuning needs at least 2 (frozen, then the whole network)", cfg.SizeEpochs)
	}
	var points []SizePoint
	for _, n := range cfg.Sizes {
		sample, err := Stratified(train, n, cfg.Seed)
		if err != nil {
			return nil, err
		}
		c := cfg
		c.Examples = n
		// fit trains net quietly for epochs at lr, measuring test once, at the end.
		fit := func(net *Net, frozen bool, epochs int, lr float64) (float64, error) {
			net.Frozen = frozen
			stage := c.Stage(epochs, lr)
			stage.Quiet, stage.EvalEvery = true, stage.Steps
			curve, _, err := net.Train("", sample, test, stage)
			if err != nil {
				return 0, err
			}
			return curve.Final(), nil
		}
		p := SizePoint{Examples: n}
		if p.Scratch, err = fit(FromScratch(backend, cfg.Seed), false, cfg.SizeEpochs, cfg.LearningRate); err != nil {
			return nil, err
		}
		frozen, err := FromPretrained(backend, base, cfg.Seed)
		if err != nil {
			return nil, err
		}
		if p.Frozen, err = fit(frozen, true, cfg.SizeEpochs, cfg.LearningRate); err != nil {
			return nil, err
		}
		fine, err := FromPretrained(backend, base, cfg.Seed)
		if err != nil {
			return nil, err
		}
		if _, err = fit(fine, true, cfg.SizeEpochs-1, cfg.LearningRate); err != nil {
			return nil, err
		}
		if p.FineTune, err = fit(fine, false, 1, cfg.FineTuneLR); err != nil {
			return nil, err
		}
		fmt.Printf("%6d examples: scratch %.2f%%, frozen %.2f%%, fine-tuned %.2f%%\n", n, 100*p.Scratch, 100*p.Frozen, 100*p.FineTune)
		points = append(points, p)
		for key, acc := range map[string]float64{"scratch": p.Scratch, "frozen": p.Frozen, "fine-tuned": p.FineTune} {
			if err := mlx.Record(Lesson, fmt.Sprintf("size%d-%s", n, key), acc); err != nil {
				return nil, err
			}
		}
	}
	return points, nil
}

// ShowSizeCurve draws the three methods' test accuracy against the number
// of labelled examples (log scale).
func ShowSizeCurve(cfg Config, points []SizePoint) {
	series := []show.Series{{Name: "from scratch"}, {Name: "frozen base + new head"}, {Name: "fine-tuned"}}
	for _, p := range points {
		for i, acc := range []float64{p.Scratch, p.Frozen, p.FineTune} {
			series[i].X = append(series[i].X, float64(p.Examples))
			series[i].Y = append(series[i].Y, 100*acc)
		}
	}
	show.Lines(show.Plot{Title: fmt.Sprintf("test accuracy %% after %d epochs", cfg.SizeEpochs),
		XLabel: "labelled examples", YLabel: "%", LogX: true}, series...)
}
