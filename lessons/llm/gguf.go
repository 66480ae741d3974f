package llm

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"slices"
)

// GGUF is the single-file format of llama.cpp: everything a model needs to
// run, weights and tokenizer alike, in one file. This reader is written by
// hand from the specification
// (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md), because the
// format is the lesson: it is simple enough to read in one sitting.
//
//	magic        "GGUF" (4 bytes)
//	version      uint32, 3 (2 is the same for little-endian files)
//	tensor count uint64
//	kv count     uint64
//	metadata     kv count times: key (string), value type (uint32), value
//	tensor infos tensor count times: name (string), n_dims (uint32),
//	             dims (n_dims uint64, the fastest-varying first),
//	             type (uint32, a GGMLType), offset (uint64, from the data start)
//	padding      to a multiple of general.alignment (default 32)
//	tensor data  each tensor at its offset, offsets aligned the same way
//
// All numbers are little-endian; a string is a uint64 length then its UTF-8
// bytes, with no terminating zero.

// File is a GGUF file whose header, metadata and tensor directory have been
// read. It holds no open file and none of the tensor data: Raw and Float32
// open the path again and read just the tensor asked for.
type File struct {
	Path    string
	Version uint32
	// Meta holds the metadata by key. Integers keep their width (uint8,
	// int8, uint16, int16, uint32, int32, uint64, int64), then float32,
	// float64, bool and string; an array is a typed slice of those
	// ([]string, []int32, []float32, ...), and an array of arrays is []any.
	Meta      map[string]any
	Keys      []string     // metadata keys in file order
	Tensors   []TensorInfo // in file order
	Alignment int          // general.alignment, or 32
	dataStart int64        // where the tensor data begins
	index     map[string]int
}

// TensorInfo is one entry of the tensor directory.
type TensorInfo struct {
	Name string
	// Dims in GGUF order, Dims[0] varying fastest: a weight that maps 576
	// inputs to 1536 outputs is [576, 1536] here, [1536, 576] in Go.
	Dims   []int
	Type   GGMLType
	Offset int64 // from the start of the tensor data
	Bytes  int64 // size on disk
}

// Elements is the number of values in the tensor.
func (t *TensorInfo) Elements() int64 {
	n := int64(1)
	for _, d := range t.Dims {
		n *= int64(d)
	}
	return n
}

// Shape is the row-major (Go, GoMLX) shape: Dims reversed.
//
//	Dims [576 1536] -> Shape [1536 576]
func (t *TensorInfo) Shape() []int {
	s := slices.Clone(t.Dims)
	slices.Reverse(s)
	return s
}

// GGUF's value types: the number that precedes each metadata value.
const (
	ggufUint8 = iota
	ggufInt8
	ggufUint16
	ggufInt16
	ggufUint32
	ggufInt32
	ggufFloat32
	ggufBool
	ggufString
	ggufArray
	ggufUint64
	ggufInt64
	ggufFloat64
)

// ggufMinBytes is the smallest size on disk of a value of each type: what a
// count is checked against before anything is allocated.
var ggufMinBytes = [...]int64{1, 1, 2, 2, 4, 4, 4, 1, 8, 12, 8, 8, 8}

const (
	ggufMagic    = "GGUF"
	maxDims      = 4 // GGML_MAX_DIMS
	setupAdvice  = "`go run ./kernel setup` fetches the model again"
	defaultAlign = 32
)

// Open reads the header, the metadata and the tensor directory of a GGUF
// file, and checks that every tensor lies inside the file.
func Open(path string) (*File, error) {
	osf, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("llm: %w; `go run ./kernel setup` fetches the model (SmolLM2), "+
			"and mlx.ModelFile(mlx.SmolLM2, mlx.SmolLM2GGUF) gives its path", err)
	}
	defer osf.Close()
	st, err := osf.Stat()
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	r := &reader{r: bufio.NewReaderSize(osf, 1<<16), size: st.Size()}
	f := &File{Path: path, Meta: map[string]any{}, Alignment: defaultAlign, index: map[string]int{}}
	if err := f.readHeader(r); err != nil {
		return nil, fmt.Errorf("llm: %s: %w", path, err)
	}
	return f, nil
}

