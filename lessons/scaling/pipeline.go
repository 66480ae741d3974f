package scaling

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Schedule is the order in which a pipeline stage runs its micro-batches'
// forward (F) and backward (B) passes.
type Schedule string

const (
	// GPipe runs every micro-batch forward, then every one backward: the
	// last stage's activations for all m micro-batches are alive at once.
	GPipe Schedule = "GPipe"
	// OneFOneB (PipeDream-Flush) starts backward passes as soon as
	// possible and then alternates one forward, one backward: the same
	// bubble, but a stage holds at most p micro-batches' activations.
	OneFOneB Schedule = "1F1B"
)

// Op is one pass of one micro-batch on one stage, as it ran.
type Op struct {
	Stage, Micro int
	Backward     bool
	Start, End   time.Duration // since the pipeline started
}

// Pipeline is a pipelined step: the ops as they ran, and what they show.
type Pipeline struct {
	Schedule      Schedule
	Stages, Micro int
	Ops           []Op
	Makespan      time.Duration
	Bubble        float64     // measured: 1 − busy time / (stages × makespan)
	SteadyBubble  float64     // the same, each stage's passes of a kind taking their median time
	Formula       float64     // (p − 1) / (m + p − 1)
	MaxInFlight   int         // the most micro-batches whose activations a stage held at once
	Gradients     [][]float32 // per stage, summed over the micro-batches
}

// BubbleFormula is the idle fraction of a pipeline of p equal stages and m
// micro-batches: each stage waits p − 1 slots for the first micro-batch to
// arrive (and as many for the last one's backward), out of m + p − 1.
func BubbleFormula(p, m int) float64 { return float64(p-1) / float64(m+p-1) }

// stageNets is a pipeline's model: stage s is y = tanh(x·W_s), W_s
// [width, width]; the last stage's output is compared with the target
// (mean squared error).
type stageNets struct {
	fwd, bwd, last *Exec
	weights        []*tensors.Tensor
}

func newStageNets(backend compute.Backend, stages, width int, seed uint64) (*stageNets, error) {
	r := rand.New(rand.NewPCG(seed, 3))
	n := &stageNets{}
	for range stages {
		w := make([]float32, width*width)
		for i := range w {
			w[i] = float32(r.NormFloat64()) / float32(width)
		}
		n.weights = append(n.weights, tensors.FromFlatDataAndDimensions(w, width, width))
	}
	var err error
	if n.fwd, err = NewExec(backend, func(x, w *Node) *Node { return Tanh(MatMul(x, w)) }); err != nil {
		return nil, err
	}
	// backward of a stage: from the gradient of its output to those of its input and weights
	if n.bwd, err = NewExec(backend, func(x, w, dy *Node) (dx, dw *Node) {
		y := Tanh(MatMul(x, w))
		dz := Mul(dy, OneMinus(Square(y)))
		return MatMul(dz, Transpose(w, 0, 1)), MatMul(Transpose(x, 0, 1), dz)
	}); err != nil {
		return nil, err
	}
	// the last stage's backward starts from the loss against the target
	n.last, err = NewExec(backend, func(x, w, target *Node) (dx, dw *Node) {
		y := Tanh(MatMul(x, w))
		dy := MulScalar(Sub(y, target), 2/float64(y.Shape().Size()))
		dz := Mul(dy, OneMinus(Square(y)))
		return MatMul(dz, Transpose(w, 0, 1)), MatMul(Transpose(x, 0, 1), dz)
	})
	return n, err
}

// order is stage s's sequence of ops under a schedule (false: forward).
func order(s Schedule, stage, stages, micro int) []Op {
	var ops []Op
	if s == GPipe {
		for i := range micro {
			ops = append(ops, Op{Stage: stage, Micro: i})
		}
		for i := range micro {
			ops = append(ops, Op{Stage: stage, Micro: i, Backward: true})
		}
		return ops
	}
	warm := min(stages-stage-1, micro) // forwards before the first backward
	f, b := 0, 0
	for ; f < warm; f++ {
		ops = append(ops, Op{Stage: stage, Micro: f})
	}
	for b < micro {
		if f < micro {
			ops = append(ops, Op{Stage: stage, Micro: f})
			f++
		}
		ops = append(ops, Op{Stage: stage, Micro: b, Backward: true})
		b++
	}
	return ops
}

// passRuns is how many times RunPipeline runs each pass to time it (it
// keeps the fastest).
const passRuns = 11

