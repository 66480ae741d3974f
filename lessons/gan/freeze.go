package gan

import (
	"fmt"
	"math"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
)

// FreezeReport is the largest change of each network's trainable weights
// in one discriminator step and in one generator step.
type FreezeReport struct {
	GeneratorByDStep, DiscriminatorByDStep float64
	GeneratorByGStep, DiscriminatorByGStep float64
}

// Frozen is the largest change of a network in the other network's step:
// 0 when each trainer leaves the other network alone.
func (r *FreezeReport) Frozen() float64 { return max(r.GeneratorByDStep, r.DiscriminatorByGStep) }

// FreezeCheck takes one step of each of g's trainers on 16 real digits
// and measures what each step changed. g is a fresh GAN (New or
// NewConditional): the check trains it.
func FreezeCheck(g *GAN) (*FreezeReport, error) {
	real, err := cnn.LoadData("mnist", "train", 16)
	if err != nil {
		return nil, err
	}
	dTrainer, gTrainer := g.trainers(Config{BatchSize: 16, DLearningRate: 1e-3, GLearningRate: 1e-3, Beta1: 0.5})
	pix := make([]float32, len(real.X))
	for i, v := range real.X {
		pix[i] = 2*v - 1
	}
	inputs := []*tensors.Tensor{tensors.FromFlatDataAndDimensions(pix, 16, 28, 28, 1)}
	if g.Conditional {
		inputs = append(inputs, tensors.FromFlatDataAndDimensions(real.Y, 16))
	}
	step := func(t *train.Trainer) error {
		_, err := t.TrainStep(train.Batch{Inputs: inputs})
		return err
	}
	// One step of each creates every variable; the next two are measured.
	for _, t := range []*train.Trainer{dTrainer, gTrainer} {
		if err := step(t); err != nil {
			return nil, err
		}
	}
	r := &FreezeReport{}
	for _, s := range []struct {
		trainer  *train.Trainer
		gen, dis *float64
	}{{dTrainer, &r.GeneratorByDStep, &r.DiscriminatorByDStep}, {gTrainer, &r.GeneratorByGStep, &r.DiscriminatorByGStep}} {
		gBefore, dBefore := g.weights(GeneratorScope), g.weights(DiscriminatorScope)
		if err := step(s.trainer); err != nil {
			return nil, err
		}
		*s.gen, *s.dis = maxChange(gBefore, g.weights(GeneratorScope)), maxChange(dBefore, g.weights(DiscriminatorScope))
	}
	return r, nil
}

// weights copies the trainable variables of one network.
func (gan *GAN) weights(scope string) map[string][]float32 {
	m := map[string][]float32{}
	for v := range gan.Store.Scope("/" + scope).IterVariables() {
		if v.Trainable {
			m[v.Path()] = tensors.MustCopyFlatData[float32](v.MustValue())
		}
	}
	return m
}

func maxChange(before, after map[string][]float32) float64 {
	d := 0.0
	for p, b := range before {
		for i := range b {
			d = max(d, math.Abs(float64(after[p][i]-b[i])))
		}
	}
	return d
}

// ShowFreezeCheck displays the report as a table.
func ShowFreezeCheck(r *FreezeReport) {
	f := func(v float64) string { return fmt.Sprintf("%.3g", v) }
	show.Table([]string{"one step of", "largest change: generator", "largest change: discriminator"}, [][]string{
		{"the discriminator's trainer", f(r.GeneratorByDStep), f(r.DiscriminatorByDStep)},
		{"the generator's trainer", f(r.GeneratorByGStep), f(r.DiscriminatorByGStep)},
	})
}
