package llm

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/baeum-go/baeum/lessons/tokenize"
)

// exampleFile writes the tiny GGUF file of the tests (two tensors, a tiny
// tokenizer) to a temporary folder; the examples open it as they would the
// real model.
func exampleFile() (path string, cleanup func()) {
	dir, err := os.MkdirTemp("", "gguf-example")
	if err != nil {
		panic(err)
	}
	path = filepath.Join(dir, "tiny.gguf")
	spec := tinySpec{meta: append([]tinyKV{{"general.architecture", "llama"}}, tinyTokenizerMeta()...), tensors: tinyTensors()}
	if err := os.WriteFile(path, spec.bytes(), 0o644); err != nil {
		panic(err)
	}
	return path, func() { os.RemoveAll(dir) }
}

func ExampleOpen() {
	path, cleanup := exampleFile()
	defer cleanup()

	f, err := Open(path)
	if err != nil {
		panic(err)
	}
	arch, _ := f.String("general.architecture")
	fmt.Println("GGUF version", f.Version, arch, len(f.Keys), "metadata keys")
	for _, t := range f.Tensors {
		fmt.Printf("%s %v %v: %d values in %d bytes, at %d\n", t.Name, t.Type, t.Shape(), t.Elements(), t.Bytes, t.Offset)
	}
	// Output:
	// GGUF version 3 llama 10 metadata keys
	// a F32 [2 3]: 6 values in 24 bytes, at 0
	// b Q4_1 [2 32]: 64 values in 40 bytes, at 32
}

func ExampleFile_Float32() {
	path, cleanup := exampleFile()
	defer cleanup()
	f, err := Open(path)
	if err != nil {
		panic(err)
	}

	w, shape, err := f.Float32("b") // 2 rows of one Q4_1 block each
	if err != nil {
		panic(err)
	}
	fmt.Println(shape, w[:4], w[30:34])
	// Output:
	// [2 32] [-1 -0.5 0 0.5] [-0.5 -1 0 1]
}

func ExampleFile_Tokenizer() {
	path, cleanup := exampleFile()
	defer cleanup()
	f, err := Open(path)
	if err != nil {
		panic(err)
	}

	tok, err := f.Tokenizer()
	if err != nil {
		panic(err)
	}
	const text = "<|im_start|>hi hi 12"
	ids := tok.Encode(text)
	fmt.Println(ids)
	fmt.Printf("%q\n", tokenize.Pieces(tok, text))
	fmt.Printf("%q\n", tok.Decode(ids))
	// Output:
	// [1 259 260 35 52 53]
	// ["<|im_start|>" "hi" "Ġhi" "Ġ" "1" "2"]
	// "hi hi 12"
}

func ExampleChatML() {
	chat := []Message{{Role: "user", Content: "안녕?"}}
	fmt.Print(ChatML(chat, "You are a helpful AI assistant.", true))
	// Output:
	// <|im_start|>system
	// You are a helpful AI assistant.<|im_end|>
	// <|im_start|>user
	// 안녕?<|im_end|>
	// <|im_start|>assistant
}

func ExampleFloat16ToFloat32() {
	for _, h := range []uint16{0x3C00, 0xC000, 0x7BFF, 0x0001, 0x3555} {
		fmt.Printf("%#04x -> %v\n", h, Float16ToFloat32(h))
	}
	// Output:
	// 0x3c00 -> 1
	// 0xc000 -> -2
	// 0x7bff -> 65504
	// 0x0001 -> 5.9604645e-08
	// 0x3555 -> 0.33325195
}

// A Q4_1 block taken apart (ParseQ4_1, Q4_1Block) and dequantized
// (DequantizeQ4_1Block). Go's vet reads an underscore in an example's name
// as a suffix, so this example cannot be named after DequantizeQ4_1Block.
func Example_q4_1Block() {
	// d = 0.5, m = -1; byte j holds level j (low nibble) and 15-j (high).
	block := []byte{0x00, 0x38, 0x00, 0xBC}
	for j := range 16 {
		block = append(block, byte(j)|byte(15-j)<<4)
	}
	b := ParseQ4_1(block)
	fmt.Println("d", b.D, "m", b.M, "levels", b.Q[:4], b.Q[16:20])
	w := DequantizeQ4_1Block(block)
	fmt.Println("weights", w[:4], w[16:20])
	// Output:
	// d 0.5 m -1 levels [0 1 2 3] [15 14 13 12]
	// weights [-1 -0.5 0 0.5] [6.5 6 5.5 5]
}

func ExampleDequantize() {
	raw := []byte{0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B} // three float16s
	w, err := Dequantize(F16, raw)
	fmt.Println(w, err)
	_, err = Dequantize(Q6_K, make([]byte, Q6_K.BlockBytes()))
	fmt.Println(err)
	// Output:
	// [1 -2 65504] <nil>
	// llm: dequantizing Q6_K is not written in this lesson (it reads F32, F16, Q4_0, Q4_1 and Q8_0)
}
