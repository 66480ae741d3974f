package llm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// ---- a GGUF writer, for tiny test files ----

type tinyKV struct {
	key   string
	value any
}

type tinyTensor struct {
	name   string
	dims   []uint64
	typ    GGMLType
	data   []byte
	offset *uint64 // nil: the next aligned offset
}

// tinySpec is a GGUF file to write; zero fields take valid defaults.
type tinySpec struct {
	magic   string // "GGUF"
	version uint32 // 3
	align   int    // 32; any other value is written as general.alignment
	meta    []tinyKV
	tensors []tinyTensor
}

// bytes writes the file: header, metadata, tensor directory, padding, data.
func (s tinySpec) bytes() []byte {
	var w bytes.Buffer
	le := func(v any) { binary.Write(&w, binary.LittleEndian, v) }
	str := func(s string) { le(uint64(len(s))); w.WriteString(s) }
	magic, version, align := cmpOr(s.magic, "GGUF"), cmpOr(s.version, 3), cmpOr(s.align, 32)
	meta := s.meta
	if align != 32 {
		meta = append(slices.Clone(meta), tinyKV{"general.alignment", uint32(align)})
	}
	w.WriteString(magic)
	le(version)
	le(uint64(len(s.tensors)))
	le(uint64(len(meta)))
	for _, kv := range meta {
		str(kv.key)
		le(ggufTag(kv.value))
		writeValue(&w, kv.value)
	}
	offset := uint64(0)
	for _, t := range s.tensors {
		str(t.name)
		le(uint32(len(t.dims)))
		le(t.dims)
		le(uint32(t.typ))
		if t.offset != nil {
			le(*t.offset)
		} else {
			le(offset)
		}
		offset = alignUp(offset+uint64(len(t.data)), align)
	}
	for _, t := range s.tensors {
		w.Write(make([]byte, alignUp(uint64(w.Len()), align)-uint64(w.Len())))
		w.Write(t.data)
	}
	return w.Bytes()
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func alignUp(n uint64, align int) uint64 {
	return (n + uint64(align) - 1) / uint64(align) * uint64(align)
}

// ggufTag is the GGUF value type of a Go value.
func ggufTag(v any) uint32 {
	switch v.(type) {
	case uint8:
		return ggufUint8
	case int8:
		return ggufInt8
	case uint16:
		return ggufUint16
	case int16:
		return ggufInt16
	case uint32:
		return ggufUint32
	case int32:
		return ggufInt32
	case uint64:
		return ggufUint64
	case int64:
		return ggufInt64
	case float32:
		return ggufFloat32
	case float64:
		return ggufFloat64
	case bool:
		return ggufBool
	case string:
		return ggufString
	}
	return ggufArray
}

// writeValue writes a value without its type tag: an array is its element
// type, its length and its elements.
func writeValue(w *bytes.Buffer, v any) {
	switch x := v.(type) {
	case string:
		binary.Write(w, binary.LittleEndian, uint64(len(x)))
		w.WriteString(x)
	case bool, uint8, int8, uint16, int16, uint32, int32, uint64, int64, float32, float64:
		binary.Write(w, binary.LittleEndian, x)
	default:
		rv := reflect.ValueOf(v)
		elem := uint32(ggufArray)
		if rv.Type().Elem().Kind() != reflect.Interface {
			elem = ggufTag(reflect.Zero(rv.Type().Elem()).Interface())
		}
		binary.Write(w, binary.LittleEndian, elem)
		binary.Write(w, binary.LittleEndian, uint64(rv.Len()))
		for i := range rv.Len() {
			writeValue(w, rv.Index(i).Interface())
		}
	}
}

// tinyMeta has one value of every kind GGUF has.
var tinyMeta = []tinyKV{
	{"general.architecture", "llama"},
	{"test.u8", uint8(200)}, {"test.i8", int8(-3)}, {"test.u16", uint16(60000)}, {"test.i16", int16(-300)},
	{"test.u32", uint32(30)}, {"test.i32", int32(-5)}, {"test.u64", uint64(1) << 40}, {"test.i64", int64(-1) << 40},
	{"test.f32", float32(1e-5)}, {"test.f64", 100000.0}, {"test.bool", true},
	{"test.strings", []string{"a", "배움", ""}}, {"test.ints", []int32{1, -2, 3}},
	{"test.nested", []any{[]uint8{1, 2}, []string{"x"}}},
}

// q4Block is a Q4_1 block with d = 0.5 (0x3800), m = -1 (0xBC00) and byte j
// holding j (low nibble) and 15-j (high nibble): weight j is 0.5·j - 1 and
// weight j+16 is 0.5·(15-j) - 1.
func q4Block() []byte {
	b := []byte{0x00, 0x38, 0x00, 0xBC}
	for j := range 16 {
		b = append(b, byte(j)|byte(15-j)<<4)
	}
	return b
}

func q4BlockValues() []float32 {
	w := make([]float32, 32)
	for j := range 16 {
		w[j], w[j+16] = 0.5*float32(j)-1, 0.5*float32(15-j)-1
	}
	return w
}

func f32Bytes(v ...float32) []byte {
	var out []byte
	for _, x := range v {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(x))
	}
	return out
}