// readHeader reads everything before the tensor data.
func (f *File) readHeader(r *reader) error {
	magic := r.bytes(4, "the magic number")
	if r.err == nil && string(magic) != ggufMagic {
		return fmt.Errorf("not a GGUF file: it starts with %q, not %q (a file of another kind, or a broken download; %s)", magic, ggufMagic, setupAdvice)
	}
	f.Version = r.u32("the version")
	if r.err == nil && f.Version != 2 && f.Version != 3 {
		if v := bits.ReverseBytes32(f.Version); v == 2 || v == 3 {
			return fmt.Errorf("a big-endian GGUF file, which this lesson does not read")
		}
		return fmt.Errorf("GGUF version %d, which this lesson does not read (it reads versions 2 and 3)", f.Version)
	}
	nTensors := r.count(24, "the tensor directory") // name, n_dims, type, offset: 24 bytes at least
	nKV := r.count(13, "the metadata")              // key, type, one byte of value
	if r.err != nil {
		return r.err
	}
	for i := range nKV {
		key := r.str("a metadata key")
		if r.err != nil {
			return fmt.Errorf("metadata entry %d: %w", i, r.err)
		}
		v := r.value(r.u32("a metadata type"), 0)
		if r.err != nil {
			return fmt.Errorf("metadata %q: %w", key, r.err)
		}
		if _, dup := f.Meta[key]; dup {
			return fmt.Errorf("metadata key %q appears twice", key)
		}
		f.Meta[key] = v
		f.Keys = append(f.Keys, key)
	}
	if a, ok := f.Meta["general.alignment"]; ok {
		n, ok := a.(uint32)
		if !ok || n == 0 || n&(n-1) != 0 || n > 1<<20 {
			return fmt.Errorf("general.alignment is %v (%T); it must be a uint32 power of two", a, a)
		}
		f.Alignment = int(n)
	}
	for i := range nTensors {
		t, err := f.readTensorInfo(r, i)
		if err != nil {
			return err
		}
		if _, dup := f.index[t.Name]; dup {
			return fmt.Errorf("tensor %q appears twice", t.Name)
		}
		f.index[t.Name] = len(f.Tensors)
		f.Tensors = append(f.Tensors, t)
	}
	align := int64(f.Alignment)
	f.dataStart = (r.pos + align - 1) / align * align
	for i := range f.Tensors {
		t := &f.Tensors[i]
		if end := f.dataStart + t.Offset + t.Bytes; end > r.size {
			return fmt.Errorf("tensor %q (%d bytes at byte %d) runs past the end of the file (%d bytes); the file is cut short: %s",
				t.Name, t.Bytes, f.dataStart+t.Offset, r.size, setupAdvice)
		}
	}
	return nil
}

// readTensorInfo reads entry i of the tensor directory.
func (f *File) readTensorInfo(r *reader, i uint64) (TensorInfo, error) {
	t := TensorInfo{Name: r.str(fmt.Sprintf("the name of tensor %d", i))}
	nDims := r.u32(fmt.Sprintf("the rank of tensor %q", t.Name))
	if r.err == nil && (nDims == 0 || nDims > maxDims) {
		return t, fmt.Errorf("tensor %q has %d dimensions; GGUF allows 1 to %d", t.Name, nDims, maxDims)
	}
	elements := int64(1)
	for range nDims {
		d := r.u64(fmt.Sprintf("the dimensions of tensor %q", t.Name))
		if r.err == nil && (d == 0 || d > uint64(r.size)*8) { // 8 values a byte at the most (1-bit types)
			return t, fmt.Errorf("tensor %q has a dimension of %d, impossible in a file of %d bytes", t.Name, d, r.size)
		}
		t.Dims = append(t.Dims, int(d))
		if r.err == nil && elements > r.size*8/int64(d) {
			return t, fmt.Errorf("tensor %q has dimensions %v, too many values for a file of %d bytes", t.Name, t.Dims, r.size)
		}
		elements *= int64(d)
	}
	t.Type = GGMLType(r.u32(fmt.Sprintf("the type of tensor %q", t.Name)))
	offset := r.u64(fmt.Sprintf("the offset of tensor %q", t.Name))
	if r.err != nil {
		return t, r.err
	}
	block := int64(t.Type.BlockSize())
	switch {
	case block == 0:
		return t, fmt.Errorf("tensor %q has the unknown type %d", t.Name, uint32(t.Type))
	case int64(t.Dims[0])%block != 0:
		return t, fmt.Errorf("tensor %q (%v) has rows of %d values, not whole blocks of %d", t.Name, t.Type, t.Dims[0], block)
	case offset > uint64(r.size) || offset%uint64(f.Alignment) != 0:
		return t, fmt.Errorf("tensor %q has the offset %d, beyond the file or not a multiple of the alignment %d", t.Name, offset, f.Alignment)
	}
	t.Offset = int64(offset)
	t.Bytes = elements / block * int64(t.Type.BlockBytes())
	return t, nil
}

