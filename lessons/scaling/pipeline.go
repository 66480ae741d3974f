package scaling

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
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
	Bubble        float64 // measured: 1 − busy time / (stages × makespan)
	Formula       float64 // (p − 1) / (m + p − 1)
	MaxInFlight   int     // the most micro-batches whose activations a stage held at once
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

// RunPipeline trains one step of a stages-deep network on micro
// micro-batches of batch rows, stage s on device s of backend (one
// goroutine per stage, each waiting only for what its next op needs), and
// records when each op ran.
func RunPipeline(backend compute.Backend, s Schedule, stages, micro, batch, width int) (*Pipeline, error) {
	if stages > backend.NumDevices() {
		return nil, fmt.Errorf("scaling.RunPipeline: %d stages need %d devices, the backend has %d (scaling.CPUDevices makes more on a CPU)", stages, stages, backend.NumDevices())
	}
	nets, err := newStageNets(backend, stages, width, 1)
	if err != nil {
		return nil, err
	}
	inputs, targets := microBatches(micro, batch, width)
	// one warm-up of every program on every device (compilation is not part of the schedule)
	for st := range stages {
		dev := compute.DeviceNum(st)
		if _, err := nets.fwd.CallOnDevice(dev, inputs[0], nets.weights[st]); err != nil {
			return nil, err
		}
		if _, err := nets.bwd.CallOnDevice(dev, inputs[0], nets.weights[st], inputs[0]); err != nil {
			return nil, err
		}
		if _, err := nets.last.CallOnDevice(dev, inputs[0], nets.weights[st], targets[0]); err != nil {
			return nil, err
		}
	}
	newSlots := func() [][]chan *tensors.Tensor {
		c := make([][]chan *tensors.Tensor, stages+1)
		for i := range c {
			c[i] = make([]chan *tensors.Tensor, micro)
			for j := range c[i] {
				c[i][j] = make(chan *tensors.Tensor, 1)
			}
		}
		return c
	}
	acts, grads := newSlots(), newSlots() // acts[s][i]: input of stage s; grads[s][i]: gradient of stage s's output
	for i := range micro {
		acts[0][i] <- inputs[i]
	}
	p := &Pipeline{Schedule: s, Stages: stages, Micro: micro, Formula: BubbleFormula(stages, micro), Gradients: make([][]float32, stages)}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, stages)
	start := time.Now()
	for st := range stages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dev := compute.DeviceNum(st)
			kept := map[int]*tensors.Tensor{} // this stage's inputs, kept for the backward pass
			var dw []float32
			for _, op := range order(s, st, stages, micro) {
				var x, dy *tensors.Tensor
				if !op.Backward {
					x = <-acts[st][op.Micro]
					kept[op.Micro] = x
				} else if st < stages-1 {
					dy = <-grads[st+1][op.Micro]
				}
				op.Start = time.Since(start)
				var out []*tensors.Tensor
				var err error
				switch {
				case !op.Backward:
					out, err = nets.fwd.CallOnDevice(dev, x, nets.weights[st])
				case st == stages-1:
					out, err = nets.last.CallOnDevice(dev, kept[op.Micro], nets.weights[st], targets[op.Micro])
				default:
					out, err = nets.bwd.CallOnDevice(dev, kept[op.Micro], nets.weights[st], dy)
				}
				if err == nil {
					_ = out[0].Value() // wait for the device
				}
				op.End = time.Since(start)
				if err != nil {
					errs <- fmt.Errorf("scaling.RunPipeline stage %d: %w", st, err)
					return
				}
				mu.Lock()
				if len(kept) > p.MaxInFlight {
					p.MaxInFlight = len(kept)
				}
				p.Ops = append(p.Ops, op)
				mu.Unlock()
				if !op.Backward {
					if st < stages-1 {
						acts[st+1][op.Micro] <- out[0]
					}
					continue
				}
				delete(kept, op.Micro)
				grads[st][op.Micro] <- out[0]
				g := tensors.MustCopyFlatData[float32](out[1])
				if dw == nil {
					dw = g
				} else {
					for k := range dw {
						dw[k] += g[k]
					}
				}
			}
			p.Gradients[st] = dw
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	busy := time.Duration(0)
	for _, op := range p.Ops {
		busy += op.End - op.Start
		p.Makespan = max(p.Makespan, op.End)
	}
	p.Bubble = 1 - float64(busy)/float64(time.Duration(stages)*p.Makespan)
	return p, nil
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