// tinyTensors: "a", F32, 2 rows of 3; "b", Q4_1, 2 rows of 32 (the second
// block has d = 1, m = 0: weights are the 4-bit levels themselves).
func tinyTensors() []tinyTensor {
	second := append([]byte{0x00, 0x3C, 0x00, 0x00}, q4Block()[4:]...)
	return []tinyTensor{
		{name: "a", dims: []uint64{3, 2}, typ: F32, data: f32Bytes(0, 1, 2, 3, 4, 5)},
		{name: "b", dims: []uint64{32, 2}, typ: Q4_1, data: append(q4Block(), second...)},
	}
}

func writeTiny(t testing.TB, s tinySpec) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tiny.gguf")
	if err := os.WriteFile(path, s.bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenTiny writes a small file with every kind of metadata and two
// tensors, and reads it back exactly, with the default alignment and with
// general.alignment = 64.
func TestOpenTiny(t *testing.T) {
	for _, align := range []int{32, 64} {
		path := writeTiny(t, tinySpec{align: align, meta: tinyMeta, tensors: tinyTensors()})
		f, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		wantKeys := []string{}
		wantMeta := map[string]any{}
		for _, kv := range tinyMeta {
			wantKeys = append(wantKeys, kv.key)
			wantMeta[kv.key] = kv.value
		}
		if align != 32 {
			wantKeys = append(wantKeys, "general.alignment")
			wantMeta["general.alignment"] = uint32(align)
		}
		if f.Version != 3 || f.Alignment != align || !slices.Equal(f.Keys, wantKeys) || !reflect.DeepEqual(f.Meta, wantMeta) {
			t.Errorf("align %d: version %d, alignment %d, keys %q,\nmeta %#v", align, f.Version, f.Alignment, f.Keys, f.Meta)
		}
		wantTensors := []TensorInfo{
			{Name: "a", Dims: []int{3, 2}, Type: F32, Offset: 0, Bytes: 24},
			{Name: "b", Dims: []int{32, 2}, Type: Q4_1, Offset: int64(align), Bytes: 40}, // "a" padded to the alignment
		}
		if !reflect.DeepEqual(f.Tensors, wantTensors) {
			t.Errorf("align %d: tensors %+v, want %+v", align, f.Tensors, wantTensors)
		}
		if f.dataStart%int64(align) != 0 {
			t.Errorf("align %d: data starts at %d", align, f.dataStart)
		}

		a, shape, err := f.Float32("a")
		if err != nil || !slices.Equal(a, []float32{0, 1, 2, 3, 4, 5}) || !slices.Equal(shape, []int{2, 3}) {
			t.Errorf("Float32(a) = %v %v %v", a, shape, err)
		}
		b, shape, err := f.Float32("b")
		want := q4BlockValues()
		for j := range 16 {
			want = append(want, float32(j))
		}
		for j := range 16 {
			want = append(want, float32(15-j))
		}
		if err != nil || !slices.Equal(b, want) || !slices.Equal(shape, []int{2, 32}) {
			t.Errorf("Float32(b) = %v %v %v,\nwant %v", b, shape, err, want)
		}
		info, err := f.Tensor("b")
		if err != nil {
			t.Fatal(err)
		}
		raw, err := f.Raw(info)
		if err != nil || !bytes.Equal(raw, tinyTensors()[1].data) {
			t.Errorf("Raw(b) = %x %v", raw, err)
		}
		if info.Elements() != 64 || !slices.Equal(info.Shape(), []int{2, 32}) {
			t.Errorf("Elements %d, Shape %v", info.Elements(), info.Shape())
		}
	}
	// Version 2 has the same layout (version 3 added big-endian files).
	f, err := Open(writeTiny(t, tinySpec{version: 2, tensors: tinyTensors()}))
	if err != nil || f.Version != 2 || len(f.Tensors) != 2 {
		t.Errorf("version 2: %v", err)
	}
}

// TestGetters: the typed getters convert what they can and name the key
// and the file when they cannot.
func TestGetters(t *testing.T) {
	path := writeTiny(t, tinySpec{meta: tinyMeta})
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ints := map[string]int{"test.u8": 200, "test.i8": -3, "test.u16": 60000, "test.i16": -300,
		"test.u32": 30, "test.i32": -5, "test.u64": 1 << 40, "test.i64": -1 << 40}
	for key, want := range ints {
		if got, err := f.Int(key); got != want || err != nil {
			t.Errorf("Int(%s) = %d, %v; want %d", key, got, err, want)
		}
	}
	if got, err := f.Float("test.f32"); got != float64(float32(1e-5)) || err != nil {
		t.Errorf("Float(test.f32) = %v, %v", got, err)
	}
	if got, err := f.Float("test.f64"); got != 100000 || err != nil {
		t.Errorf("Float(test.f64) = %v, %v", got, err)
	}
	if got, err := f.String("general.architecture"); got != "llama" || err != nil {
		t.Errorf("String = %q, %v", got, err)
	}
	if got, err := f.Strings("test.strings"); !slices.Equal(got, []string{"a", "배움", ""}) || err != nil {
		t.Errorf("Strings = %q, %v", got, err)
	}
	for _, err := range []error{
		second(f.Int("test.f32")), second(f.Float("test.u32")), second(f.String("test.u8")),
		second(f.Strings("test.ints")), second(f.Int("no.such.key")), second(f.Tensor("nope")),
	} {
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("want an error naming %s, got %v", path, err)
		}
	}
	if _, err := f.Int("no.such.key"); err == nil || !strings.Contains(err.Error(), `"no.such.key"`) {
		t.Errorf("a missing key: %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

// TestOpenTruncated cuts the tiny file at every length up to the start of
// the tensor data, and at a few lengths inside it: each gives an error that
// names the file, none a panic.
func TestOpenTruncated(t *testing.T) {
	full := tinySpec{meta: tinyMeta, tensors: tinyTensors()}.bytes()
	path := filepath.Join(t.TempDir(), "cut.gguf")
	if err := os.WriteFile(path, full, 0o644); err != nil {
		t.Fatal(err)
	}
	whole, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	start := int(whole.dataStart)
	for n := range len(full) {
		if n > start && n != start+30 && n != len(full)-1 {
			continue
		}
		if err := os.WriteFile(path, full[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Open(path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Fatalf("cut at %d of %d bytes: err = %v, want one naming %s", n, len(full), err, path)
		}
		switch n {
		case 2, 30, start / 2:
			if !strings.Contains(err.Error(), fmt.Sprintf("the file ends at byte %d", n)) && !strings.Contains(err.Error(), "left in the file") {
				t.Errorf("cut at %d: %v", n, err)
			}
		case start + 30, len(full) - 1:
			if !strings.Contains(err.Error(), `tensor "b"`) || !strings.Contains(err.Error(), "runs past the end") {
				t.Errorf("cut in the data: %v", err)
			}
		}
	}
}

// TestOpenCorrupt: each kind of damage gives an error saying what is wrong.
func TestOpenCorrupt(t *testing.T) {
	good := tinyTensors()
	withTensor := func(mod func(*tinyTensor)) tinySpec {
		ts := tinyTensors()
		mod(&ts[1])
		return tinySpec{tensors: ts}
	}
	patch := func(at int, v uint64) []byte { // the tiny file with a uint64 overwritten
		b := tinySpec{meta: tinyMeta, tensors: good}.bytes()
		binary.LittleEndian.PutUint64(b[at:], v)
		return b
	}
	big := uint64(1) << 62
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"magic", tinySpec{magic: "PK\x03\x04"}.bytes(), "not a GGUF file"},
		{"version 1", tinySpec{version: 1}.bytes(), "version 1"},
		{"big-endian", tinySpec{version: 3 << 24}.bytes(), "big-endian"},
		{"tensor count", patch(8, big), "the length of the tensor directory is 4611686018427387904, more than"},
		{"metadata count", patch(16, big), "the length of the metadata is"},
		{"key length", patch(24, big), "metadata entry 0: the length of a metadata key is"},
		{"value type", tinySpec{meta: []tinyKV{{"k", uint8(1)}}}.bytes()[:37], `metadata "k": the file ends at byte 37, in the middle of a metadata value`},
		{"alignment", tinySpec{meta: []tinyKV{{"general.alignment", uint32(48)}}}.bytes(), "power of two"},
		{"alignment type", tinySpec{meta: []tinyKV{{"general.alignment", "32"}}}.bytes(), "power of two"},
		{"duplicate key", tinySpec{meta: []tinyKV{{"k", true}, {"k", false}}}.bytes(), `"k" appears twice`},
		{"tensor type", withTensor(func(t *tinyTensor) { t.typ = 99 }).bytes(), "unknown type 99"},
		{"rank", withTensor(func(t *tinyTensor) { t.dims = []uint64{32, 1, 1, 1, 2} }).bytes(), "5 dimensions"},
		{"zero dim", withTensor(func(t *tinyTensor) { t.dims = []uint64{32, 0} }).bytes(), "a dimension of 0"},
		{"huge dim", withTensor(func(t *tinyTensor) { t.dims = []uint64{32, 1 << 20} }).bytes(), "a dimension of 1048576, impossible"},
		{"huge dims", withTensor(func(t *tinyTensor) { t.dims = []uint64{32, 40, 40} }).bytes(), "too many values"},
		{"blocks", withTensor(func(t *tinyTensor) { t.dims = []uint64{16, 4} }).bytes(), "not whole blocks of 32"},
		{"offset", withTensor(func(t *tinyTensor) { o := uint64(33); t.offset = &o }).bytes(), "not a multiple of the alignment 32"},
		{"past the end", withTensor(func(t *tinyTensor) { t.dims = []uint64{32, 40} }).bytes(), `tensor "b" (800 bytes at byte`},
		{"duplicate tensor", withTensor(func(t *tinyTensor) { t.name = "a" }).bytes(), `tensor "a" appears twice`},
	}
	// A bool that holds 2: write a uint8 and change its tag to bool.
	badBool := tinySpec{meta: []tinyKV{{"k", uint8(2)}}}.bytes()
	binary.LittleEndian.PutUint32(badBool[24+8+1:], ggufBool)
	tests = append(tests, struct {
		name string
		file []byte
		want string
	}{"bad bool", badBool, `metadata "k": a bool holding 2`})
	// An unknown value type, 13.
	badType := slices.Clone(badBool)
	binary.LittleEndian.PutUint32(badType[24+8+1:], 13)
	tests = append(tests, struct {
		name string
		file []byte
		want string
	}{"value type 13", badType, `metadata "k": the unknown value type 13`})

	dir := t.TempDir()
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name+".gguf")
		if err := os.WriteFile(path, tt.file, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Open(path)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v\nwant one containing %q and the path", tt.name, err, tt.want)
		}
	}
	if _, err := Open(filepath.Join(dir, "missing.gguf")); err == nil || !strings.Contains(err.Error(), "kernel setup") {
		t.Errorf("a missing file: %v", err)
	}
}

// ---- the real model file ----

// realFile opens the file named by BAEUM_GGUF once for all tests, or skips
// the test when there is none.
func realFile(t testing.TB) *File {
	t.Helper()
	f, err := openReal()
	if errors.Is(err, errNoModel) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err) // a file that is there but unreadable is a failure
	}
	return f
}

