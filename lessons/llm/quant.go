package llm

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/baeum-go/baeum/lessons/compress"
)

// GGMLType is how a GGUF file stores the numbers of one tensor: plain
// floats, or blocks of a few small integers sharing a scale (llama.cpp's
// enum ggml_type; the numbers are fixed by the file format).
type GGMLType uint32

// The types of ggml_type. SmolLM2-135M-Instruct's Q4_1 file uses only three:
// Q4_1 for the matrices of the 30 blocks, Q8_0 for the token embeddings and
// F32 for the norm weights.
const (
	F32     GGMLType = 0
	F16     GGMLType = 1
	Q4_0    GGMLType = 2
	Q4_1    GGMLType = 3
	Q5_0    GGMLType = 6 // 4 and 5 were Q4_2 and Q4_3, since removed
	Q5_1    GGMLType = 7
	Q8_0    GGMLType = 8
	Q8_1    GGMLType = 9
	Q2_K    GGMLType = 10
	Q3_K    GGMLType = 11
	Q4_K    GGMLType = 12
	Q5_K    GGMLType = 13
	Q6_K    GGMLType = 14
	Q8_K    GGMLType = 15
	IQ2_XXS GGMLType = 16
	IQ2_XS  GGMLType = 17
	IQ3_XXS GGMLType = 18
	IQ1_S   GGMLType = 19
	IQ4_NL  GGMLType = 20
	IQ3_S   GGMLType = 21
	IQ2_S   GGMLType = 22
	IQ4_XS  GGMLType = 23
	I8      GGMLType = 24
	I16     GGMLType = 25
	I32     GGMLType = 26
	I64     GGMLType = 27
	F64     GGMLType = 28
	IQ1_M   GGMLType = 29
	BF16    GGMLType = 30
	TQ1_0   GGMLType = 34
	TQ2_0   GGMLType = 35
	MXFP4   GGMLType = 39
)

// ggmlTypes holds each type's name, how many values one block holds and how
// many bytes it takes. The sizes are those of gguf-py 0.19.0
// (gguf.GGML_QUANT_SIZES), the Python package that llama.cpp ships.
var ggmlTypes = map[GGMLType]struct {
	name          string
	values, bytes int
}{
	F32: {"F32", 1, 4}, F16: {"F16", 1, 2}, BF16: {"BF16", 1, 2}, F64: {"F64", 1, 8},
	I8: {"I8", 1, 1}, I16: {"I16", 1, 2}, I32: {"I32", 1, 4}, I64: {"I64", 1, 8},
	Q4_0: {"Q4_0", 32, 18}, Q4_1: {"Q4_1", 32, 20}, Q5_0: {"Q5_0", 32, 22}, Q5_1: {"Q5_1", 32, 24},
	Q8_0: {"Q8_0", 32, 34}, Q8_1: {"Q8_1", 32, 40},
	Q2_K: {"Q2_K", 256, 84}, Q3_K: {"Q3_K", 256, 110}, Q4_K: {"Q4_K", 256, 144},
	Q5_K: {"Q5_K", 256, 176}, Q6_K: {"Q6_K", 256, 210}, Q8_K: {"Q8_K", 256, 292},
	IQ2_XXS: {"IQ2_XXS", 256, 66}, IQ2_XS: {"IQ2_XS", 256, 74}, IQ3_XXS: {"IQ3_XXS", 256, 98},
	IQ1_S: {"IQ1_S", 256, 50}, IQ4_NL: {"IQ4_NL", 32, 18}, IQ3_S: {"IQ3_S", 256, 110},
	IQ2_S: {"IQ2_S", 256, 82}, IQ4_XS: {"IQ4_XS", 256, 136}, IQ1_M: {"IQ1_M", 256, 56},
	TQ1_0: {"TQ1_0", 256, 54}, TQ2_0: {"TQ2_0", 256, 66}, MXFP4: {"MXFP4", 32, 17},
}

// String returns the type's name in llama.cpp's spelling, e.g. "Q4_1".
func (t GGMLType) String() string {
	if info, ok := ggmlTypes[t]; ok {
		return info.name
	}
	return fmt.Sprintf("GGMLType(%d)", uint32(t))
}

// BlockSize is the number of values in one block: 1 for plain numbers, 32
// for Q4_0, Q4_1 and Q8_0, 256 for the K-quants; 0 for an unknown type.
func (t GGMLType) BlockSize() int { return ggmlTypes[t].values }

// BlockBytes is the size of one block in bytes (Q4_1: 20 bytes for 32
// values, 5 bits a weight); 0 for an unknown type.
func (t GGMLType) BlockBytes() int { return ggmlTypes[t].bytes }