// Tensor returns the directory entry of the tensor called name.
func (f *File) Tensor(name string) (*TensorInfo, error) {
	i, ok := f.index[name]
	if !ok {
		return nil, fmt.Errorf("llm: %s has no tensor %q (it has %d tensors, from %q to %q)",
			f.Path, name, len(f.Tensors), f.firstLast(0), f.firstLast(1))
	}
	return &f.Tensors[i], nil
}

func (f *File) firstLast(last int) string {
	if len(f.Tensors) == 0 {
		return ""
	}
	return f.Tensors[last*(len(f.Tensors)-1)].Name
}

// Raw returns the bytes of one tensor as stored, read with ReadAt so that
// nothing else of the file is loaded.
func (f *File) Raw(t *TensorInfo) ([]byte, error) {
	osf, err := os.Open(f.Path)
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	defer osf.Close()
	buf := make([]byte, t.Bytes)
	if _, err := osf.ReadAt(buf, f.dataStart+t.Offset); err != nil {
		return nil, fmt.Errorf("llm: %s: reading tensor %q (%d bytes at byte %d): %w; has the file changed since it was opened?",
			f.Path, t.Name, t.Bytes, f.dataStart+t.Offset, err)
	}
	return buf, nil
}

// Float32 reads the tensor called name and dequantizes it. The shape is
// row-major (Dims reversed), ready for GoMLX: token_embd.weight, Dims
// [576 49152], comes back as 49152 rows of 576 values.
func (f *File) Float32(name string) (data []float32, shape []int, err error) {
	t, err := f.Tensor(name)
	if err != nil {
		return nil, nil, err
	}
	raw, err := f.Raw(t)
	if err != nil {
		return nil, nil, err
	}
	data, err = Dequantize(t.Type, raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (tensor %q of %s)", err, name, f.Path)
	}
	return data, t.Shape(), nil
}

// ---- typed getters for the metadata ----

func (f *File) meta(key string) (any, error) {
	v, ok := f.Meta[key]
	if !ok {
		return nil, fmt.Errorf("llm: %s has no metadata key %q", f.Path, key)
	}
	return v, nil
}

func (f *File) wrongType(key string, v any, want string) error {
	return fmt.Errorf("llm: %s: metadata %q holds a %T, not %s", f.Path, key, v, want)
}

// String returns a string value, e.g. String("general.architecture") ->
// "llama".
func (f *File) String(key string) (string, error) {
	v, err := f.meta(key)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", f.wrongType(key, v, "a string")
	}
	return s, nil
}

// Int returns an integer value of any width, e.g. Int("llama.block_count")
// -> 30.
func (f *File) Int(key string) (int, error) {
	v, err := f.meta(key)
	if err != nil {
		return 0, err
	}
	switch n := v.(type) {
	case uint8:
		return int(n), nil
	case int8:
		return int(n), nil
	case uint16:
		return int(n), nil
	case int16:
		return int(n), nil
	case uint32:
		return int(n), nil
	case int32:
		return int(n), nil
	case int64:
		return int(n), nil
	case uint64:
		if n <= math.MaxInt {
			return int(n), nil
		}
	}
	return 0, f.wrongType(key, v, "an integer that fits an int")
}

// Float returns a float32 or float64 value as a float64, e.g.
// Float("llama.rope.freq_base") -> 100000.
func (f *File) Float(key string) (float64, error) {
	v, err := f.meta(key)
	if err != nil {
		return 0, err
	}
	switch x := v.(type) {
	case float32:
		return float64(x), nil
	case float64:
		return x, nil
	}
	return 0, f.wrongType(key, v, "a float")
}

// Strings returns an array of strings, e.g. Strings("tokenizer.ggml.tokens").
func (f *File) Strings(key string) ([]string, error) {
	v, err := f.meta(key)
	if err != nil {
		return nil, err
	}
	s, ok := v.([]string)
	if !ok {
		return nil, f.wrongType(key, v, "an array of strings")
	}
	return s, nil
}

// ---- the low-level reader ----

// reader reads little-endian numbers and keeps the first error, so that the
// code above reads like the format; each read names what it reads, for the
// message when the file ends too early.
type reader struct {
	r    *bufio.Reader
	pos  int64 // bytes read so far
	size int64 // of the whole file
	err  error
	buf  [8]byte
}

