package scaling

import (
	"math"
	"testing"
)

// TestStrategiesMatchOneDevice: data- and tensor-parallel training on 4
// XLA CPU devices give the one-device losses and weights.
func TestStrategiesMatchOneDevice(t *testing.T) {
	backend, err := CPUDevices(4)
	if err != nil {
		t.Skip(err)
	}
	m := NewMLP(16, 32, 4, 1)
	single, err := Train(backend, m, Single, 1, 20, 32, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	if !(single.Losses[19] < single.Losses[0]) {
		t.Fatalf("one device does not learn: %v", single.Losses)
	}
	for _, s := range Strategies[1:] {
		r, err := Train(backend, m, s, 4, 20, 32, 0.01)
		if err != nil {
			t.Fatal(err)
		}
		for i := range r.Losses {
			if d := math.Abs(r.Losses[i]-single.Losses[i]) / single.Losses[i]; d > 1e-5 {
				t.Fatalf("%s step %d: loss %g, one device %g", s, i, r.Losses[i], single.Losses[i])
			}
		}
		for i, w := range r.Model.W1 {
			if math.Abs(float64(w-single.Model.W1[i])) > 1e-5 {
				t.Fatalf("%s: W1[%d] = %g, one device %g", s, i, w, single.Model.W1[i])
			}
		}
		t.Logf("%s: losses %.4f -> %.4f, equal to one device; %.2f ms/step", s, r.Losses[0], r.Losses[19], 1000*r.StepSeconds)
	}
}

// TestPieceJoin: cutting a tensor along any axis and joining the pieces
// gives it back.
func TestPieceJoin(t *testing.T) {
	dims := []int{4, 6}
	v := make([]float32, 24)
	for i := range v {
		v[i] = float32(i)
	}
	for _, axis := range []int{0, 1} {
		var shards [][]float32
		for d := range 2 {
			p := piece(v, dims, axis, 2, d)
			shards = append(shards, p.Value().([][]float32)[0][:0])
			shards[d] = flat(p.Value().([][]float32))
		}
		back := join(shards, dims, axis)
		for i := range v {
			if back[i] != v[i] {
				t.Fatalf("axis %d: %v", axis, back)
			}
		}
	}
	if p := piece(v, dims, 1, 2, 1).Value().([][]float32); p[0][0] != 3 || len(p[0]) != 3 {
		t.Errorf("second half of the columns: %v", p)
	}
}

func flat(m [][]float32) []float32 {
	var out []float32
	for _, r := range m {
		out = append(out, r...)
	}
	return out
}

// TestShardedMemory: XLA's per-device parameter memory falls as more of
// the state is cut across the devices.
func TestShardedMemory(t *testing.T) {
	backend, err := CPUDevices(4)
	if err != nil {
		t.Skip(err)
	}
	m := NewMLP(128, 512, 128, 2)
	var inputs []int64
	for _, s := range Strategies {
		r, err := Train(backend, m, s, 4, 2, 64, 1e-3)
		if err != nil {
			t.Fatal(err)
		}
		if r.Memory == nil {
			t.Skip("no compiled memory statistics on this backend")
		}
		t.Logf("%-50s inputs %8d temporary %8d outputs %8d", s, r.Memory.Inputs, r.Memory.Temporary, r.Memory.Outputs)
		inputs = append(inputs, r.Memory.Inputs)
	}
	if !(inputs[4] < inputs[3] && inputs[3] < inputs[1] && inputs[2] < inputs[1]) {
		t.Errorf("per-device inputs (bytes) %v: want FSDP < ZeRO-1 < data parallel, and tensor parallel < data parallel", inputs)
	}
}

// TestRingAllReduce: every device ends with the sum.
func TestRingAllReduce(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4} {
		parts := make([][]float64, n)
		want := make([]float64, 2*n)
		for d := range parts {
			for k := range 2 * n {
				v := float64((d+1)*10 + k)
				parts[d] = append(parts[d], v)
				want[k] += v
			}
		}
		for d, got := range RingAllReduce(parts) {
			for k := range want {
				if got[k] != want[k] {
					t.Fatalf("%d devices: device %d holds %v, want %v", n, d, got, want)
				}
			}
		}
	}
}

// TestPipeline: both schedules give the whole network's gradients, 1F1B
// holds fewer micro-batches, and the bubble formula.
func TestPipeline(t *testing.T) {
	backend, err := CPUDevices(4)
	if err != nil {
		t.Skip(err)
	}
	want, err := ReferenceGradients(backend, 3, 4, 8, 16)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []Schedule{GPipe, OneFOneB} {
		p, err := RunPipeline(backend, s, 3, 4, 8, 16)
		if err != nil {
			t.Fatal(err)
		}
		if d := MaxRelativeDiff(p.Gradients, want); d > 1e-5 {
			t.Errorf("%s: gradients differ from one device's by %g", s, d)
		}
		if len(p.Ops) != 2*3*4 {
			t.Errorf("%s ran %d ops", s, len(p.Ops))
		}
		t.Logf("%s: bubble %.3f (formula %.3f), at most %d micro-batches held", s, p.Bubble, p.Formula, p.MaxInFlight)
		if s == OneFOneB && p.MaxInFlight > 3 || s == GPipe && p.MaxInFlight != 4 {
			t.Errorf("%s held %d micro-batches' activations", s, p.MaxInFlight)
		}
	}
	if BubbleFormula(4, 8) != 3.0/11 || BubbleFormula(1, 5) != 0 {
		t.Error("bubble formula")
	}
}

// TestRooflineUnits: the roofline is bandwidth-bound below peak/bandwidth
// FLOP per byte and flat above; 6·N·D for GPT-2 small on 10B tokens.
func TestRooflineUnits(t *testing.T) {
	if a := Attainable(1000, 100, 1); a != 100 {
		t.Errorf("1 FLOP/byte at 100 GB/s: %g GFLOP/s", a)
	}
	if a := Attainable(1000, 100, 50); a != 1000 {
		t.Errorf("50 FLOP/byte: %g GFLOP/s", a)
	}
	if f := TrainingFLOP(124e6, 10e9); f != 7.44e18 {
		t.Errorf("6ND = %g", f)
	}
	if s := TrainingSeconds(124e6, 10e9, 312e3, 0.5); math.Abs(s-7.44e18/(312e12*0.5)) > 1 {
		t.Errorf("%g s", s)
	}
}

// TestTrainPipeline: 20 steps through either pipeline give the losses of
// the whole network trained on one device.
func TestTrainPipeline(t *testing.T) {
	backend, err := CPUDevices(4)
	if err != nil {
		t.Skip(err)
	}
	want, err := TrainWhole(backend, 3, 4, 8, 16, 20, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if !(want[19] < want[0]) {
		t.Fatalf("the network does not learn: %v", want)
	}
	for _, s := range []Schedule{GPipe, OneFOneB} {
		got, err := TrainPipeline(backend, s, 3, 4, 8, 16, 20, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		if d := MaxRelDiff(got, want); d > 1e-5 {
			t.Errorf("%s: losses %v, one device %v (max relative difference %g)", s, got, want, d)
		}
	}
}