// RunPipeline trains one step of a stages-deep network on micro
// micro-batches of batch rows, stage s on device s of backend, in the
// schedule's order, and lays the ops out on a device-time timeline.
//
// XLA's CPU devices share the machine's cores, so stages running at once
// would measure the sharing of cores rather than the pipeline. Instead
// every op runs alone, on its stage's device, and is timed; it is placed on
// the timeline as on separate chips: it starts when its device has
// finished its previous op and its input has arrived (the previous stage's
// forward output, or the next stage's backward gradient). The bubble is
// then the real idle time that the schedule's dependencies cause, with the
// real durations of the ops. SteadyBubble lays the same ops out with each
// stage's passes of a kind at their median duration.
func RunPipeline(backend compute.Backend, s Schedule, stages, micro, batch, width int) (*Pipeline, error) {
	if stages > backend.NumDevices() {
		return nil, fmt.Errorf("scaling.RunPipeline: %d stages need %d devices, the backend has %d (scaling.CPUDevices makes more on a CPU)", stages, stages, backend.NumDevices())
	}
	nets, err := newStageNets(backend, stages, width, 1)
	if err != nil {
		return nil, err
	}
	inputs, targets := microBatches(micro, batch, width)
	// one warm-up of every program on every device (compilation is not part of the step)
	for st := range stages {
		dev := compute.DeviceNum(st)
		for _, run := range []func() error{
			func() error { _, err := nets.fwd.CallOnDevice(dev, inputs[0], nets.weights[st]); return err },
			func() error { _, err := nets.bwd.CallOnDevice(dev, inputs[0], nets.weights[st], inputs[0]); return err },
			func() error {
				_, err := nets.last.CallOnDevice(dev, inputs[0], nets.weights[st], targets[0])
				return err
			},
		} {
			if err := run(); err != nil {
				return nil, err
			}
		}
	}
	p := &Pipeline{Schedule: s, Stages: stages, Micro: micro, Formula: BubbleFormula(stages, micro), Gradients: make([][]float32, stages)}
	orders := make([][]Op, stages)
	for st := range stages {
		orders[st] = order(s, st, stages, micro)
	}
	acts := make([][]*tensors.Tensor, stages+1) // acts[s][i]: the input of stage s for micro-batch i
	grads := make([][]*tensors.Tensor, stages)  // grads[s][i]: the gradient of stage s's input
	for st := range stages + 1 {
		acts[st] = make([]*tensors.Tensor, micro)
		if st < stages {
			grads[st] = make([]*tensors.Tensor, micro)
		}
	}
	copy(acts[0], inputs)
	// Run every stage's passes in its order, a stage at a time as soon as
	// its next pass's input exists, timing each pass.
	next := make([]int, stages)
	held := make([]int, stages)
	durations := map[Op]time.Duration{}
	for len(durations) < 2*stages*micro {
		progressed := false
		for st := range stages {
			if next[st] == len(orders[st]) {
				continue
			}
			op := orders[st][next[st]]
			if (!op.Backward && acts[st][op.Micro] == nil) || (op.Backward && st < stages-1 && grads[st+1][op.Micro] == nil) {
				continue // its input has not been computed yet
			}
			next[st]++
			progressed = true
			dev := compute.DeviceNum(st)
			var out []*tensors.Tensor
			pass := func() error {
				var err error
				switch {
				case !op.Backward:
					out, err = nets.fwd.CallOnDevice(dev, acts[st][op.Micro], nets.weights[st])
				case st == stages-1:
					out, err = nets.last.CallOnDevice(dev, acts[st][op.Micro], nets.weights[st], targets[op.Micro])
				default:
					out, err = nets.bwd.CallOnDevice(dev, acts[st][op.Micro], nets.weights[st], grads[st+1][op.Micro])
				}
				if err == nil {
					_ = out[0].Value() // wait for the device
				}
				return err
			}
			// the pass's duration: the fastest of passRuns runs (the noise of a
			// CPU only adds time; one run of a few milliseconds varies by ~10%)
			var times []time.Duration
			for range passRuns {
				began := time.Now()
				if err := pass(); err != nil {
					return nil, fmt.Errorf("scaling.RunPipeline stage %d: %w", st, err)
				}
				times = append(times, time.Since(began))
			}
			slices.Sort(times)
			durations[op] = times[0]
			if !op.Backward {
				acts[st+1][op.Micro] = out[0]
				held[st]++
				p.MaxInFlight = max(p.MaxInFlight, held[st])
				continue
			}
			held[st]--
			grads[st][op.Micro] = out[0]
			g := tensors.MustCopyFlatData[float32](out[1])
			if p.Gradients[st] == nil {
				p.Gradients[st] = g
			} else {
				for k := range g {
					p.Gradients[st][k] += g[k]
				}
			}
		}
		if !progressed {
			return nil, fmt.Errorf("scaling.RunPipeline: the %s order deadlocks", s)
		}
	}
	p.Ops, p.Makespan, p.Bubble = layout(orders, func(op Op) time.Duration { return durations[op] })
	// the same with every pass of a kind on a stage taking its median time
	typical := map[Op]time.Duration{}
	for st := range stages {
		for _, backward := range []bool{false, true} {
			var d []time.Duration
			for op, t := range durations {
				if op.Stage == st && op.Backward == backward {
					d = append(d, t)
				}
			}
			slices.Sort(d)
			typical[Op{Stage: st, Backward: backward}] = d[len(d)/2]
		}
	}
	_, _, p.SteadyBubble = layout(orders, func(op Op) time.Duration { return typical[Op{Stage: op.Stage, Backward: op.Backward}] })
	return p, nil
}

