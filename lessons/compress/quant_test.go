package compress

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/ggml"
)

func randomWeights(n int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 9))
	w := make([]float32, n)
	for i := range w {
		w[i] = float32(r.NormFloat64() * 0.05)
		if i%17 == 0 {
			w[i] *= 8 // a few outliers, as real weights have
		}
	}
	return w
}

func TestInt8RoundTrip(t *testing.T) {
	const rows, cols = 24, 10
	w := randomWeights(rows*cols, 1)
	for _, perChannel := range []bool{false, true} {
		q, err := QuantizeInt8(w, rows, cols, perChannel)
		if err != nil {
			t.Fatal(err)
		}
		back := q.Dequantize()
		for i := range w {
			s := q.Scales[0]
			if perChannel {
				s = q.Scales[i%cols]
			}
			if e := math.Abs(float64(w[i] - back[i])); e > float64(s)/2*1.0001 {
				t.Fatalf("perChannel %v, weight %d: error %g > scale/2 = %g", perChannel, i, e, s/2)
			}
		}
		if want := rows*cols + 4*len(q.Scales); q.Bytes() != want {
			t.Errorf("Bytes = %d, want %d", q.Bytes(), want)
		}
	}
	if _, err := QuantizeInt8(w, 5, 5, true); err == nil {
		t.Error("wrong shape accepted")
	}
	zeros, _ := QuantizeInt8(make([]float32, 6), 2, 3, true)
	for _, v := range zeros.Dequantize() {
		if v != 0 {
			t.Fatal("zeros do not come back as zeros")
		}
	}
}

// TestQ4_0WorkedBlock packs x_j = j − 16: the value of largest magnitude is
// −16, so d = −16/−8 = 2 and q_j = ⌊(j−16)/2 + 8.5⌋ = ⌊j/2 + 0.5⌋, capped
// at 15.
func TestQ4_0WorkedBlock(t *testing.T) {
	x := make([]float32, 32)
	for j := range x {
		x[j] = float32(j - 16)
	}
	b, err := PackQ4_0(x)
	if err != nil {
		t.Fatal(err)
	}
	q := func(j int) byte { return byte(min(15, (j+1)/2)) } // ⌊j/2 + 0.5⌋ for j ≥ 0
	want := []byte{0x00, 0x40}                              // fp16 2.0 = 0x4000, little-endian
	for j := range 16 {
		want = append(want, q(j)|q(j+16)<<4)
	}
	if len(b) != Q4_0Bytes || string(b) != string(want) {
		t.Fatalf("block % x,\nwant     % x", b, want)
	}
	if b[2] != 0x80 || b[3] != 0x91 {
		t.Errorf("first nibble bytes % x, want 80 91", b[2:4])
	}
	back := Unpack(b, false)
	if back[0] != -16 || back[31] != 14 { // 15 is clamped to q = 15: (15−8)·2 = 14
		t.Errorf("dequantized ends %g, %g; want −16, 14", back[0], back[31])
	}
}

func TestQ8_0WorkedBlock(t *testing.T) {
	x := make([]float32, 32)
	x[3], x[7] = 127, -63.5 // d = 1: values come back exactly (−63.5 rounds to −64)
	b, err := PackQ8_0(x)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != Q8_0Bytes || b[0] != 0x00 || b[1] != 0x3c || int8(b[2+3]) != 127 || int8(b[2+7]) != -64 {
		t.Errorf("block % x", b)
	}
	if _, err := PackQ8_0(make([]float32, 31)); err == nil {
		t.Error("31 values accepted")
	}
}

// TestGGMLLayout packs random rows in Go and dequantizes them with GoMLX's
// own GGML reader: the values must be the same, so the bytes are GGML's
// layout.
func TestGGMLLayout(t *testing.T) {
	const rows, cols = 3, 64
	backend := mlx.MustBackend()
	for _, q8 := range []bool{true, false} {
		var packed []byte
		var goBack []float32
		w := randomWeights(rows*cols, 2)
		for r := range rows {
			pack := PackQ4_0
			if q8 {
				pack = PackQ8_0
			}
			b, err := pack(w[r*cols : (r+1)*cols])
			if err != nil {
				t.Fatal(err)
			}
			packed = append(packed, b...)
			goBack = append(goBack, Unpack(b, q8)...)
		}
		typ := compute.GGMLQ4_0
		if q8 {
			typ = compute.GGMLQ8_0
		}
		exec, err := graph.NewExec(backend, func(b *graph.Node) *graph.Node { return ggml.Dequantize(b, typ, rows) })
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Exec(tensors.FromFlatDataAndDimensions(packed, rows, len(packed)/rows))
		if err != nil {
			t.Fatal(err)
		}
		gomlx := tensors.MustCopyFlatData[float32](out[0])
		bound := 0.0
		for i := range w {
			if gomlx[i] != goBack[i] {
				t.Fatalf("q8 %v, value %d: GoMLX reads %g, Go unpacks %g", q8, i, gomlx[i], goBack[i])
			}
			bound = math.Max(bound, math.Abs(float64(w[i]-goBack[i])))
		}
		t.Logf("q8 %v: largest error %g", q8, bound)
	}
}

// TestBlockErrorBounds: Q8_0 is within half a step (plus the fp16 rounding
// of d), Q4_0 within one step (the clamped top value).
func TestBlockErrorBounds(t *testing.T) {
	w := randomWeights(32*40, 3)
	for _, q8 := range []bool{true, false} {
		pack, limit := PackQ4_0, 1.01
		if q8 {
			pack, limit = PackQ8_0, 0.57
		}
		b, err := pack(w)
		if err != nil {
			t.Fatal(err)
		}
		back := Unpack(b, q8)
		for blk := range len(w) / 32 {
			amax := 0.0
			for _, v := range w[blk*32 : (blk+1)*32] {
				amax = math.Max(amax, math.Abs(float64(v)))
			}
			d := amax / 127
			if !q8 {
				d = amax / 8
			}
			for j := blk * 32; j < (blk+1)*32; j++ {
				if e := math.Abs(float64(w[j] - back[j])); e > limit*d {
					t.Fatalf("q8 %v, value %d: error %g > %g·d (d = %g)", q8, j, e, limit, d)
				}
			}
		}
	}
}
