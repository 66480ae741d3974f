package scaling

import (
	"fmt"
	"time"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/distributed"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Strategy is how a training step is spread over devices.
type Strategy string

const (
	// Single runs the step on one device.
	Single Strategy = "one device"
	// Data gives every device a slice of the batch and a whole copy of the
	// weights; the gradients are summed across devices (an all-reduce).
	Data Strategy = "data parallel"
	// Tensor gives every device the whole batch and a slice of each weight
	// matrix, Megatron-LM's way: W1 cut by columns (each device computes
	// some hidden units), W2 cut by rows (each device's hidden units give a
	// partial output), and the partial outputs summed (an all-reduce).
	Tensor Strategy = "tensor parallel"
)

// placement is where each input of sgdStep lives: the axis of each that is
// cut across devices (−1: a whole copy on every device). Inputs: x, y, w1,
// b1, w2, b2; the outputs (loss, w1, b1, w2, b2) are placed as the weights.
func placement(s Strategy) []int {
	switch s {
	case Data:
		return []int{0, 0, -1, -1, -1, -1}
	case Tensor:
		return []int{-1, -1, 1, 0, 0, -1}
	}
	return []int{-1, -1, -1, -1, -1, -1}
}

// Run is a training run's record.
type Run struct {
	Strategy    Strategy
	Devices     int
	Losses      []float64 // per step
	StepSeconds float64   // median
	Memory      *mlx.Memory
	Model       *MLP
}

// Train runs steps of gradient descent (rate lr, batches of batch) on a
// copy of m, with the strategy over the first devices of backend. XLA's
// SPMD partitioner (GoMLX's AutoSharding) turns the one program into the
// per-device programs, collectives included; Train only says where each
// input and output lives.
func Train(backend compute.Backend, m *MLP, s Strategy, devices, steps, batch int, lr float64) (*Run, error) {
	if s == Single {
		devices = 1
	}
	if devices > backend.NumDevices() {
		return nil, fmt.Errorf("scaling.Train: %d devices asked, the backend has %d (scaling.CPUDevices makes more on a CPU)", devices, backend.NumDevices())
	}
	axes := placement(s)
	m = &MLP{In: m.In, Hidden: m.Hidden, Out: m.Out, W1: clone(m.W1), B1: clone(m.B1), W2: clone(m.W2), B2: clone(m.B2)}
	dims := [][]int{{batch, m.In}, {batch, m.Out}, {m.In, m.Hidden}, {m.Hidden}, {m.Hidden, m.Out}, {m.Out}}
	for i, a := range axes {
		if a >= 0 && dims[i][a]%devices != 0 {
			return nil, fmt.Errorf("scaling.Train: %s cuts axis %d of input %d (size %d) into %d equal parts; choose sizes divisible by the device count", s, a, i, dims[i][a], devices)
		}
	}
	exec, err := graph.NewExec(backend, sgdStep(lr))
	if err != nil {
		return nil, err
	}
	if devices > 1 {
		mesh, err := distributed.NewDeviceMesh([]int{devices}, []string{"devices"})
		if err != nil {
			return nil, err
		}
		specs := make([]*distributed.ShardingSpec, len(axes))
		for i, a := range axes {
			if a < 0 {
				continue // nil: replicated
			}
			b := distributed.BuildSpec(mesh)
			for k := range dims[i] {
				if k == a {
					b = b.S("devices")
				} else {
					b = b.R()
				}
			}
			if specs[i], err = b.Done(); err != nil {
				return nil, err
			}
		}
		exec = exec.AutoSharding(mesh).WithInputShardingSpecs(specs...).WithOutputShardingSpecs(append([]*distributed.ShardingSpec{nil}, specs[2:]...)...)
	}
	r := &Run{Strategy: s, Devices: devices, Model: m}
	var times []float64
	for step := range steps {
		x, y := m.Batch(batch, uint64(step))
		full := [][]float32{x, y, m.W1, m.B1, m.W2, m.B2}
		var args []any
		for d := range devices {
			for i, v := range full {
				args = append(args, piece(v, dims[i], axes[i], devices, d))
			}
		}
		start := time.Now()
		out, g, err := exec.CallWithGraph(args...)
		if err != nil {
			return nil, fmt.Errorf("scaling.Train %s step %d: %w", s, step, err)
		}
		if step == 0 {
			if mem, err := mlx.CompiledMemory(g); err == nil {
				r.Memory = &mem
			}
		}
		perDevice := len(out) / devices
		r.Losses = append(r.Losses, float64(out[0].Value().(float32)))
		weights := []*[]float32{&m.W1, &m.B1, &m.W2, &m.B2}
		for k, w := range weights {
			shards := make([][]float32, devices)
			for d := range devices {
				shards[d] = tensors.MustCopyFlatData[float32](out[d*perDevice+1+k])
			}
			*w = join(shards, dims[2+k], axes[2+k])
		}
		if step > 0 { // the first step compiles
			times = append(times, time.Since(start).Seconds())
		}
	}
	r.StepSeconds = median(times)
	return r, nil
}

// piece is device d's part of a row-major tensor v of dims: the d-th of
// `devices` equal slices along axis, or all of v when axis < 0.
func piece(v []float32, dims []int, axis, devices, d int) *tensors.Tensor {
	if axis < 0 || devices == 1 {
		return tensors.FromFlatDataAndDimensions(v, dims...)
	}
	outer, inner := 1, 1
	for k := range axis {
		outer *= dims[k]
	}
	for k := axis + 1; k < len(dims); k++ {
		inner *= dims[k]
	}
	part := dims[axis] / devices
	out := make([]float32, 0, len(v)/devices)
	for o := range outer {
		start := (o*dims[axis] + d*part) * inner
		out = append(out, v[start:start+part*inner]...)
	}
	pd := append([]int(nil), dims...)
	pd[axis] = part
	return tensors.FromFlatDataAndDimensions(out, pd...)
}

// join puts the pieces back together (the inverse of piece); with axis < 0
// every device holds the whole tensor, and the first copy is taken.
func join(shards [][]float32, dims []int, axis int) []float32 {
	if axis < 0 || len(shards) == 1 {
		return shards[0]
	}
	outer, inner := 1, 1
	for k := range axis {
		outer *= dims[k]
	}
	for k := axis + 1; k < len(dims); k++ {
		inner *= dims[k]
	}
	part := dims[axis] / len(shards)
	out := make([]float32, 0, outer*dims[axis]*inner)
	for o := range outer {
		for _, s := range shards {
			out = append(out, s[o*part*inner:(o+1)*part*inner]...)
		}
	}
	return out
}

func clone(v []float32) []float32 { return append([]float32(nil), v...) }

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2]
}
