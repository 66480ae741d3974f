package attention

import (
	"fmt"
	"math"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Steps holds the value after every step of scaled dot-product attention for
// one sequence: Scores = Q Kᵀ, Scaled = Scores/√d_k, Masked (−∞ where the
// mask is false), Weights = softmax(Masked), Output = Weights V.
type Steps struct {
	Scores, Scaled, Masked, Weights, Output [][]float64
}

// HandAttention computes Steps with plain loops in float64, one formula per
// loop, exactly as one would on paper. q is [q][d_k], k is [k][d_k], v is
// [k][d_v]; mask is [q][k] (true = may attend) or nil.
//
//	q=[[1 0]], k=[[1 0] [0 1]], v=[[1 2] [3 4]] ->
//	Scores [[1 0]], Scaled [[0.7071 0]], Weights [[0.6698 0.3302]], Output [[1.6605 2.6605]]
func HandAttention(q, k, v [][]float64, mask [][]bool) Steps {
	nq, nk, dk, dv := len(q), len(k), len(q[0]), len(v[0])
	s := Steps{Scores: grid(nq, nk), Scaled: grid(nq, nk), Masked: grid(nq, nk), Weights: grid(nq, nk), Output: grid(nq, dv)}
	for i := range nq {
		for j := range nk {
			for d := range dk {
				s.Scores[i][j] += q[i][d] * k[j][d] // S_ij = Σ_d Q_id K_jd
			}
			s.Scaled[i][j] = s.Scores[i][j] / math.Sqrt(float64(dk))
			s.Masked[i][j] = s.Scaled[i][j]
			if mask != nil && !mask[i][j] {
				s.Masked[i][j] = math.Inf(-1)
			}
		}
		s.Weights[i] = HandSoftmax(s.Masked[i]) // A_ij = e^(S_ij - max) / Σ_j e^(S_ij - max)
		for j := range nk {
			for d := range dv {
				s.Output[i][d] += s.Weights[i][j] * v[j][d] // O_id = Σ_j A_ij V_jd
			}
		}
	}
	return s
}

// HandSoftmax is Softmax for one row, in plain Go:
// e^(x_j − m) / Σ_k e^(x_k − m), where m is the row's largest entry.
// Subtracting m changes nothing mathematically (it cancels in the division)
// but keeps e^x from overflowing: e^1000 is +Inf even in float64, and
// +Inf/+Inf is NaN. Masked entries (−∞) get weight exactly 0. The row must
// have at least one finite entry.
//
//	[1 2 3]          -> [0.0900 0.2447 0.6652]
//	[1000 1001 1002] -> [0.0900 0.2447 0.6652]   (only differences matter)
//	[0.5 −∞]         -> [1 0]
func HandSoftmax(x []float64) []float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v)
	}
	out, sum := make([]float64, len(x)), 0.0
	for j, v := range x {
		out[j] = math.Exp(v - m) // at most e^0 = 1: no overflow
		sum += out[j]
	}
	for j := range out {
		out[j] /= sum
	}
	return out
}

func grid(rows, cols int) [][]float64 {
	g := make([][]float64, rows)
	for i := range g {
		g[i] = make([]float64, cols)
	}
	return g
}

// GraphSteps runs the graph functions of this package (Scores, Scale,
// ApplyMask, Softmax, WeightedSum) on one sequence with the backend, in
// float32, and returns every intermediate value, to be compared with
// HandAttention.
func GraphSteps(backend compute.Backend, q, k, v [][]float64, mask [][]bool) (Steps, error) {
	if len(q) == 0 || len(k) == 0 || len(k) != len(v) {
		return Steps{}, fmt.Errorf("attention.GraphSteps: need queries and as many keys as values, got %d, %d, %d", len(q), len(k), len(v))
	}
	if mask == nil {
		mask = make([][]bool, len(q))
		for i := range mask {
			mask[i] = make([]bool, len(k))
			for j := range mask[i] {
				mask[i][j] = true
			}
		}
	}
	exec, err := graph.NewExec(backend, func(q, k, v, mask *graph.Node) []*graph.Node {
		scores := Scores(q, k)
		scaled := Scale(scores, q.Shape().Dim(-1))
		masked := ApplyMask(scaled, mask)
		weights := Softmax(masked)
		return []*graph.Node{scores, scaled, masked, weights, WeightedSum(weights, v)}
	})
	if err != nil {
		return Steps{}, err
	}
	out, err := exec.Exec(toTensor(q), toTensor(k), toTensor(v), tensors.FromValue(mask))
	if err != nil {
		return Steps{}, fmt.Errorf("attention.GraphSteps: %w", err)
	}
	m := make([][][]float64, len(out))
	for i, t := range out {
		m[i] = toGrid(t)
	}
	return Steps{Scores: m[0], Scaled: m[1], Masked: m[2], Weights: m[3], Output: m[4]}, nil
}

