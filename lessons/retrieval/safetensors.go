package retrieval

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
)

// Safetensors is Hugging Face's file format for weights, simple enough to
// read by hand (https://huggingface.co/docs/safetensors, "Format"):
//
//	N       8 bytes, little-endian uint64: the length of the header
//	header  N bytes of JSON: for each tensor, its dtype, shape and
//	        data_offsets [begin, end) into the data; "__metadata__" maps
//	        strings to strings
//	data    the tensors' bytes, row-major, little-endian, back to back
//
// A valid file's tensors tile the data exactly: sorted by begin, each
// starts where the one before ended, the first at 0, the last at the end
// of the file; and end − begin is the shape's element count times the
// dtype's size. This reader checks all of that before reading any data,
// so a corrupt or truncated file gives an error that names it.

// Safetensors is an open .safetensors file whose header has been read.
// It keeps no file open: Float32 opens the path and reads only the tensor
// asked for.
type Safetensors struct {
	Path     string
	Metadata map[string]string
	tensors  map[string]TensorEntry
	dataAt   int64 // where the data begins: 8 + N
}

// TensorEntry is one tensor of the header.
type TensorEntry struct {
	DType      string // "F32", "F16", "BF16", "I64", ...
	Shape      []int
	Begin, End int64 // byte range in the data
}

