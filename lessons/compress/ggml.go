package compress

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes/float16"
)

// GGML's block formats (llama.cpp's ggml-quants.c): each row of weights is
// cut into blocks of 32 values, and each block is stored as an fp16 scale d
// (2 bytes, little-endian) followed by the quantized values.
//
//	Q8_0, 34 bytes: d = max|x|/127, then 32 int8 q = round(x/d); x ≈ q·d
//	Q4_0, 18 bytes: d = m/−8 where m is the value of largest magnitude (its
//	      sign kept), then 16 bytes of 4-bit q = min(15, ⌊x/d + 8.5⌋): byte j
//	      holds value j in its low nibble and value j+16 in its high nibble;
//	      x ≈ (q − 8)·d
const (
	BlockSize  = 32
	Q8_0Bytes  = 2 + BlockSize
	Q4_0Bytes  = 2 + BlockSize/2
	blockError = "compress: a GGML row has a multiple of 32 values, got %d"
)

// PackQ8_0 quantizes one row (a multiple of 32 values) into Q8_0 blocks.
func PackQ8_0(row []float32) ([]byte, error) {
	if len(row)%BlockSize != 0 || len(row) == 0 {
		return nil, fmt.Errorf(blockError, len(row))
	}
	out := make([]byte, 0, len(row)/BlockSize*Q8_0Bytes)
	for b := 0; b < len(row); b += BlockSize {
		x := row[b : b+BlockSize]
		amax := float32(0)
		for _, v := range x {
			amax = max(amax, float32(math.Abs(float64(v))))
		}
		d := amax / 127
		id := float32(0)
		if d != 0 {
			id = 1 / d
		}
		out = binary.LittleEndian.AppendUint16(out, float16.FromFloat32(d).Bits())
		for _, v := range x {
			out = append(out, byte(int8(math.Round(float64(v*id)))))
		}
	}
	return out, nil
}

// PackQ4_0 quantizes one row (a multiple of 32 values) into Q4_0 blocks.
func PackQ4_0(row []float32) ([]byte, error) {
	if len(row)%BlockSize != 0 || len(row) == 0 {
		return nil, fmt.Errorf(blockError, len(row))
	}
	out := make([]byte, 0, len(row)/BlockSize*Q4_0Bytes)
	for b := 0; b < len(row); b += BlockSize {
		x := row[b : b+BlockSize]
		amax, m := float32(0), float32(0)
		for _, v := range x {
			if a := float32(math.Abs(float64(v))); a > amax {
				amax, m = a, v
			}
		}
		d := m / -8
		id := float32(0)
		if d != 0 {
			id = 1 / d
		}
		out = binary.LittleEndian.AppendUint16(out, float16.FromFloat32(d).Bits())
		nibble := func(v float32) byte { return byte(min(15, int8(v*id+8.5))) }
		for j := range BlockSize / 2 {
			out = append(out, nibble(x[j])|nibble(x[j+BlockSize/2])<<4)
		}
	}
	return out, nil
}

// Unpack dequantizes Q8_0 (q8 true) or Q4_0 blocks back to float32, in Go
// (GoMLX's ggml.Dequantize does the same in a graph).
func Unpack(blocks []byte, q8 bool) []float32 {
	size := Q4_0Bytes
	if q8 {
		size = Q8_0Bytes
	}
	var out []float32
	for b := 0; b+size <= len(blocks); b += size {
		d := float16.FromBits(binary.LittleEndian.Uint16(blocks[b:])).Float32()
		body := blocks[b+2 : b+size]
		if q8 {
			for _, v := range body {
				out = append(out, float32(int8(v))*d)
			}
			continue
		}
		for half := range 2 {
			for _, v := range body {
				out = append(out, float32(int(v>>(4*half))&0xF-8)*d)
			}
		}
	}
	return out
}
