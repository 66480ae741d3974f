package llm

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/compress"
	"github.com/gomlx/compute/dtypes/float16"
)

// TestFloat16ToFloat32 checks known bit patterns, then all 65,536 halves
// against the float16 package that GoMLX uses.
func TestFloat16ToFloat32(t *testing.T) {
	tests := []struct {
		bits uint16
		want float32
	}{
		{0x3C00, 1}, {0xC000, -2}, {0x7BFF, 65504}, {0x0001, 1.0 / (1 << 24)}, {0x03FF, 1023.0 / (1 << 24)},
		{0x0400, 1.0 / (1 << 14)}, {0x3555, 0.333251953125}, {0x3800, 0.5}, {0xBC00, -1},
		{0x7C00, float32(math.Inf(1))}, {0xFC00, float32(math.Inf(-1))},
	}
	for _, tt := range tests {
		if got := Float16ToFloat32(tt.bits); got != tt.want {
			t.Errorf("Float16ToFloat32(%#04x) = %v, want %v", tt.bits, got, tt.want)
		}
	}
	if z := Float16ToFloat32(0x8000); z != 0 || !math.Signbit(float64(z)) {
		t.Errorf("0x8000 = %v, want -0", z)
	}
	if !math.IsNaN(float64(Float16ToFloat32(0x7E00))) {
		t.Error("0x7E00 is not NaN")
	}
	for h := range 1 << 16 {
		got, want := Float16ToFloat32(uint16(h)), float16.FromBits(uint16(h)).Float32()
		if math.Float32bits(got) != math.Float32bits(want) && !(math.IsNaN(float64(got)) && math.IsNaN(float64(want))) {
			t.Fatalf("Float16ToFloat32(%#04x) = %v, float16 package says %v", h, got, want)
		}
	}
}

// TestQ4_1Block: the hand-made block of gguf_test.go (d = 0.5, m = -1, byte
// j = j | (15-j)<<4), worked out by hand: weight 0 = 0.5·0 - 1 = -1, weight
// 1 = -0.5, weight 15 = 0.5·15 - 1 = 6.5; weight 16 = 0.5·15 - 1 = 6.5,
// weight 31 = 0.5·0 - 1 = -1.
func TestQ4_1Block(t *testing.T) {
	b := ParseQ4_1(q4Block())
	if b.D != 0.5 || b.M != -1 || b.Q[0] != 0 || b.Q[1] != 1 || b.Q[16] != 15 || b.Q[31] != 0 {
		t.Errorf("ParseQ4_1 = %+v", b)
	}
	w := DequantizeQ4_1Block(q4Block())
	for j, want := range map[int]float32{0: -1, 1: -0.5, 15: 6.5, 16: 6.5, 17: 6, 31: -1} {
		if w[j] != want {
			t.Errorf("weight %d = %v, want %v", j, w[j], want)
		}
	}
	if !slices.Equal(w[:], q4BlockValues()) {
		t.Errorf("DequantizeQ4_1Block = %v", w)
	}
	// d = 0.1 (0x2E66 = 0.0999755859375), m = 0.25 (0x3400), every byte
	// 0x9F: low nibble 15, high nibble 9. Weight 0 = 0.0999755859375·15 +
	// 0.25 = 1.7496337890625; weight 16 = 0.0999755859375·9 + 0.25 =
	// 1.1497802734375 (both exact in float32).
	block := append([]byte{0x66, 0x2E, 0x00, 0x34}, slices.Repeat([]byte{0x9F}, 16)...)
	w = DequantizeQ4_1Block(block)
	if w[0] != 1.7496337890625 || w[15] != w[0] || w[16] != 1.1497802734375 || w[31] != w[16] {
		t.Errorf("weights 0, 15, 16, 31 = %v %v %v %v", w[0], w[15], w[16], w[31])
	}
}

