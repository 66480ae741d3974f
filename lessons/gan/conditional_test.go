package gan

import (
	"math"
	"testing"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// The conditional pair's shapes, and the label routed into both networks:
// the same noise asked for another digit gives another picture and
// another score, and the same digit the same picture.
func TestConditionalShapesAndLabels(t *testing.T) {
	backend := mlx.MustBackend()
	store := model.NewStore()
	z := FixedNoise(1, 7)
	z = append(append(append([]float32{}, z...), z...), z...) // one noise vector, three times
	f := func(scope *model.Scope, z, digits *Node) []*Node {
		images := ConditionalGenerator(scope.In(GeneratorScope), z, digits)
		return []*Node{images, ConditionalDiscriminator(scope.In(DiscriminatorScope), images, digits)}
	}
	out := model.MustExecOnceN(backend, store, f, tensors.FromFlatDataAndDimensions(z, 3, NoiseDim), []int32{3, 3, 8})
	if d := out[0].Shape().Dimensions; len(d) != 4 || d[0] != 3 || d[1] != 28 || d[2] != 28 || d[3] != 1 {
		t.Fatalf("generator output %v, want [3 28 28 1]", d)
	}
	if d := out[1].Shape().Dimensions; len(d) != 2 || d[0] != 3 || d[1] != 1 {
		t.Fatalf("discriminator output %v, want [3 1]", d)
	}
	px := tensors.MustCopyFlatData[float32](out[0])
	score := tensors.MustCopyFlatData[float32](out[1])
	image := func(i int) []float32 { return px[i*784 : (i+1)*784] }
	diff := func(a, b []float32) float64 {
		d := 0.0
		for i := range a {
			d = max(d, math.Abs(float64(a[i]-b[i])))
		}
		return d
	}
	if d := diff(image(0), image(1)); d != 0 {
		t.Errorf("same noise, same digit: pictures differ by %g", d)
	}
	if d := diff(image(0), image(2)); d < 1e-4 {
		t.Errorf("asked for 3 and for 8 with the same noise: pictures differ by only %g", d)
	}
	if score[0] != score[1] || score[0] == score[2] {
		t.Errorf("discriminator scores %v: want the two 3s equal and the 8 different", score)
	}
	for _, v := range px {
		if v < -1 || v > 1 {
			t.Fatalf("generated pixel %v outside tanh's [-1, 1]", v)
		}
	}
}

// A short conditional run saves, loads back as the same generator, and
// is judged against the digits asked for; the seed's loader refuses it.
func TestConditionalTrainSaveLoad(t *testing.T) {
	real, err := cnn.LoadData("mnist", "train", 256)
	if err != nil {
		t.Skip("MNIST not available:", err)
	}
	backend := mlx.MustBackend()
	t.Setenv("BAEUM_CHECKPOINTS", t.TempDir())
	g := NewConditional(backend, 2)
	clf := cnn.NewClassifier(backend, 1)
	cfg := ConditionalConfig()
	cfg.Steps, cfg.SampleEvery, cfg.JudgeEvery = 10, 5, 5
	h, err := g.Train(real, cfg, clf)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.JudgeSteps) != 2 || h.BestStep == 0 {
		t.Errorf("judged at %v, kept step %d", h.JudgeSteps, h.BestStep)
	}
	if err := g.SaveAs(); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(backend); err == nil {
		t.Error("the seed's loader read the conditional GAN's checkpoint")
	}
	back, err := LoadConditional(backend)
	if err != nil {
		t.Fatal(err)
	}
	z, digits := AskGrid(3)
	a, err := g.Draw(z, digits)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := back.Draw(z, digits)
	if diff := a[4321] - b[4321]; diff != 0 || a[77777]-b[77777] != 0 {
		t.Error("the loaded generator draws different pictures")
	}
	v, err := Judge(clf, a, len(digits), 0)
	if err != nil {
		t.Fatal(err)
	}
	agree, err := Agree(v, digits)
	if err != nil {
		t.Fatal(err)
	}
	hits := 0
	for i, d := range digits {
		if v.Pred[i] == int(d) {
			hits++
		}
	}
	if got := agree.Overall * float64(len(digits)); math.Abs(got-float64(hits)) > 1e-9 {
		t.Errorf("agreement %.3f of %d, counted %d hits", agree.Overall, len(digits), hits)
	}
	if _, err := Agree(v, digits[:5]); err == nil {
		t.Error("Agree accepted 5 digits for 100 images")
	}
}

func TestAskGridAndSweep(t *testing.T) {
	z, digits := AskGrid(1)
	if len(z) != 100*NoiseDim || len(digits) != 100 || digits[0] != 0 || digits[9] != 0 || digits[10] != 1 || digits[99] != 9 {
		t.Fatalf("grid: %d noise values, digits %v", len(z), digits)
	}
	if z[3*NoiseDim+5] != z[(20+3)*NoiseDim+5] {
		t.Error("a column does not keep its noise from row to row")
	}
	z, digits = NoiseSweep(5, 1)
	ends := FixedNoise(2, 1)
	if len(z) != 50*NoiseDim || digits[5] != 1 || z[7] != ends[7] || math.Abs(float64(z[4*NoiseDim+7]-ends[NoiseDim+7])) > 1e-6 {
		t.Errorf("sweep: does not run from z0 to z1")
	}
	// the middle of the sweep has the norm of a standard normal vector, not the shorter straight-line midpoint
	norm := func(v []float32) (s float64) {
		for _, x := range v {
			s += float64(x) * float64(x)
		}
		return math.Sqrt(s)
	}
	mid, n0, n1 := norm(z[2*NoiseDim:3*NoiseDim]), norm(ends[:NoiseDim]), norm(ends[NoiseDim:])
	if mid < 0.8*min(n0, n1) {
		t.Errorf("sweep midpoint norm %.2f, ends %.2f and %.2f", mid, n0, n1)
	}
}