// toTensor makes a float32 tensor from a [rows][cols] matrix.
func toTensor(x [][]float64) *tensors.Tensor {
	flat := make([]float32, 0, len(x)*len(x[0]))
	for _, row := range x {
		for _, v := range row {
			flat = append(flat, float32(v))
		}
	}
	return tensors.FromFlatDataAndDimensions(flat, len(x), len(x[0]))
}

// toGrid reads a rank-2 float32 tensor back as [rows][cols] float64.
func toGrid(t *tensors.Tensor) [][]float64 {
	flat := tensors.MustCopyFlatData[float32](t)
	rows, cols := t.Shape().Dim(0), t.Shape().Dim(1)
	g := grid(rows, cols)
	for i := range rows {
		for j := range cols {
			g[i][j] = float64(flat[i*cols+j])
		}
	}
	return g
}

// MaxAbsDiff is the largest |a_ij − b_ij| (equal infinities count as 0; a
// shape mismatch or an infinity against a number as +Inf).
func MaxAbsDiff(a, b [][]float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	worst := 0.0
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return math.Inf(1)
		}
		for j := range a[i] {
			if a[i][j] == b[i][j] {
				continue
			}
			worst = math.Max(worst, math.Abs(a[i][j]-b[i][j])) // NaN-safe: NaN > worst is false
			if math.IsNaN(a[i][j]) || math.IsNaN(b[i][j]) {
				return math.Inf(1)
			}
		}
	}
	return worst
}

// Compare returns, per step name, the largest difference between two Steps.
func Compare(a, b Steps) map[string]float64 {
	return map[string]float64{
		"scores":  MaxAbsDiff(a.Scores, b.Scores),
		"scaled":  MaxAbsDiff(a.Scaled, b.Scaled),
		"masked":  MaxAbsDiff(a.Masked, b.Masked),
		"weights": MaxAbsDiff(a.Weights, b.Weights),
		"output":  MaxAbsDiff(a.Output, b.Output),
	}
}

// FormatSteps lays two Steps side by side, one matrix row per line, with the
// largest difference of each step:
//
//	weights  [ 1.0000  0.0000  0.0000]   [ 1.0000  0.0000  0.0000]   max |diff| 0
func FormatSteps(a, b Steps, nameA, nameB string) string {
	var s strings.Builder
	diffs := Compare(a, b)
	for _, st := range []struct {
		name string
		x, y [][]float64
	}{{"scores", a.Scores, b.Scores}, {"scaled", a.Scaled, b.Scaled}, {"masked", a.Masked, b.Masked},
		{"weights", a.Weights, b.Weights}, {"output", a.Output, b.Output}} {
		for i := range st.x {
			label := ""
			if i == 0 {
				label = st.name
			}
			fmt.Fprintf(&s, "%-8s %-26s %-26s", label, row(st.x[i]), row(st.y[i]))
			if i == 0 {
				fmt.Fprintf(&s, " max |diff| %.2g", diffs[st.name])
			}
			trimmed := strings.TrimRight(s.String(), " ")
			s.Reset()
			s.WriteString(trimmed + "\n")
		}
	}
	return fmt.Sprintf("%-8s %-26s %s\n", "step", nameA, nameB) + s.String()
}

func row(x []float64) string {
	parts := make([]string, len(x))
	for i, v := range x {
		parts[i] = fmt.Sprintf("%7.4f", v)
	}
	return "[" + strings.Join(parts, " ") + "]"
}