// TestDequantize runs each type through Dequantize: F32 and F16 bit
// patterns, Q4_1 blocks, and Q8_0 and Q4_0 blocks packed by lesson 14.
func TestDequantize(t *testing.T) {
	check := func(typ GGMLType, raw []byte, want []float32) {
		t.Helper()
		got, err := Dequantize(typ, raw)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("Dequantize(%v) = %v, %v; want %v", typ, got, err, want)
		}
	}
	check(F32, f32Bytes(1.5, -2, 0), []float32{1.5, -2, 0})
	check(F16, []byte{0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B}, []float32{1, -2, 65504})
	check(Q4_1, append(q4Block(), q4Block()...), append(q4BlockValues(), q4BlockValues()...))

	// Q8_0 and Q4_0 go through lesson 14's Unpack, whose own tests check it
	// against GoMLX's dequantizer; here, that the bytes get there whole.
	row := make([]float32, 64)
	for i := range row {
		row[i] = float32(i%7) - 3
	}
	for _, typ := range []GGMLType{Q8_0, Q4_0} {
		pack := compress.PackQ4_0
		if typ == Q8_0 {
			pack = compress.PackQ8_0
		}
		blocks, err := pack(row)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := Dequantize(typ, blocks); err != nil || len(got) != 64 || !slices.Equal(got, compress.Unpack(blocks, typ == Q8_0)) {
			t.Errorf("%v: %v %v", typ, got, err)
		}
	}

	for _, bad := range []struct {
		typ  GGMLType
		raw  []byte
		want string
	}{
		{Q4_1, make([]byte, 30), "not whole blocks of Q4_1 (20 bytes each)"},
		{Q6_K, make([]byte, 210), "dequantizing Q6_K is not written"},
		{GGMLType(99), make([]byte, 4), "GGMLType(99)"},
	} {
		if _, err := Dequantize(bad.typ, bad.raw); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Dequantize(%v, %d bytes): %v, want %q", bad.typ, len(bad.raw), err, bad.want)
		}
	}
}

func TestGGMLType(t *testing.T) {
	for typ, want := range map[GGMLType]string{F32: "F32", Q4_1: "Q4_1", Q8_0: "Q8_0", Q6_K: "Q6_K", BF16: "BF16", 4: "GGMLType(4)"} {
		if typ.String() != want {
			t.Errorf("%d: %q, want %q", uint32(typ), typ.String(), want)
		}
	}
	if Q4_1.BlockSize() != 32 || Q4_1.BlockBytes() != Q4_1Bytes || Q8_0.BlockBytes() != compress.Q8_0Bytes ||
		Q4_0.BlockBytes() != compress.Q4_0Bytes || Q6_K.BlockSize() != 256 || GGMLType(4).BlockSize() != 0 {
		t.Error("block sizes")
	}
}

// TestSmolLM2Dequantize compares tensors of the real file with gguf-py's
// dequantizer (testdata/dequant.json, made by testdata/make_tokens.py): the
// first and last values exactly, the sums to within float64 rounding.
func TestSmolLM2Dequantize(t *testing.T) {
	f := realFile(t)
	data, err := os.ReadFile("testdata/dequant.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Tensors []struct {
			Name, Type  string
			Shape       []int
			First, Last []float32
			Sum         float64
			SumSquares  float64 `json:"sum_squares"`
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Tensors) != 4 {
		t.Fatalf("%d reference tensors", len(ref.Tensors))
	}
	for _, r := range ref.Tensors {
		w, shape, err := f.Float32(r.Name)
		if err != nil {
			t.Fatal(err)
		}
		info, _ := f.Tensor(r.Name)
		if info.Type.String() != r.Type || !slices.Equal(shape, r.Shape) {
			t.Errorf("%s: %v %v, want %s %v", r.Name, info.Type, shape, r.Type, r.Shape)
		}
		if !slices.Equal(w[:len(r.First)], r.First) || !slices.Equal(w[len(w)-len(r.Last):], r.Last) {
			t.Errorf("%s: first %v last %v,\nwant %v %v", r.Name, w[:len(r.First)], w[len(w)-len(r.Last):], r.First, r.Last)
		}
		var sum, squares float64
		for _, x := range w {
			sum += float64(x)
			squares += float64(x) * float64(x)
		}
		if math.Abs(sum-r.Sum) > 1e-9*squares || math.Abs(squares-r.SumSquares) > 1e-9*squares {
			t.Errorf("%s: sum %v, squares %v; want %v, %v", r.Name, sum, squares, r.Sum, r.SumSquares)
		}
	}
}