// layout places the stages' ops on a device-time timeline, as separate
// chips would run them: an op starts when its stage has finished its
// previous op and its input is there (the previous stage's forward of the
// same micro-batch, or the next stage's backward), and lasts dur(op). It
// returns the ops with their times, the makespan, and the bubble:
// 1 − busy time / (stages × makespan).
func layout(orders [][]Op, dur func(Op) time.Duration) (ops []Op, makespan time.Duration, bubble float64) {
	stages := len(orders)
	end := map[Op]time.Duration{} // by (stage, micro, backward)
	free := make([]time.Duration, stages)
	next := make([]int, stages)
	busy := time.Duration(0)
	for placed := true; placed; {
		placed = false
		for st := range stages {
			for next[st] < len(orders[st]) {
				op := orders[st][next[st]]
				ready, ok := time.Duration(0), true
				switch {
				case !op.Backward && st > 0:
					ready, ok = end[Op{Stage: st - 1, Micro: op.Micro}]
				case op.Backward && st < stages-1:
					ready, ok = end[Op{Stage: st + 1, Micro: op.Micro, Backward: true}]
				}
				if !ok {
					break
				}
				d := dur(op)
				op.Start = max(ready, free[st])
				op.End = op.Start + d
				free[st], busy = op.End, busy+d
				end[Op{Stage: st, Micro: op.Micro, Backward: op.Backward}] = op.End
				makespan = max(makespan, op.End)
				ops = append(ops, op)
				next[st]++
				placed = true
			}
		}
	}
	return ops, makespan, 1 - float64(busy)/float64(time.Duration(stages)*makespan)
}

// microBatches is the pipeline's data: micro batches of x ~ N(0, 1) and
// targets ~ U(−0.5, 0.5), [batch, width] each.
func microBatches(micro, batch, width int) (inputs, targets []*tensors.Tensor) {
	r := rand.New(rand.NewPCG(9, 9))
	for range micro {
		x, y := make([]float32, batch*width), make([]float32, batch*width)
		for k := range x {
			x[k], y[k] = float32(r.NormFloat64()), float32(r.Float64()-0.5)
		}
		inputs, targets = append(inputs, tensors.FromFlatDataAndDimensions(x, batch, width)), append(targets, tensors.FromFlatDataAndDimensions(y, batch, width))
	}
	return inputs, targets
}

// ReferenceGradients computes, on one device and with GoMLX's automatic
// differentiation of the whole network, the gradients RunPipeline's stages
// sum: of the sum over the micro-batches of their mean squared errors,
// with respect to each stage's weights.
func ReferenceGradients(backend compute.Backend, stages, micro, batch, width int) ([][]float32, error) {
	nets, err := newStageNets(backend, stages, width, 1)
	if err != nil {
		return nil, err
	}
	inputs, targets := microBatches(micro, batch, width)
	exec, err := NewExec(backend, func(in []*Node) []*Node {
		ws := in[:stages]
		var loss *Node
		for i := range micro {
			x := in[stages+2*i]
			for _, w := range ws {
				x = Tanh(MatMul(x, w))
			}
			l := ReduceAllMean(Square(Sub(x, in[stages+2*i+1])))
			if loss == nil {
				loss = l
			} else {
				loss = Add(loss, l)
			}
		}
		return Gradient(loss, ws...)
	})
	if err != nil {
		return nil, err
	}
	var args []any
	for _, w := range nets.weights {
		args = append(args, w)
	}
	for i := range micro {
		args = append(args, inputs[i], targets[i])
	}
	out, err := exec.Exec(args...)
	if err != nil {
		return nil, fmt.Errorf("scaling.ReferenceGradients: %w", err)
	}
	grads := make([][]float32, stages)
	for s := range stages {
		grads[s] = tensors.MustCopyFlatData[float32](out[s])
	}
	return grads, nil
}

// MaxRelativeDiff is max |a − b| / max |b| over two lists of tensors.
func MaxRelativeDiff(a, b [][]float32) float64 {
	diff, scale := 0.0, 0.0
	for i := range b {
		for k := range b[i] {
			diff = math.Max(diff, math.Abs(float64(a[i][k]-b[i][k])))
			scale = math.Max(scale, math.Abs(float64(b[i][k])))
		}
	}
	return diff / scale
}
