package solutions

import (
	"encoding/binary"

	"github.com/baeum-go/baeum/lessons/llm"
)

// DequantizeQ4_1 reads d and m (float16, little-endian), then takes each
// of the 16 bytes apart: the low 4 bits are weight j, the high 4 bits
// weight j+16; every weight is d·q + m.
func DequantizeQ4_1(block []byte) [32]float32 {
	d := llm.Float16ToFloat32(binary.LittleEndian.Uint16(block[0:]))
	m := llm.Float16ToFloat32(binary.LittleEndian.Uint16(block[2:]))
	var w [32]float32
	for j := range 16 {
		b := block[4+j]
		w[j] = float32(d*float32(b&0x0F)) + m
		w[j+16] = float32(d*float32(b>>4)) + m
	}
	return w
}
