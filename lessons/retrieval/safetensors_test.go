package retrieval

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// stTensor is one tensor for writeSafetensors: its header entry as JSON
// fields, and its bytes.
type stTensor struct {
	name, dtype string
	shape       []int
	data        []byte
	offsets     []int64 // nil: where the data falls, back to back
}

// safetensorsBytes builds a file the way the format describes it: the
// header length, the JSON header padded with spaces to 8 bytes (as the
// reference writer does), then the data. extra is appended to the data.
func safetensorsBytes(t *testing.T, tensors []stTensor, extra []byte) []byte {
	t.Helper()
	header := map[string]any{"__metadata__": map[string]string{"format": "pt"}}
	var data []byte
	for _, ts := range tensors {
		off := ts.offsets
		if off == nil {
			off = []int64{int64(len(data)), int64(len(data) + len(ts.data))}
		}
		header[ts.name] = map[string]any{"dtype": ts.dtype, "shape": ts.shape, "data_offsets": off}
		data = append(data, ts.data...)
	}
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	for len(h)%8 != 0 {
		h = append(h, ' ')
	}
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
	return append(append(append(out, h...), data...), extra...)
}

func leFloat32s(v ...float32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}

func leUint16s(v ...uint16) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint16(b, x)
	}
	return b
}

// tinySafetensors: a 2x3 F32 matrix, F16 and BF16 vectors whose bit patterns
// are worked out by hand, and an I64 vector.
func tinySafetensors() []stTensor {
	return []stTensor{
		{name: "w", dtype: "F32", shape: []int{2, 3}, data: leFloat32s(1, 2, 3, 4, 5, -6.5)},
		// F16: 0x3C00 = 1, 0xC000 = -2, 0x3800 = 0.5, 0x0001 = 2⁻²⁴, 0x7BFF = 65504 (the largest)
		{name: "half", dtype: "F16", shape: []int{5}, data: leUint16s(0x3C00, 0xC000, 0x3800, 0x0001, 0x7BFF)},
		// BF16: 0x3FC0 = 1.5, 0xC040 = -3
		{name: "brain", dtype: "BF16", shape: []int{2, 1}, data: leUint16s(0x3FC0, 0xC040)},
		{name: "ids", dtype: "I64", shape: []int{2}, data: make([]byte, 16)},
	}
}

// safetensorsHeaderOnly is a file of just a header.
func safetensorsHeaderOnly(header string) []byte {
	return append(binary.LittleEndian.AppendUint64(nil, uint64(len(header))), header...)
}

func writeSafetensorsTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSafetensorsTiny(t *testing.T) {
	path := writeSafetensorsTemp(t, "tiny.safetensors", safetensorsBytes(t, tinySafetensors(), nil))
	s, err := OpenSafetensors(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Names(); !slices.Equal(got, []string{"brain", "half", "ids", "w"}) {
		t.Errorf("Names() = %v", got)
	}
	if s.Metadata["format"] != "pt" {
		t.Errorf("Metadata = %v", s.Metadata)
	}
	tests := []struct {
		name  string
		want  []float32
		shape []int
	}{
		{"w", []float32{1, 2, 3, 4, 5, -6.5}, []int{2, 3}},
		{"half", []float32{1, -2, 0.5, float32(math.Ldexp(1, -24)), 65504}, []int{5}},
		{"brain", []float32{1.5, -3}, []int{2, 1}},
	}
	for _, tt := range tests {
		got, shape, err := s.Float32(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) || !slices.Equal(shape, tt.shape) {
			t.Errorf("Float32(%s) = %v %v, want %v %v", tt.name, got, shape, tt.want, tt.shape)
		}
	}
	if _, _, err := s.Float32("ids"); err == nil || !strings.Contains(err.Error(), "I64") {
		t.Errorf("Float32 of an I64 tensor: err = %v", err)
	}
	if _, _, err := s.Float32("nope"); err == nil || !strings.Contains(err.Error(), "no tensor") {
		t.Errorf("Float32 of a missing tensor: err = %v", err)
	}
}

// TestFloat16To32 checks the special values of half precision.
func TestFloat16To32(t *testing.T) {
	tests := []struct {
		h    uint16
		want float64
	}{
		{0x0000, 0}, {0x3C00, 1}, {0xBC00, -1}, {0x3555, 0.333251953125}, {0x0400, math.Ldexp(1, -14)},
		{0x03FF, math.Ldexp(1023, -24)}, {0x8001, -math.Ldexp(1, -24)}, {0x7C00, math.Inf(1)}, {0xFC00, math.Inf(-1)},
	}
	for _, tt := range tests {
		if got := float16To32(tt.h); float64(got) != tt.want {
			t.Errorf("float16To32(%#04x) = %v, want %v", tt.h, got, tt.want)
		}
	}
	if got := float16To32(0x7E00); !math.IsNaN(float64(got)) {
		t.Errorf("float16To32(0x7E00) = %v, want NaN", got)
	}
	if got := float16To32(0x8000); got != 0 || !math.Signbit(float64(got)) {
		t.Errorf("float16To32(0x8000) = %v, want -0", got)
	}
}

// TestSafetensorsCorrupt: every kind of broken file gives an error that
// names the file and the problem, never a panic or a huge allocation.
func TestSafetensorsCorrupt(t *testing.T) {
	good := safetensorsBytes(t, tinySafetensors(), nil)
	with := func(change func(ts []stTensor)) []byte {
		ts := tinySafetensors()
		change(ts)
		return safetensorsBytes(t, ts, nil)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "fewer than the 8"},
		{"short", []byte{1, 2, 3}, "fewer than the 8"},
		{"header past the end", binary.LittleEndian.AppendUint64(nil, 1000), "header length is 1000"},
		{"huge header length", binary.LittleEndian.AppendUint64(nil, 1<<62), "header length"},
		{"bad JSON", append(binary.LittleEndian.AppendUint64(nil, 4), "{ab}"...), "not a JSON object"},
		{"truncated data", good[:len(good)-10], "out of range"},
		{"extra bytes", safetensorsBytes(t, tinySafetensors(), []byte{0, 0, 0, 0}), "end at byte"},
		{"unknown dtype", with(func(ts []stTensor) { ts[0].dtype = "F7" }), `unknown dtype "F7"`},
		{"shape mismatch", with(func(ts []stTensor) { ts[0].shape = []int{3, 3} }), "needs 36 bytes"},
		{"negative dimension", with(func(ts []stTensor) { ts[0].shape = []int{-2, -3} }), "negative"},
		{"huge shape", with(func(ts []stTensor) { ts[0].shape = []int{1 << 40, 1 << 40, 1 << 40} }), "more values"},
		{"overlap", with(func(ts []stTensor) { ts[1].offsets = []int64{20, 30} }), "overlaps"},
		{"gap", with(func(ts []stTensor) { ts[0].offsets = []int64{0, 20}; ts[0].shape = []int{5} }), "no tensor covers"},
		{"reversed offsets", with(func(ts []stTensor) { ts[0].offsets = []int64{24, 0} }), "out of range"},
		{"three offsets", with(func(ts []stTensor) { ts[0].offsets = []int64{0, 12, 24} }), "out of range"},
		{"metadata not strings", safetensorsHeaderOnly(`{"__metadata__": {"a": 1}}`), "__metadata__"},
		{"entry not an object", safetensorsHeaderOnly(`{"w": [1, 2]}`), `tensor "w"`},
	}
	for _, tt := range tests {
		path := writeSafetensorsTemp(t, strings.ReplaceAll(tt.name, " ", "_")+".safetensors", tt.data)
		_, err := OpenSafetensors(path)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v\nwant one naming the file and containing %q", tt.name, err, tt.want)
		}
	}
	if _, err := OpenSafetensors(filepath.Join(t.TempDir(), "missing.safetensors")); err == nil {
		t.Error("a missing file gave no error")
	}
}

// A safetensors file written by hand: the header length, the JSON header,
// then one 2x2 F16 tensor (1, -2, 0.5 and 65504, the largest half).
func ExampleOpenSafetensors() {
	header := `{"w": {"dtype": "F16", "shape": [2, 2], "data_offsets": [0, 8]}}`
	file := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	file = append(file, header...)
	for _, h := range []uint16{0x3C00, 0xC000, 0x3800, 0x7BFF} {
		file = binary.LittleEndian.AppendUint16(file, h)
	}
	dir, err := os.MkdirTemp("", "safetensors-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tiny.safetensors")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		panic(err)
	}

	s, err := OpenSafetensors(path)
	if err != nil {
		panic(err)
	}
	values, shape, err := s.Float32("w")
	if err != nil {
		panic(err)
	}
	e, _ := s.Entry("w")
	fmt.Println(s.Names(), e.DType, shape, values)
	// Output: [w] F16 [2 2] [1 -2 0.5 65504]
}
