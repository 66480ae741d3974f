package compress

import (
	"math"
	"testing"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

func TestMagnitudeMask(t *testing.T) {
	w := []float32{0.5, -0.1, 0.05, -2, 0.3, 0, 0.2, -0.7, 0.01, 1}
	mask, err := MagnitudeMask(w, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{1, 0, 0, 1, 1, 0, 0, 1, 0, 1} // the 5 largest |w|: 2, 1, 0.7, 0.5, 0.3
	for i := range w {
		if mask[i] != want[i] {
			t.Fatalf("mask %v, want %v", mask, want)
		}
	}
	if s := Sparsity(mask); s != 0.5 {
		t.Errorf("Sparsity %g, want 0.5", s)
	}
	ties, _ := MagnitudeMask([]float32{1, 1, 1, 1}, 0.5) // ties: exactly half dropped
	if Sparsity(ties) != 0.5 {
		t.Errorf("ties: %v", ties)
	}
	if _, err := MagnitudeMask(w, 1); err == nil {
		t.Error("fraction 1 accepted")
	}
	if got := SparseBytes(mask, 2); got != 8*5+4*3 {
		t.Errorf("SparseBytes %d", got)
	}
}

// TestDistillationLoss against a hand computation of one example.
func TestDistillationLoss(t *testing.T) {
	student, teacher := []float32{1, 0, -1}, []float32{2, 1, 0}
	const T, alpha = 2.0, 0.7
	softmax := func(z []float32, t float64) []float64 {
		var p []float64
		sum := 0.0
		for _, v := range z {
			p = append(p, math.Exp(float64(v)/t))
			sum += p[len(p)-1]
		}
		for i := range p {
			p[i] /= sum
		}
		return p
	}
	ps, pt := softmax(student, T), softmax(teacher, T)
	kl := 0.0
	for i := range pt {
		kl += pt[i] * math.Log(pt[i]/ps[i])
	}
	want := alpha*T*T*kl + (1-alpha)*-math.Log(softmax(student, 1)[2]) // label 2
	exec, err := graph.NewExec(mlx.MustBackend(), func(s, te, l *graph.Node) *graph.Node { return DistillationLoss(s, te, l, T, alpha) })
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Exec(tensors.FromFlatDataAndDimensions(student, 1, 3), tensors.FromFlatDataAndDimensions(teacher, 1, 3),
		tensors.FromFlatDataAndDimensions([]int32{2}, 1))
	if err != nil {
		t.Fatal(err)
	}
	if got := float64(out[0].Value().(float32)); math.Abs(got-want) > 1e-5 {
		t.Errorf("DistillationLoss = %g, want %g", got, want)
	}
}

func TestLoRAMergeEqualsUnmerged(t *testing.T) {
	exec, err := graph.NewExec(mlx.MustBackend(), func(x, w, a, b *graph.Node) *graph.Node {
		return graph.ReduceAllMax(graph.Abs(graph.Sub(LoRAForward(x, w, a, b, 2), graph.MatMul(x, MergeLoRA(w, a, b, 2)))))
	})
	if err != nil {
		t.Fatal(err)
	}
	rnd := func(seed uint64, dims ...int) *tensors.Tensor {
		return tensors.FromFlatDataAndDimensions(randomWeights(dims[0]*dims[1], seed), dims...)
	}
	out, err := exec.Exec(rnd(1, 5, 16), rnd(2, 16, 12), rnd(3, 16, 4), rnd(4, 4, 12))
	if err != nil {
		t.Fatal(err)
	}
	if d := out[0].Value().(float32); d > 1e-6 {
		t.Errorf("merged vs unmerged: max |diff| %g", d)
	}
}

func TestSVD(t *testing.T) {
	for _, shape := range [][2]int{{12, 7}, {7, 12}, {9, 9}} {
		rows, cols := shape[0], shape[1]
		w := randomWeights(rows*cols, uint64(rows*100+cols))
		d, err := Decompose(w, rows, cols)
		if err != nil {
			t.Fatal(err)
		}
		k := min(rows, cols)
		for i := 1; i < k; i++ {
			if d.S[i] > d.S[i-1] {
				t.Fatalf("%v: singular values not decreasing: %v", shape, d.S)
			}
		}
		// Full rank reconstructs W; rank r leaves √(Σ dropped σ²) (Eckart–Young).
		for _, r := range []int{k, 2} {
			a, b := d.Factors(r)
			errSq := 0.0
			for i := range rows {
				for j := range cols {
					s := 0.0
					for l := range r {
						s += float64(a[i*r+l]) * float64(b[l*cols+j])
					}
					errSq += (s - float64(w[i*cols+j])) * (s - float64(w[i*cols+j]))
				}
			}
			want := 0.0
			for _, s := range d.S[r:] {
				want += s * s
			}
			if math.Abs(math.Sqrt(errSq)-math.Sqrt(want)) > 1e-5 {
				t.Errorf("%v rank %d: error %g, want %g", shape, r, math.Sqrt(errSq), math.Sqrt(want))
			}
		}
	}
	d, _ := Decompose(make([]float32, 200*100), 200, 100)
	if r := d.Rank(0.5); r*(200+100) > 200*100/2 || (r+1)*(200+100) <= 200*100/2 {
		t.Errorf("Rank(0.5) = %d", r)
	}
	if _, err := Decompose([]float32{1, 2, 3}, 2, 2); err == nil {
		t.Error("wrong shape accepted")
	}
}

// TestQuantizeNet quantizes an untrained lesson-03 network with every
// scheme: each weight stays within its scheme's error bound; int8 takes
// about a quarter of float32's bytes, Q4_0 less than Q8_0.
func TestQuantizeNet(t *testing.T) {
	backend := mlx.MustBackend()
	c := cnn.NewClassifier(backend, 3)
	if _, err := c.Predict(make([]float32, cnn.Size*cnn.Size), 1); err != nil { // creates the weights
		t.Fatal(err)
	}
	bytes := map[Scheme]int{}
	for _, s := range Schemes {
		q, err := QuantizeNet(backend, c, s)
		if err != nil {
			t.Fatal(err)
		}
		bytes[s] = q.Bytes
		for _, p := range cnn.WeightPaths {
			a := tensors.MustCopyFlatData[float32](c.Store.GetVariable(p).MustValue())
			b := tensors.MustCopyFlatData[float32](q.Net.Store.GetVariable(p).MustValue())
			top := 0.0
			for _, x := range a {
				top = math.Max(top, math.Abs(float64(x)))
			}
			for i := range a {
				if e := math.Abs(float64(a[i] - b[i])); e > top/7 { // Q4_0's step is at most max|w|/8
					t.Fatalf("%s, %s[%d]: %g became %g", s, p, i, a[i], b[i])
				}
			}
		}
		if _, err := q.Net.Predict(make([]float32, cnn.Size*cnn.Size), 1); err != nil {
			t.Fatalf("%s: the quantized network does not run: %v", s, err)
		}
		t.Logf("%s: %d bytes, float32 kept for %v", s, q.Bytes, q.Float32Kept)
	}
	for _, s := range []Scheme{Int8Tensor, Int8Chan} {
		if r := float64(bytes[Float32]) / float64(bytes[s]); r < 3.8 || r > 4 {
			t.Errorf("%s is %.2f times smaller than float32, want about 4", s, r)
		}
	}
	if bytes[Q4_0] >= bytes[Q8_0] || bytes[Q8_0] >= bytes[Float32] {
		t.Errorf("bytes: %v", bytes)
	}
}

// TestPrunedStayZero prunes 90% of a briefly trained network and fine-tunes
// it: the pruned weights are still exactly zero afterwards.
func TestPrunedStayZero(t *testing.T) {
	backend := mlx.MustBackend()
	data, err := cnn.LoadData("mnist", "train", 256)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := cnn.Train(backend, data, cnn.TinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	p, err := Prune(backend, c, 0.9, false)
	if err != nil {
		t.Fatal(err)
	}
	if s := 1 - float64(p.Kept)/float64(p.Total); s < 0.89 || s > 0.91 {
		t.Fatalf("sparsity %g after pruning 90%%", s)
	}
	g, err := Prune(backend, c, 0.9, true)
	if err != nil {
		t.Fatal(err)
	}
	if s := 1 - float64(g.Kept)/float64(g.Total); math.Abs(s-0.9) > 1e-4 {
		t.Fatalf("global sparsity %g, want 0.9", s)
	}
	before := map[string][]float32{}
	for path := range p.Masks {
		before[path] = tensors.MustCopyFlatData[float32](p.Net.Store.GetVariable(path).MustValue())
	}
	if _, err := p.FineTune(backend, data, 10, 16, 1e-3); err != nil {
		t.Fatal(err)
	}
	moved := false
	for path, mask := range p.Masks {
		m := tensors.MustCopyFlatData[float32](mask)
		w := tensors.MustCopyFlatData[float32](p.Net.Store.GetVariable(path).MustValue())
		for i := range w {
			if m[i] == 0 && w[i] != 0 {
				t.Fatalf("%s[%d] was pruned but is %g after fine-tuning", path, i, w[i])
			}
			moved = moved || (m[i] != 0 && w[i] != before[path][i])
		}
	}
	if !moved {
		t.Error("fine-tuning changed none of the kept weights")
	}
}

// TestFactorizeFullRank: at full rank the factorized network predicts what
// the original does; at half the weights it is smaller.
func TestFactorizeFullRank(t *testing.T) {
	backend := mlx.MustBackend()
	data, err := cnn.LoadData("mnist", "test", 200)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := cnn.Train(backend, data, cnn.TinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	full, err := Factorize(backend, c, 10) // rank capped at min(in, out)
	if err != nil {
		t.Fatal(err)
	}
	if full.Ranks[0] != 64 || full.Ranks[1] != 10 {
		t.Fatalf("full ranks %v, want [64 10]", full.Ranks)
	}
	want, err := c.Predict(data.X, data.N)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := full.Evaluate(data)
	if err != nil {
		t.Fatal(err)
	}
	orig := cnn.Score(want, data)
	if ev.Accuracy != orig.Accuracy {
		t.Errorf("full rank: accuracy %g, original %g", ev.Accuracy, orig.Accuracy)
	}
	for i := range orig.Pred {
		if ev.Pred[i] != orig.Pred[i] || math.Abs(float64(ev.Confidence[i]-orig.Confidence[i])) > 1e-4 {
			t.Fatalf("image %d: class %d (p %g), original %d (p %g)", i, ev.Pred[i], ev.Confidence[i], orig.Pred[i], orig.Confidence[i])
		}
	}
	half, err := Factorize(backend, c, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if half.After > half.Before/2 || half.Ranks[0] != 28 {
		t.Errorf("half: %d of %d weights, ranks %v", half.After, half.Before, half.Ranks)
	}
	if _, err := half.FineTune(data, 5, 16, 1e-3); err != nil {
		t.Fatal(err)
	}
}

// TestStudentTeacherFrozen trains a student briefly from a teacher: the
// student learns, the teacher's copy does not move.
func TestStudentTeacherFrozen(t *testing.T) {
	backend := mlx.MustBackend()
	data, err := cnn.LoadData("mnist", "train", 256)
	if err != nil {
		t.Fatal(err)
	}
	teacher, _, err := cnn.Train(backend, data, cnn.TinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	cfg := DistillConfig{Steps: 20, Batch: 16, LearningRate: 3e-3, Temperature: 4, Alpha: 0.7, Seed: 1}
	s, h, err := TrainStudent(backend, teacher, data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !(h.LastLoss() < h.FirstLoss()) {
		t.Errorf("loss %g -> %g", h.FirstLoss(), h.LastLoss())
	}
	for _, p := range cnn.WeightPaths {
		a := tensors.MustCopyFlatData[float32](teacher.Store.GetVariable(p).MustValue())
		b := tensors.MustCopyFlatData[float32](s.Store.GetVariable("/" + TeacherScope + p).MustValue())
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("the teacher's %s moved during distillation", p)
			}
		}
	}
	if n := s.Params(); n != 16*9+16+32*9*16+32+800*32+32+32*10+10 {
		t.Errorf("student has %d weights", n)
	}
	if _, err := s.Evaluate(data); err != nil {
		t.Fatal(err)
	}
}
