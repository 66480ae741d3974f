package scaling

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Throughput is a measured matrix multiplication: n × n times n × n in
// float32, 2n³ floating-point operations.
type Throughput struct {
	N       int
	Seconds float64
	GFLOPS  float64
}

// MatmulThroughput times one n × n product for each size (median of runs,
// after a warm-up run that compiles).
func MatmulThroughput(backend compute.Backend, sizes []int, runs int) ([]Throughput, error) {
	var out []Throughput
	for _, n := range sizes {
		exec, err := NewExec(backend, func(a, b *Node) *Node { return MatMul(a, b) })
		if err != nil {
			return nil, err
		}
		a, b := randomMatrix(n, 1), randomMatrix(n, 2)
		sec, err := mlx.MedianSeconds(func() error {
			r, err := exec.Exec(a, b)
			if err == nil {
				r[0].Value()
			}
			return err
		}, runs)
		if err != nil {
			return nil, fmt.Errorf("scaling.MatmulThroughput %d: %w", n, err)
		}
		out = append(out, Throughput{N: n, Seconds: sec, GFLOPS: 2 * math.Pow(float64(n), 3) / sec / 1e9})
	}
	return out, nil
}

// Bandwidth measures memory bandwidth in GB/s: the sum of a vector of mib
// MiB already in the device's memory, which reads every byte once and
// does one addition per 4 bytes (far below what the arithmetic units
// could do: the reading is the bottleneck).
func Bandwidth(backend compute.Backend, mib, runs int) (float64, error) {
	n := mib << 20 / 4
	exec, err := NewExec(backend, func(x *Node) *Node { return ReduceAllSum(x) })
	if err != nil {
		return 0, err
	}
	x := tensors.FromShape(shapes.Make(dtypes.Float32, n))
	if err := x.MaterializeOnDevice(backend, false, 0); err != nil { // the timing leaves out the copy from the host
		return 0, fmt.Errorf("scaling.Bandwidth: %w", err)
	}
	sec, err := mlx.MedianSeconds(func() error {
		r, err := exec.Exec(x)
		if err == nil {
			r[0].Value()
		}
		return err
	}, runs)
	if err != nil {
		return 0, fmt.Errorf("scaling.Bandwidth: %w", err)
	}
	return float64(n*4) / sec / 1e9, nil
}

func randomMatrix(n int, seed uint64) *tensors.Tensor {
	r := rand.New(rand.NewPCG(seed, 5))
	v := make([]float32, n*n)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	return tensors.FromFlatDataAndDimensions(v, n, n)
}

// Chip is an accelerator's published peak: dense 16-bit matrix arithmetic
// (bf16 or fp16 on its tensor/matrix units) and memory bandwidth, from
// the vendors' data sheets.
type Chip struct {
	Name        string
	PeakTFLOPS  float64 // dense bf16/fp16
	BandwidthGB float64 // GB/s of its HBM/GDDR
}

// Chips are the accelerators the lesson compares with.
var Chips = []Chip{
	{"NVIDIA T4 (free Colab GPU)", 65, 320},
	{"NVIDIA A100 SXM 80 GB", 312, 2039},
	{"NVIDIA H100 SXM", 989, 3350},
	{"Google TPU v4 (one chip)", 275, 1200},
	{"Google TPU v5e (one chip)", 197, 819},
}

// Attainable is the roofline: the most GFLOP/s a program of arithmetic
// intensity (FLOP per byte moved) can reach on a chip of peak GFLOP/s and
// bandwidth GB/s: bandwidth-bound below peak/bandwidth, compute-bound above.
func Attainable(peakGFLOPS, bandwidthGB, intensity float64) float64 {
	return math.Min(peakGFLOPS, bandwidthGB*intensity)
}

// TrainingFLOP is the 6·N·D estimate of training compute: 2 FLOP per
// parameter per token forward, 4 backward (Kaplan et al. 2020).
func TrainingFLOP(params, tokens float64) float64 { return 6 * params * tokens }

// TrainingSeconds is how long TrainingFLOP takes at peak GFLOP/s used at
// utilization mfu (model FLOP utilization: 0.3-0.5 on well-tuned clusters).
func TrainingSeconds(params, tokens, peakGFLOPS, mfu float64) float64 {
	return TrainingFLOP(params, tokens) / (peakGFLOPS * 1e9 * mfu)
}
