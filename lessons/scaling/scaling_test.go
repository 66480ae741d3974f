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