var errNoModel = errors.New("no model file")

var openReal = sync.OnceValues(func() (*File, error) {
	path := os.Getenv("BAEUM_GGUF")
	if path == "" {
		return nil, fmt.Errorf("%w: BAEUM_GGUF is not set; set it to the path of SmolLM2-135M-Instruct.Q4_1.gguf "+
			"(`go run ./kernel setup` fetches it, mlx.ModelFile(mlx.SmolLM2, mlx.SmolLM2GGUF) gives its path) to run this test", errNoModel)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%w: BAEUM_GGUF names %s, which is missing (%v)", errNoModel, path, err)
	}
	return Open(path)
})

// TestSmolLM2File checks the directory and metadata of SmolLM2-135M-Instruct
// Q4_1 (values read with gguf-py 0.19.0's GGUFReader).
func TestSmolLM2File(t *testing.T) {
	f := realFile(t)
	if f.Version != 3 || len(f.Keys) != 33 || len(f.Tensors) != 272 || f.Alignment != 32 || f.dataStart != 1785664 {
		t.Errorf("version %d, %d keys, %d tensors, alignment %d, data at %d", f.Version, len(f.Keys), len(f.Tensors), f.Alignment, f.dataStart)
	}
	ints := map[string]int{"llama.block_count": 30, "llama.context_length": 8192, "llama.embedding_length": 576,
		"llama.feed_forward_length": 1536, "llama.attention.head_count": 9, "llama.attention.head_count_kv": 3,
		"llama.vocab_size": 49152, "llama.rope.dimension_count": 64, "tokenizer.ggml.bos_token_id": 1,
		"tokenizer.ggml.eos_token_id": 2, "tokenizer.ggml.padding_token_id": 2, "general.file_type": 3}
	for key, want := range ints {
		if got, err := f.Int(key); got != want || err != nil {
			t.Errorf("Int(%s) = %d, %v; want %d", key, got, err, want)
		}
	}
	floats := map[string]float64{"llama.rope.freq_base": 100000, "llama.attention.layer_norm_rms_epsilon": float64(float32(1e-5))}
	for key, want := range floats {
		if got, err := f.Float(key); got != want || err != nil {
			t.Errorf("Float(%s) = %v, %v; want %v", key, got, err, want)
		}
	}
	if arch, _ := f.String("general.architecture"); arch != "llama" {
		t.Errorf("architecture %q", arch)
	}

	// The directory: token_embd, 30 blocks of 9 tensors, output_norm (the
	// output layer shares the embedding).
	const d, ff, kv = 576, 1536, 192 // kv: 3 heads of 64
	want := map[string]struct {
		shape []int
		typ   GGMLType
	}{"token_embd.weight": {[]int{49152, d}, Q8_0}, "output_norm.weight": {[]int{d}, F32}}
	for i := range 30 {
		for name, s := range map[string][]int{"attn_norm": {d}, "ffn_norm": {d}, "attn_q": {d, d}, "attn_k": {kv, d},
			"attn_v": {kv, d}, "attn_output": {d, d}, "ffn_gate": {ff, d}, "ffn_up": {ff, d}, "ffn_down": {d, ff}} {
			typ := Q4_1
			if len(s) == 1 {
				typ = F32
			}
			want[fmt.Sprintf("blk.%d.%s.weight", i, name)] = struct {
				shape []int
				typ   GGMLType
			}{s, typ}
		}
	}
	counts := map[GGMLType]int{}
	var bytes, elements int64
	for _, info := range f.Tensors {
		w, ok := want[info.Name]
		if !ok || !slices.Equal(info.Shape(), w.shape) || info.Type != w.typ {
			t.Errorf("%s: %v %v, want %v %v", info.Name, info.Shape(), info.Type, w.shape, w.typ)
		}
		counts[info.Type]++
		bytes += info.Bytes
		elements += info.Elements()
	}
	if !reflect.DeepEqual(counts, map[GGMLType]int{Q4_1: 210, F32: 61, Q8_0: 1}) {
		t.Errorf("types: %v", counts)
	}
	if elements != 134515008 || f.dataStart+bytes != 98362432 {
		t.Errorf("%d weights, data ends at %d", elements, f.dataStart+bytes)
	}
	t.Logf("%d weights: %.1f MB in the file, %.1f MB as float32", elements, float64(bytes)/1e6, float64(elements*4)/1e6)
}