// safetensorsDTypeSizes lists the dtypes of the format with their size in bytes.
var safetensorsDTypeSizes = map[string]int64{
	"BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// maxSafetensorsHeader bounds the header, as the reference implementation does
// (100 MB), so that a corrupt length cannot ask for gigabytes.
const maxSafetensorsHeader = 100 << 20

// OpenSafetensors reads and checks the header of a .safetensors file.
func OpenSafetensors(path string) (*Safetensors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("retrieval: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("retrieval: %w", err)
	}
	size := st.Size()
	bad := func(format string, args ...any) error {
		return fmt.Errorf("retrieval: %s is not a valid safetensors file: %s", path, fmt.Sprintf(format, args...))
	}
	var lenBytes [8]byte
	if _, err := io.ReadFull(f, lenBytes[:]); err != nil {
		return nil, bad("it has %d bytes, fewer than the 8 of the header length (an interrupted copy?)", size)
	}
	n := binary.LittleEndian.Uint64(lenBytes[:])
	if n > maxSafetensorsHeader || int64(n) > size-8 {
		return nil, bad("the header length is %d bytes, but the file has only %d after it (truncated?)", n, size-8)
	}
	header := make([]byte, n)
	if _, err := io.ReadFull(f, header); err != nil {
		return nil, fmt.Errorf("retrieval: reading %s: %w", path, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(header, &raw); err != nil {
		return nil, bad("the header is not a JSON object (%v)", err)
	}
	s := &Safetensors{Path: path, tensors: map[string]TensorEntry{}, dataAt: 8 + int64(n)}
	dataSize := size - s.dataAt
	for name, r := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(r, &s.Metadata); err != nil {
				return nil, bad("__metadata__ must map strings to strings (%v)", err)
			}
			continue
		}
		var e struct {
			DType       string  `json:"dtype"`
			Shape       []int   `json:"shape"`
			DataOffsets []int64 `json:"data_offsets"`
		}
		if err := json.Unmarshal(r, &e); err != nil {
			return nil, bad("tensor %q: %v", name, err)
		}
		t, err := checkTensorEntry(e.DType, e.Shape, e.DataOffsets, dataSize)
		if err != nil {
			return nil, bad("tensor %q: %v", name, err)
		}
		s.tensors[name] = t
	}
	if err := s.checkTiling(dataSize); err != nil {
		return nil, bad("%v", err)
	}
	return s, nil
}

// checkTensorEntry checks one tensor on its own: a known dtype, a shape whose
// size matches its byte range, and a range inside the data.
func checkTensorEntry(dtype string, shape []int, offsets []int64, dataSize int64) (TensorEntry, error) {
	size, ok := safetensorsDTypeSizes[dtype]
	if !ok {
		return TensorEntry{}, fmt.Errorf("unknown dtype %q", dtype)
	}
	if len(offsets) != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataSize {
		return TensorEntry{}, fmt.Errorf("data_offsets %v are out of range: the data has %d bytes", offsets, dataSize)
	}
	// The element count may not pass the data's size in bytes, so that a
	// shape of huge dimensions cannot overflow or ask for a huge allocation.
	elems := int64(1)
	for _, d := range shape {
		if d < 0 {
			return TensorEntry{}, fmt.Errorf("shape %v has a negative dimension", shape)
		}
		if d > 0 && elems > dataSize/int64(d) {
			return TensorEntry{}, fmt.Errorf("shape %v holds more values than the file has bytes", shape)
		}
		elems *= int64(d)
	}
	if got := offsets[1] - offsets[0]; got != elems*size {
		return TensorEntry{}, fmt.Errorf("shape %v of %s needs %d bytes, but data_offsets %v hold %d", shape, dtype, elems*size, offsets, got)
	}
	return TensorEntry{DType: dtype, Shape: slices.Clone(shape), Begin: offsets[0], End: offsets[1]}, nil
}

// checkTiling checks that the tensors cover the data exactly, without a gap
// or an overlap.
func (s *Safetensors) checkTiling(dataSize int64) error {
	names := s.Names()
	sort.SliceStable(names, func(i, j int) bool { return s.tensors[names[i]].Begin < s.tensors[names[j]].Begin })
	at, prev := int64(0), ""
	for _, name := range names {
		t := s.tensors[name]
		switch {
		case t.Begin < at:
			return fmt.Errorf("tensor %q (bytes %d-%d) overlaps tensor %q, which ends at %d", name, t.Begin, t.End, prev, at)
		case t.Begin > at:
			return fmt.Errorf("no tensor covers bytes %d-%d of the data (a gap before tensor %q)", at, t.Begin, name)
		}
		at, prev = t.End, name
	}
	if at != dataSize {
		return fmt.Errorf("the tensors end at byte %d of the data, but the file has %d bytes of data", at, dataSize)
	}
	return nil
}

// Names returns the tensor names, sorted.
func (s *Safetensors) Names() []string {
	names := make([]string, 0, len(s.tensors))
	for name := range s.tensors {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Entry returns the header entry of a tensor.
func (s *Safetensors) Entry(name string) (TensorEntry, bool) {
	t, ok := s.tensors[name]
	return t, ok
}

// Float32 reads one tensor as float32 values, with its shape. F32 is read
// as it is; F16 and BF16 are widened exactly (every half-precision value is
// a float32 value).
func (s *Safetensors) Float32(name string) ([]float32, []int, error) {
	t, ok := s.tensors[name]
	if !ok {
		return nil, nil, fmt.Errorf("retrieval: %s has no tensor %q", s.Path, name)
	}
	var decode func([]byte) float32
	switch t.DType {
	case "F32":
		decode = func(b []byte) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b)) }
	case "F16":
		decode = func(b []byte) float32 { return float16To32(binary.LittleEndian.Uint16(b)) }
	case "BF16": // the top 16 bits of a float32
		decode = func(b []byte) float32 { return math.Float32frombits(uint32(binary.LittleEndian.Uint16(b)) << 16) }
	default:
		return nil, nil, fmt.Errorf("retrieval: %s: tensor %q is %s, which Float32 does not convert (F32, F16, BF16)", s.Path, name, t.DType)
	}
	raw, err := s.read(t)
	if err != nil {
		return nil, nil, err
	}
	width := int(safetensorsDTypeSizes[t.DType])
	out := make([]float32, len(raw)/width)
	for i := range out {
		out[i] = decode(raw[i*width:])
	}
	return out, slices.Clone(t.Shape), nil
}

// read returns the bytes of one tensor.
func (s *Safetensors) read(t TensorEntry) ([]byte, error) {
	f, err := os.Open(s.Path)
	if err != nil {
		return nil, fmt.Errorf("retrieval: %w", err)
	}
	defer f.Close()
	buf := make([]byte, t.End-t.Begin)
	if _, err := f.ReadAt(buf, s.dataAt+t.Begin); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("retrieval: %s became shorter since it was opened", s.Path)
		}
		return nil, fmt.Errorf("retrieval: reading %s: %w", s.Path, err)
	}
	return buf, nil
}

// float16To32 widens an IEEE 754 half-precision number: 1 sign bit, 5
// exponent bits (bias 15), 10 fraction bits.
//
//	0x3C00 -> 1, 0xC000 -> -2, 0x0001 -> 2⁻²⁴ (the smallest subnormal), 0x7C00 -> +Inf
func float16To32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp == 0 && frac == 0: // ±0
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: frac · 2⁻²⁴
		v := float32(frac) * float32(math.Ldexp(1, -24))
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
}