// Float16ToFloat32 converts an IEEE 754 half-precision number, given by its
// 16 bits, to a float32; Go has no float16 type. A half is 1 sign bit, 5
// exponent bits (bias 15) and 10 fraction bits; a float32 has 8 exponent
// bits (bias 127) and 23 fraction bits, so every half fits exactly.
//
//	0x3C00 -> 1, 0xC000 -> -2, 0x7BFF -> 65504 (the largest half),
//	0x0001 -> 2^-24 (the smallest, a subnormal), 0x7C00 -> +Inf
func Float16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1F
	frac := uint32(h) & 0x3FF
	switch {
	case exp == 0x1F: // infinity (frac 0) or NaN: the largest exponent in both
		return math.Float32frombits(sign | 0xFF<<23 | frac<<13)
	case exp != 0: // normal: move the exponent from bias 15 to bias 127
		return math.Float32frombits(sign | (exp-15+127)<<23 | frac<<13)
	}
	// Zero or subnormal: frac × 2^-24, a normal number for a float32.
	v := float32(frac) / (1 << 24)
	if sign != 0 {
		v = -v
	}
	return v
}

// Q4_1Block is one block of Q4_1 taken apart: 32 weights w[j] = D·Q[j] + M,
// with Q[j] in 0..15. On disk it is 20 bytes: D and M as float16, then 16
// bytes that each hold two Q's (llama.cpp's block_q4_1).
type Q4_1Block struct {
	D, M float32   // scale and minimum
	Q    [32]uint8 // 4-bit levels, in the order of the weights
}

// Q4_1Bytes is the size of one Q4_1 block on disk.
const Q4_1Bytes = 2 + 2 + compress.BlockSize/2

// ParseQ4_1 takes one 20-byte block apart (block must hold at least
// Q4_1Bytes). Byte 4+j holds weight j in its low nibble and weight j+16 in
// its high nibble, the layout of Q4_0 in lesson 14.
//
//	d=0x3800 (0.5), m=0xBC00 (-1), byte 4 = 0xF0 -> Q[0]=0, Q[16]=15
func ParseQ4_1(block []byte) Q4_1Block {
	b := Q4_1Block{
		D: Float16ToFloat32(binary.LittleEndian.Uint16(block[0:])),
		M: Float16ToFloat32(binary.LittleEndian.Uint16(block[2:])),
	}
	for j, q := range block[4:Q4_1Bytes] {
		b.Q[j] = q & 0x0F
		b.Q[j+16] = q >> 4
	}
	return b
}

// Values returns the block's 32 weights, D·Q[j] + M. The product is rounded
// to float32 before the sum (the explicit conversion keeps Go from fusing
// them into one FMA), as llama.cpp's dequantize_row_q4_1 and gguf-py do.
func (b Q4_1Block) Values() [32]float32 {
	var w [32]float32
	for j, q := range b.Q {
		w[j] = float32(b.D*float32(q)) + b.M
	}
	return w
}

// DequantizeQ4_1Block turns one 20-byte Q4_1 block into its 32 weights.
//
//	d=0.5, m=-1, byte j = j | (15-j)<<4 -> w[j] = 0.5j - 1, w[j+16] = 6.5 - 0.5j
func DequantizeQ4_1Block(block []byte) [32]float32 {
	return ParseQ4_1(block).Values()
}

// Dequantize turns the bytes of a tensor of type t into float32 values, in
// the order they are stored. It reads F32, F16, Q4_0, Q4_1 and Q8_0 (Q4_0
// and Q8_0 through lesson 14's compress.Unpack); other types give an error.
func Dequantize(t GGMLType, raw []byte) ([]float32, error) {
	size := t.BlockBytes()
	if size == 0 || len(raw)%size != 0 {
		return nil, fmt.Errorf("llm: %d bytes are not whole blocks of %v (%d bytes each)", len(raw), t, size)
	}
	switch t {
	case F32:
		out := make([]float32, len(raw)/4)
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		return out, nil
	case F16:
		out := make([]float32, len(raw)/2)
		for i := range out {
			out[i] = Float16ToFloat32(binary.LittleEndian.Uint16(raw[2*i:]))
		}
		return out, nil
	case Q4_1:
		out := make([]float32, 0, len(raw)/Q4_1Bytes*32)
		for b := 0; b < len(raw); b += Q4_1Bytes {
			w := DequantizeQ4_1Block(raw[b : b+Q4_1Bytes])
			out = append(out, w[:]...)
		}
		return out, nil
	case Q4_0, Q8_0:
		return compress.Unpack(raw, t == Q8_0), nil
	}
	return nil, fmt.Errorf("llm: dequantizing %v is not written in this lesson (it reads F32, F16, Q4_0, Q4_1 and Q8_0)", t)
}
