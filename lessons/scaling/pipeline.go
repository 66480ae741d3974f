package scaling

import (
	"fmt"
	"math"
	"math/rand/v2"
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
			w[i] = float32(r.NormFloat64() / math.Sqrt(float64(width))) // variance 1/width: activations keep their scale
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
	n.last, err = NewExec(backend, func(x, w, target *Node) (dx, dw, loss *Node) {
		y := Tanh(MatMul(x, w))
		dy := MulScalar(Sub(y, target), 2/float64(y.Shape().Size()))
		dz := Mul(dy, OneMinus(Square(y)))
		return MatMul(dz, Transpose(w, 0, 1)), MatMul(Transpose(x, 0, 1), dz), ReduceAllMean(Square(Sub(y, target)))
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

// pipe is a pipeline ready to run: its stages' programs and weights, its
// data, and each stage's order of passes.
type pipe struct {
	nets            *stageNets
	orders          [][]Op
	inputs, targets []*tensors.Tensor
	stages, micro   int
}

func newPipe(backend compute.Backend, s Schedule, stages, micro, batch, width int) (*pipe, error) {
	if stages > backend.NumDevices() {
		return nil, fmt.Errorf("scaling: %d pipeline stages need %d devices, the backend has %d (scaling.CPUDevices makes more on a CPU)", stages, stages, backend.NumDevices())
	}
	nets, err := newStageNets(backend, stages, width, 1)
	if err != nil {
		return nil, err
	}
	p := &pipe{nets: nets, stages: stages, micro: micro}
	p.inputs, p.targets = microBatches(micro, batch, width)
	for st := range stages {
		p.orders = append(p.orders, order(s, st, stages, micro))
	}
	return p, nil
}

// stepResult is what one pipelined step computed.
type stepResult struct {
	durations   map[Op]time.Duration // each pass's time (when timed)
	grads       [][]float32          // per stage, summed over the micro-batches
	loss        float64              // summed over the micro-batches
	maxInFlight int
}

// step runs every stage's passes in its order, stage s on device s, a
// stage at a time as soon as its next pass's input exists; with timed,
// each pass runs passRuns times and its fastest time is kept.
func (p *pipe) step(timed bool) (*stepResult, error) {
	nets, stages, micro := p.nets, p.stages, p.micro
	acts := make([][]*tensors.Tensor, stages+1) // acts[s][i]: the input of stage s for micro-batch i
	grads := make([][]*tensors.Tensor, stages)  // grads[s][i]: the gradient of stage s's input
	for st := range stages + 1 {
		acts[st] = make([]*tensors.Tensor, micro)
		if st < stages {
			grads[st] = make([]*tensors.Tensor, micro)
		}
	}
	copy(acts[0], p.inputs)
	r := &stepResult{durations: map[Op]time.Duration{}, grads: make([][]float32, stages)}
	next, held := make([]int, stages), make([]int, stages)
	runs := 1
	if timed {
		runs = passRuns
	}
	for done := 0; done < 2*stages*micro; {
		progressed := false
		for st := range stages {
			if next[st] == len(p.orders[st]) {
				continue
			}
			op := p.orders[st][next[st]]
			if (!op.Backward && acts[st][op.Micro] == nil) || (op.Backward && st < stages-1 && grads[st+1][op.Micro] == nil) {
				continue // its input has not been computed yet
			}
			next[st]++
			done++
			progressed = true
			dev := compute.DeviceNum(st)
			var out []*tensors.Tensor
			pass := func() error {
				var err error
				switch {
				case !op.Backward:
					out, err = nets.fwd.CallOnDevice(dev, acts[st][op.Micro], nets.weights[st])
				case st == stages-1:
					out, err = nets.last.CallOnDevice(dev, acts[st][op.Micro], nets.weights[st], p.targets[op.Micro])
				default:
					out, err = nets.bwd.CallOnDevice(dev, acts[st][op.Micro], nets.weights[st], grads[st+1][op.Micro])
				}
				if err == nil {
					_ = out[0].Value() // wait for the device
				}
				return err
			}
			// the noise of a CPU only adds time: one run of a few
			// milliseconds varies by ~10%, the fastest of several much less
			fastest := time.Duration(math.MaxInt64)
			for range runs {
				began := time.Now()
				if err := pass(); err != nil {
					return nil, fmt.Errorf("scaling: pipeline stage %d: %w", st, err)
				}
				fastest = min(fastest, time.Since(began))
			}
			r.durations[op] = fastest
			if !op.Backward {
				acts[st+1][op.Micro] = out[0]
				held[st]++
				r.maxInFlight = max(r.maxInFlight, held[st])
				continue
			}
			held[st]--
			grads[st][op.Micro] = out[0]
			g := tensors.MustCopyFlatData[float32](out[1])
			if r.grads[st] == nil {
				r.grads[st] = g
			} else {
				for k := range g {
					r.grads[st][k] += g[k]
				}
			}
			if st == stages-1 {
				r.loss += float64(tensors.MustCopyFlatData[float32](out[2])[0])
			}
		}
		if !progressed {
			return nil, fmt.Errorf("scaling: the pipeline's order deadlocks")
		}
	}
	return r, nil
}

// RunPipeline trains one step of a stages-deep network on micro
// micro-batches of batch rows, stage s on device s of backend, in the
// schedule's order, and lays the passes out on a device-time timeline.
//
// XLA's CPU devices share the machine's cores, so stages running at once
// would measure the sharing of cores rather than the pipeline. Instead
// every pass runs alone, on its stage's device, and is timed (the fastest
// of passRuns runs); it is placed on the timeline as on separate chips: it
// starts when its device has finished its previous pass and its input has
// arrived (the previous stage's forward output, or the next stage's
// backward gradient). The bubble is then the real idle time that the
// schedule's dependencies cause, with the real durations of the passes.
func RunPipeline(backend compute.Backend, s Schedule, stages, micro, batch, width int) (*Pipeline, error) {
	pp, err := newPipe(backend, s, stages, micro, batch, width)
	if err != nil {
		return nil, err
	}
	if _, err := pp.step(false); err != nil { // compiles every program on every device: not part of the timing
		return nil, err
	}
	r, err := pp.step(true)
	if err != nil {
		return nil, err
	}
	p := &Pipeline{Schedule: s, Stages: stages, Micro: micro, Formula: BubbleFormula(stages, micro), Gradients: r.grads, MaxInFlight: r.maxInFlight}
	p.Ops, p.Makespan, p.Bubble = layout(pp.orders, func(op Op) time.Duration { return r.durations[op] })
	return p, nil
}

// TrainPipeline trains the pipeline's network for steps steps of gradient
// descent at rate lr (the same micro-batches every step) and returns the
// loss of each step, summed over the micro-batches.
func TrainPipeline(backend compute.Backend, s Schedule, stages, micro, batch, width, steps int, lr float64) ([]float64, error) {
	pp, err := newPipe(backend, s, stages, micro, batch, width)
	if err != nil {
		return nil, err
	}
	var losses []float64
	for range steps {
		r, err := pp.step(false)
		if err != nil {
			return nil, err
		}
		losses = append(losses, r.loss)
		for st, g := range r.grads {
			w := tensors.MustCopyFlatData[float32](pp.nets.weights[st])
			for k := range w {
				w[k] -= float32(lr) * g[k]
			}
			pp.nets.weights[st] = tensors.FromFlatDataAndDimensions(w, width, width)
		}
	}
	return losses, nil
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

// whole is the pipeline's network on one device, differentiated as a whole
// by GoMLX: the reference the pipelines are compared with.
type whole struct {
	exec            *Exec
	weights         []*tensors.Tensor
	inputs, targets []*tensors.Tensor
	width           int
}

func newWhole(backend compute.Backend, stages, micro, batch, width int) (*whole, error) {
	nets, err := newStageNets(backend, stages, width, 1)
	if err != nil {
		return nil, err
	}
	w := &whole{weights: nets.weights, width: width}
	w.inputs, w.targets = microBatches(micro, batch, width)
	w.exec, err = NewExec(backend, func(in []*Node) []*Node {
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
		return append([]*Node{loss}, Gradient(loss, ws...)...)
	})
	return w, err
}

// step returns the loss (summed over the micro-batches) and the gradient of
// every stage's weights.
func (w *whole) step() (float64, [][]float32, error) {
	var args []any
	for _, t := range w.weights {
		args = append(args, t)
	}
	for i := range w.inputs {
		args = append(args, w.inputs[i], w.targets[i])
	}
	out, err := w.exec.Exec(args...)
	if err != nil {
		return 0, nil, fmt.Errorf("scaling: the whole network on one device: %w", err)
	}
	var grads [][]float32
	for _, g := range out[1:] {
		grads = append(grads, tensors.MustCopyFlatData[float32](g))
	}
	return float64(tensors.MustCopyFlatData[float32](out[0])[0]), grads, nil
}

// ReferenceGradients computes, on one device and with GoMLX's automatic
// differentiation of the whole network, the gradients RunPipeline's stages
// sum: of the sum over the micro-batches of their mean squared errors,
// with respect to each stage's weights.
func ReferenceGradients(backend compute.Backend, stages, micro, batch, width int) ([][]float32, error) {
	w, err := newWhole(backend, stages, micro, batch, width)
	if err != nil {
		return nil, err
	}
	_, grads, err := w.step()
	return grads, err
}

// TrainWhole is TrainPipeline on one device, without a pipeline.
func TrainWhole(backend compute.Backend, stages, micro, batch, width, steps int, lr float64) ([]float64, error) {
	w, err := newWhole(backend, stages, micro, batch, width)
	if err != nil {
		return nil, err
	}
	var losses []float64
	for range steps {
		loss, grads, err := w.step()
		if err != nil {
			return nil, err
		}
		losses = append(losses, loss)
		for st, g := range grads {
			v := tensors.MustCopyFlatData[float32](w.weights[st])
			for k := range v {
				v[k] -= float32(lr) * g[k]
			}
			w.weights[st] = tensors.FromFlatDataAndDimensions(v, w.width, w.width)
		}
	}
	return losses, nil
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
