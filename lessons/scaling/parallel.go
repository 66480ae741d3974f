package scaling

import (
	"fmt"
	"slices"
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
	// weights and of Adam's moments; the gradients are summed across
	// devices (an all-reduce).
	Data Strategy = "data parallel"
	// Tensor gives every device the whole batch and a slice of each weight
	// matrix, Megatron-LM's way: W1 cut by columns (each device computes
	// some hidden units), W2 cut by rows (each device's hidden units give a
	// partial output), and the partial outputs summed (an all-reduce).
	Tensor Strategy = "tensor parallel"
	// ZeRO1 is data parallel with Adam's moments cut across the devices
	// (ZeRO stage 1): each device updates its slice of the weights, and the
	// slices are gathered.
	ZeRO1 Strategy = "data parallel + sharded optimizer state (ZeRO-1)"
	// FSDP is data parallel with the weights and the moments cut across
	// the devices (ZeRO stage 3, PyTorch's FSDP): each layer's weights are
	// gathered when needed and dropped after.
	FSDP Strategy = "fully sharded data parallel (ZeRO-3, FSDP)"
)

// Strategies lists them in the lesson's order.
var Strategies = []Strategy{Single, Data, Tensor, ZeRO1, FSDP}

// placement is where each input of adamStep lives: the axis that is cut
// across the devices, −1 for a whole copy on every device. Inputs: x, y,
// the 4 weights, their 4 first moments, their 4 second moments, t; each
// output (loss, weights, moments) is placed as its input.
func placement(s Strategy) []int {
	whole := []int{-1, -1, -1, -1}
	first := []int{0, 0, 0, 0}     // each tensor's first axis
	megatron := []int{1, 0, 0, -1} // W1 by columns, b1 with them, W2 by rows, b2 whole
	batch := func(w, m []int) []int { return append(append(append([]int{0, 0}, w...), append(m, m...)...), -1) }
	switch s {
	case Data:
		return batch(whole, whole)
	case Tensor:
		return append(append(append([]int{-1, -1}, megatron...), append(megatron, megatron...)...), -1)
	case ZeRO1:
		return batch(whole, first)
	case FSDP:
		return batch(first, first)
	}
	return append(append(append([]int{-1, -1}, whole...), append(whole, whole...)...), -1)
}

// Run is a training run's record.
type Run struct {
	Strategy    Strategy
	Devices     int
	Losses      []float64   // per step
	StepSeconds float64     // median, with the copies of the weights and moments to and from the devices (kept on the host between steps)
	Memory      *mlx.Memory // XLA's statistics of one device's program (nil where the backend has none)
	Model       *MLP
}

// Train runs steps of Adam (rate lr, batches of batch) on a copy of m, with
// the strategy over the first devices of backend. XLA's SPMD partitioner
// (GoMLX's AutoSharding) turns the one program into the per-device
// programs, collectives included; Train only says where each input and
// output lives.
func Train(backend compute.Backend, m *MLP, s Strategy, devices, steps, batch int, lr float64) (*Run, error) {
	if s == Single {
		devices = 1
	}
	if devices > backend.NumDevices() {
		return nil, fmt.Errorf("scaling.Train: %d devices asked, the backend has %d (scaling.CPUDevices makes more on a CPU)", devices, backend.NumDevices())
	}
	axes := placement(s)
	m = &MLP{In: m.In, Hidden: m.Hidden, Out: m.Out, W1: slices.Clone(m.W1), B1: slices.Clone(m.B1), W2: slices.Clone(m.W2), B2: slices.Clone(m.B2)}
	wdims := [][]int{{m.In, m.Hidden}, {m.Hidden}, {m.Hidden, m.Out}, {m.Out}}
	dims := append(append(append([][]int{{batch, m.In}, {batch, m.Out}}, wdims...), append(wdims, wdims...)...), nil)
	for i, a := range axes {
		if a >= 0 && dims[i][a]%devices != 0 {
			return nil, fmt.Errorf("scaling.Train: %s cuts axis %d of a tensor of shape %v into %d equal parts; choose sizes divisible by the device count", s, a, dims[i], devices)
		}
	}
	exec, err := graph.NewExec(backend, adamStep(lr))
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
			if a < 0 { // said explicitly: with no spec XLA may choose to cut it
				specs[i] = distributed.NewReplicatedShardingSpec(mesh)
				continue
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
		replicated := specs[len(specs)-1] // t's, and the loss's
		exec = exec.AutoSharding(mesh).WithInputShardingSpecs(specs...).WithOutputShardingSpecs(append([]*distributed.ShardingSpec{replicated}, specs[2:14]...)...)
	}
	r := &Run{Strategy: s, Devices: devices, Model: m}
	state := [][]float32{m.W1, m.B1, m.W2, m.B2}
	for range 2 { // Adam's two moments start at zero
		for _, w := range state[:4] {
			state = append(state, make([]float32, len(w)))
		}
	}
	var times []float64
	for step := range steps {
		x, y := m.Batch(batch, uint64(step))
		full := append([][]float32{x, y}, state...)
		var args []any
		for d := range devices {
			for i, v := range full {
				args = append(args, piece(v, dims[i], axes[i], devices, d))
			}
			args = append(args, float32(step+1))
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
		for k := range state {
			shards := make([][]float32, devices)
			for d := range devices {
				shards[d] = tensors.MustCopyFlatData[float32](out[d*perDevice+1+k])
			}
			state[k] = join(shards, dims[2+k], axes[2+k])
		}
		if step > 0 { // the first step compiles
			times = append(times, time.Since(start).Seconds())
		}
	}
	m.W1, m.B1, m.W2, m.B2 = state[0], state[1], state[2], state[3]
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

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