// bytes reads n bytes (n no larger than what is left in the file).
func (r *reader) bytes(n int64, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n > r.size-r.pos {
		r.err = fmt.Errorf("the file ends at byte %d, in the middle of %s (%d byte(s) short); it is cut short: %s",
			r.size, what, n-(r.size-r.pos), setupAdvice)
		return nil
	}
	var b []byte
	if n <= int64(len(r.buf)) {
		b = r.buf[:n]
	} else {
		b = make([]byte, n)
	}
	if _, err := io.ReadFull(r.r, b); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			err = fmt.Errorf("the file ended early, in the middle of %s (did it change while being read?)", what)
		}
		r.err = err
		return nil
	}
	r.pos += n
	return b
}

func (r *reader) u8(what string) uint8 {
	if b := r.bytes(1, what); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u16(what string) uint16 {
	if b := r.bytes(2, what); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

func (r *reader) u32(what string) uint32 {
	if b := r.bytes(4, what); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *reader) u64(what string) uint64 {
	if b := r.bytes(8, what); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// count reads the uint64 length of what, a list of items of at least
// minBytes each, and checks that so many could fit in the rest of the file:
// a corrupt count must give an error, not a huge allocation.
func (r *reader) count(minBytes int64, what string) uint64 {
	n := r.u64(what)
	if r.err == nil && n > uint64((r.size-r.pos)/minBytes) {
		r.err = fmt.Errorf("the length of %s is %d, more than the %d bytes left in the file can hold; the file is cut short or corrupt: %s",
			what, n, r.size-r.pos, setupAdvice)
		return 0
	}
	return n
}

func (r *reader) str(what string) string {
	n := r.count(1, what)
	return string(r.bytes(int64(n), what))
}

// value reads one metadata value of type typ; depth counts nested arrays.
// Its errors do not name the key (the caller adds it): for the 49,152
// tokens of a vocabulary, building a message for each would be slow.
func (r *reader) value(typ uint32, depth int) any {
	const what = "a metadata value"
	switch typ {
	case ggufUint8:
		return r.u8(what)
	case ggufInt8:
		return int8(r.u8(what))
	case ggufUint16:
		return r.u16(what)
	case ggufInt16:
		return int16(r.u16(what))
	case ggufUint32:
		return r.u32(what)
	case ggufInt32:
		return int32(r.u32(what))
	case ggufUint64:
		return r.u64(what)
	case ggufInt64:
		return int64(r.u64(what))
	case ggufFloat32:
		return math.Float32frombits(r.u32(what))
	case ggufFloat64:
		return math.Float64frombits(r.u64(what))
	case ggufBool:
		b := r.u8(what)
		if r.err == nil && b > 1 {
			r.err = fmt.Errorf("a bool holding %d, not 0 or 1", b)
		}
		return b == 1
	case ggufString:
		return r.str(what)
	case ggufArray:
		if depth > 8 {
			r.err = errors.New("arrays nested more than 8 deep")
			return nil
		}
		elem := r.u32("the element type of an array")
		if r.err == nil && int(elem) >= len(ggufMinBytes) {
			r.err = fmt.Errorf("an array of the unknown value type %d", elem)
			return nil
		}
		n := r.count(ggufMinBytes[elem], "an array")
		if r.err != nil {
			return nil
		}
		return r.array(elem, int(n), depth)
	}
	if r.err == nil {
		r.err = fmt.Errorf("the unknown value type %d", typ)
	}
	return nil
}

// array reads n values of type elem into a typed slice ([]any for arrays of
// arrays).
func (r *reader) array(elem uint32, n int, depth int) any {
	switch elem {
	case ggufUint8:
		return readArray[uint8](r, elem, n, depth)
	case ggufInt8:
		return readArray[int8](r, elem, n, depth)
	case ggufUint16:
		return readArray[uint16](r, elem, n, depth)
	case ggufInt16:
		return readArray[int16](r, elem, n, depth)
	case ggufUint32:
		return readArray[uint32](r, elem, n, depth)
	case ggufInt32:
		return readArray[int32](r, elem, n, depth)
	case ggufUint64:
		return readArray[uint64](r, elem, n, depth)
	case ggufInt64:
		return readArray[int64](r, elem, n, depth)
	case ggufFloat32:
		return readArray[float32](r, elem, n, depth)
	case ggufFloat64:
		return readArray[float64](r, elem, n, depth)
	case ggufBool:
		return readArray[bool](r, elem, n, depth)
	case ggufString:
		return readArray[string](r, elem, n, depth)
	}
	return readArray[any](r, elem, n, depth)
}

func readArray[T any](r *reader, elem uint32, n int, depth int) []T {
	out := make([]T, n)
	for i := range out {
		v := r.value(elem, depth+1)
		if r.err != nil {
			return nil
		}
		out[i] = v.(T)
	}
	return out
}
